"""Database engine, sessions and the declarative base shared by every domain's tables."""

from shopcopilot.storage.base import Base
from shopcopilot.storage.db import Database, create_database

__all__ = ["Base", "Database", "create_database"]
