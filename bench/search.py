"""Search across conversations at scale: `/social search` over N customer messages, SQLite and PostgreSQL."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.bulk import CONVERSATION_COLUMNS, brand_of, conversation_row, copy_rows, finish_load
from bench.common import Check, Options, Result, median, percentile
from bench.databases import scratch_database
from bench.setup import bench_config
from bot.clock import ManualClock
from bot.domain.desk import Desk
from storage.db import Database
from storage.models import Conversation, ConversationTag, Message

NAME = "search"
TITLE = "Search across conversations (/social search)"
MESSAGES_PER_CONVERSATION = 4
LIMIT_MS = 1000.0
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
USER = "U0ALICE01"
MESSAGE_COLUMNS = ("id", "conversation_id", "brand_id", "platform", "kind", "source_id", "external_id",
                   "author_external_id", "author_name", "author_handle", "text", "url", "rating", "sent_at",
                   "received_at", "slack_ts")
KOREAN_STEMS = ("환불", "배송", "주문", "제품", "교환", "취소", "결제", "문의", "포장", "사이즈", "색상", "쿠폰")
KOREAN_ENDINGS = ("해주세요", "이", "을", "은", "이 안 됐어요", "했는데요", "언제 되나요", "문의드려요", "가능한가요")
ENGLISH = ("order", "refund", "broken", "shipping", "late", "size", "color", "coupon", "thanks", "where", "still",
           "package", "arrived", "damaged", "account", "password", "cancel", "exchange", "store", "price")
RARE = {"zebracorn": 20, "교환권": 20}
"""Words put in that many messages only, wherever the run's size."""
QUERIES = ("refund", "order broken", "환불", "배송 문의", "zebracorn", "교환권", "customer4242", "vip", "ACME-777",
           "환")
METHOD = f"""\
For each database a fresh schema (PostgreSQL) or file (SQLite) is migrated and filled with N customer
messages, {MESSAGES_PER_CONVERSATION} per conversation over three brands: PostgreSQL by COPY, SQLite by
INSERTs in batches (so the FTS5 triggers index every row as ingest would). A message is 6-14 words:
in 30% of conversations Korean (a stem of {len(KOREAN_STEMS)} with an ending, e.g. 환불해주세요), else
English drawn from {len(ENGLISH)} common words and a long tail of 5000 rare made-up words (Zipf-like);
{', '.join(f'"{w}"' for w in RARE)} are in {next(iter(RARE.values()))} messages each; 1% of
conversations carry the tag vip. Each query is `Desk.search()` as the command calls it (the words'
conversations with a count, newest first, ten shown, and the newest texts of those ten for the
snippets), by a user who may view every brand, timed repeatedly after one warm-up; the figures are
the median and p99 over all the queries' runs, and the slowest query's p99. Queries:
{', '.join(f'"{q}"' for q in QUERIES)}."""


def run(options: Options) -> Result:
    size = 4_000 if options.quick else 1_000_000
    repetitions = 3 if options.quick else 15
    kinds = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    measured = [_measure(kind, options.postgres_url, size, repetitions) for kind in kinds]
    rows = [[m["database"], m["messages"], m["load_seconds"], m["p50_ms"], m["p99_ms"], m["slowest_query"],
             m["slowest_p99_ms"]] for m in measured]
    checks = [Check(f"{m['database']}: a search answers within {LIMIT_MS:.0f} ms (p99) at {m['messages']:,} messages",
                    f"p99 {m['p99_ms']:.0f} ms, slowest query p99 {m['slowest_p99_ms']:.0f} ms",
                    m["slowest_p99_ms"] < LIMIT_MS) for m in measured]
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"messages": size, "messages_per_conversation": MESSAGES_PER_CONVERSATION, "repetitions": repetitions},
        columns=["database", "messages", "load s", "p50 ms", "p99 ms", "slowest query", "its p99 ms"],
        rows=rows, checks=checks, details={"measurements": measured},
    )


