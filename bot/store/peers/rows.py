"""Rows of the peer tables as domain objects."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.domain.peer_feedback import PeerFeedback, PeerScores
from bot.domain.peer_matching import QueueEntry
from bot.domain.peer_session import PeerSession
from bot.store._convert import from_iso

# The statuses of a session that still holds its members.
OPEN = ("opening", "active")


def _at(value: str) -> datetime:
    parsed = from_iso(value)
    assert parsed is not None
    return parsed


def entry_of(row: Any) -> QueueEntry:
    return QueueEntry(
        entry_id=row["entry_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        round=row["round"],
        level=row["level"],
        channel_id=row["channel_id"],
        joined_at=_at(row["joined_at"]),
        earliest=_at(row["earliest"]),
        latest=_at(row["latest"]),
        windowed=bool(row["windowed"]),
        front=bool(row["front"]),
    )


def session_of(row: Any) -> PeerSession:
    questions = (row["question_1"],) + ((row["question_2"],) if row["question_2"] else ())
    return PeerSession(
        session_id=row["session_id"],
        guild_id=row["guild_id"],
        round=row["round"],
        first_user_id=row["first_user_id"],
        second_user_id=row["second_user_id"],
        first_level=row["first_level"],
        second_level=row["second_level"],
        question_ids=questions,
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        status=row["status"],
        half=row["half"],
        starts_at=_at(row["starts_at"]),
        half_started_at=_at(row["half_started_at"]),
        created_at=_at(row["created_at"]),
        ended_at=from_iso(row["ended_at"]),
        first_seen_at=from_iso(row["first_seen_at"]),
        second_seen_at=from_iso(row["second_seen_at"]),
        no_show_user_id=row["no_show_user_id"],
    )


def feedback_of(row: Any) -> PeerFeedback:
    return PeerFeedback(
        session_id=row["session_id"],
        guild_id=row["guild_id"],
        giver_id=row["giver_id"],
        receiver_id=row["receiver_id"],
        question_id=row["question_id"],
        scores=PeerScores(
            tuple((name, int(score)) for name, score in json.loads(row["scores_json"]))
        ),
        went_well=row["went_well"],
        to_improve=row["to_improve"],
        created_at=_at(row["created_at"]),
    )
