"""What every listener reads of a Slack request, and who sent it."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.outcomes import ActionRefused
from bot.domain.signature import Agent
from handlers.ack_budget import before_ack

NAMES_WAIT = 1.0
"""How long a reply waits for Slack to say the teammate's names (users.info) before going without."""

MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
"""What reading a payload that lacks what Slack always sends raises."""


def user_of(body: dict[str, Any]) -> str:
    return body["user"]["id"]


def clicked_number(body: dict[str, Any], what: str) -> int:
    """The id a button carries as its value; refused when it carries none."""
    value = body["actions"][0].get("value", "")
    if not value.isdigit():
        raise ActionRefused(f"This button is not linked to {what}.")
    return int(value)


def agent_names(client: WebClient, user_id: str) -> tuple[str, str]:
    """The teammate's first and full name as Slack knows them, for templates."""
    try:
        profile = client.users_info(user=user_id)["user"]
    except SlackApiError:
        return "", ""
    names = profile.get("profile", {})
    full = names.get("real_name") or profile.get("real_name") or profile.get("name", "")
    first = names.get("first_name") or full.split(" ")[0]
    return first, full


def agent_in_time(client: WebClient, user_id: str, arrived: float) -> Agent:
    """The teammate answering, named as Slack knows them unless Slack is slow to say (the ack must
    not wait past Slack's 3 seconds): then nameless, as when Slack refuses to say."""
    first, full = before_ack(lambda: agent_names(client, user_id), arrived, ("", ""), NAMES_WAIT)
    return Agent(user_id, full, first)
