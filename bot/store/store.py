from __future__ import annotations

from pathlib import Path

from bot.store.admissions import AdmissionRepo
from bot.store.answers import AnswerRepo
from bot.store.cooldowns import CooldownRepo
from bot.store.database import Database
from bot.store.guilds import GuildRepo
from bot.store.meta import MetaRepo
from bot.store.mocks import MockRepo
from bot.store.peers import PeerRepo
from bot.store.points import MemberRepo, PointsRepo
from bot.store.postgres import PostgresDatabase, is_postgres_url
from bot.store.posts import PostRepo
from bot.store.privacy import PrivacyRepo
from bot.store.progress import ProgressRepo
from bot.store.questions import QuestionRepo
from bot.store.sqlite import SqliteDatabase
from bot.store.usage import UsageRepo
from bot.store.web import WebRepo


def database_at(location: Path | str | Database) -> Database:
    """A `postgresql://` URL, a SQLite file path, or a database already made (tests)."""
    if isinstance(location, Database):
        return location
    if isinstance(location, str) and is_postgres_url(location):
        return PostgresDatabase(location)
    return SqliteDatabase(Path(location))


class Store:
    """The database and its repositories, opened and migrated together."""

    def __init__(self, location: Path | str | Database) -> None:
        self.db = database_at(location)
        self.meta = MetaRepo(self.db)
        self.guilds = GuildRepo(self.db)
        self.posts = PostRepo(self.db)
        self.answers = AnswerRepo(self.db)
        self.points = PointsRepo(self.db)
        self.members = MemberRepo(self.db)
        self.progress = ProgressRepo(self.db)
        self.questions = QuestionRepo(self.db)
        self.mocks = MockRepo(self.db)
        self.usage = UsageRepo(self.db)
        self.admissions = AdmissionRepo(self.db)
        self.peers = PeerRepo(self.db)
        self.privacy = PrivacyRepo(self.db)
        self.cooldowns = CooldownRepo(self.db)
        self.web = WebRepo(self.db)

    async def open(self) -> list[int]:
        """Open and migrate; returns the migrations applied now."""
        await self.db.open()
        try:
            applied = await self.db.migrate()
        except BaseException:
            await self.db.close()
            raise
        await self.db.start_background()
        return applied

    async def close(self) -> None:
        await self.db.close()
