"""Every persistent component: the one list of dynamic items the bot registers at start, so that
buttons sent before a restart keep working and no prefix is forgotten."""

from __future__ import annotations

from bot.ui.code_run_views import CODE_RUN_DYNAMIC_ITEMS
from bot.ui.daily_views import DAILY_DYNAMIC_ITEMS
from bot.ui.leaderboard_views import LEADERBOARD_DYNAMIC_ITEMS
from bot.ui.mock_views import MOCK_DYNAMIC_ITEMS
from bot.ui.peer_views import PEER_DYNAMIC_ITEMS
from bot.ui.practice_views import PRACTICE_DYNAMIC_ITEMS
from bot.ui.privacy_views import PRIVACY_DYNAMIC_ITEMS
from bot.ui.question_list import QUESTION_LIST_DYNAMIC_ITEMS
from bot.ui.rank_views import RANK_DYNAMIC_ITEMS

PERSISTENT_ITEMS = (
    *DAILY_DYNAMIC_ITEMS,
    *LEADERBOARD_DYNAMIC_ITEMS,
    *PEER_DYNAMIC_ITEMS,
    *MOCK_DYNAMIC_ITEMS,
    *PRACTICE_DYNAMIC_ITEMS,
    *PRIVACY_DYNAMIC_ITEMS,
    *QUESTION_LIST_DYNAMIC_ITEMS,
    *RANK_DYNAMIC_ITEMS,
    *CODE_RUN_DYNAMIC_ITEMS,
)
