"""What a Bluesky post carries besides its text, and which of the posts the desk watches were deleted.

A post record's ``embed`` holds blob references, not addresses: ``app.bsky.embed.images``
(``images[{image: blob, alt}]``), ``app.bsky.embed.video`` (``video: blob, alt``),
``app.bsky.embed.external`` (``external{uri, title}``) and ``app.bsky.embed.recordWithMedia``
(``media``: one of those). Images and videos are served from Bluesky's CDN by the author's DID and
the blob's CID, as the Bluesky app links them. A deleted post is simply gone: ``getPosts`` (up to 25
URIs a call) leaves it out.
"""

from __future__ import annotations

from typing import Any

from bot.inbound import Attachment

IMAGE_CDN = "https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
VIDEO_CDN = "https://video.bsky.app/watch/{did}/{cid}/playlist.m3u8"
GET_POSTS_LIMIT = 25
WATCHED_POSTS = 25
"""The latest customer posts checked for deletion at each poll (one getPosts call)."""


def embed_attachments(author_did: str, embed: Any) -> tuple[Attachment, ...]:
    if not isinstance(embed, dict):
        return ()
    kind = embed.get("$type")
    if kind == "app.bsky.embed.recordWithMedia":
        return embed_attachments(author_did, embed.get("media"))
    if kind == "app.bsky.embed.images":
        images = [item for item in embed.get("images") or [] if isinstance(item, dict)]
        return tuple(Attachment("image", IMAGE_CDN.format(did=author_did, cid=cid), alt=_text(item.get("alt")))
                     for item in images if (cid := _blob_cid(item.get("image"))))
    if kind == "app.bsky.embed.video" and (cid := _blob_cid(embed.get("video"))):
        return (Attachment("video", VIDEO_CDN.format(did=author_did, cid=cid), alt=_text(embed.get("alt"))),)
    if kind == "app.bsky.embed.external":
        external = embed.get("external") or {}
        uri = external.get("uri") if isinstance(external, dict) else None
        if isinstance(uri, str) and uri:
            return (Attachment("link", uri, name=_text(external.get("title"))),)
    return ()


def _blob_cid(blob: Any) -> str | None:
    """A blob's CID: ``{"$type": "blob", "ref": {"$link": cid}}``, or the legacy ``{"cid": cid}``."""
    if not isinstance(blob, dict):
        return None
    ref = blob.get("ref")
    cid = ref.get("$link") if isinstance(ref, dict) else blob.get("cid")
    return cid if isinstance(cid, str) and cid.isalnum() else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def watched_after(watched: list[str], new_uris: list[str], deleted: set[str]) -> list[str]:
    """The posts to check next time: the newest first, without the deleted ones."""
    kept = [uri for uri in [*reversed(new_uris), *watched] if uri not in deleted]
    return list(dict.fromkeys(kept))[:WATCHED_POSTS]
