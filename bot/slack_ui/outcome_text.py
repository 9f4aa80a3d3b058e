"""The desk's outcomes and refusals as Slack text: the people they name become mentions.

The one place where a domain sentence (``bot.domain.outcomes.Said``) turns into mrkdwn; the rest
of its text is shown as the desk wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.outcomes import ActionRefused, ActionResult, Person, Said


def mention(person: Person) -> str:
    return f"<!subteam^{person.id}>" if person.group else f"<@{person.id}>"


def text(said: Said | str) -> str:
    if isinstance(said, str):
        return said
    return "".join(part if isinstance(part, str) else mention(part) for part in said.parts)


def refusal(error: ActionRefused) -> str:
    """What the teammate is told when the desk refused."""
    return text(error.said)


def summary(result: ActionResult) -> str:
    """What the teammate is told when the desk did it (or found it done already)."""
    return text(result.said)


def deadline_mention(detail: Mapping[str, object]) -> str:
    """Who an SLA note pings: stored as ids (``notify_user`` / ``notify_group``); notes recorded
    before that kept the mention itself (``mention``), shown as it was."""
    if isinstance(user := detail.get("notify_user"), str) and user:
        return mention(Person(user))
    if isinstance(group := detail.get("notify_group"), str) and group:
        return mention(Person(group, group=True))
    old = detail.get("mention")
    return old if isinstance(old, str) else ""
