"""Bluesky: images, videos and links embedded in a post are shown in the thread, and a post its
author deleted (gone when polled) is noted there."""

from __future__ import annotations

import pytest

from bot.demo.standins.bluesky_xrpc import BlueskyStandIn
from tests.support.platforms.bluesky import APP_PASSWORD, HANDLE, start
from tests.support.slack import shown, social

CID = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"


@pytest.fixture
def bluesky():
    with BlueskyStandIn(HANDLE, APP_PASSWORD) as stand_in:
        yield stand_in


def _blob(cid: str, mime: str) -> dict:
    return {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": 1234}


def test_embedded_images_video_and_link_are_shown(database_url, slack_api, bluesky):
    images = bluesky.customer_post("see the dent", embed={"$type": "app.bsky.embed.images", "images": [
        {"alt": "A dented can", "image": _blob(CID, "image/jpeg"), "aspectRatio": {"width": 4, "height": 3}}]})
    bluesky.customer_post("and a clip", handle="jun.bsky.social", embed={
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"$type": "app.bsky.embed.record", "record": {"uri": images["uri"], "cid": images["cid"]}},
        "media": {"$type": "app.bsky.embed.video", "video": _blob(CID, "video/mp4")}})
    bluesky.customer_post("read this", handle="sora.bsky.social", embed={"$type": "app.bsky.embed.external",
        "external": {"uri": "https://news.example/recall", "title": "Recall notice", "description": ""}})
    with start(database_url, slack_api, bluesky) as bot:
        bot.runtime.pollers["acme-bsky"].tick()
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 3)
        posted = bot.api.messages("C0ACME01")
        dent, clip, link = (next(m for m in posted if word in shown(m)) for word in ("dent", "clip", "read this"))

        [image] = [block for block in dent.blocks if block["type"] == "image"]
        author = images["uri"].split("/")[2]
        assert image["image_url"] == f"https://cdn.bsky.app/img/feed_fullsize/plain/{author}/{CID}@jpeg"
        assert image["alt_text"] == "A dented can"
        assert "https://video.bsky.app/watch/" in shown(clip) and "|Video>" in shown(clip)
        assert "<https://news.example/recall|Link: Recall notice>" in shown(link)


def test_a_deleted_post_is_noted_and_cannot_be_answered(database_url, slack_api, bluesky):
    post = bluesky.customer_post("where is my order?")
    with start(database_url, slack_api, bluesky) as bot:
        poller = bot.runtime.pollers["acme-bsky"]
        poller.tick()
        parent = bot.parent()

        bluesky.delete_post(post["uri"])
        poller.tick()
        poller.tick()

        bot.api.wait_for(lambda: any("deleted by the author" in shown(m)
                                     for m in bot.api.thread("C0ACME01", parent.ts)))
        bot.wait_idle()
        assert sum("deleted by the author" in shown(m) for m in bot.api.thread("C0ACME01", parent.ts)) == 1
        assert "deleted" in social(bot, "reply ACME-1 On its way")
        assert bluesky.requests_to("POST", "/xrpc/com.atproto.repo.createRecord") == []
