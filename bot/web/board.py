"""`/g/<guild_id>`: a server's public board, when its admins turned it on (`/web public on`)."""

from __future__ import annotations

from aiohttp import web

from bot.content.schema import ROUNDS
from bot.domain.errors import UserError
from bot.domain.progress import Period
from bot.i18n.messages import N_, tr
from bot.ui.periods import period_text
from bot.web.keys import LEADERBOARD, STORE
from bot.web.language import request_locale
from bot.web.pages import not_found, refusal, render

PERIODS: dict[str, Period] = {"week": "week", "month": "month", "all": "all"}
# The board is read by anyone: it never names a viewer (0 is nobody's id).
NOBODY = 0


def _guild_id(request: web.Request) -> int | None:
    """A snowflake: a positive 64-bit integer (anything else names no server)."""
    text = request.match_info["guild_id"]
    if not text.isdigit() or len(text) > 20:
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None


async def board(request: web.Request) -> web.Response:
    store = request.app[STORE]
    leaderboard = request.app[LEADERBOARD]
    guild_id = _guild_id(request)
    settings = await store.web.get(guild_id) if guild_id is not None else None
    if guild_id is None or settings is None or not settings.public:
        return not_found(request, N_("No public board here: its server has not turned it on."))
    period = PERIODS.get(request.query.get("period", "week"), "week")
    round_name = request.query.get("round") or None
    if round_name is not None and round_name not in ROUNDS:
        round_name = None
    season = request.query.get("season") or None
    locale = request_locale(request)
    try:
        page = await leaderboard.board(guild_id, NOBODY, period, round_name, season)
    except UserError as exc:
        return render(
            request,
            "error.html",
            status=400,
            title=tr(locale, "Bad request"),
            message=refusal(locale, exc),
        )
    # i18n: a server whose name the bot does not know; {id} is its Discord id.
    name = settings.guild_name or tr(locale, "Server {id}", id=guild_id)
    period_name = period_text(page, locale)
    return render(
        request,
        "board.html",
        # i18n: the page title of a server's public board; {server} is the server's name.
        title=tr(locale, "{server}: leaderboard", server=name),
        caption=period_name[:1].upper() + period_name[1:],
        guild_id=guild_id,
        guild_name=name,
        page=page,
        period=period,
        round_name=round_name,
        season=season,
    )
