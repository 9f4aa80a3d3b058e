"""A teammate moves a conversation along: assign, resolve, wait, reopen, escalate, note, tag,
correct its priority, bring it back from the filtered messages."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.activity import record_activity
from bot.domain.escalation import escalate_in
from bot.domain.kernel import Kernel
from bot.domain.lifecycle import add_tags, bring_back, hand_off_lead
from bot.domain.outcomes import ActionRefused, ActionResult, Person, Said, done, unchanged
from bot.domain.verbs import Happened, Verb
from bot.triage.rules import PRIORITY_ORDER, rank
from storage import repositories as repo
from storage.models import Status

TAG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")


class ConversationActions:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.deadlines = kernel.deadlines

    def assign(self, conversation_id: int, actor: str, assignee: str, seen_assignee: str | None | bool = False
               ) -> ActionResult:
        """Give the conversation to someone. ``seen_assignee`` is who had it when the teammate looked
        (False: not known): if someone else took it since, the teammate is told instead of overriding."""
        with self.kernel.changing(conversation_id, actor, Verb.ASSIGN) as (session, conversation, now):
            current = conversation.assignee_slack_id
            if seen_assignee is not False and current != seen_assignee and current not in (None, assignee):
                raise ActionRefused(Said(Person(current), f" took {conversation.ref} a moment ago. "
                                         "To hand it over anyway, press Assign again."))
            if conversation.assignee_slack_id == assignee:
                return unchanged(conversation, f"{conversation.ref} is already assigned to ", Person(assignee), ".")
            previous = conversation.assignee_slack_id
            conversation.assignee_slack_id = assignee
            record_activity(session, conversation, actor, Happened.ASSIGNED, now, assignee=assignee,
                            previous_assignee=previous)
            return done(conversation, f"{conversation.ref} assigned to ", Person(assignee), ".")

    def resolve(self, conversation_id: int, actor: str) -> ActionResult:
        with self.kernel.changing(conversation_id, actor, Verb.RESOLVE) as (session, conversation, now):
            if conversation.status == Status.RESOLVED:
                return unchanged(conversation, f"{conversation.ref} is already resolved.")
            conversation.status = Status.RESOLVED
            conversation.resolved_at = now
            conversation.response_due_at = None
            conversation.snoozed_until = None  # a reopened conversation is not snoozed any more
            self.deadlines.replan(conversation)
            record_activity(session, conversation, actor, Happened.RESOLVED, now)
            return done(conversation, f"{conversation.ref} resolved.")

    def wait(self, conversation_id: int, actor: str) -> ActionResult:
        """Waiting on the customer: the brand may choose to stop the clocks until they write again."""
        with self.kernel.changing(conversation_id, actor, Verb.WAIT) as (session, conversation, now):
            if conversation.status in (Status.WAITING, Status.RESOLVED):
                return unchanged(conversation, f"{conversation.ref} is {conversation.status} already.")
            conversation.status = Status.WAITING
            policy = self.kernel.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
            if policy.pause_while_waiting:
                conversation.paused_at = now
            self.deadlines.replan(conversation)
            record_activity(session, conversation, actor, Happened.WAITING, now,
                            paused=bool(policy.pause_while_waiting))
            return done(conversation, f"{conversation.ref} is waiting on the customer.")

    def reopen(self, conversation_id: int, actor: str) -> ActionResult:
        with self.kernel.changing(conversation_id, actor, Verb.REOPEN) as (session, conversation, now):
            if conversation.status not in (Status.RESOLVED, Status.WAITING):
                return unchanged(conversation, f"{conversation.ref} is not resolved; it is {conversation.status}.")
            conversation.status = Status.OPEN
            conversation.resolved_at = None
            self.deadlines.resume(conversation, now)
            self.deadlines.replan(conversation)
            record_activity(session, conversation, actor, Happened.REOPENED, now)
            return done(conversation, f"{conversation.ref} reopened.")

    def escalate(self, conversation_id: int, actor: str, tier_id: str, reason: str) -> ActionResult:
        tier = self.kernel.config.escalation.get(tier_id)
        if tier is None:
            known = ", ".join(self.kernel.config.escalation) or "none configured"
            raise ActionRefused(f"Unknown escalation tier {tier_id!r} (known: {known}).")
        reason = reason.strip()
        if not reason:
            raise ActionRefused("Say why you escalate: the reason is required.")
        with self.kernel.changing(conversation_id, actor, Verb.ESCALATE) as (session, conversation, now):
            if conversation.status == Status.ESCALATED and conversation.escalation_tier == tier_id:
                return unchanged(conversation, f"{conversation.ref} is already escalated to {tier.name}.")
            escalate_in(session, conversation, actor, tier_id, reason, now)
            return done(conversation, f"{conversation.ref} escalated to {tier.name}.")

    def note(self, conversation_id: int, actor: str, text: str) -> ActionResult:
        """An internal note in the thread: never sent to the customer."""
        text = text.strip()
        if not text:
            raise ActionRefused("The note is empty.")
        with self.kernel.changing(conversation_id, actor, Verb.NOTE) as (session, conversation, now):
            record_activity(session, conversation, actor, Happened.NOTED, now, update_parent=False, text=text[:3000])
            return done(conversation, f"Note added to {conversation.ref}.")

    def tag(self, conversation_id: int, actor: str, tags: Sequence[str]) -> ActionResult:
        """Label the conversation; the tag `lead` also hands it to the sales channel."""
        if not tags:
            raise ActionRefused("Say which tags to add, e.g. `bug pricing lead`.")
        bad = [tag for tag in tags if not TAG_PATTERN.fullmatch(tag)]
        if bad:
            raise ActionRefused(f"`{bad[0][:40]}` is not a tag: use lowercase letters, digits, - and _ (up to 30).")
        with self.kernel.changing(conversation_id, actor, Verb.TAG) as (session, conversation, now):
            added = add_tags(session, conversation, tags, actor, now)
            if not added:
                return unchanged(conversation, f"{conversation.ref} has those tags already.")
            record_activity(session, conversation, actor, Happened.TAGGED, now, tags=added)
            if "lead" in added:
                hand_off_lead(self.kernel, session, conversation, actor, now)
            return done(conversation, f"{conversation.ref} tagged {', '.join(added)}.")

    def untag(self, conversation_id: int, actor: str, tags: Sequence[str]) -> ActionResult:
        with self.kernel.changing(conversation_id, actor, Verb.UNTAG) as (session, conversation, now):
            removed = repo.remove_tags(session, conversation.id, tags)
            if not removed:
                return unchanged(conversation, f"{conversation.ref} has none of those tags.")
            record_activity(session, conversation, actor, Happened.UNTAGGED, now, tags=removed)
            return done(conversation, f"{conversation.ref}: removed {', '.join(removed)}.")

    def correct_priority(self, conversation_id: int, actor: str, priority: str) -> ActionResult:
        """A teammate overrules triage ("Not urgent", `/social triage ACME-12 normal`): the
        deadline follows the new priority, and the correction is kept for export and tuning."""
        if priority not in PRIORITY_ORDER:
            raise ActionRefused(f"`{priority[:20]}` is not a priority: use urgent, high, normal or low.")
        with self.kernel.changing(conversation_id, actor, Verb.TRIAGE) as (session, conversation, now):
            if conversation.priority == priority:
                return unchanged(conversation, f"{conversation.ref} is already `{priority}`.")
            previous, category = conversation.priority, conversation.risk_category
            conversation.priority = priority
            if rank(priority) < rank("high"):
                conversation.risk_category = None  # the teammate dismissed what triage saw
            if conversation.response_due_at is not None:
                first = conversation.first_response_at is None
                conversation.response_due_at = self.deadlines.due(conversation.brand_id, conversation.kind, priority,
                                                                  conversation.last_customer_message_at, first)
                self.deadlines.replan(conversation)
            record_activity(session, conversation, actor, Happened.TRIAGE_CORRECTED, now, previous=previous,
                            priority=priority, category=category, evidence=conversation.risk_evidence)
            return done(conversation, f"{conversation.ref} is now `{priority}` (was `{previous}`).")

    def unquiet(self, conversation_id: int, actor: str) -> ActionResult:
        """Pull a filtered conversation back: it gets its thread and its response window."""
        with self.kernel.changing(conversation_id, actor, Verb.UNQUIET) as (session, conversation, now):
            if conversation.status != Status.QUIET:
                return unchanged(conversation, f"{conversation.ref} is not filtered; it is {conversation.status}.")
            first = repo.first_message_after(session, conversation.id, None)
            assert first is not None
            bring_back(self.kernel, session, conversation, first, now, None)
            record_activity(session, conversation, actor, Happened.UNQUIETED, now, update_parent=False)
            return done(conversation, f"{conversation.ref} is back in the channel.")
