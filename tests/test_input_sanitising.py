"""Characters the database refuses and over-long fields are dealt with at the edge: no 503 for bad data."""

from __future__ import annotations

from bot.demo.standins.mastodon_api import MastodonStandIn
from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.platforms.mastodon import TOKEN, start as start_mastodon
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN, delivery, entry, feed_comment, post, start as start_meta
from tests.support.slack import open_reply_modal, shown
from tests.support.store import stored_messages
from bot.demo.standins.meta_graph_api import GraphStandIn
from storage.models import Message


def stored(bot) -> list[tuple[str, str, str, str | None]]:
    from sqlalchemy import select

    with bot.runtime.db.reading() as session:
        return [(m.external_id, m.author_name, m.text, m.author_handle)
                for m in session.scalars(select(Message).order_by(Message.id))]


def test_nul_characters_in_any_webhook_string_are_removed_and_the_message_is_stored(bot):
    body = customer_message(id="m\u00001", conversation_id="c\u00001", text="where\u0000 is it?",
                            author={"id": "a\u00001", "name": "Kim\u0000 Minji", "handle": "@min\u0000ji"},
                            url="https://facebook.com/acme/posts/1?c=\u0000")
    answer = bot.webhook(body)
    assert answer.status_code == 202, answer.text
    assert stored(bot) == [("m1", "Kim Minji", "where is it?", "@minji")]
    assert "where is it?" in shown(bot.parent())


def test_an_over_long_author_name_is_cut_and_an_over_long_id_is_a_400_naming_it(bot):
    assert bot.webhook(customer_message(id="long-name", author={"id": "a1", "name": "N" * 400, "handle": "@" + "h" * 300})
                       ).status_code == 202
    assert stored(bot)[0][1] == "N" * 255 and len(stored(bot)[0][3]) == 255

    for field, body in (("id", customer_message(id="x" * 256)),
                        ("conversation_id", customer_message(conversation_id="c" * 300)),
                        ("author.id", customer_message(author={"id": "a" * 300, "name": "Kim"}))):
        answer = bot.webhook(body)
        assert answer.status_code == 400, field
        assert answer.json()["field"] == field
    assert stored_messages(bot) == 1


def test_a_meta_delivery_with_nul_and_a_long_name_is_stored_not_answered_503(database_url, slack_api):
    comment = feed_comment(PAGE_ID, "9001", "hello\u0000 there", author=("6001", "M" * 300 + "\u0000"))
    too_long = feed_comment(PAGE_ID, "9" * 300, "an id no database column holds")
    with GraphStandIn(PAGE_ID, PAGE_TOKEN) as graph, start_meta(database_url, slack_api, graph) as bot:
        answer = post(bot, delivery("page", entry(PAGE_ID, changes=[comment, too_long])))
        assert answer.status_code == 200, answer.text
        assert [row[1:] for row in stored(bot)] == [("M" * 255, "hello there", None)]


def test_a_polled_mention_with_nul_is_stored(database_url, slack_api):
    with MastodonStandIn(TOKEN) as mastodon:
        mastodon.mention("where\u0000 is my order", name="Kim\u0000 Minji")
        with start_mastodon(database_url, slack_api, mastodon) as bot:
            assert bot.runtime.pollers["acme-masto"].tick() == 1
            assert "where is my order" in stored(bot)[0][2]


def test_slash_commands_with_nul_answer_clearly(bot, receiver):
    bot.webhook(customer_message())
    bot.parent()
    shown_answer = bot.slack.command(ALICE, "/social", "show ACME-1\u0000", "C0ACME01")
    assert shown_answer.status_code == 200 and "ACME-1" in shown_answer.json()["text"]
    replied = bot.slack.command(ALICE, "/social", "reply ACME-1 On its way\u0000", "C0ACME01")
    assert replied.status_code == 200
    assert "database" not in replied.json()["text"]
    receiver.wait_for(lambda: receiver.deliveries)
    assert receiver.deliveries[0].body["text"] == "On its way"


def test_a_reply_typed_with_nul_in_the_modal_is_sent_without_it(bot, receiver):
    bot.webhook(customer_message())
    modal = open_reply_modal(bot)
    assert bot.slack.submit(ALICE, modal, {"text": "Sorry\u0000 about that"}).status_code == 200
    receiver.wait_for(lambda: receiver.deliveries)
    assert receiver.deliveries[0].body["text"] == "Sorry about that"
