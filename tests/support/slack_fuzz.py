"""Customer text that tries every trick, and the checks that what the bot builds from it stays
within Slack's limits: shared by the property tests of every surface."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack_limits import message_refusal, view_errors
from storage.models import Activity, Conversation, Message, Reply
from tests.support.config import make_config

CONFIG = make_config("http://127.0.0.1:9/replies")
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)

ZWJ_FAMILY = "👩🏽‍👩🏿‍👧🏻‍👦🏾"
pieces = st.sampled_from([
    "<p>Order & refund</p>\n", "&", "<", ">", "&amp;", "<!channel>", "<@U0ALICE01>", "<https://evil.example|bank>",
    "> ", "\n", "\n\n", "*bold*", "`", "|", ZWJ_FAMILY, "🧑🏽‍💻", "👍🏿", "e\u0301\u0302\u0303", "\u0301" * 30,
    "\u202e", "\u200b", "한국어 ", "https://example.com/" + "ü" * 50, "\r\n", "\t", "\x00",
])
customer_text = st.one_of(
    st.text(max_size=400),
    st.lists(pieces | st.text(max_size=30), max_size=400).map("".join),
    st.integers(1, 120).map(lambda n: "<p>Order & refund</p>\n" * n * 10),
    st.sampled_from(["a\n" * 10_000, "&" * 30_000, "<>" * 20_000, ZWJ_FAMILY * 4000, "e" + "\u0301" * 20_000,
                     "x" * 100_000, ("🧑🏽‍💻 <b>&</b>\n" * 5000)]),
)
short_text = st.one_of(st.text(max_size=300), st.lists(pieces, max_size=60).map("".join))
url = st.one_of(
    st.none(),
    st.just("https://facebook.com/acme/posts/1?comment_id=1001"),
    st.text(max_size=2000).map(lambda tail: "https://x.example/" + tail),
    st.integers(100, 4000).map(lambda n: "https://x.example/?q=" + "한" * n),
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def conversation(name: str, url: str | None, **extra) -> Conversation:
    values = dict(
        id=7, brand_id="acme", source_id="acme-hook", external_id="e", number=7, ref="ACME-7", kind="comment",
        platform="Facebook", author_external_id="a", author_name=name, author_handle=name[::-1], url=url,
        status="escalated", escalation_tier="pr", slack_channel="C0ACME01", slack_ts="1.000001",
        slack_permalink="https://demo.slack.com/archives/C0ACME01/p1000001", response_due_at=NOW,
        last_customer_message_at=NOW, created_at=NOW, updated_at=NOW, priority="urgent", sentiment="negative",
    )
    values.update(extra)
    return Conversation(**values)


def message(text: str, url: str | None, name: str) -> Message:
    return Message(id=11, conversation_id=7, source_id="acme-hook", external_id="e", author_external_id="a",
                   author_name=name, author_handle=name, text=text, url=url, rating=3, sent_at=NOW, received_at=NOW,
                   sentiment="negative")


def reply(text: str, status: str, error: str) -> Reply:
    return Reply(id=5, conversation_id=7, brand_id="acme", reply_key="k", author_slack_id="U0ALICE01", text=text,
                 status=status, error=error, created_at=NOW, approved_by="U0BOB0001")


def activity(action: str, detail: dict) -> Activity:
    return Activity(id=9, conversation_id=7, brand_id="acme", actor_slack_id="U0ALICE01", action=action,
                    detail=detail, created_at=NOW)


def assert_message_fits(built: dict) -> None:
    assert message_refusal(str(built.get("text") or ""), built.get("blocks")) is None, built
    assert built.get("text") or built.get("blocks")
    for block in built.get("blocks") or []:
        Block.parse(block).validate_json()


def assert_view_fits(view: dict, modal: bool = True) -> None:
    assert view_errors(view, modal) == [], view_errors(view, modal)
    View(**view).validate_json()
