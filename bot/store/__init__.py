"""All SQL lives here: the database (SQLite or PostgreSQL), migrations and one repository per
area."""

from bot.store.database import Database, DatabaseTooNew
from bot.store.store import Store

__all__ = ["Database", "DatabaseTooNew", "Store"]
