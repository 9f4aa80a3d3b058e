"""search across conversations: a full-text index of customer messages

Revision ID: 0021
Revises: 0020

PostgreSQL: a GIN expression index over to_tsvector('simple', ...) of each message's text and author,
with Hangul runs cut into character pairs by socialdesk_search_text (the rule of
storage/search_terms.py, in SQL). SQLite: an FTS5 table kept by triggers on messages; its
socialdesk_search_text is the Python function storage/db.py registers on each connection. Both are
built from the messages already stored.
"""

from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

INDEXED = "{row}text || ' ' || {row}author_name || ' ' || coalesce({row}author_handle, '')"

PG_FUNCTION = r"""
CREATE OR REPLACE FUNCTION socialdesk_search_text(body text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT regexp_replace(body, '[가-힣]+', ' ', 'g') || ' ' || coalesce((
    SELECT string_agg(
        CASE WHEN length(run[1]) < 2 THEN run[1]
             ELSE (SELECT string_agg(substr(run[1], i, 2), ' ' ORDER BY i)
                   FROM generate_series(1, length(run[1]) - 1) AS i)
        END, ' ' ORDER BY ord)
    FROM regexp_matches(body, '[가-힣]+', 'g') WITH ORDINALITY AS m(run, ord)), '')
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute("CREATE INDEX ix_messages_search ON messages USING gin "
                   f"(to_tsvector('simple'::regconfig, socialdesk_search_text({INDEXED.format(row='')})))")
        return
    new, old = INDEXED.format(row="new."), INDEXED.format(row="old.")
    insert_new = f"INSERT INTO message_search(rowid, body) VALUES (new.id, socialdesk_search_text({new}));"
    delete_old = (f"INSERT INTO message_search(message_search, rowid, body) "
                  f"VALUES ('delete', old.id, socialdesk_search_text({old}));")
    op.execute("CREATE VIRTUAL TABLE message_search USING fts5(body, content='', columnsize=0, "
               "tokenize='unicode61 remove_diacritics 2')")
    op.execute(f"CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN {delete_old} END")
    op.execute("CREATE TRIGGER message_search_update AFTER UPDATE OF text, author_name, author_handle ON messages "
               f"BEGIN {delete_old} {insert_new} END")
    op.execute(f"INSERT INTO message_search(rowid, body) "
               f"SELECT id, socialdesk_search_text({INDEXED.format(row='')}) FROM messages")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_messages_search")
        op.execute("DROP FUNCTION socialdesk_search_text(text)")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER message_search_{trigger}")
    op.execute("DROP TABLE message_search")
