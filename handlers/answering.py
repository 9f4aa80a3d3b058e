"""How a listener answers the teammate when the desk refused or changed nothing."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond

from bot.domain.outcomes import ActionRefused, ActionResult
from bot.slack_ui import outcome_text


def act(ack: Ack, respond: Respond, action: Callable[[], ActionResult]) -> None:
    """Change state first, then acknowledge: a click that could not be stored shows Slack's error."""
    try:
        result = action()
    except ActionRefused as refusal:
        ack()
        respond(text=outcome_text.refusal(refusal), response_type="ephemeral", replace_original=False)
        return
    ack()
    if not result.changed:
        respond(text=outcome_text.summary(result), response_type="ephemeral", replace_original=False)


class refusals_to:  # noqa: N801 - used as ``with refusals_to(respond):``
    """Turn an ActionRefused inside the block into an ephemeral message for the clicker."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, ActionRefused):
            self._respond(text=outcome_text.refusal(error), response_type="ephemeral", replace_original=False)
            return True
        return False
