"""Pure render functions: data in, `discord.Embed` out, always within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import discord

from bot.content.schema import DIFFICULTY_LABELS, Clarification, Question, round_label
from bot.content.tips import Tip
from bot.domain.models import DailyPost, PostStats
from bot.i18n.messages import day, decimal, number, tr
from bot.services.daily import DailyStatus

BRAND = discord.Colour.from_rgb(230, 0, 35)
FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096
TITLE_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
# Two shared answers, the outline and the rubric stay well inside the 6000 of one embed.
SHARED_ANSWER_LIMIT = 900


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def round_text(round_name: str, locale: object = None) -> str:
    """A round's name in `locale`: "System design", "Conception de systèmes"."""
    return tr(locale, round_label(round_name))


def difficulty_text(difficulty: str, locale: object = None) -> str:
    label = DIFFICULTY_LABELS.get(difficulty)
    return tr(locale, label) if label else difficulty


def minutes_text(minutes: int, locale: object = None) -> str:
    return tr(locale, "{minutes} min", minutes=minutes)


def _facts(embed: discord.Embed, question: Question, locale: object) -> None:
    """The round, difficulty and time box fields of a question."""
    embed.add_field(name=tr(locale, "Round"), value=round_text(question.round, locale))
    embed.add_field(
        name=tr(locale, "Difficulty"), value=difficulty_text(question.difficulty, locale)
    )
    embed.add_field(
        name=tr(locale, "Time box"), value=minutes_text(question.time_box_minutes, locale)
    )


def post_footer(post: DailyPost) -> str:
    """The footer doubles as the marker that finds an already-sent post after a failure."""
    return f"Daily #{post.post_id} · {post.local_date} · {post.question_id}"


