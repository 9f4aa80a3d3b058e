"""What operating the bot asks of the database: the outbox backlog, whether the schema is current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import OutboxJob, is_pending


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest_created_at: datetime | None


def outbox_backlog(session: Session) -> Backlog:
    """How many outbox jobs are waiting and when the oldest of them was queued (one index scan)."""
    row = session.execute(
        select(func.count(), func.min(OutboxJob.created_at)).where(is_pending())
    ).one()
    return Backlog(int(row[0]), row[1])


def head_revision(migrations: str) -> str | None:
    config = AlembicConfig()
    config.set_main_option("script_location", migrations)
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(session: Session) -> str | None:
    """The schema's Alembic revision, None when the database has never been migrated."""
    return MigrationContext.configure(session.connection()).get_current_revision()
