"""How a brand's replies go out: the signature after each one, and public or private by default."""

from __future__ import annotations

from pydantic import Field, field_validator
from jinja2 import StrictUndefined

from bot.config.fields import Kind, Strict
from bot.template_sandbox import LimitedSandbox

SIGNATURE_VARIABLES = "{{ agent.first_name }}, {{ agent.name }}, {{ brand }} and {{ platform }}"
SAMPLE = {"agent": {"first_name": "Jane", "name": "Jane Doe", "slack_id": "U0SAMPLE"}, "brand": "Acme",
          "platform": "Facebook"}


def signature_sandbox() -> LimitedSandbox:
    return LimitedSandbox(undefined=StrictUndefined, autoescape=False)


class Replying(Strict):
    signature: str | None = Field(default=None, min_length=1, max_length=500)
    """A template appended to every reply on every platform (e.g. ``— {{ agent.first_name }}, Acme``),
    counted within the platform's limit."""
    private_by_default: tuple[Kind, ...] = ()
    """Kinds answered privately unless the teammate picks public, where the platform allows both."""

    @field_validator("signature")
    @classmethod
    def _fills_in(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            signature_sandbox().render_limited(value, SAMPLE)
        except Exception as error:  # noqa: BLE001 - any failure of the brand's template is reported the same way
            raise ValueError(f"the signature template does not fill in ({error}); it may use "
                             f"{SIGNATURE_VARIABLES}") from None
        return value
