"""What teammates look at: a conversation and its history, the queues, App Home, drafts, canned replies."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.domain.access import DirectoryUnavailable, Role
from bot.domain.channel_alerts import NOTE_PREFIX, ChannelAlert, channel_alerts
from bot.domain.kernel import Kernel
from bot.domain.outcomes import ActionRefused
from bot.domain.verbs import Verb
from bot.templates import CannedReply
from storage import repositories as repo
from storage.models import Activity, Conversation, Message, Reply, Status
from storage.query_results import ConversationHead
from storage.repositories import QueueEntry


@dataclass(frozen=True)
class TeamFigures:
    since: datetime
    messages: int
    conversations: int
    median_first_response: timedelta | None
    sla_met: int
    sla_due: int

    @property
    def sla_percent(self) -> float | None:
        return 100.0 * self.sla_met / self.sla_due if self.sla_due else None


@dataclass(frozen=True)
class HomeData:
    user: str
    mine: list[QueueEntry]
    unassigned: list[QueueEntry]
    overdue: list[QueueEntry]
    figures: TeamFigures
    at: datetime
    channel_alerts: list[ChannelAlert] = field(default_factory=list)
    """Channels Slack refuses posts in; shown to admins only."""
    unshown: tuple[tuple[str, str, str], ...] = ()
    """For admins: what Slack refused to show even shortened, as (effect kind, reference or brand, error)."""


QUEUE_VIEWS = ("all", "mine", "unassigned", "overdue", "escalated")


class Queries:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.config = kernel.config

    def get(self, conversation_id: int) -> Conversation:
        with self.db.reading() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise ActionRefused(f"Conversation {conversation_id} no longer exists.")
            return conversation

    def head(self, conversation_id: int) -> ConversationHead:
        """The few columns a form opened on the conversation needs (``get`` reads the whole row)."""
        with self.db.reading_rows() as connection:
            head = repo.conversation_head(connection, conversation_id)
        if head is None:
            raise ActionRefused(f"Conversation {conversation_id} no longer exists.")
        return head

    def find(self, ref: str) -> Conversation:
        with self.db.reading() as session:
            conversation = repo.conversation_by_ref(session, ref)
            if conversation is None:
                raise ActionRefused(f"No conversation {ref.upper()}; references look like ACME-12.")
            return conversation

    def customer_message(self, message_id: int) -> tuple[Conversation, Message]:
        """A customer message and its conversation, for showing all of it."""
        with self.db.reading() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise ActionRefused("This message no longer exists.")
            return session.get_one(Conversation, message.conversation_id), message

    def last_customer_message(self, conversation_id: int) -> Message | None:
        with self.db.reading() as session:
            return repo.last_customer_message(session, conversation_id)

    def first_text(self, conversation_id: int) -> str:
        with self.db.transaction() as session:
            first = repo.first_message_after(session, conversation_id, None)
            return first.text if first else ""

    def tags(self, conversation_id: int) -> list[str]:
        with self.db.transaction() as session:
            return repo.tags_of(session, conversation_id)

    def history(self, conversation_id: int) -> list[Activity]:
        with self.db.transaction() as session:
            return repo.activities(session, conversation_id)

    def queue(self, view: str, actor: str, brand_id: str | None = None, limit: int = 20) -> list[QueueEntry]:
        """Open conversations for one of the views: all, mine, unassigned, overdue, escalated."""
        if view not in QUEUE_VIEWS:
            raise ActionRefused(f"Unknown queue {view!r}; use one of: {', '.join(QUEUE_VIEWS)}.")
        if brand_id is not None and brand_id not in self.config.brands:
            raise ActionRefused(f"Unknown brand {brand_id!r} (known: {', '.join(self.config.brands)}).")
        if brand_id is not None:
            self.kernel.require(actor, brand_id, Verb.VIEW)
        brands = [brand_id] if brand_id else self.kernel.access.viewable_brands(actor)
        now = self.kernel.clock.now()
        with self.db.reading_rows() as connection:
            match view:
                case "mine":
                    return repo.open_conversations(connection, brand_ids=brands, limit=limit, assignee=actor,
                                                   awake_at=now)
                case "unassigned":
                    return repo.open_conversations(connection, brand_ids=brands, limit=limit, unassigned=True,
                                                   awake_at=now)
                case "overdue":
                    return repo.open_conversations(connection, brand_ids=brands, limit=limit, due_before=now,
                                                   awake_at=now)
                case "escalated":
                    return repo.open_conversations(connection, brand_ids=brands, limit=limit,
                                                   status=Status.ESCALATED, awake_at=now)
            return repo.open_conversations(connection, brand_ids=brands, limit=limit, awake_at=now)

    def quiet_today(self, brand_id: str, actor: str) -> list[Conversation]:
        self.kernel.require(actor, brand_id, Verb.VIEW)
        zone = self.config.brands[brand_id].zone
        now = self.kernel.clock.now()
        midnight = datetime.combine(now.astimezone(zone).date(), time(), zone)
        with self.db.transaction() as session:
            return repo.quiet_conversations(session, brand_id, midnight.astimezone(now.tzinfo))

    def drafts(self, actor: str, brand_id: str | None = None) -> list[tuple[Conversation, Reply]]:
        if brand_id is not None:
            self.kernel.require(actor, brand_id, Verb.VIEW)
        brands = [brand_id] if brand_id else self.kernel.access.viewable_brands(actor)
        with self.db.transaction() as session:
            return repo.drafts(session, brands)

    def templates_for(self, conversation: Conversation) -> list[CannedReply]:
        return self.kernel.templates.for_brand(conversation.brand_id)

    def templates_of(self, actor: str, brand_id: str) -> list[CannedReply]:
        """The brand's canned replies, for someone who may view the brand."""
        self.kernel.require(actor, brand_id, Verb.VIEW)
        return self.kernel.templates.for_brand(brand_id)

    def home(self, user: str, limit: int = 10) -> HomeData:
        """What a teammate's App Home shows: their queue, what nobody took, what is late, the week."""
        now = self.kernel.clock.now()
        since = now - timedelta(days=7)
        brands = self.kernel.access.viewable_brands(user)
        with self.db.transaction() as session:
            mine = repo.open_conversations(session, brand_ids=brands, assignee=user, limit=limit, awake_at=now)
            unassigned = repo.open_conversations(session, brand_ids=brands, unassigned=True, limit=limit,
                                                 awake_at=now)
            overdue = repo.open_conversations(session, brand_ids=brands, due_before=now, limit=limit, awake_at=now)
            count, durations, met, due = repo.first_responses_since(session, since, now, brands)
            messages = repo.messages_since(session, since, brands)
            refused = repo.pending_job_errors(session, NOTE_PREFIX) if self._is_an_admin(user) else []
        median = timedelta(seconds=statistics.median(durations)) if durations else None
        figures = TeamFigures(since, messages, count, median, met, due)
        return HomeData(user, mine, unassigned, overdue, figures, now, channel_alerts(refused),
                        self._unshown_for(user))

    def _unshown_for(self, user: str) -> tuple[tuple[str, str, str], ...]:
        """The effects Slack refused even shortened, in the brands the user is an admin of."""
        with self.db.reading() as session:
            refused = repo.refused_effects(session)
        shown = []
        for kind, ref, brand_id, error in refused:
            if brand_id in self.config.brands and self._is_admin(user, brand_id):
                shown.append((kind, ref or self.config.brands[brand_id].name, error))
        return tuple(shown)

    def _is_admin(self, user: str, brand_id: str) -> bool:
        try:
            return self.kernel.access.role_of(user, brand_id) == Role.ADMIN
        except DirectoryUnavailable:
            return False

    def _is_an_admin(self, user: str) -> bool:
        return any(self._is_admin(user, brand_id) for brand_id in self.config.brands)
