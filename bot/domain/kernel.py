"""The step every action goes through: the conversation row-locked, the actor's role checked, a
refusal audited; system-side work tried again when a concurrent writer got there first; and what
every verb family shares (the platforms, deadlines, templates, the wake-up of the delivery worker)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.business_hours import BusinessCalendar
from bot.clock import Clock
from bot.config import Config
from bot.domain.access import Access
from bot.domain.activity import refusal_entry
from bot.domain.counters import Counters, NoCounters
from bot.domain.deadlines import Deadlines
from bot.domain.outcomes import ActionRefused
from bot.domain.verbs import ALLOWED_WHILE_FILTERED, Verb
from bot.platforms import PlatformClient
from bot.platforms.tracked import TRACKED, brand_of_tracked_source
from bot.templates import TemplateBook
from storage.db import Database
from storage.models import Conversation, Status
from storage.query_results import ConversationHead

_T = TypeVar("_T")
_RACES = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def _lost_a_race(error: Exception) -> bool:
    """A concurrent writer got there first; the work is worth trying again."""
    if isinstance(error, (IntegrityError, StaleDataError)):
        return True
    return getattr(getattr(error, "orig", None), "sqlstate", None) in _RACES


class Kernel:
    def __init__(
        self,
        db: Database,
        config: Config,
        clock: Clock,
        platforms: Mapping[str, PlatformClient],
        templates: TemplateBook | None = None,
        on_effects: Callable[[], None] = lambda: None,
        access: Access | None = None,
        counters: Counters | None = None,
    ) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.platforms = platforms
        self.templates = templates or TemplateBook(config)
        self.access = access or Access(config)
        self.counters: Counters = counters or NoCounters()
        self.deadlines = Deadlines(config)
        self._on_effects = on_effects

    def notify_effects(self) -> None:
        self._on_effects()

    def set_effects_listener(self, listener: Callable[[], None]) -> None:
        """Called after every commit that queued effects (the delivery worker wakes up)."""
        self._on_effects = listener

    def calendar(self, brand_id: str) -> BusinessCalendar:
        return self.deadlines.calendar(brand_id)

    def platform(self, source_id: str) -> PlatformClient:
        if brand_of_tracked_source(source_id) is not None:
            return TRACKED
        return self.platforms[source_id]

    def local_day(self, brand_id: str, moment: datetime) -> str:
        return moment.astimezone(self.config.brands[brand_id].zone).date().isoformat()

    def retrying(self, work: Callable[[Session], _T], attempts: int = 5) -> _T:
        """Run a system-side unit of work, again if a concurrent writer got there first: the next
        attempt sees what it stored (the same message, a newer version of the conversation). A
        deadlock that PostgreSQL broke by failing this side is tried again too."""
        for attempt in range(attempts):
            try:
                with self.db.transaction() as session:
                    return work(session)
            except (DBAPIError, StaleDataError) as error:
                if attempt == attempts - 1 or not _lost_a_race(error):
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def changing(self, conversation_id: int, actor: str, verb: Verb
                 ) -> Iterator[tuple[Session, Conversation, datetime]]:
        """One teammate's change: the conversation row-locked, the actor's role checked, and a
        refusal of any kind written to the audit log before the teammate hears of it."""
        brand_id: str | None = None
        try:
            try:
                with self.db.transaction() as session:
                    conversation = session.get(Conversation, conversation_id, with_for_update=True)
                    if conversation is None:
                        raise ActionRefused(f"Conversation {conversation_id} no longer exists.")
                    brand_id = conversation.brand_id
                    self.require(actor, brand_id, verb)
                    if conversation.status == Status.QUIET and verb not in ALLOWED_WHILE_FILTERED:
                        raise ActionRefused(
                            f"{conversation.ref} was filtered as needing no answer ({conversation.quiet_reason}); "
                            f"bring it back with `{self.config.slash_command} unquiet {conversation.ref}` first.")
                    yield session, conversation, self.clock.now()
            except StaleDataError:
                raise ActionRefused(
                    "Someone changed this conversation at the same moment; look at the thread and try again."
                ) from None
            except IntegrityError:
                # The same request (a double-submitted form) was stored a moment ago by another worker.
                raise ActionRefused("That was already done a moment ago.") from None
        except ActionRefused as refusal:
            self.audit_refusal(actor, verb, str(refusal), brand_id, conversation_id if brand_id else None)
            raise
        self._on_effects()

    # -- who may do what -------------------------------------------------------------------

    def require(self, actor: str, brand_id: str, verb: Verb | str) -> None:
        refusal = self.access.refusal(actor, brand_id, Verb(verb))
        if refusal is not None:
            raise ActionRefused(refusal)

    def require_for(self, actor: str, conversation: Conversation | ConversationHead, verb: Verb | str) -> None:
        """The check before a form opens; refusals are audited like refused changes."""
        try:
            self.require(actor, conversation.brand_id, verb)
        except ActionRefused as refusal:
            self.audit_refusal(actor, Verb(verb), str(refusal), conversation.brand_id, conversation.id)
            raise

    def audit_refusal(self, actor: str | None, action: Verb | str, reason: str, brand_id: str | None = None,
                      conversation_id: int | None = None) -> None:
        with self.db.transaction() as session:
            session.add(refusal_entry(self.clock.now(), actor, action, reason, brand_id, conversation_id))
