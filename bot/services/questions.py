"""A guild's own questions: added from a form or imported from YAML, all-or-nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError

from bot.content.author_errors import validation_problem
from bot.content.authoring import question_from_form
from bot.content.loader import parse_pack_text
from bot.content.schema import Question, Round
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.message import Command, Verbatim
from bot.services.catalog import Catalog
from bot.store import Store

MAX_IMPORT_BYTES = 512_000
MAX_LISTED_ERRORS = 25
# Lines per `/questions list` page: an id (≤ 60) and a title (≤ 120) with their markup stay
# under 200 characters, so a page always fits an embed description (4096) whole.
LIST_PAGE_SIZE = 20


@dataclass(frozen=True)
class QuestionListing:
    question_id: str
    round: Round
    difficulty: str
    title: str
    custom: bool
    disabled: bool


@dataclass(frozen=True)
class QuestionPage:
    round_name: Round | None
    page: int  # 0-based, clamped to the pages there are
    pages: int
    rows: list[QuestionListing]  # this page's, customs first, then by round and id
    total: int
    custom: int
    disabled: int


class ImportRejected(UserError):
    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_LISTED_ERRORS]
        more = len(problems) - len(shown)
        listed = "\n".join(f"• {p}" for p in shown)
        if more:
            super().__init__(
                "Nothing was added. Fix these and try again:\n{problems}\n…and {more} more.",
                code="import-rejected",
                problems=listed,
                more=more,
            )
        else:
            super().__init__(
                "Nothing was added. Fix these and try again:\n{problems}",
                code="import-rejected",
                problems=listed,
            )
        self.problems = problems


class QuestionService:
    def __init__(self, store: Store, catalog: Catalog, clock: Clock) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock

    async def _clashes(self, guild_id: int, ids: list[str]) -> list[str]:
        problems = [
            f"{i}: id is already used by a bundled question"
            for i in ids
            if self._catalog.bank.get(i)
        ]
        taken = await self._store.questions.existing_ids(guild_id, ids)
        problems += [
            f"{i}: id is already used by one of this server's questions" for i in sorted(taken)
        ]
        problems += [
            f"{i}: id appears more than once in the file" for i, n in Counter(ids).items() if n > 1
        ]
        return problems

    async def add_from_form(
        self,
        *,
        guild_id: int,
        user_id: int,
        round_name: str,
        difficulty: str,
        time_box_minutes: int,
        title: str,
        prompt: str,
        rubric_text: str,
        hints_text: str,
        follow_ups_text: str,
    ) -> Question:
        raw, problems = question_from_form(
            guild_id=guild_id,
            round_name=round_name,
            difficulty=difficulty,
            title=title,
            prompt=prompt,
            rubric_text=rubric_text,
            hints_text=hints_text,
            follow_ups_text=follow_ups_text,
            time_box_minutes=time_box_minutes,
        )
        question: Question | None = None
        try:
            question = Question.model_validate(raw)
        except ValidationError as exc:
            problems += [validation_problem(error) for error in exc.errors()]
        if question is not None:
            problems += await self._clashes(guild_id, [question.id])
        if problems or question is None:
            raise ImportRejected(problems)
        await self._store.questions.add_all(
            guild_id, [question], added_by=user_id, now=self._clock.now()
        )
        return question

    async def import_yaml(
        self, *, guild_id: int, user_id: int, text: str, filename: str
    ) -> list[Question]:
        if len(text.encode()) > MAX_IMPORT_BYTES:
            raise ImportRejected([f"{filename}: file is larger than {MAX_IMPORT_BYTES // 1000} kB"])
        pack, found = parse_pack_text(text, filename)
        if pack is None:
            raise ImportRejected([str(p) for p in found])
        ids = [q.id for q in pack.questions]
        problems = [f"{filename}: {p}" for p in await self._clashes(guild_id, ids)]
        if problems:
            raise ImportRejected(problems)
        await self._store.questions.add_all(
            guild_id, pack.questions, added_by=user_id, now=self._clock.now()
        )
        return list(pack.questions)

    async def listing(self, guild_id: int, round_name: Round | None) -> list[QuestionListing]:
        disabled = await self._store.questions.disabled(guild_id)
        rows = [
            QuestionListing(q.id, q.round, q.difficulty, q.title, False, q.id in disabled)
            for q in (lq.question for lq in self._catalog.bank.questions())
        ]
        rows += [
            QuestionListing(q.id, q.round, q.difficulty, q.title, True, q.id in disabled)
            for q in await self._store.questions.custom(guild_id)
        ]
        return [r for r in rows if round_name is None or r.round == round_name]

    async def listing_page(
        self, guild_id: int, round_name: Round | None, page: int
    ) -> QuestionPage:
        rows = sorted(
            await self.listing(guild_id, round_name),
            key=lambda r: (not r.custom, r.round, r.question_id),
        )
        pages = max(1, -(-len(rows) // LIST_PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        return QuestionPage(
            round_name=round_name,
            page=page,
            pages=pages,
            rows=rows[page * LIST_PAGE_SIZE : (page + 1) * LIST_PAGE_SIZE],
            total=len(rows),
            custom=sum(r.custom for r in rows),
            disabled=sum(r.disabled for r in rows),
        )

    async def set_disabled(
        self, *, guild_id: int, user_id: int, question_id: str, disabled: bool
    ) -> Question:
        question = await self._catalog.question(guild_id, question_id.strip())
        if question is None:
            raise UserError(
                "No question {question} in this server: see {command}.",
                code="unknown-question",
                question=Verbatim(question_id[:60]),
                command=Command("/questions list"),
            )
        if disabled:
            changed = await self._store.questions.disable(
                guild_id, question.id, by=user_id, now=self._clock.now()
            )
        else:
            changed = await self._store.questions.enable(guild_id, question.id)
        if not changed:
            if disabled:
                raise UserError(
                    "{question} is already disabled.",
                    code="unchanged",
                    question=Verbatim(question.id),
                )
            raise UserError(
                "{question} is already enabled.", code="unchanged", question=Verbatim(question.id)
            )
        return question
