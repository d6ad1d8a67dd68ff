"""`python -m bot privacy export|delete --user ID`: a member's data request from outside Discord,
over every server, with /privacy's rules (shared rows kept without the member's id)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.test_main import run_bot

LEFT = 111  # the member who left both servers
OTHER = 222
GUILDS = (1001, 1002)
ADDED_AT = "2026-11-01T10:00:00+00:00"


def seeded(tmp_path: Path) -> dict[str, str]:
    env = {"BOT_DATABASE_PATH": str(tmp_path / "bot.db")}
    assert run_bot("migrate", cwd=tmp_path, env=env).returncode == 0
    conn = sqlite3.connect(tmp_path / "bot.db")
    with conn:
        for guild_id in GUILDS:
            for user_id in (LEFT, OTHER):
                conn.execute(
                    "INSERT INTO members (guild_id, user_id, display_name) VALUES (?, ?, ?)",
                    (guild_id, user_id, f"user {user_id}"),
                )
            conn.execute(
                "INSERT INTO member_notices VALUES (?, ?, 'ai_grading', ?)",
                (guild_id, LEFT, ADDED_AT),
            )
        # A question the member added is the server's too: it stays, unsigned.
        conn.execute(
            "INSERT INTO custom_questions VALUES (?, 'q-added', 'behavioral', 'easy', '{}', ?, ?)",
            (GUILDS[1], LEFT, ADDED_AT),
        )
    conn.close()
    return env


def count(tmp_path: Path, sql: str, *params: object) -> int:
    conn = sqlite3.connect(tmp_path / "bot.db")
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


def test_export_covers_every_server_the_member_left(tmp_path: Path) -> None:
    env = seeded(tmp_path)
    result = run_bot("privacy", "export", "--user", str(LEFT), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["user_id"] == LEFT
    servers = {s["guild_id"]: s for s in document["servers"]}
    assert set(servers) == set(GUILDS)
    assert all(s["member"][0]["display_name"] == f"user {LEFT}" for s in servers.values())
    assert [q["question_id"] for q in servers[GUILDS[1]]["questions_added"]] == ["q-added"]
    assert "2 server(s)" in result.stderr
    nobody = run_bot("privacy", "export", "--user", "999", cwd=tmp_path, env=env)
    assert json.loads(nobody.stdout)["servers"] == []


def test_delete_asks_then_deletes_everywhere_keeping_shared_rows_unnamed(tmp_path: Path) -> None:
    env = seeded(tmp_path)
    declined = run_bot("privacy", "delete", "--user", str(LEFT), cwd=tmp_path, env=env, stdin="n\n")
    assert declined.returncode == 1 and "nothing deleted" in declined.stdout
    assert "server 1001:" in declined.stdout and "server 1002:" in declined.stdout
    assert count(tmp_path, "SELECT COUNT(*) FROM members WHERE user_id = ?", LEFT) == 2

    # No terminal and no --yes: nothing happens.
    silent = run_bot("privacy", "delete", "--user", str(LEFT), cwd=tmp_path, env=env)
    assert silent.returncode == 1
    assert count(tmp_path, "SELECT COUNT(*) FROM member_notices") == 2

    done = run_bot("privacy", "delete", "--user", str(LEFT), "--yes", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "in 2 server(s)" in done.stdout
    assert count(tmp_path, "SELECT COUNT(*) FROM members WHERE user_id = ?", LEFT) == 0
    assert count(tmp_path, "SELECT COUNT(*) FROM member_notices") == 0
    assert count(tmp_path, "SELECT COUNT(*) FROM members WHERE user_id = ?", OTHER) == 2
    assert count(tmp_path, "SELECT COUNT(*) FROM custom_questions WHERE added_by = 0") == 1
    again = run_bot("privacy", "delete", "--user", str(LEFT), "--yes", cwd=tmp_path, env=env)
    assert again.returncode == 0 and "nothing is stored" in again.stdout
