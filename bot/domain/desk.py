"""The desk: every state change of a conversation goes through here.

A facade over the verb families, so that callers keep one object: ingest (with automatic replies),
conversation actions, replies and approvals, moderation, outcomes from the delivery worker, and
queries. Each family is a module of its own; they share the kernel (``bot/domain/kernel.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.clock import Clock
from bot.config import Config
from bot.domain.access import Access
from bot.domain.conversation_actions import ConversationActions
from bot.domain.counters import Counters
from bot.domain.ingest import Ingest
from bot.domain.kernel import Kernel
from bot.domain.moderation import Moderation
from bot.domain.outcomes import ActionRefused, ActionResult, IngestResult, ReplyCrossed, ReplyRepeated
from bot.domain.queries import HomeData, Queries, TeamFigures
from bot.domain.replies import Replies
from bot.domain.reply_text import check_reply, ensure_can_reply, fill_template, private_default
from bot.domain.snooze import Snoozing
from bot.domain.search import Search
from bot.domain.worker_outcomes import WorkerOutcomes
from bot.platforms import PlatformClient
from bot.templates import TemplateBook
from storage.db import Database
from storage.models import Conversation

__all__ = ["ActionRefused", "ActionResult", "Desk", "HomeData", "IngestResult", "ReplyCrossed",
           "ReplyRepeated", "TeamFigures"]


class Desk:
    def __init__(
        self,
        db: Database,
        config: Config,
        clock: Clock,
        platforms: Mapping[str, PlatformClient],
        templates: TemplateBook | None = None,
        on_effects: Callable[[], None] = lambda: None,
        access: Access | None = None,
        metrics: Counters | None = None,
    ) -> None:
        kernel = self.kernel = Kernel(db, config, clock, platforms, templates, on_effects, access, metrics)
        self.db, self.config, self.clock, self.platforms = db, config, clock, platforms
        self.templates, self.access, self.metrics = kernel.templates, kernel.access, kernel.counters

        self.notify_effects = kernel.notify_effects
        self.set_effects_listener = kernel.set_effects_listener
        self.calendar = kernel.calendar
        self.platform = kernel.platform
        self.require = kernel.require
        self.require_for = kernel.require_for
        self.audit_refusal = kernel.audit_refusal

        ingest = Ingest(kernel)
        self.ingest, self.ingest_many, self.track = ingest.ingest, ingest.ingest_many, ingest.track

        actions = ConversationActions(kernel)
        self.assign, self.resolve = actions.assign, actions.resolve
        self.wait, self.reopen = actions.wait, actions.reopen
        self.escalate, self.note, self.unquiet = actions.escalate, actions.note, actions.unquiet
        self.tag, self.untag, self.correct_priority = actions.tag, actions.untag, actions.correct_priority

        snoozing = Snoozing(kernel)
        self.snooze, self.unsnooze = snoozing.snooze, snoozing.unsnooze

        replies = Replies(kernel)
        self.reply, self.approve, self.reject, self.retry_reply = (
            replies.reply, replies.approve, replies.reject, replies.retry_reply)
        self.get_reply, self.latest_draft, self.latest_reply_id = (
            replies.get_reply, replies.latest_draft, replies.latest_reply_id)

        moderation = Moderation(kernel)
        self.moderate, self.moderation_options = moderation.moderate, moderation.moderation_options

        outcomes = WorkerOutcomes(kernel)
        self.reply_delivered, self.reply_failed, self.moderation_done = (
            outcomes.reply_delivered, outcomes.reply_failed, outcomes.moderation_done)
        self.drop_if_answered = outcomes.drop_if_answered

        queries = Queries(kernel)
        self.get, self.head, self.find, self.customer_message = (
            queries.get, queries.head, queries.find, queries.customer_message)
        self.last_customer_message, self.first_text, self.tags = (
            queries.last_customer_message, queries.first_text, queries.tags)
        self.history, self.queue, self.quiet_today, self.drafts, self.home = (
            queries.history, queries.queue, queries.quiet_today, queries.drafts, queries.home)
        self.templates_for, self.templates_of = queries.templates_for, queries.templates_of
        self.search = Search(kernel).search

    def ensure_can_reply(self, conversation: Conversation) -> PlatformClient:
        return ensure_can_reply(self.kernel, conversation)

    def check_reply(self, conversation: Conversation, text: str) -> str:
        """The reply text as it will be sent, or ActionRefused saying what to fix."""
        return check_reply(self.kernel, conversation, text)

    def private_default(self, conversation: Conversation) -> bool | None:
        """Private unless chosen otherwise? None where the platform answers this conversation one way only."""
        return private_default(self.kernel, conversation)

    def fill_template(self, conversation: Conversation, name: str, agent_first_name: str, agent_name: str) -> str:
        """A canned reply filled in for this conversation; customer data enters only as values."""
        return fill_template(self.kernel, conversation, name, agent_first_name, agent_name)
