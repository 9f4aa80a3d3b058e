"""Images, videos and files that come with a customer message are shown in the thread."""

from __future__ import annotations

from bot import slack_limits as limits
from tests.support.bot import customer_message
from tests.support.slack import shown


def _images(message):
    return [block for block in message.blocks if block["type"] == "image"]


def test_an_image_is_an_image_block_and_a_video_a_link_under_the_first_message(bot):
    response = bot.webhook(customer_message(id="a-1", text="Look at the box", attachments=[
        {"type": "image", "url": "https://cdn.example/box.jpg", "alt": "A crushed box <@U1> & tape"},
        {"type": "video", "url": "https://cdn.example/unboxing.mp4", "name": "unboxing.mp4"},
    ]))

    assert response.status_code == 202
    parent = bot.parent()
    [image] = _images(parent)
    assert image["image_url"] == "https://cdn.example/box.jpg"
    assert image["alt_text"] == "A crushed box &lt;@U1&gt; &amp; tape"
    assert "<https://cdn.example/unboxing.mp4|Video: unboxing.mp4>" in shown(parent)
    assert "image attached" not in shown(parent)


def test_a_later_message_shows_its_attachments_in_the_thread(bot):
    bot.webhook(customer_message(id="b-1", conversation_id="post-7"))
    parent = bot.parent()
    bot.webhook(customer_message(id="b-2", conversation_id="post-7", text="", attachments=[
        {"type": "file", "url": "https://cdn.example/receipt.pdf", "name": "receipt.pdf"},
        {"type": "image", "url": "https://cdn.example/label.png"},
    ]))

    [follow_up] = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))
    assert [image["image_url"] for image in _images(follow_up)] == ["https://cdn.example/label.png"]
    assert _images(follow_up)[0]["alt_text"] == "Image sent by the customer"
    assert "<https://cdn.example/receipt.pdf|File: receipt.pdf>" in shown(follow_up)


def test_an_address_that_is_not_http_is_shown_as_text_never_as_a_link_or_image(bot):
    bot.webhook(customer_message(id="c-1", attachments=[
        {"type": "image", "url": "javascript:alert(1)", "name": "cat.png"},
        {"type": "file", "url": "file:///etc/passwd"},
    ]))

    parent = bot.parent()
    assert _images(parent) == []
    text = shown(parent)
    assert "<javascript" not in text and "<file:" not in text
    assert "Image: cat.png (not a web link: `javascript:alert(1)`)" in text
    assert "File (not a web link: `file:///etc/passwd`)" in text


def test_many_images_and_long_alt_texts_stay_within_slacks_limits(bot):
    attachments = [{"type": "image", "url": f"https://cdn.example/{n}.jpg", "alt": "가" * 5000}
                   for n in range(30)]
    attachments.append({"type": "image", "url": "https://cdn.example/" + "x" * 3100})
    bot.webhook(customer_message(id="d-1", attachments=attachments))

    parent = bot.parent()
    images = _images(parent)
    assert 0 < len(images) < len(attachments)
    assert len(parent.blocks) <= limits.MESSAGE_BLOCKS
    assert all(limits.text_units(image["alt_text"]) <= limits.IMAGE_ALT_TEXT for image in images)
    assert "more" in shown(parent) or "Also attached" in shown(parent)


def test_bad_attachment_shapes_are_refused_with_the_field_named(bot):
    cases = [
        ({"type": "sticker", "url": "https://x.example/a"}, "attachments.0.type"),
        ({"type": "image"}, "attachments.0.url"),
        ({"type": "image", "url": 42}, "attachments.0.url"),
        ("https://x.example/a.jpg", "attachments.0"),
    ]
    for attachment, field in cases:
        response = bot.webhook(customer_message(attachments=[attachment]))
        assert response.status_code == 400, attachment
        assert response.json()["field"] == field
    not_a_list = bot.webhook(customer_message(attachments={"type": "image"}))
    assert not_a_list.status_code == 400 and not_a_list.json()["field"] == "attachments"
