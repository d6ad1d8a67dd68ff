"""Pure render functions for leaderboards, rank summaries and practice offers, in the language
they are given (`locale`): the server's for a board posted in a channel, the member's for what
only they see."""

from __future__ import annotations

import discord

from bot.domain.progress import ThemeTrend
from bot.i18n.messages import N_, decimal, ntr, tr
from bot.services.leaderboard import BoardPage, RankProfile, ViewerRank
from bot.services.practice import PracticeOffer
from bot.ui.embeds import BRAND, DESCRIPTION_LIMIT, clip, question_embed, round_text
from bot.ui.periods import period_text
from bot.ui.plural import points

BOARD_TITLE = N_("Leaderboard")
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
# A theme's average moving by this much between the earlier and the later half is a trend.
TREND_STEP = 0.3


def _scope(round_name: str | None, locale: object) -> str:
    return round_text(round_name, locale) if round_name else tr(locale, "all rounds")


def _nothing_yet(board: BoardPage, locale: object) -> str:
    """A round-filtered board says which round: the member may have points in others."""
    period = period_text(board, locale)
    if board.round_name:
        return tr(
            locale,
            "no {round} points {period} yet",
            round=round_text(board.round_name, locale),
            period=period,
        )
    return tr(locale, "no points {period} yet", period=period)


def _empty_board(board: BoardPage, locale: object) -> str:
    period = period_text(board, locale)
    if board.round_name:
        return tr(
            locale,
            "No {round} points {period} yet. Answer questions to get on the board.",
            round=round_text(board.round_name, locale),
            period=period,
        )
    return tr(
        locale, "No points {period} yet. Answer questions to get on the board.", period=period
    )


def _viewer_line(viewer: ViewerRank, board: BoardPage, locale: object) -> str:
    who = f"<@{viewer.user_id}>"
    if viewer.hidden:
        return tr(
            locale,
            "{member}: hidden from leaderboards (`/privacy show` to appear again).",
            member=who,
        )
    if viewer.rank is None:
        return f"{who}: {_nothing_yet(board, locale)}."
    return f"{who}: `#{viewer.rank}` — **{points(viewer.points, locale)}**"


def leaderboard_embed(board: BoardPage, locale: object = None) -> discord.Embed:
    title = f"{tr(locale, BOARD_TITLE)} · {period_text(board, locale)} · "
    embed = discord.Embed(title=title + _scope(board.round_name, locale), colour=BRAND)
    lines = [
        f"`#{row.rank}` {MEDALS.get(row.rank, '▫️')} <@{row.user_id}> — "
        f"**{points(row.points, locale)}**"
        for row in board.rows
    ]
    if not lines:
        lines = (
            [_empty_board(board, locale)]
            if board.page == 0
            else [tr(locale, "No more members on this board.")]
        )
    if not board.viewer_on_page:
        lines += ["", _viewer_line(board.viewer, board, locale)]
    embed.description = clip("\n".join(lines), DESCRIPTION_LIMIT)
    embed.set_footer(text=tr(locale, "Page {page} · ties share a rank", page=board.page + 1))
    return embed


def _trend_word(trend: ThemeTrend, locale: object) -> str:
    if trend.change >= TREND_STEP:
        return tr(locale, ", improving")
    if trend.change <= -TREND_STEP:
        return tr(locale, ", slipping")
    return ""


def weakest_text(trends: list[ThemeTrend], count: int = 2, locale: object = None) -> str:
    """'capacity estimates (2.1/5, improving); STAR results (2.4/5)'"""
    return "; ".join(
        f"{t.theme} ({decimal(locale, t.average)}/5{_trend_word(t, locale)})"
        for t in trends[:count]
    )


def _standing(profile: RankProfile, locale: object) -> str:
    if profile.rank:
        rank = f"#{profile.rank}"
    else:
        rank = tr(locale, "hidden") if profile.hidden else tr(locale, "unranked")
    week_rank = f" (#{profile.week_rank})" if profile.week_rank else ""
    return tr(
        locale,
        "**{total}** all time ({rank}) · **{week}** this week{week_rank}",
        total=points(profile.total, locale),
        rank=rank,
        week=points(profile.week_points, locale),
        week_rank=week_rank,
    )


