"""Mastodon: a mention's media attachments are shown in the thread, and an edited status (an
``update`` notification) is noted there once."""

from __future__ import annotations

from tests.support.platforms.mastodon import start
from tests.support.slack import shown
from tests.support.store import stored_messages


def test_media_attachments_become_image_blocks_and_links(database_url, slack_api, mastodon):
    mastodon.mention("the lid came off", media=[
        {"type": "image", "url": "https://files.mastodon.social/media/lid.png", "description": "A cracked lid"},
        {"type": "video", "url": "https://files.mastodon.social/media/lid.mp4"},
        {"type": "unknown", "url": None, "remote_url": "https://remote.example/clip.ogg"},
    ])
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        parent = bot.parent()

        images = [block for block in parent.blocks if block["type"] == "image"]
        assert [(i["image_url"], i["alt_text"]) for i in images] == [
            ("https://files.mastodon.social/media/lid.png", "A cracked lid")]
        assert "<https://files.mastodon.social/media/lid.mp4|Video>" in shown(parent)
        assert "<https://remote.example/clip.ogg|File>" in shown(parent)


def test_an_edited_status_is_noted_once_with_its_new_text(database_url, slack_api, mastodon):
    mention = mastodon.mention("my order is late")
    with start(database_url, slack_api, mastodon) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        poller.tick()
        parent = bot.parent()

        mastodon.edit(mention["status"]["id"], "my order 42 is late")
        poller.tick()
        poller.tick()

        bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))
        bot.wait_idle()
        notes = [shown(m) for m in bot.api.thread("C0ACME01", parent.ts)]
        assert len(notes) == 1 and "edited:" in notes[0] and "my order 42 is late" in notes[0]
        assert stored_messages(bot) == 1
