"""The names the audit log and the thread record: what a teammate asked to do, and what happened."""

from __future__ import annotations

from enum import StrEnum


class Verb(StrEnum):
    """What a teammate asks the desk to do. A refusal is audited under this name, and so is a change
    queued for the platform (a reply, a moderation); ``permission`` is what the role check asks for."""

    VIEW = "view"
    ASSIGN = "assign"
    REPLY = "reply"
    NOTE = "note"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    WAIT = "wait"
    ESCALATE = "escalate"
    TRACK = "track"
    RETRY = "retry"
    TAG = "tag"
    UNTAG = "untag"
    TRIAGE = "triage"
    UNQUIET = "unquiet"
    MODERATE = "moderate"
    APPROVE = "approve"
    REJECT = "reject"
    AUDIT = "audit"
    SNOOZE = "snooze"
    UNSNOOZE = "unsnooze"

    @property
    def permission(self) -> Verb:
        """The verb whose role this one needs: rejecting a draft is an approver's call, like approving it."""
        return _NEEDS.get(self, self)


_NEEDS = {Verb.REJECT: Verb.APPROVE, Verb.UNTAG: Verb.TAG, Verb.SNOOZE: Verb.ASSIGN, Verb.UNSNOOZE: Verb.ASSIGN}

ALLOWED_WHILE_FILTERED = frozenset({Verb.UNQUIET, Verb.TAG, Verb.UNTAG, Verb.MODERATE})
"""What may be done to a conversation filtered as needing no answer without bringing it back first."""


class Happened(StrEnum):
    """What an Activity row records in a conversation's thread; a teammate's is audited as done."""

    TRACKED = "tracked"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    WAITING = "waiting"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    NOTED = "noted"
    TAGGED = "tagged"
    UNTAGGED = "untagged"
    TRIAGE_CORRECTED = "triage_corrected"
    UNQUIETED = "unquieted"
    DRAFTED = "drafted"
    APPROVED = "approved"
    REJECTED = "rejected"
    REPLIED = "replied"
    REPLY_FAILED = "reply_failed"
    AUTO_REPLIED = "auto_replied"
    AUTO_REPLY_PREVIEW = "auto_reply_preview"
    AUTO_REPLY_DROPPED = "auto_reply_dropped"
    MARKED_SPAM = "marked_spam"
    MODERATED = "moderated"
    MODERATION_FAILED = "moderation_failed"
    SLA_WARNING = "sla_warning"
    SLA_BREACH = "sla_breach"
    SNOOZED = "snoozed"
    UNSNOOZED = "unsnoozed"
    CUSTOMER_EDITED = "customer_edited"
    CUSTOMER_DELETED = "customer_deleted"
