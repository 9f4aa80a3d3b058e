"""The schema, its migrations and the desk's storage guarantees, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.config import Config as AlembicConfig
import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from bot.clock import ManualClock
from bot.demo.standins.common import wait_for
from bot.domain.desk import IngestResult
from bot.domain.intake import Intake
from bot.domain.outcomes import ActionRefused
from bot.domain.ledger import RequestLedger
from storage import jobs
from storage.conversation_writes import write_changes
from storage.db import MIGRATIONS, Database
from storage.models import Base, Conversation, Message, OutboxJob
from storage.search import not_in_models
from tests.support.desk import inbound, make_desk


def test_migrations_create_exactly_the_models_schema(database_url):
    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": not_in_models})
        assert compare_metadata(context, Base.metadata) == []
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        assert context.get_current_revision() == head


def test_migrating_twice_changes_nothing(database_url):
    Database(database_url).migrate()
    Database(database_url).migrate()


def test_datetimes_come_back_aware_utc(database_url):
    desk = make_desk(database_url)
    result = desk.ingest(inbound("m1"))
    conversation = desk.get(result.conversation_id)
    assert conversation.created_at == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert conversation.response_due_at == datetime(2026, 11, 23, 9, tzinfo=UTC)  # 08:00 + 1h default


def test_the_head_of_a_conversation_is_what_its_whole_row_says_and_a_missing_one_is_refused_alike(database_url):
    desk = make_desk(database_url)
    result = desk.ingest(inbound("m1"))
    whole, head = desk.get(result.conversation_id), desk.head(result.conversation_id)
    assert head == (whole.id, whole.ref, whole.brand_id, whole.assignee_slack_id)
    for read in (desk.get, desk.head):
        with pytest.raises(ActionRefused, match="Conversation 999 no longer exists"):
            read(999)


def test_concurrent_deliveries_of_one_message_store_it_once(database_url):
    desk = make_desk(database_url)
    results = []
    barrier = threading.Barrier(6)

    def deliver() -> None:
        barrier.wait()
        results.append(desk.ingest(inbound("same", "conversation-1")))

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(result.duplicate for result in results) == [False] + [True] * 5
    with desk.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 1


def test_concurrent_new_conversations_get_distinct_numbers(database_url):
    desk = make_desk(database_url)
    refs: list[str] = []
    barrier = threading.Barrier(8)

    def deliver(index: int) -> None:
        barrier.wait()
        refs.append(desk.ingest(inbound(f"m{index}")).ref)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(refs, key=lambda ref: int(ref.split("-")[1])) == [f"ACME-{n}" for n in range(1, 9)]


def test_batches_opening_conversations_of_two_brands_at_once_number_each_brand_without_gaps(database_url):
    desk = make_desk(database_url)
    desk.ingest(inbound("h0", "H0", source="haneul-hook"))  # one brand has its counter row, the other not yet
    barrier = threading.Barrier(4)
    refs: list[str] = []

    def deliver(worker: int) -> None:
        barrier.wait()
        for round_ in range(5):
            acme = [inbound(f"a{worker}-{round_}-{n}", f"A{worker}-{round_}-{n}") for n in range(2)]
            haneul = [inbound(f"h{worker}-{round_}", f"H{worker}-{round_}", source="haneul-hook")]
            batch = haneul + acme if worker % 2 else acme + haneul  # the brands in either order
            refs.extend(result.ref for result in desk.ingest_many(batch))

    threads = [threading.Thread(target=deliver, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def numbers(prefix: str) -> list[int]:
        return sorted(int(ref.split("-")[1]) for ref in refs if ref.startswith(prefix + "-"))

    assert numbers("ACME") == list(range(1, 41))
    assert numbers("HNL") == list(range(2, 22))


def test_a_batch_is_stored_as_if_its_messages_came_one_by_one(database_url):
    desk = make_desk(database_url)
    desk.ingest(inbound("old-1", "old"))
    batch = [
        inbound("a1", "A"),
        inbound("a2", "A"),                                   # joins the conversation opened just before
        inbound("a1", "A"),                                   # a repeat within the batch
        inbound("old-1", "old"),                              # a repeat of a message stored before
        inbound("old-2", "old"),                              # a follow-up to a stored conversation
        inbound("h1", "H", source="haneul-hook"),             # another brand, numbered on its own
        inbound("b1", "B"),
        replace(inbound("c1", "C"), in_reply_to="a2"),        # answers a message of this batch
    ]

    results = desk.ingest_many(batch)

    assert [(result.ref, result.created, result.duplicate) for result in results] == [
        ("ACME-2", True, False), ("ACME-2", False, False), ("ACME-2", False, True), ("ACME-1", False, True),
        ("ACME-1", False, False), ("HNL-1", True, False), ("ACME-3", True, False), ("ACME-2", False, False),
    ]
    with desk.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 7
        jobs = session.execute(select(OutboxJob.kind, Conversation.ref).join(
            Conversation, Conversation.id == OutboxJob.conversation_id).order_by(OutboxJob.id)).all()
    assert [tuple(job) for job in jobs] == [
        ("post_parent", "ACME-1"),
        ("post_parent", "ACME-2"),
        ("post_message", "ACME-2"), ("update_parent", "ACME-2"),
        ("post_message", "ACME-1"), ("update_parent", "ACME-1"),
        ("post_parent", "HNL-1"),
        ("post_parent", "ACME-3"),
        ("post_message", "ACME-2"), ("update_parent", "ACME-2"),
    ]
    assert desk.ingest_many([inbound("a2", "A"), inbound("b2", "B")])[0].duplicate


def test_changes_to_many_conversations_go_in_one_update_per_set_of_columns_with_their_versions_counted(database_url):
    desk = make_desk(database_url)
    ids = [desk.ingest(inbound(f"{name}1", name)).conversation_id for name in "ABC"]
    with desk.db.transaction() as session:
        before = session.execute(select(Conversation.priority, Conversation.version).order_by(Conversation.id)).all()
    statements: list[str] = []
    event.listen(desk.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with desk.db.transaction() as session:
        conversations = list(session.scalars(select(Conversation).order_by(Conversation.id)))
        for conversation in conversations:
            conversation.sentiment = "negative"
        conversations[0].priority = "urgent"
        conversations[2].status = conversations[2].status  # set, but not changed
        write_changes(session, conversations)

    assert len([statement for statement in statements if statement.startswith("UPDATE")]) == 2
    with desk.db.transaction() as session:
        rows = session.execute(select(Conversation.id, Conversation.sentiment, Conversation.priority,
                                      Conversation.version).order_by(Conversation.id)).all()
    assert [tuple(row) for row in rows] == [
        (ids[0], "negative", "urgent", before[0].version + 1),
        (ids[1], "negative", before[1].priority, before[1].version + 1),
        (ids[2], "negative", before[2].priority, before[2].version + 1),
    ]


def test_a_conversation_written_many_at_a_time_can_be_changed_again_in_the_same_transaction(database_url):
    desk = make_desk(database_url)
    desk.ingest(inbound("a1", "A"))
    with desk.db.transaction() as session:
        conversation = session.scalars(select(Conversation)).one()
        version = conversation.version
        conversation.sentiment = "negative"
        write_changes(session, [conversation, conversation])  # the same one twice is written once
        conversation.sentiment = "positive"
        session.flush()  # the ORM's own UPDATE, checked against the version written above
    with desk.db.transaction() as session:
        assert tuple(session.execute(select(Conversation.sentiment, Conversation.version)).one()) == \
            ("positive", version + 2)


def test_a_conversation_changed_since_it_was_read_is_not_overwritten(database_url):
    desk = make_desk(database_url)
    desk.ingest(inbound("a1", "A"))
    with pytest.raises(StaleDataError), desk.db.transaction() as session:
        conversation = session.scalars(select(Conversation)).one()
        session.execute(update(Conversation).values(version=Conversation.version + 1),  # someone else's change
                        execution_options={"synchronize_session": False})
        conversation.sentiment = "negative"
        write_changes(session, [conversation])


def test_a_message_that_cannot_be_stored_fails_alone_and_its_batch_is_stored(database_url):
    desk = make_desk(database_url)
    intake = Intake(desk)
    unknown_source = inbound("x1", source="no-such-source")
    try:
        futures = intake.submit_all([inbound("m1"), unknown_source, inbound("m2")])
        assert futures[0].result(5).ref == "ACME-1" and futures[2].result(5).ref == "ACME-2"
        with pytest.raises(KeyError):
            futures[1].result(5)
    finally:
        intake.stop()


@pytest.mark.postgresql_only  # row locks and deadlock detection are PostgreSQL's; SQLite has one writer at a time
def test_a_batch_that_postgresql_picks_to_break_a_deadlock_is_stored_on_a_second_try(database_url):
    desk = make_desk(database_url)
    first, second = desk.ingest(inbound("a1", "A")), desk.ingest(inbound("b1", "B"))
    rival = desk.db.engine.connect()
    rival.execute(text("SET deadlock_timeout = '2s'"))  # the batch notices the deadlock first
    lock = text("SELECT id FROM conversations WHERE id = :id FOR UPDATE")
    rival.execute(lock, {"id": second.conversation_id})
    stored: list[list[IngestResult]] = []
    batch = threading.Thread(target=lambda: stored.append(desk.ingest_many([inbound("a2", "A"), inbound("b2", "B")])))
    batch.start()
    blocked = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    wait_for(lambda: rival.execute(blocked).scalar())  # the batch holds A and waits for B
    rival.execute(lock, {"id": first.conversation_id})  # and now each waits for the other
    rival.rollback()
    batch.join(10)
    rival.close()

    assert [(result.ref, result.duplicate) for result in stored[0]] == [("ACME-1", False), ("ACME-2", False)]
    with desk.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 4


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def test_rows_from_before_0015_get_the_brand_platform_and_kind_of_their_conversation(database_url):
    """0015 copies what the report counts by onto messages, replies and activities; the rows that
    were already there get it from their conversation, and are counted as before."""
    from alembic import command

    from storage import reports
    from storage.models import Activity, Reply

    db = Database(database_url)
    config = _alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0014")
        for number, (brand, platform, kind) in enumerate([("acme", "Facebook", "comment"), ("haneul", "Instagram", "dm")], 1):
            values = {"id": number, "brand": brand, "platform": platform, "kind": kind, "ref": f"{brand.upper()}-1",
                      "at": "2026-11-01 00:00:00"}
            connection.execute(text(
                "INSERT INTO conversations (id, brand_id, source_id, external_id, number, ref, kind, platform, "
                "author_external_id, author_name, status, slack_channel, last_customer_message_at, created_at, "
                "updated_at, version) VALUES (:id, :brand, 'hook', :ref, 1, :ref, :kind, :platform, 'a', 'Kim', "
                "'resolved', 'C0ACME01', :at, :at, :at, 1)"), values)
            for message in range(number):
                connection.execute(text(
                    "INSERT INTO messages (conversation_id, source_id, external_id, author_external_id, author_name, "
                    "text, sent_at, received_at) VALUES (:id, 'hook', :external_id, 'a', 'Kim', 'hello', :at, :at)"),
                    {**values, "external_id": f"{brand}-{message}"})
            connection.execute(text(
                "INSERT INTO replies (conversation_id, reply_key, author_slack_id, text, status, created_at, sent_at) "
                "VALUES (:id, :ref, 'U0ALICE01', 'Thanks!', 'sent', :at, :at)"), values)
            connection.execute(text(
                "INSERT INTO activities (conversation_id, actor_slack_id, action, detail, created_at) "
                "VALUES (:id, 'U0ALICE01', 'resolved', '{}', :at)"), values)

    db.migrate()

    with db.transaction() as session:
        assert session.execute(select(Message.conversation_id, Message.brand_id, Message.platform, Message.kind)
                               .order_by(Message.id)).all() == [
            (1, "acme", "Facebook", "comment"), (2, "haneul", "Instagram", "dm"), (2, "haneul", "Instagram", "dm")]
        assert session.execute(select(Reply.conversation_id, Reply.brand_id).order_by(Reply.id)).all() == [
            (1, "acme"), (2, "haneul")]
        assert session.execute(select(Activity.conversation_id, Activity.brand_id).order_by(Activity.id)).all() == [
            (1, "acme"), (2, "haneul")]
        week = [datetime(2026, 10, 29, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC)]
        assert reports.messages_by_bucket(session, "haneul", week) == [("Instagram", "dm", 0, 2)]
        assert reports.replies_by_teammate(session, "acme", week) == {0: {"U0ALICE01": 1}}
        assert reports.actions_by_actor(session, "haneul", "resolved", week) == {0: {"U0ALICE01": 1}}


def test_an_older_database_is_migrated_with_its_data(database_url):
    from alembic import command

    db = Database(database_url)
    config = _alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO conversations (brand_id, source_id, external_id, number, ref, kind, platform, "
            "author_external_id, author_name, status, slack_channel, last_customer_message_at, created_at, "
            "updated_at, version) VALUES ('acme', 'acme-hook', 'e1', 1, 'ACME-1', 'comment', 'Facebook', 'a', 'Kim', "
            "'open', 'C0ACME01', '2026-11-01 00:00:00', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 1)"
        ))

    db.migrate()

    with db.transaction() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert (conversation.ref, conversation.priority, conversation.paused_at) == ("ACME-1", "normal", None)


def test_request_ledger_says_first_once_per_key_under_concurrent_askers(database_url):
    db = Database(database_url)
    db.migrate()
    ledger = RequestLedger(db, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    answers: list[tuple[str, bool]] = []
    start = threading.Barrier(24)

    def ask(key: str) -> None:
        start.wait()
        answers.append((key, ledger.first_time(key)))

    threads = [threading.Thread(target=ask, args=(f"sig:{number % 6}",)) for number in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    firsts = sorted(key for key, first in answers if first)
    assert firsts == [f"sig:{number}" for number in range(6)] and len(answers) == 24
    assert ledger.first_time("sig:0") is False and ledger.first_time("sig:new") is True
    db.dispose()


def test_request_ledger_reports_a_database_error_to_the_asker(database_url):
    db = Database(database_url)  # never migrated: the table does not exist
    ledger = RequestLedger(db, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    with pytest.raises(SQLAlchemyError):
        ledger.first_time("sig:1")
    db.dispose()


@pytest.mark.postgresql_only  # a server that drops connections is PostgreSQL's; SQLite is a file
def test_request_ledger_writes_on_a_new_connection_when_the_server_dropped_its_own(database_url):
    db = Database(database_url)
    db.migrate()
    ledger = RequestLedger(db, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    assert ledger.first_time("sig:a") is True
    with db.engine.connect() as admin:
        dropped = admin.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND query LIKE 'INSERT INTO seen_requests%'"
        )).all()
    assert dropped
    assert ledger.first_time("sig:b") is True and ledger.first_time("sig:a") is False
    ledger.stop()
    db.dispose()


def test_request_ledger_stops_its_writer_and_starts_it_again_when_asked(database_url):
    db = Database(database_url)
    db.migrate()
    ledger = RequestLedger(db, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    assert ledger.first_time("sig:a") is True
    ledger.stop()
    assert ledger.first_time("sig:a") is False and ledger.first_time("sig:b") is True
    ledger.stop()
    db.dispose()


def test_a_job_tried_by_another_worker_since_it_was_listed_is_not_claimed_as_listed(database_url):
    desk = make_desk(database_url)
    desk.ingest(inbound("a1", "A"))
    now = desk.kernel.clock.now()
    later = now + timedelta(minutes=5)
    with desk.db.transaction() as session:
        [listed] = jobs.due_jobs(session, now, "post_parent", timedelta(minutes=2), 50)
    assert (listed.attempts, listed.claimed_by) == (0, None)
    with desk.db.transaction() as session:  # another worker takes it, and its answer is lost
        assert jobs.claim(session, listed.id, now, later, "other", attempts=0, claimed_by=None)
        jobs.retry_later(session, listed.id, 1, "answer lost", now)
    with desk.db.transaction() as session:  # as listed, it looked untried: it must be seen again first
        assert not jobs.claim(session, listed.id, now, later, "this", attempts=0, claimed_by=None)
    with desk.db.transaction() as session:
        [again] = jobs.due_jobs(session, now, "post_parent", timedelta(minutes=2), 50)
        assert again.attempts == 1
        assert jobs.claim(session, again.id, now, later, "this", attempts=again.attempts, claimed_by=again.claimed_by)
