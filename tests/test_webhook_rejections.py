"""Every way a webhook can be wrong gets a clear 4xx and changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.platforms.webhook import SIGNATURE_HEADER
from storage.models import Conversation, Message, OutboxJob
from tests.support.bot import customer_message


def stored(bot) -> tuple[int, int, int]:
    with bot.runtime.db.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) for model in (Conversation, Message, OutboxJob)
        )


def test_unknown_source_is_404(bot):
    response = bot.webhook(customer_message(), source="nope")
    assert response.status_code == 404
    assert "unknown source 'nope'" in response.json()["error"]
    assert stored(bot) == (0, 0, 0)


def test_missing_signature_is_401(bot):
    response = bot.webhook(customer_message(), headers={SIGNATURE_HEADER: ""})
    assert response.status_code == 401
    assert SIGNATURE_HEADER in response.json()["error"]
    assert stored(bot) == (0, 0, 0)


def test_wrong_secret_is_401(bot):
    assert bot.webhook(customer_message(), secret="not-the-secret").status_code == 401
    assert stored(bot) == (0, 0, 0)


def test_signature_of_another_body_is_401(bot):
    raw = json.dumps(customer_message()).encode()
    forged = bot.webhook(raw, headers={SIGNATURE_HEADER: "sha256=" + "0" * 64})
    assert forged.status_code == 401
    assert stored(bot) == (0, 0, 0)


def test_body_over_one_mebibyte_is_413(bot):
    response = bot.webhook(customer_message(text="가" * (400 * 1024)))
    assert response.status_code == 413
    assert stored(bot) == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        (b"{not json", None, "not valid JSON"),
        (b"\xff\xfe{}", None, "not valid UTF-8"),
        (b"[1, 2]", None, "must be a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, None, "nested too deeply"),
        (json.dumps({k: v for k, v in customer_message().items() if k != "id"}).encode(), "id", "is required"),
        (json.dumps(customer_message(kind="tweet")).encode(), "kind", "'comment'"),
        (json.dumps(customer_message(author={"name": "no id"})).encode(), "author.id", "is required"),
        (json.dumps(customer_message(text=42)).encode(), "text", "valid string"),
        (json.dumps(customer_message(created_at="yesterday")).encode(), "created_at", "datetime"),
        (json.dumps(customer_message(rating=9)).encode(), "rating", "less than or equal to 5"),
        (json.dumps(customer_message(url="javascript:alert(1)")).encode(), "url", "pattern"),
        (json.dumps(customer_message(priority="asap")).encode(), "priority", "'urgent'"),
    ],
)
def test_invalid_body_is_400_naming_the_field(bot, body, field, reason):
    response = bot.webhook(body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == "invalid body"
    assert error["field"] == field
    assert reason in error["reason"]
    assert stored(bot) == (0, 0, 0)


def test_the_server_keeps_serving_after_rejections(bot):
    bot.webhook(b"{broken")
    bot.webhook(customer_message(), secret="wrong")
    assert bot.webhook(customer_message()).status_code == 202
    assert bot.http.get(f"{bot.url}/healthz").json() == {"status": "ok"}
