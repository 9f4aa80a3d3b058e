"""What an effect is handed when it runs: the worker's services and the job it is an attempt at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.delivery.errors import GiveUp
from bot.delivery.job import Job
from bot.delivery.slack_gateway import SlackGateway
from bot.digest import DigestComposer
from bot.domain.desk import Desk
from storage import deliveries
from storage.db import Database


@dataclass(frozen=True)
class Services:
    db: Database
    desk: Desk
    config: Config
    clock: Clock
    digests: DigestComposer
    slack: SlackGateway


@dataclass
class Attempt:
    """One attempt at carrying out an effect. ``job`` is None for an effect run on request rather
    than from the outbox (App Home, a digest from the command line): its posts carry no job key."""

    services: Services
    job: Job | None = None
    shortened: bool = False
    """Slack refused the content as it was built: every message or view goes in its shortened form."""

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def desk(self) -> Desk:
        return self.services.desk

    @property
    def config(self) -> Config:
        return self.services.config

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def digests(self) -> DigestComposer:
        return self.services.digests

    @property
    def conversation_id(self) -> int:
        if self.job is None or self.job.conversation_id is None:
            raise GiveUp("this effect needs a conversation and has none")
        return self.job.conversation_id

    def call(self, method: str, **kwargs: Any) -> Any:
        """Call a Slack Web API method (``chat_postMessage``, ...) as part of this attempt."""
        return self.services.slack.call(self.job, self.shortened, method, **kwargs)

    def save(self, model: deliveries.Placed, row_id: int, **values: Any) -> None:
        """Record where a message landed on its row (see storage.deliveries.record_place)."""
        with self.db.transaction() as session:
            deliveries.record_place(session, model, row_id, **values)
