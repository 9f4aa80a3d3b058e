"""What the bot renders stays inside Slack's limits and keeps customer text inert, whatever it is."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack_ui.assign_modal import assign_modal
from bot.slack_ui.escalate_modal import escalate_modal
from bot.slack_ui.reply_modal import reply_modal
from bot.slack_ui.text import escape, link
from bot.slack_ui.thread_notes import activity_note
from bot.slack_ui.thread_parent import parent_message
from storage.models import Activity, Conversation, Message
from tests.support.config import make_config

CONFIG = make_config("http://127.0.0.1:9/replies")
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
hostile_text = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
    | st.sampled_from(["<!channel>", "<@U1>", "<https://evil.example|bank>", "&", "<", ">", "|", "*", "\u202e", "\u200b", "😀" * 50, "\n"]),
    max_size=200,
).map("".join)


def conversation(name: str = "Kim", url: str | None = "https://x.example/1", **extra) -> Conversation:
    values = dict(
        id=7, brand_id="acme", source_id="acme-hook", external_id="e", number=7, ref="ACME-7", kind="comment",
        platform="Facebook", author_external_id="a", author_name=name, author_handle="@kim", url=url,
        status="open", slack_channel="C0ACME01", response_due_at=NOW, last_customer_message_at=NOW,
        created_at=NOW, updated_at=NOW,
    )
    values.update(extra)
    return Conversation(**values)


def message(text: str, url: str | None = "https://x.example/1") -> Message:
    return Message(id=1, conversation_id=7, source_id="acme-hook", external_id="e", author_external_id="a",
                   author_name="Kim", text=text, url=url, sent_at=NOW, received_at=NOW)


def mrkdwn_texts(blocks):
    for block in blocks:
        if block["type"] == "section":
            yield block["text"]["text"]
        if block["type"] == "context":
            yield from (element["text"] for element in block["elements"])


@settings(max_examples=60, deadline=None)
@given(text=hostile_text, name=hostile_text.map(lambda s: s[:300]))
def test_parent_message_is_within_limits_and_inert(text, name):
    rendered = parent_message(conversation(name=name), message(text), CONFIG)

    assert len(rendered["blocks"]) <= 50
    assert len(rendered["text"]) <= 40_000
    for section in mrkdwn_texts(rendered["blocks"]):
        assert len(section) <= 3000
    customer_part = rendered["blocks"][1]["text"]["text"].split("\n<https://x.example/1|Read the rest")[0]
    assert "<" not in customer_part
    assert all(">" not in line[1:] for line in customer_part.splitlines())  # only the quote marker
    assert "<" not in rendered["text"]
    heading = rendered["blocks"][0]["text"]["text"]
    assert heading.count("<") == 1  # our "View original" link, nothing from the customer's name

def test_escape_makes_slack_control_sequences_text():
    assert escape("<!channel> <@U1> <#C1> <https://a|b> a&b") == (
        "&lt;!channel&gt; &lt;@U1&gt; &lt;#C1&gt; &lt;https://a|b&gt; a&amp;b"
    )


def test_links_only_from_http_urls_and_without_breaking_out():
    assert link("javascript:alert(1)", "View") == "View"
    assert link("https://a.example/x|forged>y", "View") == "<https://a.example/x%7Cforged%3Ey|View>"


def test_lone_surrogates_and_control_characters_do_not_reach_slack():
    assert escape("a\ud800b\x00c") == "a\ufffdb\ufffdc"


def test_modal_titles_fit_24_characters():
    long = conversation(ref="ABCDEFGHIJ-1234567")
    for view in (reply_modal(long, None, 9000), assign_modal(long, "U1"),
                 escalate_modal(long, CONFIG)):
        assert len(view["title"]["text"]) <= 24
        assert len(view["private_metadata"]) <= 3000


def test_notes_say_who_did_what():
    def note(action, **detail):
        return activity_note(Activity(actor_slack_id="U1", action=action, detail=detail), None, CONFIG)

    assert note("assigned", assignee="U2") == "<@U1> assigned <@U2>"
    assert note("assigned", assignee="U1") == "<@U1> took this"
    assert note("resolved") == "<@U1> resolved this"
    assert note("escalated", tier="pr", reason="<!channel> now") == "<@U1> escalated to *PR team*: &lt;!channel&gt; now"
