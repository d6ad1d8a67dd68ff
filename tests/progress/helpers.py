"""Shared steps for the progress end-to-end tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.content.schema import Question
from bot.domain.grading import Grade, overall_of
from bot.domain.progress import theme_of
from bot.llm.offline import OfflineGrader
from bot.store import Store
from tests.conftest import App
from tests.stores import DAY, award


def store_of(app: App) -> Store:
    return app.running.services.store


async def give(
    app: App,
    user_id: int,
    amount: int,
    *,
    name: str | None = None,
    day: str = DAY,
    ref: str = "1",
    kind: str = "daily",
    round_name: str | None = "coding",
    when: datetime | None = None,
) -> None:
    """Points recorded as if earned (bypassing grading, to build a big board quickly)."""
    await award(
        store_of(app),
        app.world.guild.id,
        user_id,
        amount,
        name=name,
        ref=ref,
        kind=kind,
        day=day,
        round_name=round_name,
        now=when or app.clock.now(),
    )


async def set_hidden(app: App, user_id: int, hidden: bool) -> None:
    """What `/privacy hide` and `/privacy show` do to the members table."""
    async with store_of(app).db.transaction() as conn:
        await conn.execute(
            "UPDATE members SET hidden = ? WHERE guild_id = ? AND user_id = ?",
            (int(hidden), app.world.guild.id, user_id),
        )


class FixedGrader(OfflineGrader):
    """The offline grader's feedback with every criterion scored `score`: predictable points.
    A criterion named in `weak` scores 1 instead, to give a member a known weak spot."""

    def __init__(self, score: float, weak: tuple[str, ...] = ()) -> None:
        self.score = score
        self.weak = weak

    async def grade(
        self,
        question: Question,
        answer: str,
        *,
        locale: str | None = None,
        hints: object = (),
        tests: object = None,
        clarified: object = None,
    ) -> Grade:
        graded = await super().grade(question, answer, locale=locale)
        criteria = tuple(
            replace(c, score=1.0 if theme_of(c.name, question.round) in self.weak else self.score)
            for c in graded.criteria
        )
        return replace(graded, criteria=criteria, overall=overall_of(criteria))