def _streak(profile: RankProfile, own: bool, locale: object) -> str:
    streak = profile.streak
    text = tr(
        locale,
        "Streak: **{days}** (best {best})",
        days=ntr(locale, "{n} day", "{n} days", streak.current),
        best=streak.best,
    )
    if not streak.counted_today and streak.current:
        text += tr(locale, " · not yet today")
    if own:
        left = streak.freezes_left_this_week
        text += " · " + ntr(locale, "{n} freeze left this week", "{n} freezes left this week", left)
    return text


def _grades(profile: RankProfile, locale: object) -> str:
    if not profile.details:
        return tr(
            locale,
            "Grades, weakest themes and chart: kept to themself (each member chooses on their "
            "own `/rank`).",
        )
    if not profile.round_averages:
        return tr(locale, "No graded answers yet.")
    averages = " · ".join(
        f"{round_text(name, locale)} {decimal(locale, value)}/5"
        for name, value in sorted(profile.round_averages.items())
    )
    answers = ntr(locale, "{n} answer", "{n} answers", len(profile.answers))
    return tr(
        locale, "Average grade over {answers}: {averages}", answers=answers, averages=averages
    )


def rank_summary(profile: RankProfile, *, own: bool, locale: object = None) -> str:
    """The text beside the rank card. Grades and weak spots come only when the profile carries
    them (the member's own, or shared)."""
    lines = [_standing(profile, locale), _streak(profile, own, locale), _grades(profile, locale)]
    if profile.trends:
        weakest = weakest_text(profile.trends, locale=locale)
        lines.append(tr(locale, "Weakest: {themes}", themes=weakest))
    if own and profile.trends:
        lines.append(tr(locale, "`/practice` hands you a question aimed at them."))
    if own:
        lines.append(
            tr(
                locale,
                "Other members also see your grades, weakest themes and chart (your choice).",
            )
            if profile.shared
            else tr(locale, "Other members see only your points, rank and streak.")
        )
    if profile.hidden:
        lines.append(tr(locale, "_You are hidden from leaderboards; only you see this._"))
    return clip("\n".join(lines), DESCRIPTION_LIMIT)


def rank_embed(
    profile: RankProfile, *, own: bool, card: str, chart: str | None, locale: object = None
) -> list[discord.Embed]:
    """The summary with the card image; the progress chart as a second embed when asked."""
    embed = discord.Embed(
        title=clip(tr(locale, "Rank · {name}", name=profile.name), 256),
        description=rank_summary(profile, own=own, locale=locale),
        colour=BRAND,
    )
    embed.set_image(url=f"attachment://{card}")
    embeds = [embed]
    if chart is not None:
        progress = discord.Embed(title=tr(locale, "Grades over time, per round"), colour=BRAND)
        progress.set_image(url=f"attachment://{chart}")
        embeds.append(progress)
    return embeds


def practice_embed(offer: PracticeOffer, locale: object = None) -> discord.Embed:
    embed = question_embed(offer.question, heading=tr(locale, "Practice"), locale=locale)
    if offer.aims_at:
        aimed = tr(locale, "Your weak spots: {themes}", themes=", ".join(offer.aims_at))
    elif offer.weakest:
        aimed = tr(
            locale,
            "Nothing unanswered here exercises your weakest themes ({themes}); this is the next "
            "best question.",
            themes=weakest_text(list(offer.weakest), locale=locale),
        )
    else:
        aimed = tr(
            locale,
            "Nothing yet: once a few of your answers are graded, practice aims at your weakest "
            "rubric themes.",
        )
    embed.add_field(name=tr(locale, "Aimed at"), value=clip(aimed, 1024), inline=False)
    embed.add_field(
        name=tr(locale, "How to answer"),
        value=tr(
            locale,
            "Press **Answer** to reply privately; it is graded like a daily answer and earns "
            "points from half marks up. Only you see this.",
        ),
        inline=False,
    )
    return embed
