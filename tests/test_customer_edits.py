"""A customer edits or deletes a message on the platform: the thread says so, the message keeps
its history, and a reply to a deleted message is refused."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Message
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, TRIAGE_RULES, make_config
from tests.support.slack import open_reply_modal, shown, social


def _notes(bot, parent):
    return [shown(message) for message in bot.api.thread("C0ACME01", parent.ts)]


def test_an_edit_is_noted_once_and_the_message_keeps_its_earlier_text(bot):
    bot.webhook(customer_message(id="e-1", conversation_id="post-1", text="Where is my order?"))
    parent = bot.parent()
    edit = {"id": "e-1", "event": "edited", "text": "Where is my order #123?"}

    first = bot.webhook(edit)
    again = bot.webhook(edit)

    assert first.status_code == 202 and first.json() == {"status": "accepted", "ref": "ACME-1"}
    assert again.json() == {"status": "duplicate", "ref": "ACME-1"}
    bot.wait_idle()
    notes = [note for note in _notes(bot, parent) if "edited:" in note]
    assert len(notes) == 1 and "Where is my order #123?" in notes[0]
    with bot.runtime.db.reading() as session:
        message = session.scalars(select(Message).where(Message.external_id == "e-1")).one()
        assert message.text == "Where is my order #123?"
        assert [earlier["text"] for earlier in message.earlier_texts] == ["Where is my order?"]
        assert message.edited_at is not None


def test_a_deleted_message_is_noted_and_replies_to_it_are_refused(bot, receiver):
    bot.webhook(customer_message(id="d-1", conversation_id="post-2"))
    parent = bot.parent()

    assert bot.webhook({"id": "d-1", "event": "deleted"}).status_code == 202
    assert bot.webhook({"id": "d-1", "event": "deleted"}).json()["status"] == "duplicate"

    bot.api.wait_for(lambda: any("deleted by the author" in note for note in _notes(bot, parent)))
    answer = social(bot, "reply ACME-1 Sorry about that")
    assert answer.count("\n") == 0 and "deleted" in answer
    bot.slack.click(ALICE, bot.parent(), "reply")
    refusal = bot.api.wait_for(lambda: [r for r in bot.api.responses if "deleted" in r.get("text", "")])[0]
    assert "\n" not in refusal["text"]
    bot.wait_idle()
    assert receiver.deliveries == []


def test_a_new_message_after_a_deletion_can_be_answered_again(bot, receiver):
    bot.webhook(customer_message(id="n-1", conversation_id="post-3"))
    bot.webhook({"id": "n-1", "event": "deleted"})
    bot.webhook(customer_message(id="n-2", conversation_id="post-3", text="Sorry, deleted by mistake"))
    bot.wait_idle()

    assert "Sending your reply" in social(bot, "reply ACME-1 No problem")
    assert open_reply_modal(bot)


def test_edits_of_unknown_messages_and_bad_events_get_a_clear_answer(bot):
    unknown = bot.webhook({"id": "nope", "event": "deleted"})
    assert unknown.status_code == 404 and "nope" in unknown.json()["error"]
    no_text = bot.webhook({"id": "x", "event": "edited"})
    assert no_text.status_code == 400
    assert no_text.json()["field"] == "text" and "edited" in no_text.json()["reason"]
    bad = bot.webhook({"id": "x", "event": "renamed"})
    assert bad.status_code == 400 and bad.json()["field"] == "event"


def test_a_filtered_conversation_keeps_the_change_without_a_thread_note(database_url, slack_api, receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, TRIAGE_RULES)) as bot:
        bot.webhook(customer_message(id="q-1", conversation_id="q-1", text="free followers at example dot com"))
        bot.api.wait_for(lambda: bot.api.messages("C0ACME01"))
        assert bot.webhook({"id": "q-1", "event": "edited", "text": "free followers, edited"}).status_code == 202
        assert bot.webhook({"id": "q-1", "event": "deleted"}).status_code == 202

        bot.wait_idle()
        with bot.runtime.db.reading() as session:
            message = session.scalars(select(Message).where(Message.external_id == "q-1")).one()
            assert message.text == "free followers, edited" and message.deleted_at is not None
        assert len(bot.api.messages("C0ACME01")) == 1
        assert not bot.api.thread("C0ACME01", bot.api.messages("C0ACME01")[0].ts)
