"""How the bot runs: the scanners' pace and how the outbox retries."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, model_validator

from bot.config.errors import KeyPathError
from bot.config.fields import Duration, Strict


class Scheduler(Strict):
    scan_interval: Duration = timedelta(seconds=30)


class Delivery(Strict):
    """How the outbox retries effects towards Slack and the platforms."""

    retry_base: Duration = timedelta(seconds=2)
    retry_max: Duration = timedelta(minutes=5)
    max_attempts: int = Field(default=8, ge=1, le=100)
    poll_interval: Duration = timedelta(seconds=5)
    http_timeout: Duration = timedelta(seconds=10)
    channel_pace: Duration = timedelta(seconds=1)
    """Slack asks for at most one message per second per channel."""
    lease: Duration = timedelta(minutes=2)
    """How long a worker holds a job; a job of a worker that died is taken over after this. The worker
    holds it longer when the job's worst case (each of its Slack calls taking http_timeout) needs it."""

    @model_validator(mode="after")
    def _lease_outlasts_a_call(self) -> Delivery:
        if self.lease < 2 * self.http_timeout:
            raise KeyPathError("delivery.lease", "must be at least twice http_timeout, or a slow call could "
                               "be taken over by another worker and done twice")
        return self
