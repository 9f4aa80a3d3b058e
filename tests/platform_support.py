"""What the platform tests share: a configuration with extra sources, and the Reply clicks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.config import Config, parse_config
from storage.models import Message, Reply
from tests.conftest import ALICE, CONFIG_TEMPLATE


def config_with_sources(sources_yaml: str) -> Config:
    """The usual test configuration plus the given sources (YAML lines indented by two spaces)."""
    template = CONFIG_TEMPLATE.replace("{reply_url}", "http://127.0.0.1:9/replies")
    return parse_config(template.replace("\nsources:\n", "\nsources:\n" + sources_yaml.rstrip("\n") + "\n", 1))


def open_reply_modal(bot: Any, parent: Any = None, user: str = ALICE) -> dict[str, Any]:
    """Click Reply under the conversation and return the modal that opens."""
    before = (bot.api.view_for_user(user) or {}).get("id")
    assert bot.slack.click(user, parent or bot.parent(), "reply").status_code == 200
    return bot.api.wait_for(lambda: (view := bot.api.view_for_user(user)) and view["id"] != before and view)


def reply_in_slack(bot: Any, text: str, parent: Any = None, user: str = ALICE) -> Any:
    """Click Reply, type ``text`` and press Send; returns the answer to the submission."""
    modal = open_reply_modal(bot, parent, user)
    return bot.slack.submit(user, modal, {"text": text})


def stored_messages(bot: Any) -> int:
    with bot.runtime.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def last_reply(bot: Any) -> Reply:
    with bot.runtime.db.transaction() as session:
        return session.scalars(select(Reply).order_by(Reply.id.desc()).limit(1)).one()
