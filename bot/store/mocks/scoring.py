"""A closed round's scorecard: delayed (with an offline stand-in), saved with its points and
its AI admission settled, or given up when its question is gone."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.grading import Grade
from bot.store._convert import to_iso
from bot.store.admissions import settle_in
from bot.store.mocks.rows import MockTable
from bot.store.points import PointsClaim, award_in


class MockScoringTable(MockTable):
    async def close_scoring_as_abandoned(self, round_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE mock_rounds SET status = 'abandoned', retry_after = NULL "
                "WHERE round_id = ? AND status = 'scoring'",
                (round_id,),
            )

    async def delay_scoring(
        self,
        round_id: int,
        retry_after: datetime,
        *,
        stand_in: Grade | None = None,
        points: int | None = None,
        claim: PointsClaim | None = None,
        now: datetime | None = None,
    ) -> None:
        """Retry the scorecard later. A `stand_in` (the offline scorecard shown meanwhile) is
        kept with its points in the same transaction; the round is still being scored, and the
        final scorecard replaces both (its points take the same ledger row)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_rounds SET score_attempts = score_attempts + 1, retry_after = ? "
                "WHERE round_id = ? AND status = 'scoring'",
                (to_iso(retry_after), round_id),
            )
            if stand_in is None or cursor.rowcount != 1:
                return
            await conn.execute(
                "UPDATE mock_rounds SET overall = ?, max_score = ?, hiring_signal = ?, "
                "grade_json = ?, points = ? WHERE round_id = ?",
                (
                    stand_in.overall,
                    stand_in.max,
                    stand_in.hiring_signal,
                    json.dumps(stand_in.to_dict()),
                    points,
                    round_id,
                ),
            )
            if claim is not None:
                await award_in(conn, claim, now or retry_after)

    async def save_scorecard(
        self,
        round_id: int,
        grade: Grade,
        points: int | None,
        now: datetime,
        *,
        claim: PointsClaim | None = None,
        admission_id: int | None = None,
    ) -> bool:
        """Close the round with its scorecard, its points (`claim`) and the settling of the AI
        call's admission, in one transaction; False when the round was not being scored (the
        admission is settled all the same)."""
        async with self._db.transaction() as conn:
            await settle_in(conn, admission_id)
            cursor = await conn.execute(
                """
                UPDATE mock_rounds SET status = 'closed', overall = ?, max_score = ?,
                    hiring_signal = ?, grade_json = ?, points = ?, retry_after = NULL,
                    score_attempts = score_attempts + 1
                WHERE round_id = ? AND status = 'scoring'
                """,
                (
                    grade.overall,
                    grade.max,
                    grade.hiring_signal,
                    json.dumps(grade.to_dict()),
                    points,
                    round_id,
                ),
            )
            if cursor.rowcount != 1:
                return False
            if claim is not None:
                await award_in(conn, claim, now)
            return True
