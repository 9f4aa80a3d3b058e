"""The slash command (default /social): everything the buttons do, by typing."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused, ReplyRepeated
from bot.domain.signature import Agent
from bot.domain.snooze import SNOOZE_FORMS
from bot.slack_ui.approvals import drafts_list
from bot.slack_ui.command_answers import (conversation_summary, help_text, quiet_list, repeated_reply,
                                          reply_not_stored_in_time, templates_list, unknown_subcommand,
                                          usage_answer)
from bot.slack_ui.queue import queue_list
from bot.slack_ui.search_results import search_answer, search_usage
from bot.domain.search import BadSearch
from bot.slack_ui.text import escape
from bot.slack_ui import outcome_text
from handlers.ack_budget import ACK_BUDGET, before_ack, received_at, within_ack
from handlers.slack_input import agent_names

log = logging.getLogger(__name__)

USAGE = {
    "reply": "reply <REF> <text>",
    "assign": "assign <REF> <@person|me>",
    "escalate": "escalate <REF> <tier> <reason>",
    "resolve": "resolve <REF>",
    "reopen": "reopen <REF>",
    "wait": "wait <REF>",
    "note": "note <REF> <text>",
    "show": "show <REF>",
    "queue": "queue [mine|unassigned|overdue|escalated] [brand]",
    "templates": "templates [brand]",
    "tag": "tag <REF> <tag> [tag ...]",
    "untag": "untag <REF> <tag> [tag ...]",
    "triage": "triage <REF> urgent|high|normal|low",
    "quiet": "quiet [brand]",
    "approve": "approve <REF>",
    "reject": "reject <REF> [reason]",
    "drafts": "drafts [brand]",
    "moderate": "moderate <REF> hide|unhide|delete|block|dismiss|spam",
    "search": "search <words>",
    "unquiet": "unquiet <REF>",
    "snooze": "snooze <REF> 2h|tomorrow|mon 9:00",
    "unsnooze": "unsnooze <REF>",
    "help": "help",
}
QUEUE_VIEWS = ("mine", "unassigned", "overdue", "escalated")
NAMES_WAIT = 1.0
"""Seconds of the ack budget a template reply waits for Slack to say the teammate's name (users.info)."""
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


class UsageError(Exception):
    pass


def register(app: App, desk: Desk) -> None:
    command_name = desk.config.slash_command

    @app.command(command_name)
    def social_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                       context: BoltContext) -> None:
        subcommand, _, rest = (command.get("text") or "").strip().partition(" ")
        user = command["user_id"]
        arrived = received_at(context)
        run = SlashCommand(desk, user, lambda: _names_in_time(client, user, arrived), command.get("channel_id", ""),
                           arrived)
        try:
            answer = run(subcommand.lower() or "help", rest.strip())
        except UsageError as error:
            answer = usage_answer(str(error), command_name, USAGE.get(subcommand.lower(), "help"))
        except ActionRefused as refusal:
            answer = outcome_text.refusal(refusal)
        ack(response_type="ephemeral", text=answer)
        if time.monotonic() - arrived > ACK_BUDGET and command.get("response_url"):
            # Slack has shown an error instead of the ack's text: the answer follows on its own.
            respond(response_type="ephemeral", text=answer, replace_original=False)


def _names_in_time(client: WebClient, user: str, arrived: float) -> tuple[str, str]:
    """The teammate's names for a template, unless Slack is slow to say them: the ack must not wait past
    Slack's 3 seconds for users.info. Without them the template is filled as when Slack refuses to say."""
    unknown = ("", "")
    names = before_ack(lambda: agent_names(client, user), arrived, unknown, NAMES_WAIT)
    if names is unknown:
        log.warning("slack: users.info did not answer in time; the template is filled without the teammate's name")
    return names


