"""Modal submissions: Assign, Reply, Approve (edited), Escalate, Snooze, Track."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused, ActionResult, ReplyCrossed, ReplyRepeated
from bot.slack_ui import approvals, assign_modal, escalate_modal, snooze_modal, track
from bot.slack_ui.kit import form_conversation
from bot.slack_ui.reply_modal import REPLY_MODAL, ReplyForm, not_stored_in_time, send_again_notice
from bot.slack_ui import outcome_text
from handlers.ack_budget import received_at, within_ack
from handlers.reply_form import reply_modal_for
from handlers.slack_input import agent_in_time, user_of


def register(app: App, desk: Desk) -> None:
    @app.view(assign_modal.ASSIGN_MODAL)
    def assign_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = assign_modal.picked_assignee(view)
        if not assignee:
            ack(response_action="errors", errors={assign_modal.ASSIGNEE_BLOCK: "Pick someone to assign."})
            return
        seen = assign_modal.assignee_when_opened(view)
        _apply(ack, client, body, assign_modal.ASSIGNEE_BLOCK,
               lambda: desk.assign(_conversation_id(view), user_of(body), assignee, seen_assignee=seen))

    @app.view(REPLY_MODAL)
    def reply_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                        context: BoltContext) -> None:
        form = ReplyForm(view)
        text = form.text
        seen = form.seen_reply
        user = user_of(body)
        agent = agent_in_time(client, user, received_at(context))
        try:
            outcome = within_ack(lambda cutoff: desk.reply(
                _conversation_id(view), user, text, request_key=f"view:{view['id']}",
                seen_reply_id=int(seen) if isinstance(seen, int) else None, cutoff=cutoff,
                repeat_of=form.repeat_of, agent=agent, private=form.private), received_at(context))
        except (ReplyCrossed, ReplyRepeated) as asked:
            # Same input block: Slack keeps what was typed; the next Send goes through.
            conversation = desk.get(_conversation_id(view))
            platform = desk.platform(conversation.source_id)
            if isinstance(asked, ReplyCrossed):
                notice, seen_now, repeat = outcome_text.refusal(asked), asked.latest_reply_id, None
            else:
                notice, seen_now = send_again_notice(outcome_text.refusal(asked)), int(seen or 0)
                repeat = asked.earlier_reply_id
            ack(response_action="update", view=reply_modal_for(
                desk, conversation, platform, version=form.version, notice=notice, seen_reply_id=seen_now,
                repeat_of=repeat))
            return
        except ActionRefused as refusal:
            ack(response_action="errors", errors={form.block: outcome_text.refusal(refusal)})
            return
        ack()
        result = outcome.result
        if outcome.abandoned:
            _tell_in_thread(client, form, user, desk, not_stored_in_time(form.ref))
        elif result is not None and outcome.late:
            _tell_in_thread(client, form, user, desk, outcome_text.summary(result))
        elif result is not None and not result.changed:
            client.chat_postEphemeral(channel=result.conversation.slack_channel, user=user,
                                      text=outcome_text.summary(result))

    @app.view(approvals.APPROVE_EDIT_MODAL)
    def edited_and_approved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        text = approvals.edited_text(view)
        reply_id = approvals.edited_draft(view)
        if reply_id is None:
            ack(response_action="errors",
                errors={approvals.TEXT_BLOCK: "This form is not linked to a draft; open it again."})
            return
        _apply(ack, client, body, approvals.TEXT_BLOCK,
               lambda: desk.approve(reply_id, user_of(body), edited_text=text))

    @app.view(escalate_modal.ESCALATE_MODAL)
    def escalate_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        tier = escalate_modal.picked_tier(view)
        if not tier:
            ack(response_action="errors", errors={escalate_modal.TIER_BLOCK: "Pick who to escalate to."})
            return
        reason = escalate_modal.typed_reason(view)
        _apply(ack, client, body, escalate_modal.REASON_BLOCK,
               lambda: desk.escalate(_conversation_id(view), user_of(body), tier, reason))

    @app.view(snooze_modal.SNOOZE_MODAL)
    def snooze_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        when = snooze_modal.picked_time(view)
        if not when:
            ack(response_action="errors", errors={snooze_modal.CUSTOM_BLOCK: "Pick a time or type one."})
            return
        _apply(ack, client, body, snooze_modal.CUSTOM_BLOCK,
               lambda: desk.snooze(_conversation_id(view), user_of(body), when))

    @app.view(track.TRACK_MODAL)
    def track_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = track.TrackForm(view)
        url = form.url
        if url and not url.lower().startswith(("http://", "https://")):
            ack(response_action="errors", errors={track.URL_BLOCK: "Use an http:// or https:// link."})
            return
        try:
            brand = form.brand
            channel, ts, text = form.message
            result = desk.track(brand, channel, ts, user_of(body), form.kind, form.author, text, url)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={track.BRAND_BLOCK: outcome_text.refusal(refusal)})
            return
        permalink = desk.get(result.conversation_id).slack_permalink
        ack(response_action="update", view=track.tracked_view(result.ref, result.duplicate, permalink))


def _apply(ack: Ack, client: WebClient, body: dict[str, Any], block_id: str,
           action: Callable[[], ActionResult]) -> None:
    """Store the change, then close the modal; a refusal is shown in the modal, under ``block_id``."""
    try:
        result = action()
    except ReplyCrossed:
        raise
    except ActionRefused as refusal:
        ack(response_action="errors", errors={block_id: outcome_text.refusal(refusal)})
        return
    ack()
    if not result.changed:
        client.chat_postEphemeral(channel=result.conversation.slack_channel, user=user_of(body),
                                  text=outcome_text.summary(result))


def _tell_in_thread(client: WebClient, form: ReplyForm, user: str, desk: Desk, text: str) -> None:
    """An ephemeral line in the conversation's thread, found without the database when the modal says where."""
    thread = form.thread
    if thread is None:
        conversation = desk.get(_conversation_id(form.view))
        thread = conversation.slack_channel, conversation.slack_ts
    channel, thread_ts = thread
    client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)


def _conversation_id(view: dict[str, Any]) -> int:
    conversation_id = form_conversation(view)
    if conversation_id is None:
        raise ActionRefused("This form is not linked to a conversation; open it again from the thread.")
    return conversation_id
