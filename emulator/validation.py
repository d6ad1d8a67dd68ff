"""Discord's request rules that the emulator enforces (400 code 50035 "Invalid Form Body")."""

from __future__ import annotations

import unicodedata
from typing import Any

from . import render
from .errors import (
    CANNOT_SEND_EMPTY_MESSAGE,
    INVALID_FORM_BODY,
    REQUEST_TOO_LARGE,
    ApiError,
)
from .models import IS_COMPONENTS_V2

JSON = dict[str, Any]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


class FormErrors:
    """Collects field errors and renders Discord's nested ``errors`` object."""

    def __init__(self) -> None:
        self.items: list[tuple[tuple[str | int, ...], str, str]] = []

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        self.items.append((path, code, message))

    def max_len(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: tuple[str | int, ...], value: Any, low: int, high: int) -> None:
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, path: tuple[str | int, ...], value: Any) -> None:
        if value is None or value == "":
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_dict(self) -> JSON:
        root: JSON = {}
        for path, code, message in self.items:
            node = root
            for part in path:
                node = node.setdefault(str(part), {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return root

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", errors=self.as_dict())


def embed_size(embed: JSON) -> int:
    total = 0
    for key in ("title", "description"):
        total += len(str(embed.get(key) or ""))
    for fld in embed.get("fields") or []:
        total += len(str(fld.get("name") or "")) + len(str(fld.get("value") or ""))
    total += len(str((embed.get("footer") or {}).get("text") or ""))
    total += len(str((embed.get("author") or {}).get("name") or ""))
    return total


def check_embeds(errs: FormErrors, embeds: Any, prefix: tuple[str | int, ...] = ()) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errs.add((*prefix, "embeds"), "LIST_TYPE_CONVERT", "Must be an array.")
        return
    if len(embeds) > MAX_EMBEDS:
        errs.add((*prefix, "embeds"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        path = (*prefix, "embeds", i)
        errs.max_len((*path, "title"), embed.get("title"), 256)
        errs.max_len((*path, "description"), embed.get("description"), 4096)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errs.add((*path, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, fld in enumerate(fields):
            errs.required((*path, "fields", j, "name"), fld.get("name"))
            errs.required((*path, "fields", j, "value"), fld.get("value"))
            errs.max_len((*path, "fields", j, "name"), fld.get("name"), 256)
            errs.max_len((*path, "fields", j, "value"), fld.get("value"), 1024)
        errs.max_len((*path, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
        errs.max_len((*path, "author", "name"), (embed.get("author") or {}).get("name"), 256)
        total += embed_size(embed)
    if total > MAX_EMBED_TOTAL:
        errs.add(
            (*prefix, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )


def check_custom_id(errs: FormErrors, path: tuple[str | int, ...], comp: JSON) -> None:
    custom_id = comp.get("custom_id")
    if custom_id is None:
        errs.required((*path, "custom_id"), None)
    else:
        errs.length_between((*path, "custom_id"), custom_id, 1, 100)


def check_message_components(
    errs: FormErrors, components: Any, flags: int, prefix: tuple[str | int, ...] = ()
) -> None:
    if components is None:
        return
    if not isinstance(components, list):
        errs.add((*prefix, "components"), "LIST_TYPE_CONVERT", "Must be an array.")
        return
    v2 = bool(flags & IS_COMPONENTS_V2)
    if not v2 and len(components) > 5:
        errs.add((*prefix, "components"), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for i, row in enumerate(components):
        path = (*prefix, "components", i)
        if not v2:
            if row.get("type") != 1:
                errs.add((*path, "type"), "COMPONENT_TYPE_INVALID", "Must be an action row.")
                continue
            children = row.get("components") or []
            buttons = [c for c in children if c.get("type") == render.BUTTON]
            selects = [c for c in children if c.get("type") in render.SELECT_TYPES]
            if len(children) == 0 or len(buttons) > 5 or (selects and len(children) > 1):
                errs.add(
                    (*path, "components"),
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
    for k, comp in enumerate(render.iter_components(components)):
        path = (*prefix, "components", k)
        ctype = comp.get("type")
        if ctype == render.BUTTON:
            errs.max_len((*path, "label"), comp.get("label"), 80)
            if comp.get("style") == 5:
                errs.required((*path, "url"), comp.get("url"))
            elif comp.get("style") != 6:
                check_custom_id(errs, path, comp)
        elif ctype in render.SELECT_TYPES:
            check_custom_id(errs, path, comp)
            errs.max_len((*path, "placeholder"), comp.get("placeholder"), 150)
            if ctype == render.STRING_SELECT:
                options = comp.get("options") or []
                if not 1 <= len(options) <= 25:
                    errs.add(
                        (*path, "options"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )
        custom_id = comp.get("custom_id")
        if isinstance(custom_id, str) and ctype != render.TEXT_INPUT:
            if custom_id in seen:
                errs.add(
                    (*path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)


def check_allowed_mentions(errs: FormErrors, allowed: Any, prefix: tuple[str | int, ...]) -> None:
    if allowed is None:
        return
    if not isinstance(allowed, dict):
        errs.add((*prefix, "allowed_mentions"), "DICT_TYPE_CONVERT", "Must be an object.")
        return
    parse = allowed.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and allowed.get(kind):
            errs.add(
                (*prefix, "allowed_mentions"),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        if len(allowed.get(kind) or []) > 100:
            errs.add(
                (*prefix, "allowed_mentions", kind),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.",
            )
    for i, value in enumerate(parse):
        if value not in ("users", "roles", "everyone"):
            errs.add(
                (*prefix, "allowed_mentions", "parse", i),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'users', 'roles', 'everyone'}.",
            )


def check_message_body(
    body: JSON,
    *,
    file_count: int = 0,
    file_sizes: list[int] | None = None,
    editing: bool = False,
    prefix: tuple[str | int, ...] = (),
) -> None:
    """Validate a create/edit message body; raises :class:`ApiError`."""
    for size in file_sizes or []:
        if size > MAX_FILE_BYTES:
            raise ApiError(413, REQUEST_TOO_LARGE, "Request entity too large")
    errs = FormErrors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errs.add((*prefix, "content"), "BASE_TYPE_STRING", "Must be a string.")
    errs.max_len((*prefix, "content"), content, MAX_CONTENT)
    check_embeds(errs, body.get("embeds"), prefix)
    flags = int(body.get("flags") or 0)
    check_message_components(errs, body.get("components"), flags, prefix)
    check_allowed_mentions(errs, body.get("allowed_mentions"), prefix)
    if file_count > MAX_FILES:
        errs.add((*prefix, "files"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    errs.raise_if_any()
    if editing:
        return
    has_something = bool(
        content
        or body.get("embeds")
        or body.get("components")
        or file_count
        or body.get("sticker_ids")
        or body.get("poll")
    )
    if not has_something:
        raise ApiError(400, CANNOT_SEND_EMPTY_MESSAGE, "Cannot send an empty message")


def check_modal(data: JSON) -> None:
    errs = FormErrors()
    base = ("data",)
    errs.length_between((*base, "title"), data.get("title"), 1, 45)
    check_custom_id(errs, base, data)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errs.add(
            (*base, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    for i, top in enumerate(components):
        path = (*base, "components", i)
        ttype = top.get("type")
        if ttype == 1:
            for j, child in enumerate(top.get("components") or []):
                _check_modal_input(errs, (*path, "components", j), child, needs_label=True)
        elif ttype == 18:
            errs.length_between((*path, "label"), top.get("label"), 1, 45)
            errs.max_len((*path, "description"), top.get("description"), 100)
            child = top.get("component")
            if not isinstance(child, dict):
                errs.required((*path, "component"), None)
            else:
                _check_modal_input(errs, (*path, "component"), child, needs_label=False)
        elif ttype == 10:
            errs.length_between((*path, "content"), top.get("content"), 1, 4000)
    errs.raise_if_any()


def _check_modal_input(
    errs: FormErrors, path: tuple[str | int, ...], comp: JSON, *, needs_label: bool
) -> None:
    if comp.get("type") == render.TEXT_INPUT:
        check_custom_id(errs, path, comp)
        if needs_label:
            errs.length_between((*path, "label"), comp.get("label"), 1, 45)
        elif comp.get("label") is not None:
            errs.add(
                (*path, "label"),
                "COMPONENT_INVALID_FIELD",
                "Text inputs inside a label must not have a label",
            )
        if comp.get("style") not in (1, 2):
            errs.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
        for key, low, high in (("min_length", 0, 4000), ("max_length", 1, 4000)):
            value = comp.get(key)
            if value is not None and not low <= int(value) <= high:
                errs.add(
                    (*path, key),
                    "NUMBER_TYPE_MAX",
                    f"int value should be between {low} and {high}.",
                )
        errs.max_len((*path, "value"), comp.get("value"), 4000)
        errs.max_len((*path, "placeholder"), comp.get("placeholder"), 100)
    elif comp.get("custom_id") is not None:
        check_custom_id(errs, path, comp)


def check_choices(data: JSON) -> None:
    errs = FormErrors()
    choices = data.get("choices")
    if not isinstance(choices, list):
        errs.required(("data", "choices"), None)
        errs.raise_if_any()
        return
    if len(choices) > 25:
        errs.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        errs.length_between(("data", "choices", i, "name"), choice.get("name"), 1, 100)
        value = choice.get("value")
        if isinstance(value, str):
            errs.max_len(("data", "choices", i, "value"), value, 100)
    errs.raise_if_any()


DISCORD_LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)


def _valid_name(name: Any) -> bool:
    """`^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lower case where the script has case."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    if name != name.lower():
        return False
    return all(_name_character(ch) for ch in name)


def _name_character(ch: str) -> bool:
    if ch.isalnum() or ch in "-_'":
        return True
    return unicodedata.category(ch)[0] == "M" and (
        "\u0900" <= ch <= "\u097f" or "\u0e00" <= ch <= "\u0e7f"
    )


def _check_unique_localized_names(
    errs: FormErrors, path: tuple[str | int, ...], siblings: list[JSON]
) -> None:
    """Siblings may not share a name in any locale (a localized name or the default one)."""
    for locale in DISCORD_LOCALES:
        seen: set[str] = set()
        for index, item in enumerate(siblings):
            name = (item.get("name_localizations") or {}).get(locale) or item.get("name")
            if name in seen:
                errs.add(
                    (*path, index, "name_localizations", locale),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Localized names must be unique",
                )
            seen.add(str(name))


def _check_localizations(errs: FormErrors, path: tuple[str | int, ...], obj: JSON) -> None:
    """Localized names follow the name rule; descriptions 1-100; keys are Discord's locales."""
    for field, check_name in (("name_localizations", True), ("description_localizations", False)):
        table = obj.get(field)
        if table is None:
            continue
        if not isinstance(table, dict):
            errs.add((*path, field), "DICT_TYPE_CONVERT", "Only dictionaries may be used.")
            continue
        for locale, text in table.items():
            where = (*path, field, locale)
            if locale not in DISCORD_LOCALES:
                errs.add(where, "LOCALE_INVALID", f"Invalid locale {locale!r}.")
            elif check_name and not _valid_name(text):
                errs.add(where, "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
            elif not check_name:
                errs.length_between(where, text, 1, 100)


def check_commands(commands: Any) -> None:
    """Validate a bulk-overwrite body (a list of application commands)."""
    errs = FormErrors()
    if not isinstance(commands, list):
        errs.add((), "LIST_TYPE_CONVERT", "Must be an array.")
        errs.raise_if_any()
        return
    names: set[tuple[str, int]] = set()
    chat = 0
    for i, cmd in enumerate(commands):
        ctype = int(cmd.get("type", 1))
        name = cmd.get("name")
        if ctype == 1:
            chat += 1
            if not _valid_name(name):
                errs.add((i, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
            errs.length_between((i, "description"), cmd.get("description"), 1, 100)
            _check_localizations(errs, (i,), cmd)
            _check_options(errs, (i,), cmd.get("options") or [], depth=0)
        else:
            errs.length_between((i, "name"), name, 1, 32)
        key = (str(name), ctype)
        if key in names:
            errs.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        names.add(key)
    if chat > 100:
        errs.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    _check_unique_localized_names(errs, (), [c for c in commands if int(c.get("type", 1)) == 1])
    errs.raise_if_any()


def _check_options(
    errs: FormErrors, path: tuple[str | int, ...], options: list[JSON], *, depth: int
) -> None:
    if len(options) > 25:
        errs.add((*path, "options"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen: set[str] = set()
    optional_seen = False
    _check_unique_localized_names(errs, (*path, "options"), options)
    for j, opt in enumerate(options):
        opath = (*path, "options", j)
        otype = int(opt.get("type", 0))
        if not _valid_name(opt.get("name")):
            errs.add((*opath, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
        errs.length_between((*opath, "description"), opt.get("description"), 1, 100)
        _check_localizations(errs, opath, opt)
        for k, choice in enumerate(opt.get("choices") or []):
            for locale, text in (choice.get("name_localizations") or {}).items():
                cpath = (*opath, "choices", k, "name_localizations", locale)
                if locale not in DISCORD_LOCALES:
                    errs.add(cpath, "LOCALE_INVALID", f"Invalid locale {locale!r}.")
                else:
                    errs.length_between(cpath, text, 1, 100)
        if opt.get("name") in seen:
            errs.add(
                (*opath, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        seen.add(str(opt.get("name")))
        if otype in (1, 2):
            if (otype == 2 and depth > 0) or (otype == 1 and depth > 1):
                errs.add((*opath, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Too deep")
            _check_options(errs, opath, opt.get("options") or [], depth=depth + 1)
            continue
        if opt.get("required"):
            if optional_seen:
                errs.add(
                    (*opath, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            errs.add((*opath, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        if choices and opt.get("autocomplete"):
            errs.add(
                (*opath, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES",
                "Autocomplete cannot be set with choices",
            )
        for k, choice in enumerate(choices):
            errs.length_between((*opath, "choices", k, "name"), choice.get("name"), 1, 100)
            if isinstance(choice.get("value"), str):
                errs.max_len((*opath, "choices", k, "value"), choice.get("value"), 100)
