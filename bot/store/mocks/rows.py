"""Rows of the mock tables as domain objects, and the base every mock repository shares."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.grading import Grade
from bot.domain.mock import MockRound, MockTurn
from bot.domain.mock_loop import MockLoop
from bot.store._convert import from_iso
from bot.store.database import Database


class MockTable:
    def __init__(self, db: Database) -> None:
        self._db = db


def round_of(row: Any) -> MockRound:
    started = from_iso(row["started_at"])
    last_turn = from_iso(row["last_turn_at"])
    assert started is not None and last_turn is not None
    return MockRound(
        round_id=row["round_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        question_id=row["question_id"],
        round=row["round"],
        difficulty=row["difficulty"],
        time_box_minutes=row["time_box_minutes"],
        locale=row["locale"],
        loop_id=row["loop_id"],
        loop_position=row["loop_position"],
        status=row["status"],
        end_reason=row["end_reason"],
        local_date=row["local_date"],
        started_at=started,
        last_turn_at=last_turn,
        ended_at=from_iso(row["ended_at"]),
        score_attempts=row["score_attempts"],
        retry_after=from_iso(row["retry_after"]),
        grade=Grade.from_dict(json.loads(row["grade_json"])) if row["grade_json"] else None,
        points=row["points"],
        ended_by=row["ended_by"],
        second_question_id=row["second_question_id"],
    )


def turn_of(row: Any) -> MockTurn:
    created = from_iso(row["created_at"])
    assert created is not None
    return MockTurn(row["seq"], row["speaker"], row["content"], row["source"], created)


def loop_of(row: Any) -> MockLoop:
    started = from_iso(row["started_at"])
    assert started is not None
    return MockLoop(
        loop_id=row["loop_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        track=row["track"],
        status=row["status"],
        decision=row["decision"],
        started_at=started,
    )
