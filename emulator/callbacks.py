"""Interaction callbacks (``/interactions/{id}/{token}/callback``) and the interaction webhook
(``/webhooks/{application_id}/{token}``: followups and the original response)."""

from __future__ import annotations

import time
from typing import Any

from .core import EmulatorCore
from .errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_FORM_BODY,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    unknown,
)
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    InteractionRecord,
    ModalRecord,
)
from .models import EPHEMERAL, LOADING, Message
from .server import Ctx, Reply, Router
from .validation import check_choices, check_message_body, check_modal

JSON = dict[str, Any]

ALLOWED_RESPONSES = {
    APPLICATION_COMMAND: (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL),
    MESSAGE_COMPONENT: (
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    ),
    AUTOCOMPLETE: (AUTOCOMPLETE_RESULT,),
    MODAL_SUBMIT: (
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    ),
}


def register(emu: EmulatorCore, router: Router) -> None:
    api = InteractionApi(emu)
    hook = "/webhooks/{webhook_id}/{webhook_token}"
    routes: list[tuple[str, str, Any]] = [
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", api.callback),
        ("GET", hook, api.get_webhook),
        ("PATCH", hook, api.edit_webhook),
        ("DELETE", hook, api.delete_webhook),
        ("POST", hook, api.followup),
        ("GET", hook + "/messages/@original", api.get_message),
        ("PATCH", hook + "/messages/@original", api.edit_message),
        ("DELETE", hook + "/messages/@original", api.delete_message),
        ("GET", hook + "/messages/{message_id}", api.get_message),
        ("PATCH", hook + "/messages/{message_id}", api.edit_message),
        ("DELETE", hook + "/messages/{message_id}", api.delete_message),
    ]
    for method, path, handler in routes:
        router.add(method, path, handler, auth=False, global_limited=False)


def _invalid_type(rtype: Any) -> ApiError:
    return ApiError(
        400,
        INVALID_FORM_BODY,
        "Invalid Form Body",
        errors={
            "type": {
                "_errors": [
                    {
                        "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                        "message": f"Interaction response type {rtype} is not valid here",
                    }
                ]
            }
        },
    )


