"""What a reply may say and where it may go: the platform's rules, and canned replies filled in."""

from __future__ import annotations

from bot.domain.kernel import Kernel
from bot.domain.message_changes import refuse_reply_to_deleted
from bot.domain.outcomes import ActionRefused
from bot.platforms import (
    ConversationFacts, PlatformClient, ReplyTarget, answers_privately, private_refusal, reply_length, reply_limit,
    reply_refusal,
)
from bot.domain.signature import signed
from bot.templates import TemplateProblem
from storage.models import Conversation


def ensure_can_reply(kernel: Kernel, conversation: Conversation) -> PlatformClient:
    platform = kernel.platform(conversation.source_id)
    if not platform.can_reply:
        raise ActionRefused(f"{conversation.ref} {platform.no_reply_reason}.")
    refusal = reply_refusal(platform, _facts(kernel, conversation))
    if refusal:
        raise ActionRefused(f"{conversation.ref} {refusal}.")
    refuse_reply_to_deleted(kernel, conversation)
    return platform


def _facts(kernel: Kernel, conversation: Conversation) -> ConversationFacts:
    return ConversationFacts(conversation.external_id, conversation.kind, conversation.last_customer_message_at,
                             kernel.clock.now())


def check_reply(kernel: Kernel, conversation: Conversation, text: str, signature: str | None = None) -> str:
    """The reply text as the teammate wrote it, or ActionRefused saying what to fix. It is counted as
    it will be sent: with the ``signature`` after it and whatever the platform client adds."""
    text = text.strip()
    platform = ensure_can_reply(kernel, conversation)
    if not text:
        raise ActionRefused("The reply is empty.")
    target = reply_target(conversation)
    length, limit = reply_length(platform, signed(text, signature), target), reply_limit(platform, target)
    if length > limit.maximum:
        added = ([f"the {signature!r} signature"] if signature else []) + list(limit.added)
        how = "; ".join([f"with {what} socialdesk adds" for what in added] + list(limit.rules))
        raise ActionRefused(
            f"{conversation.platform} accepts at most {limit.maximum} {limit.unit}; this reply has {length}"
            + (f" ({how})." if how else ".")
        )
    return text


def reply_target(conversation: Conversation) -> ReplyTarget:
    return ReplyTarget(conversation.kind, conversation.author_handle, conversation.external_id)


def private_default(kernel: Kernel, conversation: Conversation) -> bool | None:
    """Whether a reply goes privately unless the teammate picks otherwise (the brand's default for
    the kind); None where the platform answers this conversation only one way."""
    if not answers_privately(kernel.platform(conversation.source_id), reply_target(conversation)):
        return None
    private = conversation.kind in kernel.config.brands[conversation.brand_id].replying.private_by_default
    return private and _private_refusal(kernel, conversation) is None  # past Meta's window: public first


def _private_refusal(kernel: Kernel, conversation: Conversation) -> str | None:
    return private_refusal(kernel.platform(conversation.source_id), _facts(kernel, conversation))


def is_private(kernel: Kernel, conversation: Conversation, chosen: bool | None) -> bool:
    """The teammate's choice, else the brand's default; refused where the platform has no private reply."""
    default = private_default(kernel, conversation)
    if default is None:
        if chosen:
            raise ActionRefused(f"{conversation.platform} does not let socialdesk answer {conversation.ref} "
                                "privately; send it without choosing private.")
        return False
    private = default if chosen is None else chosen
    if private and (refusal := _private_refusal(kernel, conversation)):
        raise ActionRefused(f"{conversation.ref} {refusal}.")
    return private


def fill_template(kernel: Kernel, conversation: Conversation, name: str, agent_first_name: str,
                  agent_name: str) -> str:
    """A canned reply filled in for this conversation; customer data enters only as values."""
    variables = {
        "author_name": conversation.author_name,
        "author_handle": conversation.author_handle or "",
        "brand": kernel.config.brands[conversation.brand_id].name,
        "platform": conversation.platform,
        "agent_first_name": agent_first_name,
        "agent_name": agent_name,
        "ref": conversation.ref,
        "kind": conversation.kind,
    }
    try:
        return kernel.templates.render(conversation.brand_id, name, variables)
    except TemplateProblem as problem:
        raise ActionRefused(str(problem)) from None
