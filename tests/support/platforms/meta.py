"""Meta (Facebook Pages, Instagram): the source's ids and secrets, a bot started with it, and webhook
deliveries shaped like Meta's, signed with the app secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from bot.platforms.meta import SIGNATURE_HEADER
from tests.support.bot import running_bot
from tests.support.config import config_with_sources

PAGE_ID, IG_ID = "448242228374517", "17841405822304914"
APP_SECRET, VERIFY_TOKEN, PAGE_TOKEN = "meta-app-secret", "meta-verify-token", "EAAG-page-token"
CREDENTIALS = {"acme-meta": {"app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN, "page_token": PAGE_TOKEN}}


def start(database_url: str, slack_api: Any, graph: Any, clock: Any = None) -> Any:
    config = config_with_sources(f"""
  acme-meta:
    brand: acme
    type: meta
    page_id: "{PAGE_ID}"
    instagram_account_id: "{IG_ID}"
    app_secret_env: ACME_META_APP_SECRET
    verify_token_env: ACME_META_VERIFY_TOKEN
    page_token_env: ACME_META_PAGE_TOKEN
    api_url: {graph.url}
""")
    return running_bot(database_url, slack_api, config, clock, credentials=CREDENTIALS)


def post(bot: Any, body: bytes, sign_with: str | None = APP_SECRET) -> Any:
    headers = {"Content-Type": "application/json"}
    if sign_with is not None:
        headers[SIGNATURE_HEADER] = signature(sign_with, body)
    return bot.http.post(f"{bot.url}/webhooks/acme-meta", content=body, headers=headers)


# -- webhook deliveries ---------------------------------------------------------------------------


def delivery(object_type: str, *entries: dict[str, Any]) -> bytes:
    """A webhook body as Meta sends it: JSON with non-ASCII escaped."""
    return json.dumps({"object": object_type, "entry": list(entries)}).encode()


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def entry(entry_id: str, changes: list[dict[str, Any]] | None = None,
          messaging: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry_id, "time": int(time.time())}
    if changes is not None:
        item["changes"] = changes
    if messaging is not None:
        item["messaging"] = messaging
    return item


def feed_comment(page_id: str, comment_id: str, message: str, author: tuple[str, str] = ("6001", "Kim Minji"),
                 verb: str = "add", parent_id: str | None = None, post: str = "122131676912594941") -> dict[str, Any]:
    """A Page ``feed`` change for a comment, shaped like a captured delivery."""
    post_id = f"{page_id}_{post}"
    return {"field": "feed", "value": {
        "from": {"id": author[0], "name": author[1]},
        "post": {"status_type": "mobile_status_update", "is_published": True,
                 "updated_time": "2026-11-23T09:20:04+0000", "promotion_status": "inactive", "id": post_id},
        "message": message, "post_id": post_id, "comment_id": f"{post}_{comment_id}",
        "created_time": int(time.time()), "item": "comment", "parent_id": parent_id or post_id, "verb": verb,
    }}


def instagram_comment(comment_id: str, text: str, username: str = "minji.kim", user_id: str = "17841400001",
                      parent_id: str | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"id": comment_id, "from": {"id": user_id, "username": username}, "text": text,
                             "media": {"id": "17890000000000001", "media_product_type": "FEED"}}
    if parent_id:
        value["parent_id"] = parent_id
    return {"field": "comments", "value": value}


def message_event(sender: str, recipient: str, mid: str, text: str, timestamp_ms: int | None = None,
                  echo: bool = False) -> dict[str, Any]:
    """One ``messaging`` item (Messenger or Instagram DM)."""
    message: dict[str, Any] = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    return {"sender": {"id": sender}, "recipient": {"id": recipient},
            "timestamp": timestamp_ms if timestamp_ms is not None else int(time.time() * 1000), "message": message}
