"""Meta: photos, videos and files that come with comments and messages, and customers' edits and
removals, as Meta's webhooks deliver them."""

from __future__ import annotations

from tests.support.platforms.meta import PAGE_ID, delivery, entry, feed_comment, message_event, post, start
from tests.support.slack import shown
from tests.support.store import stored_messages


def _images(message):
    return [block["image_url"] for block in message.blocks if block["type"] == "image"]


def test_a_photo_comment_and_a_messenger_attachment_are_shown_not_described(database_url, slack_api, graph):
    comment = feed_comment(PAGE_ID, "501", "Broken on arrival")
    comment["value"]["photo"] = "https://scontent.xx.fbcdn.net/v/t39/broken.jpg"
    dm = message_event("24000002", PAGE_ID, "mid.photo", "")
    del dm["message"]["text"]
    dm["message"]["attachments"] = [
        {"type": "image", "payload": {"url": "https://cdn.fbsbx.com/v/receipt.png"}},
        {"type": "file", "payload": {"url": "https://cdn.fbsbx.com/v/invoice.pdf", "title": "invoice.pdf"}},
    ]
    with start(database_url, slack_api, graph) as bot:
        assert post(bot, delivery("page", entry(PAGE_ID, changes=[comment], messaging=[dm]))).status_code == 200
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2)
        photo, message = sorted(bot.api.messages("C0ACME01"), key=lambda m: "Broken" not in shown(m))

        assert _images(photo) == ["https://scontent.xx.fbcdn.net/v/t39/broken.jpg"]
        assert _images(message) == ["https://cdn.fbsbx.com/v/receipt.png"]
        assert "<https://cdn.fbsbx.com/v/invoice.pdf|File: invoice.pdf>" in shown(message)
        assert "attached)" not in shown(message)


def test_an_edited_and_a_removed_comment_are_noted_once_in_the_thread(database_url, slack_api, graph):
    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "601", "Where is my parcel")])))
        parent = bot.parent()
        edit = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "601", "Found it, thanks", verb="edited")]))
        post(bot, edit)
        post(bot, edit)  # Meta retries
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "601", "", verb="remove")])))

        bot.api.wait_for(lambda: any("deleted by the author" in shown(m) for m in bot.api.thread("C0ACME01", parent.ts)))
        bot.wait_idle()
        notes = [shown(m) for m in bot.api.thread("C0ACME01", parent.ts)]
        assert sum("edited:" in note for note in notes) == 1
        assert any("Found it, thanks" in note for note in notes)
        assert stored_messages(bot) == 1


def test_a_messenger_edit_and_an_instagram_unsend_reach_the_thread(database_url, slack_api, graph):
    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, messaging=[message_event("24000003", PAGE_ID, "mid.e1", "hi")])))
        parent = bot.parent()
        edit = {"sender": {"id": "24000003"}, "recipient": {"id": PAGE_ID}, "timestamp": 1764000000000,
                "message_edit": {"mid": "mid.e1", "text": "hi, order 77 is late", "num_edit": 1}}
        post(bot, delivery("page", entry(PAGE_ID, messaging=[edit])))
        bot.api.wait_for(lambda: any("order 77" in shown(m) for m in bot.api.thread("C0ACME01", parent.ts)))

        post(bot, delivery("instagram", entry(PAGE_ID, messaging=[message_event("9100", PAGE_ID, "mid.ig", "yo")])))
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2)
        unsent = message_event("9100", PAGE_ID, "mid.ig", "")
        unsent["message"] = {"mid": "mid.ig", "is_deleted": True}
        post(bot, delivery("instagram", entry(PAGE_ID, messaging=[unsent])))
        ig_parent = bot.parent()
        bot.api.wait_for(lambda: any("deleted by the author" in shown(m)
                                     for m in bot.api.thread("C0ACME01", ig_parent.ts)))


def test_a_comment_the_team_deleted_is_not_reported_as_deleted_by_its_author(database_url, slack_api, graph):
    from tests.support.config import ALICE
    from tests.support.slack import shown as seen

    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "701", "spam spam")])))
        parent = bot.parent()
        bot.slack.pick(ALICE, parent, "moderate", f"delete:{parent.blocks[-1]['elements'][0]['value']}")
        graph.wait_for(lambda: graph.requests_to("DELETE", "/v21.0/122131676912594941_701"))
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "701", "", verb="remove")])))
        bot.api.wait_for(lambda: any("done on the platform" in seen(m) for m in bot.api.thread("C0ACME01", parent.ts)))
        bot.wait_idle()
        assert not any("deleted by the author" in seen(m) for m in bot.api.thread("C0ACME01", parent.ts))
