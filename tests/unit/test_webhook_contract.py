"""The webhook contract as a pure function: a body becomes one inbound message, or is refused naming
the field and the reason (the same bodies tests/test_webhook_rejections.py sends over HTTP)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.platforms.webhook import InvalidPayload, parse_inbound, sign, signature_matches
from tests.support.bot import customer_message

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def body(**overrides: object) -> bytes:
    return json.dumps(customer_message(**overrides)).encode()


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        (b"{not json", None, "not valid JSON"),
        (b"\xff\xfe{}", None, "not valid UTF-8"),
        (b"[1, 2]", None, "must be a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, None, "nested too deeply"),
        (json.dumps({k: v for k, v in customer_message().items() if k != "id"}).encode(), "id", "is required"),
        (body(kind="tweet"), "kind", "'comment'"),
        (body(author={"name": "no id"}), "author.id", "is required"),
        (body(text=42), "text", "valid string"),
        (body(created_at="yesterday"), "created_at", "datetime"),
        (body(rating=9), "rating", "less than or equal to 5"),
        (body(url="javascript:alert(1)"), "url", "pattern"),
        (body(priority="asap"), "priority", "'urgent'"),
    ],
)
def test_an_invalid_body_is_refused_naming_the_field(raw, field, reason):
    with pytest.raises(InvalidPayload) as refused:
        parse_inbound("acme-hook", raw, NOW)
    assert refused.value.field == field
    assert reason in refused.value.reason


def test_a_body_becomes_one_inbound_message():
    message = parse_inbound("acme-hook", body(id="m1", conversation_id="c1", rating=4, priority="high"), NOW)
    assert (message.source_id, message.external_id, message.conversation_external_id) == ("acme-hook", "m1", "c1")
    assert (message.kind, message.rating, message.priority) == ("comment", 4, "high")
    assert (message.author.id, message.author.name, message.author.handle) == ("fb-1001", "Kim Minji", "@minji")


def test_without_a_conversation_id_the_message_is_its_own_conversation():
    assert parse_inbound("acme-hook", body(id="m1"), NOW).conversation_external_id == "m1"


def test_the_time_sent_defaults_to_now_and_is_kept_in_utc():
    assert parse_inbound("acme-hook", body(), NOW).sent_at == NOW
    seoul = datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=9)))
    assert parse_inbound("acme-hook", body(created_at=seoul.isoformat()), NOW).sent_at == NOW
    naive = parse_inbound("acme-hook", body(created_at="2026-11-24T01:00:00"), NOW).sent_at
    assert naive == NOW and naive.tzinfo is UTC


def test_number_ids_are_read_as_text_and_a_missing_name_falls_back_to_the_handle():
    message = parse_inbound("acme-hook", body(id=12345, author={"id": 6001, "handle": "@minji"}), NOW)
    assert (message.external_id, message.author.id, message.author.name) == ("12345", "6001", "@minji")


def test_the_signature_is_an_hmac_of_the_exact_bytes():
    raw = body()
    assert signature_matches("acme-hook-secret", raw, sign("acme-hook-secret", raw))
    assert not signature_matches("acme-hook-secret", raw + b" ", sign("acme-hook-secret", raw))
    assert not signature_matches("acme-hook-secret", raw, sign("another-secret", raw))
    assert not signature_matches("acme-hook-secret", raw, None)
    assert not signature_matches("acme-hook-secret", raw, "sha256=ü")
