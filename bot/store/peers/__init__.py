"""The peer tables, one repository per use case: the queue, matching, sessions, reminders and
feedback."""

from __future__ import annotations

from bot.store.database import Database
from bot.store.peers.feedback import PeerFeedbackRepo
from bot.store.peers.matching import PeerMatchRepo
from bot.store.peers.queue import PeerQueueRepo
from bot.store.peers.session import PeerSessionRepo
from bot.store.peers.sweep import PeerNudgeRepo


class PeerRepo:
    def __init__(self, db: Database) -> None:
        self.queue = PeerQueueRepo(db)
        self.matching = PeerMatchRepo(db)
        self.sessions = PeerSessionRepo(db)
        self.nudges = PeerNudgeRepo(db)
        self.feedback = PeerFeedbackRepo(db)
