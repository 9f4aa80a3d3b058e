"""Whatever attachments a customer sends (many, with long or hostile alt texts, names and
addresses), the parent and the thread message that show them are within every Slack limit, and an
address that is not http(s) is never a link or an image."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.slack_ui.thread_notes import activity_message, thread_message
from bot.slack_ui.thread_parent import parent_message
from tests.support.slack import all_text
from tests.support.slack_fuzz import (CONFIG, FUZZ, NOW, activity, assert_message_fits, conversation, customer_text,
                                      message, short_text, url)

address = st.one_of(
    url.filter(lambda value: value is not None),
    st.sampled_from(["javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,AAAA", "ftp://x/y",
                     "https://x.example/a>b|c", "HTTPS://X.EXAMPLE/UP.PNG", " https://x.example/sp ace.png"]),
    st.text(max_size=200),
)
attachment = st.fixed_dictionaries(
    {"type": st.sampled_from(["image", "video", "file", "link"]), "url": address},
    optional={"name": st.one_of(st.none(), short_text), "alt": st.one_of(st.none(), customer_text)},
)


@FUZZ
@given(attachments=st.lists(attachment, max_size=60), text=short_text, name=short_text)
def test_attachments_are_shown_within_slacks_limits(attachments, text, name):
    chat = conversation(name, None)
    first = message(text, None, name)
    first.attachments = attachments

    for built in (parent_message(chat, first, CONFIG, NOW), thread_message(chat, first)):
        assert_message_fits(built)
        images = [block["image_url"] for block in built["blocks"] if block["type"] == "image"]
        assert all(image.lower().startswith(("http://", "https://")) for image in images)
        shown = all_text(built["blocks"])
        assert "<javascript:" not in shown and "<file:" not in shown and "<data:" not in shown


@FUZZ
@given(text=customer_text)
def test_the_edit_and_deletion_notes_fit(text):
    for action, detail in (("customer_edited", {"text": text, "first": True}), ("customer_deleted", {})):
        note = activity_message(activity(action, detail), None, CONFIG)
        assert_message_fits(note)
        assert "<!channel>" not in note["text"]
