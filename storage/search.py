"""Search across conversations: by what customers wrote, who wrote it, a tag or a reference.

Messages are indexed by the database itself, so nothing that stores a message has to remember the
index: on PostgreSQL a GIN expression index over ``to_tsvector('simple', ...)``, on SQLite an FTS5
table kept by triggers (migration 0021). Both index the text as ``storage.search_terms`` cuts it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, literal_column, select, text, union
from sqlalchemy.orm import Session

from storage.models import Conversation, ConversationTag, Message
from storage.query_results import Found
from storage.search_terms import REFERENCE, fts5_term, search_text, tsquery_term

FTS_TABLE = "message_search"
"""The SQLite FTS5 table (and, with a suffix, its shadow tables), which the models do not describe."""
SQL_FUNCTION = "socialdesk_search_text"
INDEXED = "text || ' ' || author_name || ' ' || coalesce(author_handle, '')"
"""What of a message is indexed, as SQL over its columns (the same in both databases)."""
PG_VECTOR = f"to_tsvector('simple'::regconfig, {SQL_FUNCTION}({INDEXED}))"
SNIPPET_MESSAGES = 30
"""How many of a found conversation's newest messages are looked through for the words shown."""


class SearchPage(NamedTuple):
    found: list[Found]
    total: int
    texts: dict[int, list[str]]
    """For each found conversation, its newest messages' texts (newest first), to show the match."""


PG_INDEX = "ix_messages_search"


def not_in_models(name: str | None, type_: str, _parent: Any) -> bool:
    """For schema comparison: everything but the search index (FTS5 tables, a GIN expression index),
    which the models cannot describe."""
    if type_ == "index":
        return name != PG_INDEX
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def register_sqlite_function(dbapi_connection: Any) -> None:
    dbapi_connection.create_function(SQL_FUNCTION, 1, search_text, deterministic=True)


def search(session: Session, words: list[str], brand_ids: list[str], limit: int) -> SearchPage:
    """Conversations of the brands in which every word is found (in a message, the author, a tag or
    the reference), the latest customer message first; ``total`` counts them all."""
    if not words or not brand_ids:
        return SearchPage([], 0, {})
    query: Select[Any] = select(*(getattr(Conversation, name) for name in Found._fields),
                                func.count().over().label("total"))
    query = query.where(Conversation.brand_id.in_(brand_ids))
    for index, word in enumerate(words):
        query = query.where(Conversation.id.in_(_conversations_with(session, word, index)))
    query = query.order_by(Conversation.last_customer_message_at.desc(), Conversation.id.desc()).limit(limit)
    rows = session.execute(query).all()
    found = [Found(*row[:-1]) for row in rows]
    total = rows[0][-1] if rows else 0
    return SearchPage(found, total, _newest_texts(session, [f.id for f in found]))


def _conversations_with(session: Session, word: str, index: int) -> Any:
    """The ids of conversations with the word in a message, a tag or the reference."""
    in_messages = select(Message.conversation_id).where(_message_matches(session, word, index))
    tagged = select(ConversationTag.conversation_id).where(ConversationTag.tag == word)
    if REFERENCE.fullmatch(word):
        return union(in_messages, tagged, select(Conversation.id).where(Conversation.ref == word.upper()))
    return union(in_messages, tagged)


def _message_matches(session: Session, word: str, index: int) -> Any:
    name = f"search_word_{index}"
    if session.get_bind().dialect.name == "postgresql":
        return text(f"{PG_VECTOR} @@ to_tsquery('simple', :{name})").bindparams(
            bindparam(name, tsquery_term(word)))
    return Message.id.in_(
        select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(
            text(f"{FTS_TABLE} MATCH :{name}").bindparams(bindparam(name, fts5_term(word))))
    )


def _newest_texts(session: Session, conversation_ids: list[int]) -> dict[int, list[str]]:
    if not conversation_ids:
        return {}
    ranked = select(
        Message.conversation_id, Message.text,
        func.row_number().over(partition_by=Message.conversation_id, order_by=Message.id.desc()).label("n"),
    ).where(Message.conversation_id.in_(conversation_ids)).subquery()
    rows = session.execute(
        select(ranked.c.conversation_id, ranked.c.text).where(ranked.c.n <= SNIPPET_MESSAGES).order_by(ranked.c.n)
    )
    texts: dict[int, list[str]] = {conversation_id: [] for conversation_id in conversation_ids}
    for conversation_id, body in rows:
        texts[conversation_id].append(body)
    return texts