class SlashCommand:
    """One typed command, turned into a desk call; answers with the text the teammate sees."""

    def __init__(self, desk: Desk, user: str, agent_names: Callable[[], tuple[str, str]], channel_id: str,
                 arrived: float | None = None) -> None:
        self.desk = desk
        self.user = user
        self.agent_names = agent_names
        self.channel_id = channel_id
        self.arrived = time.monotonic() if arrived is None else arrived

    def __call__(self, subcommand: str, rest: str) -> str:
        handler = getattr(self, f"_{subcommand}", None) if subcommand in USAGE else None
        if handler is None:
            raise ActionRefused(unknown_subcommand(subcommand, self.desk.config.slash_command))
        return handler(rest)

    def _help(self, _rest: str) -> str:
        return help_text(self.desk.config.slash_command)

    def _reply(self, rest: str) -> str:
        ref, text = _words(rest, 2, "Say which conversation and what to reply.")
        conversation = self.desk.find(ref)
        first_name, full_name = self.agent_names()
        if text.startswith("template:"):
            text = self.desk.fill_template(conversation, text.removeprefix("template:").strip(), first_name, full_name)
        else:
            text = slack_to_plain(text)
        agent = Agent(self.user, full_name, first_name)
        try:
            outcome = within_ack(lambda cutoff: self.desk.reply(conversation.id, self.user, text, cutoff=cutoff,
                                                                agent=agent), self.arrived)
        except ReplyRepeated as repeated:
            return repeated_reply(outcome_text.refusal(repeated))
        if outcome.abandoned or outcome.result is None:
            return reply_not_stored_in_time(conversation.ref)
        return outcome_text.summary(outcome.result)

    def _templates(self, rest: str) -> str:
        brand_id = rest.strip().lower() or self._brand_of_channel()
        if brand_id not in self.desk.config.brands:
            known = ", ".join(self.desk.config.brands)
            raise UsageError(f"Say which brand (known: {known}).")
        brand = self.desk.config.brands[brand_id]
        templates = self.desk.templates_of(self.user, brand_id)
        return templates_list(brand.name, templates, self.desk.config.slash_command)

    def _brand_of_channel(self) -> str:
        brands = self.desk.config.brands
        matching = [brand_id for brand_id, brand in brands.items() if brand.slack_channel == self.channel_id]
        return matching[0] if matching else (next(iter(brands)) if len(brands) == 1 else "")

    def _assign(self, rest: str) -> str:
        ref, who = _words(rest, 2, "Say which conversation and who takes it.")
        assignee = self.user if who.lower() == "me" else _user_id(who)
        return outcome_text.summary(self.desk.assign(self.desk.find(ref).id, self.user, assignee))

    def _escalate(self, rest: str) -> str:
        ref, tier, reason = _words(rest, 3, "Say which conversation, to which tier, and why.")
        return outcome_text.summary(self.desk.escalate(self.desk.find(ref).id, self.user, tier.lower(), reason))

    def _resolve(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        return outcome_text.summary(self.desk.resolve(self.desk.find(ref).id, self.user))

    def _reopen(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        return outcome_text.summary(self.desk.reopen(self.desk.find(ref).id, self.user))

    def _wait(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        return outcome_text.summary(self.desk.wait(self.desk.find(ref).id, self.user))

    def _note(self, rest: str) -> str:
        ref, text = _words(rest, 2, "Say which conversation and what to note.")
        return outcome_text.summary(self.desk.note(self.desk.find(ref).id, self.user, text))

    def _show(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        conversation = self.desk.find(ref)
        self.desk.require_for(self.user, conversation, "view")
        history = self.desk.history(conversation.id)
        return conversation_summary(conversation, history, self.desk.config, self.desk.tags(conversation.id))

    def _tag(self, rest: str) -> str:
        ref, tags = _words(rest, 2, "Say which conversation and which tags.")
        return outcome_text.summary(self.desk.tag(self.desk.find(ref).id, self.user, tags.lower().split()))

    def _untag(self, rest: str) -> str:
        ref, tags = _words(rest, 2, "Say which conversation and which tags to remove.")
        return outcome_text.summary(self.desk.untag(self.desk.find(ref).id, self.user, tags.lower().split()))

    def _triage(self, rest: str) -> str:
        ref, priority = _words(rest, 2, "Say which conversation and its priority.")
        result = self.desk.correct_priority(self.desk.find(ref).id, self.user, priority.strip().lower())
        return outcome_text.summary(result)

    def _approve(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation's draft to approve.")
        draft = self.desk.latest_draft(self.desk.find(ref).id)
        return outcome_text.summary(self.desk.approve(draft.id, self.user))

    def _reject(self, rest: str) -> str:
        parts = rest.split(maxsplit=1)
        if not parts:
            raise UsageError("Say which conversation's draft to reject.")
        draft = self.desk.latest_draft(self.desk.find(parts[0]).id)
        return outcome_text.summary(self.desk.reject(draft.id, self.user, parts[1] if len(parts) > 1 else ""))

    def _drafts(self, rest: str) -> str:
        brand_id = rest.strip().lower() or None
        if brand_id is not None and brand_id not in self.desk.config.brands:
            raise UsageError(f"Unknown brand (known: {', '.join(self.desk.config.brands)}).")
        return drafts_list(self.desk.drafts(self.user, brand_id), self.desk.config.slash_command)

    def _moderate(self, rest: str) -> str:
        ref, action = _words(rest, 2,
                             "Say which conversation and what to do: hide, unhide, delete, block, dismiss or spam.")
        return outcome_text.summary(self.desk.moderate(self.desk.find(ref).id, self.user, action.strip().lower()))

    def _unquiet(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        return outcome_text.summary(self.desk.unquiet(self.desk.find(ref).id, self.user))

    def _snooze(self, rest: str) -> str:
        ref, when = _words(rest, 2, f"Say which conversation and until when ({SNOOZE_FORMS}).")
        return outcome_text.summary(self.desk.snooze(self.desk.find(ref).id, self.user, when))

    def _unsnooze(self, rest: str) -> str:
        (ref,) = _words(rest, 1, "Say which conversation.")
        return outcome_text.summary(self.desk.unsnooze(self.desk.find(ref).id, self.user))

    def _quiet(self, rest: str) -> str:
        brand_id = rest.strip().lower() or self._brand_of_channel()
        if brand_id not in self.desk.config.brands:
            raise UsageError(f"Say which brand (known: {', '.join(self.desk.config.brands)}).")
        conversations = self.desk.quiet_today(brand_id, self.user)
        texts = {c.id: self.desk.first_text(c.id) for c in conversations}
        return quiet_list(self.desk.config.brands[brand_id].name, conversations, texts)

    def _search(self, rest: str) -> str:
        try:
            results = self.desk.search(self.user, slack_to_plain(rest))
        except BadSearch as bad:
            return search_usage(str(bad), self.desk.config.slash_command)
        return search_answer(results, self.desk.config)

    def _queue(self, rest: str) -> str:
        words = rest.lower().split()
        view = words.pop(0) if words and words[0] in QUEUE_VIEWS else "all"
        brand = words.pop(0) if words else None
        if words:
            raise UsageError(f"Unexpected `{escape(' '.join(words))}`.")
        conversations = self.desk.queue(view, self.user, brand)
        return queue_list(view, brand, conversations, self.desk.config)


def _words(rest: str, count: int, problem: str) -> list[str]:
    parts = rest.split(maxsplit=count - 1)
    if len(parts) < count:
        raise UsageError(problem)
    return parts


def _user_id(text: str) -> str:
    match = _MENTION.match(text.strip())
    if not match:
        raise UsageError(f"`{escape(text)}` is not a person: mention them with @ or write `me`.")
    return match.group(1)


def slack_to_plain(text: str) -> str:
    """Text Slack escaped for the app, as the customer should read it."""
    text = re.sub(r"<(https?://[^|>]+)(?:\|[^>]*)?>", r"\1", text)
    text = re.sub(r"<mailto:([^|>]+)(?:\|[^>]*)?>", r"\1", text)
    text = re.sub(r"<[@#!][^|>]*\|([^>]*)>", r"@\1", text)
    text = re.sub(r"<[@#!]([^>]*)>", r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
