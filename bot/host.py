"""What cogs and ui know of the running bot: its settings, shard plan and services.

`StudyBot` sits below cogs and ui and above the services, so that they can be typed against the bot
without importing the composition root (`bot.app`, which imports them): no import circle.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any

import discord
from discord.ext import commands

from bot.domain.clock import Clock
from bot.scheduler import DailyScheduler
from bot.services.answers import AnswerService
from bot.services.catalog import Catalog
from bot.services.code_runs import CodeRunService
from bot.services.cooldowns import CooldownService
from bot.services.daily import DailyService
from bot.services.grading import GradingService
from bot.services.leaderboard import LeaderboardService
from bot.services.mocks.service import MockService
from bot.services.peers import PeerService
from bot.services.points import PointsService
from bot.services.practice import PracticeService
from bot.services.privacy import PrivacyService
from bot.services.questions import QuestionService
from bot.services.web import WebService
from bot.settings import Settings
from bot.sharding import ShardPlan
from bot.store import Store
from bot.throttle import Throttle


@dataclass
class Services:
    store: Store
    catalog: Catalog
    daily: DailyService
    answers: AnswerService
    leaderboard: LeaderboardService
    points: PointsService
    practice: PracticeService
    questions: QuestionService
    grading: GradingService
    peers: PeerService
    mocks: MockService
    privacy: PrivacyService
    cooldowns: CooldownService
    code_runs: CodeRunService
    web: WebService
    scheduler: DailyScheduler
    clock: Clock


class StudyBot(commands.Bot):
    """The bot as cogs and ui see it; `bot.app.InterviewBot` is the one implementation."""

    settings: Settings
    shard_plan: ShardPlan
    throttle: Throttle

    @property
    @abstractmethod
    def services(self) -> Services: ...


def bot_of(interaction: discord.Interaction[Any]) -> StudyBot:
    """The bot behind an interaction; every interaction this process sees comes to a StudyBot."""
    client = interaction.client
    if not isinstance(client, StudyBot):
        raise TypeError(f"interaction for {type(client).__name__}, not the study bot")
    return client
