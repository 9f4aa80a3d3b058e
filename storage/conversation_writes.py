"""Changes to many conversations written a few statements at a time."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Update, bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history, set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from storage.models import Conversation

_TABLE = Conversation.metadata.tables[Conversation.__tablename__]
_WRITABLE = frozenset(column.key for column in _TABLE.columns) - {"id", "version"}


def write_changes(session: Session, conversations: Iterable[Conversation]) -> None:
    """Write what changed in these conversations' columns with one UPDATE for each set of changed
    columns, executed for every conversation that has that set: the ORM's flush sends a statement per
    row of a versioned table, to count each row's match on its own. Each version is still checked and
    counted up, so a conversation another transaction changed meanwhile raises StaleDataError, as the
    flush would. Conversations not yet inserted are left to the flush, and so is everything on a
    database whose driver does not count the rows an executemany matched."""
    if not session.get_bind().dialect.supports_sane_multi_rowcount:
        return
    groups: dict[tuple[str, ...], list[tuple[Conversation, dict[str, Any]]]] = {}
    for conversation in dict.fromkeys(conversations):
        state = inspect(conversation)
        if not state.persistent or not state.modified:
            continue
        changed = {key: state.dict[key] for key in _WRITABLE - state.unmodified
                   if key in state.dict and get_history(conversation, key).has_changes()}
        if changed:
            groups.setdefault(tuple(sorted(changed)), []).append((conversation, changed))
    for keys, rows in groups.items():
        result = session.connection().execute(
            _update_of(keys),
            [{"row_id": conversation.id, "row_version": conversation.version,
              **{f"new_{key}": value for key, value in changed.items()}} for conversation, changed in rows],
        )
        if result.rowcount != len(rows):
            raise StaleDataError(f"UPDATE statement on table 'conversations' expected to update {len(rows)} "
                                 f"row(s); {result.rowcount} were matched.")
        states = [inspect(conversation) for conversation, _changed in rows]
        for state in states:
            set_committed_value(state.obj(), "version", state.dict["version"] + 1)
            # Written as it stands: marked so, the session's next flush passes the row by instead of
            # looking at the history of each of its columns, and a rollback of the transaction (or of
            # a savepoint taken later) expires it, as it does a row the flush wrote.
            state._commit_all(state.dict, session.identity_map)
        session._register_altered(states)


@functools.lru_cache(maxsize=128)
def _update_of(keys: tuple[str, ...]) -> Update:
    return (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("row_id"), _TABLE.c.version == bindparam("row_version"))
        .values({**{key: bindparam(f"new_{key}", type_=_TABLE.c[key].type) for key in keys},
                 "version": _TABLE.c.version + 1})
    )
