"""Every Manage Server command, as a member who can see it (a server override), is refused
privately and changes nothing; wholly-admin groups are hidden from members by default."""

from __future__ import annotations

from typing import Any

import pytest

from bot.cogs._checks import AdminGroup
from emulator import InvalidInvocation
from tests.conftest import App

ADMIN_INVOCATIONS: list[tuple[str, dict[str, Any]]] = [
    ("daily setup", {"channel": "daily", "time": "09:00", "timezone": "UTC"}),
    ("daily now", {}),
    ("daily pause", {}),
    ("daily resume", {}),
    ("daily rotation", {"slots": "coding,coding,coding,coding,coding,coding,coding"}),
    ("daily rewards freezes", {"per_week": 2}),
    ("daily rewards show", {}),
    ("daily rewards restore-streak", {"member": "bob"}),
    ("daily rewards roles", {}),
    ("questions add", {"round": "coding", "difficulty": "easy"}),
    ("questions disable", {"question_id": "pin-coding-001"}),
    ("questions enable", {"question_id": "pin-coding-001"}),
    ("grading usage", {}),
    ("grading limits", {"member_answers": 3}),
    ("peer setup", {"expire_after": 30}),
    ("mock settings", {"idle_minutes": 10}),
    ("web public", {"state": "on"}),
]


def _values(app: App, raw: dict[str, Any]) -> dict[str, Any]:
    world = app.world
    named = {"daily": world.daily, "bob": world.bob}
    return {
        key: named.get(value, value) if isinstance(value, str) else value
        for key, value in raw.items()
    }


@pytest.mark.parametrize(
    ("name", "options"), ADMIN_INVOCATIONS, ids=[n for n, _ in ADMIN_INVOCATIONS]
)
async def test_a_member_is_refused_every_admin_command(
    running: App, name: str, options: dict[str, Any]
) -> None:
    refused = await running.emu.slash(
        running.world.alice,
        running.world.practice,
        name,
        options=_values(running, options),
        ignore_default_permissions=True,
    )
    assert refused.ephemeral and "Manage Server" in refused.text, refused.text
    assert refused.modal is None
    store = running.running.services.store
    assert await store.guilds.get(running.world.guild.id) is None


async def test_admin_groups_are_hidden_from_members(running: App) -> None:
    tree = running.running.tree
    roots = [command for command in tree.get_commands() if isinstance(command, AdminGroup)]
    assert [root.name for root in roots] == ["grading", "web"]
    for root in roots:
        payload = root.to_dict(tree)
        assert int(payload["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD
    with pytest.raises(InvalidInvocation, match="default_member_permissions"):
        await running.emu.slash(running.world.alice, running.world.practice, "grading usage")
    shown = await running.emu.slash(running.world.admin, running.world.practice, "grading usage")
    assert shown.ephemeral and "Manage Server" not in shown.text