class InteractionApi:
    def __init__(self, emu: EmulatorCore) -> None:
        self.emu = emu
        self.state = emu.state

    # ------------------------------------------------------------------ callback
    async def callback(self, ctx: Ctx) -> Reply:
        self.emu.count("interaction_callbacks")
        now = time.perf_counter()
        rec = self.emu.interaction(ctx.snowflake("interaction_id"))
        if rec is None or rec.token != ctx.params.get("interaction_token"):
            raise unknown("interaction", UNKNOWN_INTERACTION)
        if rec.callback_at is None:
            rec.callback_at = now
        try:
            return self._accept(rec, ctx)
        except ApiError as err:
            rec.rejected.append((err.status, err.code, err.message))
            self.emu.log.add(
                f"bot's answer to {rec.describe()} was rejected: {err.status} {err.code}"
                f" {err.message}"
            )
            raise
        finally:
            rec.touch()

    def _accept(self, rec: InteractionRecord, ctx: Ctx) -> Reply:
        if time.monotonic() - rec.created_at > self.emu.callback_deadline:
            raise unknown("interaction", UNKNOWN_INTERACTION)
        if rec.acknowledged:
            raise ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
        body = ctx.body()
        rtype = body.get("type")
        data = body.get("data") or {}
        if rtype not in ALLOWED_RESPONSES.get(rec.type, ()):
            raise _invalid_type(rtype)
        if rtype in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE) and rec.source_message is None:
            raise _invalid_type(rtype)
        respond = {
            CHANNEL_MESSAGE: self._respond_message,
            DEFERRED_CHANNEL_MESSAGE: self._respond_deferred,
            DEFERRED_UPDATE_MESSAGE: self._respond_deferred_update,
            UPDATE_MESSAGE: self._respond_update,
            AUTOCOMPLETE_RESULT: self._respond_choices,
            MODAL: self._respond_modal,
        }[rtype]
        resource = respond(rec, data, ctx)
        rec.acknowledged = True
        rec.response_type = int(rtype)
        rec.response_data = data
        if not ctx.flag("with_response"):
            return Reply.no_content()
        return Reply(body=self._callback_response(rec, rtype, resource))

    def _respond_message(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        check_message_body(
            data,
            file_count=len(ctx.uploads),
            file_sizes=[len(u.data) for u in ctx.uploads],
            prefix=("data",),
        )
        msg = self._create(rec, data, ctx, msg_type=20 if rec.type == APPLICATION_COMMAND else 0)
        rec.original = msg
        return {"type": CHANNEL_MESSAGE, "message": msg.payload()}

    def _respond_deferred(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        flags = int(data.get("flags") or 0) & EPHEMERAL
        msg = self.state.create_message(
            rec.channel,
            self.state.bot_user,
            {"flags": flags},
            [],
            visible_to=rec.user.id,
            webhook_id=self.state.application_id,
            interaction_metadata=self._metadata(rec),
            interaction_id=rec.id,
            msg_type=20 if rec.type == APPLICATION_COMMAND else 0,
            extra_flags=LOADING,
        )
        rec.original = msg
        who = f" (ephemeral, for {rec.user.username})" if msg.ephemeral else ""
        self.emu.log.add(f"bot is thinking…{who}")
        self.emu.events.message_create(msg)
        return None

    def _respond_deferred_update(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        rec.original = rec.source_message
        self.emu.log.add(f"bot acknowledged {rec.describe()} (deferred update)")
        return None

    def _respond_update(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        source = rec.source_message
        assert source is not None
        check_message_body(data, file_count=len(ctx.uploads), editing=True, prefix=("data",))
        self.state.edit_message(source, data, ctx.uploads)
        rec.original = source
        rec.original_edits += 1
        self.emu.log_bot_message(source, verb="updated →")
        self.emu.events.message_update(source)
        return {"type": UPDATE_MESSAGE, "message": source.payload()}

    def _respond_choices(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        check_choices(data)
        rec.choices = list(data.get("choices") or [])
        return None

    def _respond_modal(self, rec: InteractionRecord, data: JSON, ctx: Ctx) -> JSON | None:
        check_modal(data)
        rec.modal = ModalRecord(
            custom_id=str(data.get("custom_id")),
            title=str(data.get("title")),
            components=list(data.get("components") or []),
        )
        self.emu.log.add(f"bot opened modal '{rec.modal.title}' for {rec.user.username}")
        return None

    @staticmethod
    def _callback_response(rec: InteractionRecord, rtype: int, resource: JSON | None) -> JSON:
        """The `with_response=1` body: the interaction, the message it made, the resource."""
        info: JSON = {"id": str(rec.id), "type": rec.type}
        if rec.original is not None and rtype in (
            CHANNEL_MESSAGE,
            DEFERRED_CHANNEL_MESSAGE,
            UPDATE_MESSAGE,
        ):
            info["response_message_id"] = str(rec.original.id)
            info["response_message_loading"] = rec.original.loading
            info["response_message_ephemeral"] = rec.original.ephemeral
        out: JSON = {"interaction": info}
        if resource is not None:
            out["resource"] = resource
        return out

    def _metadata(self, rec: InteractionRecord) -> JSON:
        data: JSON = {
            "id": str(rec.id),
            "type": rec.type,
            "user": rec.user.payload(),
            "authorizing_integration_owners": rec.payload.get("authorizing_integration_owners", {}),
        }
        if rec.type == APPLICATION_COMMAND:
            data["name"] = rec.payload.get("data", {}).get("name")
            data["command_type"] = 1
        if rec.source_message is not None:
            data["interacted_message_id"] = str(rec.source_message.id)
        return data

    def _create(
        self, rec: InteractionRecord, data: JSON, ctx: Ctx, *, msg_type: int = 0
    ) -> Message:
        msg = self.state.create_message(
            rec.channel,
            self.state.bot_user,
            data,
            ctx.uploads,
            visible_to=rec.user.id,
            webhook_id=self.state.application_id,
            interaction_metadata=self._metadata(rec),
            interaction_id=rec.id,
            msg_type=msg_type,
        )
        self.emu.log_bot_message(msg)
        self.emu.events.message_create(msg)
        return msg

    # ------------------------------------------------------------------ webhook
    def _record(self, ctx: Ctx) -> InteractionRecord:
        if ctx.params.get("webhook_id") != str(self.state.application_id):
            raise unknown("Webhook", UNKNOWN_WEBHOOK)
        rec = self.emu.record_by_token(ctx.params.get("webhook_token", ""))
        if rec is None or not rec.acknowledged:
            raise unknown("Webhook", UNKNOWN_WEBHOOK)
        return rec

    def _target(self, rec: InteractionRecord, ctx: Ctx) -> Message:
        if "message_id" not in ctx.params:
            if rec.original is None or rec.original.deleted:
                raise unknown("Message", UNKNOWN_MESSAGE)
            return rec.original
        mid = ctx.snowflake("message_id")
        for msg in rec.messages:
            if msg.id == mid and not msg.deleted:
                return msg
        raise unknown("Message", UNKNOWN_MESSAGE)

    async def get_webhook(self, ctx: Ctx) -> Reply:
        self._record(ctx)
        return Reply(
            body={
                "id": str(self.state.application_id),
                "type": 3,
                "name": self.state.bot_user.username,
                "avatar": None,
                "channel_id": None,
                "guild_id": None,
                "application_id": str(self.state.application_id),
            }
        )

    async def edit_webhook(self, ctx: Ctx) -> Reply:
        raise ApiError(403, 50013, "Missing Permissions")

    async def delete_webhook(self, ctx: Ctx) -> Reply:
        raise ApiError(403, 50013, "Missing Permissions")

    async def followup(self, ctx: Ctx) -> Reply:
        rec = self._record(ctx)
        body = ctx.body()
        check_message_body(
            body, file_count=len(ctx.uploads), file_sizes=[len(u.data) for u in ctx.uploads]
        )
        original = rec.original
        if (
            original is not None
            and original.loading
            and rec.response_type == DEFERRED_CHANNEL_MESSAGE
        ):
            # The first followup after a "thinking" deferral replaces the loading message.
            edit = {k: v for k, v in body.items() if k != "flags"}
            self.state.edit_message(original, edit, ctx.uploads)
            rec.original_edits += 1
            msg = original
            self.emu.log_bot_message(msg)
            self.emu.events.message_update(msg)
        else:
            msg = self.state.create_message(
                rec.channel,
                self.state.bot_user,
                body,
                ctx.uploads,
                visible_to=rec.user.id,
                webhook_id=self.state.application_id,
                interaction_metadata=self._metadata(rec),
                interaction_id=rec.id,
            )
            self.emu.log_bot_message(msg)
            self.emu.events.message_create(msg)
        rec.followups.append(msg)
        rec.touch()
        if ctx.flag("wait"):
            return Reply(body=msg.payload())
        return Reply.no_content()

    async def get_message(self, ctx: Ctx) -> Reply:
        rec = self._record(ctx)
        return Reply(body=self._target(rec, ctx).payload())

    async def edit_message(self, ctx: Ctx) -> Reply:
        rec = self._record(ctx)
        msg = self._target(rec, ctx)
        body = ctx.body()
        check_message_body(body, file_count=len(ctx.uploads), editing=True)
        was_loading = msg.loading
        self.state.edit_message(msg, body, ctx.uploads)
        if msg is rec.original:
            rec.original_edits += 1
        self.emu.log_bot_message(msg, verb="→" if was_loading else "edited →")
        self.emu.events.message_update(msg)
        rec.touch()
        return Reply(body=msg.payload())

    async def delete_message(self, ctx: Ctx) -> Reply:
        rec = self._record(ctx)
        msg = self._target(rec, ctx)
        msg.deleted = True
        self.emu.log.add(f"bot deleted its reply to {rec.describe()}")
        self.emu.events.message_delete(msg)
        rec.touch()
        return Reply.no_content()
