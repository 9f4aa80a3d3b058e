"""Text from outside made storable before anything reads or stores it. PostgreSQL refuses NUL in
text and JSON, and no UTF-8 text holds half of a UTF-16 surrogate pair; names longer than their
column are cut, ids that long are refused (cutting one would merge two conversations)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from bot.inbound import Attachment, Author, InboundMessage

ID_LENGTH = NAME_LENGTH = 255
PLATFORM_LENGTH = 40
_REFUSED = re.compile("[\x00\ud800-\udfff]")


class OverlongId(ValueError):
    def __init__(self, field: str, length: int) -> None:
        super().__init__(f"{field}: longer than {length} characters")
        self.field = field
        self.reason = f"String should have at most {length} characters"


def clean(text: str) -> str:
    """Without NUL; a lone surrogate becomes U+FFFD."""
    if not _REFUSED.search(text):
        return text
    return _REFUSED.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", text)


def clean_in_place(node: Any) -> Any:
    """Every string of a parsed JSON value (dicts and lists changed in place), keys included."""
    if isinstance(node, dict):
        for key in list(node):
            value = node.pop(key) if isinstance(key, str) and _REFUSED.search(key) else node[key]
            node[clean(key) if isinstance(key, str) else key] = clean(value) if isinstance(value, str) \
                else clean_in_place(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = clean(value) if isinstance(value, str) else clean_in_place(value)
    return node


def storable(inbound: InboundMessage) -> InboundMessage:
    """The message with every string cleaned and names cut; OverlongId names an id too long to keep."""
    ids = {"id": inbound.external_id, "conversation_id": inbound.conversation_external_id,
           "author.id": inbound.author.id, "in_reply_to": inbound.in_reply_to}
    cleaned_ids = {field: clean(value) if value is not None else None for field, value in ids.items()}
    for field, value in cleaned_ids.items():
        if value is not None and len(value) > ID_LENGTH:
            raise OverlongId(field, ID_LENGTH)
    author = inbound.author
    return dataclasses.replace(
        inbound,
        external_id=cleaned_ids["id"] or "",
        conversation_external_id=cleaned_ids["conversation_id"] or "",
        author=Author(id=cleaned_ids["author.id"] or "", name=_cut(clean(author.name), NAME_LENGTH),
                      handle=_cut(clean(author.handle), NAME_LENGTH) if author.handle is not None else None),
        in_reply_to=cleaned_ids["in_reply_to"],
        text=clean(inbound.text),
        url=clean(inbound.url) if inbound.url is not None else None,
        kind=clean(inbound.kind),
        platform=_cut(clean(inbound.platform), PLATFORM_LENGTH) if inbound.platform is not None else None,
        attachments=tuple(Attachment(clean(a.type), clean(a.url), clean(a.name) if a.name is not None else None,
                                     clean(a.alt) if a.alt is not None else None) for a in inbound.attachments),
    )


def _cut(text: str, length: int) -> str:
    """At most ``length`` characters, not ending in the middle of a combining sequence."""
    if len(text) <= length:
        return text
    cut = text[:length]
    while cut and _combines(text[len(cut)]):
        cut = cut[:-1]
    return cut


def _combines(char: str) -> bool:
    return unicodedata.combining(char) != 0 or char in "\u200d\ufe0f"