def daily_embed(question: Question, post: DailyPost, locale: object = None) -> discord.Embed:
    """The daily post, in the server's language (`locale`); the question is in its pack's."""
    embed = discord.Embed(
        title=clip(
            tr(locale, "Daily question · {title}", title=question.title_in(locale)), TITLE_LIMIT
        ),
        description=clip(question.prompt_in(locale), DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    _facts(embed, question, locale)
    how = [
        tr(
            locale,
            "Press **Answer** to reply privately and get graded feedback. **Hint** shows the "
            "next hint (costs points).",
        )
    ]
    if question.clarifications:
        how.append(
            tr(
                locale,
                "**Clarify** shows the facts a real interviewer gives when asked (scale, "
                "constraints); the grader knows you asked.",
            )
        )
    how.append(tr(locale, "Discuss in the thread below."))
    embed.add_field(name=tr(locale, "How to answer"), value=" ".join(how), inline=False)
    embed.set_footer(text=post_footer(post))
    return embed


def clarifications_embed(
    clarifications: Sequence[Clarification], locale: object = None
) -> discord.Embed:
    """What the interviewer would answer; the schema's lengths (at most 8 of 120 + 500 chars)
    keep it inside one embed."""
    embed = discord.Embed(
        title=tr(locale, "🔎 Clarifications"),
        description=tr(
            locale,
            "What the interviewer answers when asked. State any other assumption in your "
            "answer; your grade knows you asked.",
        ),
        colour=BRAND,
    )
    for clarification in clarifications:
        embed.add_field(
            name=clip(clarification.ask, TITLE_LIMIT),
            value=clip(clarification.answer, FIELD_LIMIT),
            inline=False,
        )
    return embed


def question_embed(question: Question, *, heading: str, locale: object = None) -> discord.Embed:
    """`heading` is already in `locale`'s language."""
    embed = discord.Embed(
        title=clip(f"{heading} · {question.title_in(locale)}", TITLE_LIMIT),
        description=clip(question.prompt_in(locale), DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    _facts(embed, question, locale)
    return embed


def score_text(overall: float, max_score: int, locale: object = None) -> str:
    """ "3.2/5", or "3,2/5" where the locale writes a decimal comma."""
    return f"{decimal(locale, overall)}/{max_score}"


def _bullets(items: Sequence[str], limit: int = FIELD_LIMIT) -> str:
    lines: list[str] = []
    used = 0
    for item in items:
        line = f"• {item}"
        if used + len(line) + 1 > limit:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) or "—"


def reveal_embed(
    post: DailyPost, question: Question, stats: PostStats, locale: object = None
) -> discord.Embed:
    """The reveal, in the server's language (`locale`); the rubric criteria stay in the pack's."""
    embed = discord.Embed(
        title=clip(tr(locale, "Reveal · {title}", title=question.title_in(locale)), TITLE_LIMIT),
        description=clip(question.reference_outline, DESCRIPTION_LIMIT),
        colour=discord.Colour.dark_teal(),
    )
    average = score_text(stats.average, question.max_score, locale) if stats.average else "—"
    embed.add_field(name=tr(locale, "Answers"), value=number(locale, stats.answers))
    embed.add_field(name=tr(locale, "Average score"), value=average)
    embed.add_field(
        name=tr(locale, "Rubric"),
        value=_bullets(
            [
                tr(locale, "{criterion} (weight {weight})", criterion=c.name, weight=c.weight)
                for c in question.rubric
            ]
        ),
        inline=False,
    )
    for shared in stats.best_shared:
        embed.add_field(
            name=clip(
                tr(
                    locale,
                    "Shared answer · {name} · {score}",
                    name=shared.display_name,
                    score=score_text(shared.overall, question.max_score, locale),
                ),
                TITLE_LIMIT,
            ),
            value=clip(shared.content, SHARED_ANSWER_LIMIT),
            inline=False,
        )
    embed.set_footer(
        text=tr(
            locale,
            "Reveal of daily #{post} · {date} · /daily share on lets your best answers be "
            "quoted here",
            post=post.post_id,
            date=day(locale, date.fromisoformat(post.local_date)),
        )
    )
    return embed


def status_embed(
    status: DailyStatus, *, problems: Sequence[str], locale: object = None
) -> discord.Embed:
    """`problems` are already in `locale`'s language."""
    config = status.config
    if config is None or not config.is_configured:
        return discord.Embed(
            title=tr(locale, "Daily question · not set up"),
            description=tr(
                locale,
                "No daily question is scheduled here. An admin (Manage Server) can start one "
                "with `/daily setup channel time timezone`.",
            ),
            colour=discord.Colour.light_grey(),
        )
    assert config.post_time is not None
    embed = discord.Embed(title=tr(locale, "Daily question · status"), colour=BRAND)
    embed.add_field(name=tr(locale, "Channel"), value=f"<#{config.channel_id}>")
    embed.add_field(name=tr(locale, "Time"), value=f"{config.post_time:%H:%M} {config.timezone}")
    embed.add_field(
        name=tr(locale, "State"),
        value=tr(locale, "Paused") if config.paused else tr(locale, "Active"),
    )
    embed.add_field(
        name=tr(locale, "Next post"),
        value=_timestamp(status.next_post) if status.next_post else tr(locale, "— (paused)"),
        inline=False,
    )
    embed.add_field(name=tr(locale, "Last post"), value=_last_post(status, locale), inline=False)
    embed.add_field(
        name=tr(locale, "Questions left (unposted)"),
        value=" · ".join(
            f"{round_text(r, locale)} {number(locale, n)}" for r, n in status.remaining.items()
        ),
        inline=False,
    )
    embed.add_field(
        name=tr(locale, "Rotation (Mon→Sun)"),
        value=clip(", ".join(slot.label() for slot in config.rotation), FIELD_LIMIT),
        inline=False,
    )
    if config.ping_role_id:
        embed.add_field(name=tr(locale, "Ping role"), value=f"<@&{config.ping_role_id}>")
    if problems:
        embed.add_field(name=tr(locale, "⚠ Problems"), value=_bullets(problems), inline=False)
        embed.colour = discord.Colour.orange()
    return embed


def _last_post(status: DailyStatus, locale: object) -> str:
    last = status.last_post
    if last is None:
        return tr(locale, "none yet")
    text = tr(
        locale,
        "{date}: `{question}` ({round})",
        date=day(locale, date.fromisoformat(last.local_date)),
        question=last.question_id,
        round=round_text(last.round, locale),
    )
    return text + (f" <t:{int(last.posted_at.timestamp())}:R>" if last.posted_at else "")


def tips_embed(tips: Sequence[Tip], locale: object = None) -> discord.Embed:
    """The title in `locale`; the tips themselves are content, in their pack's language."""
    embed = discord.Embed(title=tr(locale, "Study tips · Pinterest's interview loop"), colour=BRAND)
    for tip in tips[:25]:
        embed.add_field(
            name=clip(tip.title, TITLE_LIMIT), value=clip(tip.body, FIELD_LIMIT), inline=False
        )
    return embed


def _timestamp(instant: datetime) -> str:
    unix = int(instant.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"
