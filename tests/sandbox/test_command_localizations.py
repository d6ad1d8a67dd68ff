"""The emulator holds localized command names to Discord's rules."""

from __future__ import annotations

import pytest

from emulator.errors import ApiError
from emulator.validation import check_commands


def _command(name: str, **extra: object) -> dict[str, object]:
    return {"name": name, "description": "d", **extra}


def test_two_siblings_may_not_share_a_localized_name() -> None:
    body = [
        _command("one", name_localizations={"fr": "un"}),
        _command("two", name_localizations={"fr": "un"}),
    ]
    with pytest.raises(ApiError):
        check_commands(body)


@pytest.mark.parametrize(
    "localizations",
    [{"fr": "Majuscule"}, {"fr": "deux mots"}, {"xx": "nom"}, {"ja": "x" * 33}],
)
def test_a_localized_name_breaking_the_rules_is_refused(localizations: dict[str, str]) -> None:
    with pytest.raises(ApiError):
        check_commands([_command("one", name_localizations=localizations)])


def test_valid_localizations_in_any_script_are_accepted() -> None:
    names = {"fr": "réglages", "hi": "सेटअप", "th": "ตั้งค่า", "ja": "設定", "ko": "설정"}
    check_commands(
        [_command("one", name_localizations=names, description_localizations={"fr": "Réglages"})]
    )