def _measure(kind: str, postgres_url: str | None, size: int, repetitions: int) -> dict[str, Any]:
    with scratch_database(kind, postgres_url, f"{NAME}_{kind[:2]}") as url:
        db = Database(url)
        try:
            started = time.perf_counter()
            _load(db, kind, size)
            load_seconds = time.perf_counter() - started
            desk = Desk(db, bench_config(), ManualClock(NOW), {})
            per_query: dict[str, list[float]] = {}
            found: dict[str, int] = {}
            for query in QUERIES:
                found[query] = desk.search(USER, query).total  # warm-up
                per_query[query] = []
                for _ in range(repetitions):
                    began = time.perf_counter()
                    desk.search(USER, query)
                    per_query[query].append((time.perf_counter() - began) * 1000)
        finally:
            db.dispose()
    everything = [value for values in per_query.values() for value in values]
    slowest = max(per_query, key=lambda query: percentile(per_query[query], 0.99))
    return {
        "database": kind, "messages": size, "load_seconds": load_seconds, "p50_ms": median(everything),
        "p99_ms": percentile(everything, 0.99), "slowest_query": slowest,
        "slowest_p99_ms": percentile(per_query[slowest], 0.99),
        "queries": {query: {"p50_ms": median(values), "p99_ms": percentile(values, 0.99), "conversations": found[query]}
                    for query, values in per_query.items()},
    }


def _load(db: Database, kind: str, size: int) -> None:
    conversations = size // MESSAGES_PER_CONVERSATION
    rare = _rare_places(size)
    if kind == "postgresql":
        copy_rows(db.engine, "conversations", CONVERSATION_COLUMNS, _conversations(conversations))
        copy_rows(db.engine, "messages", MESSAGE_COLUMNS, _messages(conversations, rare))
        copy_rows(db.engine, "conversation_tags", ("id", "conversation_id", "tag", "created_at"), _tags(conversations))
        finish_load(db.engine, ["conversations", "messages", "conversation_tags"])
        return
    with db.engine.begin() as connection:
        for batch in _batches(_conversations(conversations), CONVERSATION_COLUMNS):
            connection.execute(insert(Conversation), batch)
        for batch in _batches(_tags(conversations), ("id", "conversation_id", "tag", "created_at")):
            connection.execute(insert(ConversationTag), batch)
    for batch in _batches(_messages(conversations, rare), MESSAGE_COLUMNS):
        with db.engine.begin() as connection:
            connection.execute(insert(Message), batch)


def _batches(rows: Iterator[tuple[Any, ...]], columns: tuple[str, ...], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _created(conversation_id: int, conversations: int) -> datetime:
    return NOW - timedelta(seconds=(conversations - conversation_id) * 60)


def _conversations(count: int) -> Iterator[tuple[Any, ...]]:
    randomness = random.Random(count)
    for index in range(count):
        conversation_id = index + 1
        brand = brand_of(index)
        yield conversation_row(conversation_id, brand, index // 3 + 1, _created(conversation_id, count),
                               resolved=index % 3 != 0, next_nudge_at=None, resolution_due_at=None,
                               first_response_seconds=randomness.uniform(60, 7200))


def _tags(count: int) -> Iterator[tuple[Any, ...]]:
    for tag_id, conversation_id in enumerate(range(100, count + 1, 100), start=1):
        yield tag_id, conversation_id, "vip", _created(conversation_id, count)


def _rare_places(size: int) -> dict[int, str]:
    randomness = random.Random(size + 1)
    places: dict[int, str] = {}
    for word, count in RARE.items():
        for message_id in randomness.sample(range(1, size + 1), count):
            places[message_id] = word
    return places


def _messages(conversations: int, rare: dict[int, str]) -> Iterator[tuple[Any, ...]]:
    randomness = random.Random(conversations)
    tail = [f"{''.join(randomness.choices('bcdfghjklmnprstvwz', k=2))}{n}x" for n in range(5000)]
    tail_weights = [1 / (rank + 1) for rank in range(len(tail))]
    message_id = 0
    for index in range(conversations):
        conversation_id = index + 1
        brand_id, _prefix, _channel, source = brand_of(index)
        korean = index % 10 < 3
        customer = conversation_id % 50_000
        created = _created(conversation_id, conversations)
        for number in range(MESSAGES_PER_CONVERSATION):
            message_id += 1
            if korean:
                words = [randomness.choice(KOREAN_STEMS) + randomness.choice(KOREAN_ENDINGS)
                         for _ in range(randomness.randint(2, 5))]
            else:
                words = (randomness.choices(ENGLISH, k=randomness.randint(3, 7))
                         + randomness.choices(tail, tail_weights, k=randomness.randint(3, 7)))
            if message_id in rare:
                words.append(rare[message_id])
            received = created + timedelta(seconds=20 * number)
            yield (message_id, conversation_id, brand_id, "Facebook", "comment", source, f"m{message_id}",
                   f"fb-{customer}", f"Customer {customer}", f"@customer{customer}", " ".join(words),
                   None, None, received, received, f"1700000000.{message_id:07d}")
