"""Who answered, as the customer may see it: the brand's signature, rendered for the teammate."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.replying import signature_sandbox
from bot.domain.outcomes import ActionRefused

_SANDBOX = signature_sandbox()


@dataclass(frozen=True)
class Agent:
    """The teammate answering, with their names as Slack gives them (empty when Slack did not say)."""

    slack_id: str
    name: str = ""
    first_name: str = ""


def render_signature(template: str | None, agent: Agent, brand: str, platform: str) -> str | None:
    """The signature for this reply; the template is the brand's (app.yaml), the values are names only."""
    if template is None:
        return None
    values = {"agent": {"first_name": agent.first_name, "name": agent.name, "slack_id": agent.slack_id},
              "brand": brand, "platform": platform}
    try:
        return _SANDBOX.render_limited(template, values).strip() or None
    except Exception as error:  # noqa: BLE001 - whatever the brand's template raises, it cannot be sent
        raise ActionRefused(f"The brand's reply signature could not be filled in: {error}") from None


def signed(text: str, signature: str | None) -> str:
    """The reply as the customer receives it."""
    return f"{text}\n\n{signature}" if signature else text
