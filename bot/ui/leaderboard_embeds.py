"""Pure render functions for leaderboards, rank summaries and practice offers."""

from __future__ import annotations

import discord

from bot.domain.progress import ThemeTrend
from bot.i18n.messages import ntr
from bot.services.leaderboard import BoardPage, RankProfile, ViewerRank
from bot.services.practice import PracticeOffer
from bot.ui.embeds import BRAND, DESCRIPTION_LIMIT, clip, question_embed, round_label
from bot.ui.plural import points

BOARD_TITLE = "Leaderboard"
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
# A theme's average moving by this much between the earlier and the later half is a trend.
TREND_STEP = 0.3


def _scope(round_name: str | None) -> str:
    return round_label(round_name) if round_name else "all rounds"


def _points_kind(board: BoardPage) -> str:
    """A round-filtered board says which round: the member may have points in others."""
    return f"{round_label(board.round_name)} points" if board.round_name else "points"


def _viewer_line(viewer: ViewerRank, board: BoardPage) -> str:
    who = f"<@{viewer.user_id}>"
    if viewer.hidden:
        return f"{who}: hidden from leaderboards (`/privacy show` to appear again)."
    if viewer.rank is None:
        return f"{who}: no {_points_kind(board)} {board.label} yet."
    return f"{who}: `#{viewer.rank}` — **{points(viewer.points)}**"


def leaderboard_embed(board: BoardPage) -> discord.Embed:
    embed = discord.Embed(
        title=f"{BOARD_TITLE} · {board.label} · {_scope(board.round_name)}", colour=BRAND
    )
    lines = [
        f"`#{row.rank}` {MEDALS.get(row.rank, '▫️')} <@{row.user_id}> — **{points(row.points)}**"
        for row in board.rows
    ]
    if not lines:
        lines = (
            [f"No {_points_kind(board)} {board.label} yet. Answer questions to get on the board."]
            if board.page == 0
            else ["No more members on this board."]
        )
    if not board.viewer_on_page:
        lines += ["", _viewer_line(board.viewer, board)]
    embed.description = clip("\n".join(lines), DESCRIPTION_LIMIT)
    embed.set_footer(text=f"Page {board.page + 1} · ties share a rank")
    return embed


def _trend_word(trend: ThemeTrend) -> str:
    if trend.change >= TREND_STEP:
        return ", improving"
    if trend.change <= -TREND_STEP:
        return ", slipping"
    return ""


def weakest_text(trends: list[ThemeTrend], count: int = 2) -> str:
    """'capacity estimates (2.1/5, improving); STAR results (2.4/5)'"""
    return "; ".join(f"{t.theme} ({t.average:.1f}/5{_trend_word(t)})" for t in trends[:count])


def rank_summary(profile: RankProfile, *, own: bool) -> str:
    """The text beside the rank card. Grades and weak spots come only when the profile carries
    them (the member's own, or shared)."""
    rank = f"#{profile.rank}" if profile.rank else ("hidden" if profile.hidden else "unranked")
    week_rank = f" (#{profile.week_rank})" if profile.week_rank else ""
    streak = profile.streak
    lines = [
        f"**{points(profile.total)}** all time ({rank}) · **{points(profile.week_points)}** this "
        f"week{week_rank}",
        f"Streak: **{streak.current} day{'s' if streak.current != 1 else ''}** "
        f"(best {streak.best})"
        + ("" if streak.counted_today or not streak.current else " · not yet today")
        + (
            f" · {streak.freezes_left_this_week} freeze"
            f"{'s' if streak.freezes_left_this_week != 1 else ''} left this week"
            if own
            else ""
        ),
    ]
    if not profile.details:
        lines.append(
            "Grades, weakest themes and chart: kept to themself (each member chooses on their "
            "own `/rank`)."
        )
    elif profile.round_averages:
        averages = " · ".join(
            f"{round_label(name)} {value:.1f}/5"
            for name, value in sorted(profile.round_averages.items())
        )
        answers = ntr(None, "{n} answer", "{n} answers", len(profile.answers))
        lines.append(f"Average grade over {answers}: {averages}")
    else:
        lines.append("No graded answers yet.")
    if profile.trends:
        lines.append(f"Weakest: {weakest_text(profile.trends)}")
    if own and profile.trends:
        lines.append("`/practice` hands you a question aimed at them.")
    if own:
        lines.append(
            "Other members also see your grades, weakest themes and chart (your choice)."
            if profile.shared
            else "Other members see only your points, rank and streak."
        )
    if profile.hidden:
        lines.append("_You are hidden from leaderboards; only you see this._")
    return clip("\n".join(lines), DESCRIPTION_LIMIT)


def rank_embed(
    profile: RankProfile, *, own: bool, card: str, chart: str | None
) -> list[discord.Embed]:
    """The summary with the card image; the progress chart as a second embed when asked."""
    embed = discord.Embed(
        title=clip(f"Rank · {profile.name}", 256),
        description=rank_summary(profile, own=own),
        colour=BRAND,
    )
    embed.set_image(url=f"attachment://{card}")
    embeds = [embed]
    if chart is not None:
        progress = discord.Embed(title="Grades over time, per round", colour=BRAND)
        progress.set_image(url=f"attachment://{chart}")
        embeds.append(progress)
    return embeds


def practice_embed(offer: PracticeOffer) -> discord.Embed:
    embed = question_embed(offer.question, heading="Practice")
    if offer.aims_at:
        aimed = f"Your weak spots: {', '.join(offer.aims_at)}"
    elif offer.weakest:
        aimed = (
            f"Nothing unanswered here exercises your weakest themes "
            f"({weakest_text(list(offer.weakest))}); this is the next best question."
        )
    else:
        aimed = (
            "Nothing yet: once a few of your answers are graded, practice aims at your weakest "
            "rubric themes."
        )
    embed.add_field(name="Aimed at", value=clip(aimed, 1024), inline=False)
    embed.add_field(
        name="How to answer",
        value="Press **Answer** to reply privately; it is graded like a daily answer and earns "
        "points from half marks up. Only you see this.",
        inline=False,
    )
    return embed
