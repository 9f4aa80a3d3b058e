"""Where the database stands, without changing it: reachable? migrations pending? Never creates a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from storage.db import DEFAULT_DATABASE_URL, MIGRATIONS, DatabaseError, make_engine


@dataclass(frozen=True)
class DatabaseStatus:
    ok: bool
    summary: str
    fix: str = ""


def database_status(url: str) -> DatabaseStatus:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return DatabaseStatus(False, f"DATABASE_URL: {url!r} is not a database URL", f"e.g. {DEFAULT_DATABASE_URL}")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_file():
            # Opening it would create it: say so instead.
            if not path.parent.is_dir():
                return DatabaseStatus(False, f"database: the folder {path.parent} does not exist",
                                      "create it, or point DATABASE_URL elsewhere")
            return DatabaseStatus(True, f"database: {path} does not exist yet; `socialdesk serve` "
                                        "(or `socialdesk migrate`) creates it")
    try:
        engine = make_engine(url)
    except DatabaseError as error:
        return DatabaseStatus(False, str(error))
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return DatabaseStatus(False, f"DATABASE_URL: cannot open the database ({reason})",
                              "check that it is running and reachable, and the user and password")
    finally:
        engine.dispose()
    scripts = ScriptDirectory(str(MIGRATIONS))
    pending = [revision.revision for revision in scripts.walk_revisions()
               if not current or not _applied(scripts, revision.revision, current)]
    where = parsed.render_as_string(hide_password=True)
    if not pending:
        return DatabaseStatus(True, f"database: {where} is up to date")
    return DatabaseStatus(True, f"database: {where} has {len(pending)} migration(s) pending; `socialdesk serve` "
                                "applies them at start (or run `socialdesk migrate`)")


def _applied(scripts: ScriptDirectory, revision: str, current: set[str]) -> bool:
    """Whether ``revision`` is one of the current heads or below one of them."""
    return any(revision == head or revision in {r.revision for r in scripts.iterate_revisions(head, "base")}
               for head in current)
