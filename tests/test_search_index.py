"""The search index: built from the messages already stored when migration 0021 runs, and kept
right by the database when a message is stored, changed or removed."""

from __future__ import annotations

from dataclasses import replace

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import delete, update

from storage.db import MIGRATIONS
from storage.models import Message
from tests.support.desk import inbound, make_desk

ACTOR = "U0ALICE01"


def refs(desk, words: str) -> set[str]:
    return {found.ref for found in desk.search(ACTOR, words).found}


def _alembic(connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def test_the_migration_indexes_the_messages_already_stored(database_url):
    desk = make_desk(database_url)
    desk.ingest(replace(inbound("m1"), text="환불해주세요, 제품이 깨졌어요"))
    desk.ingest(replace(inbound("m2"), text="Where is my parcel?"))
    before = ScriptDirectory.from_config(_alembic(None)).get_revision("0021").down_revision
    with desk.db.engine.begin() as connection:
        command.downgrade(_alembic(connection), str(before))
    with desk.db.engine.begin() as connection:
        command.upgrade(_alembic(connection), "head")

    assert refs(desk, "환불") == {"ACME-1"}
    assert refs(desk, "깨졌") == {"ACME-1"}
    assert refs(desk, "parcel") == {"ACME-2"}


def test_a_changed_or_removed_message_is_found_by_what_it_says_now(database_url):
    desk = make_desk(database_url)
    desk.ingest(replace(inbound("m1"), text="The box arrived crushed"))
    desk.ingest(replace(inbound("m2", "m1"), text="배송이 늦어요"))
    with desk.db.transaction() as session:
        session.execute(update(Message).where(Message.external_id == "m1").values(text="All fine now, thanks"))
        session.execute(delete(Message).where(Message.external_id == "m2"))

    assert refs(desk, "crushed") == set() and refs(desk, "배송") == set()
    assert refs(desk, "thanks") == {"ACME-1"}
