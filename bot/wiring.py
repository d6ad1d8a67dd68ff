"""Which store, grader, clock and Discord port each service gets: the services of one bot. The
composition root (`bot.app`) opens the store and calls `build_services`."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.clock import Clock
from bot.host import Services, StudyBot
from bot.llm.base import Grader
from bot.llm.usage import Metered
from bot.scheduler import DailyScheduler
from bot.services.answers import AnswerService
from bot.services.catalog import Catalog
from bot.services.code_runs import CodeRunService
from bot.services.cooldowns import CooldownService
from bot.services.daily import DailyService
from bot.services.grading import GradingService
from bot.services.leaderboard import LeaderboardService
from bot.services.mocks.code_runs import MockCodeRuns
from bot.services.mocks.service import MockService
from bot.services.peers import PeerService
from bot.services.points import PointsService
from bot.services.practice import PracticeService
from bot.services.privacy import PrivacyService
from bot.services.questions import QuestionService
from bot.services.web import WebService
from bot.store import Store
from bot.ui.leaderboard_roles import DiscordMemberRoles
from bot.ui.mock_room import DiscordMockRoom
from bot.ui.pacer import Pacer
from bot.ui.peer_rooms import DiscordPeerRooms
from bot.ui.publisher import DiscordPublisher


def build_services(
    bot: StudyBot, store: Store, catalog: Catalog, grader: Grader, clock: Clock, pacer: Pacer
) -> Services:
    settings = bot.settings
    publisher = DiscordPublisher(bot, pacer)
    daily = DailyService(store, catalog, clock, publisher)
    grading = GradingService(store, clock)
    if isinstance(grader, Metered):
        grader.set_usage_listener(grading.record)
    points = PointsService(store, clock, DiscordMemberRoles(bot))
    code_runs = CodeRunService(store, catalog, clock)
    answers = AnswerService(store, catalog, grader, clock, publisher, grading, points, code_runs)
    # Peer notes read the session's thread: only with message content and a real AI grader.
    notes_grader = grader if settings.bot_message_content and not grader.approximate else None
    return Services(
        store=store,
        catalog=catalog,
        daily=daily,
        answers=answers,
        leaderboard=LeaderboardService(store, clock, catalog, points),
        points=points,
        practice=PracticeService(store, catalog, clock, answers),
        questions=QuestionService(store, catalog, clock),
        grading=grading,
        peers=PeerService(
            store, catalog, clock, DiscordPeerRooms(bot), grading, summary_grader=notes_grader
        ),
        mocks=MockService(
            store, catalog, grader, clock, DiscordMockRoom(bot), grading, MockCodeRuns(code_runs)
        ),
        privacy=PrivacyService(
            store,
            clock,
            ai_grading=not grader.approximate,
            retention=timedelta(days=settings.bot_guild_retention_days),
        ),
        cooldowns=CooldownService(store, clock),
        code_runs=code_runs,
        web=WebService(store, clock, settings.bot_web_base_url),
        scheduler=DailyScheduler(daily, answers, bot.shard_plan),
        clock=clock,
    )
