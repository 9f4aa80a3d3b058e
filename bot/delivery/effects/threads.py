"""The conversation's thread: its parent message, the customer's messages, notes and escalations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.slack_ui.channel_posts import escalation_post
from bot.slack_ui.crisis import in_shared_thread
from bot.slack_ui.thread_notes import activity_message, thread_message
from bot.slack_ui.thread_parent import parent_message
from bot.delivery.attempt import Attempt
from bot.delivery.errors import PARENT_NOT_SHOWN, GiveUp, Refused, Retry
from bot.domain.effects import (
    Effect, PostEscalation, PostMessage, PostNote, PostParent, UpdateNote, UpdateParent,
)
from storage import deliveries, jobs
from storage.customer_history import customer_history
from storage import repositories as repo
from storage.models import Activity, Conversation, CrisisEpisode, Message, Reply


def post_parent(attempt: Attempt, _: PostParent) -> None:
    conversation_id = attempt.conversation_id
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, conversation_id)
        if conversation.slack_ts:
            return
        first = deliveries.first_message(session, conversation_id)
        tags = repo.tags_of(session, conversation_id)
        surge = _surge_thread_of(session, conversation)
        history = customer_history(session, conversation)
    message = parent_message(conversation, first, attempt.config, attempt.clock.now(), tags,
                             attempt.desk.moderation_options(conversation), history)
    thread_ts = surge[1] if surge else None
    if surge:
        message["thread_ts"] = thread_ts
    response = attempt.call("chat_postMessage", channel=surge[0] if surge else conversation.slack_channel,
                            unfurl_links=False, unfurl_media=False, **message)
    attempt.save(Conversation, conversation_id, slack_ts=response["ts"], slack_channel=response["channel"],
                 slack_thread_ts=thread_ts,
                 slack_permalink=_thread_permalink(attempt, response["channel"], response["ts"], thread_ts))
    attempt.save(Message, first.id, slack_ts=response["ts"])


def _surge_thread_of(session: Session, conversation: Conversation) -> tuple[str, str] | None:
    """Where a conversation grouped in surge mode is posted: (channel, ts of the surge thread)."""
    if conversation.surge_episode_id is None:
        return None
    episode = session.get_one(CrisisEpisode, conversation.surge_episode_id)
    if episode.surge_ts is None or episode.surge_channel is None:
        # any episode's surge thread: they are rare
        if jobs.any_pending(session, Effect.POST_SURGE_THREAD.value):
            raise Retry("the surge thread is not posted yet")
        return None  # it could not be posted: the conversation gets its own thread
    return episode.surge_channel, episode.surge_ts


def update_parent(attempt: Attempt, _: UpdateParent) -> None:
    conversation_id = attempt.conversation_id
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, conversation_id)
        first = deliveries.first_message(session, conversation_id)
        tags = repo.tags_of(session, conversation_id)
        history = customer_history(session, conversation)
    if not conversation.slack_ts:
        raise _no_parent(attempt, conversation)
    message = parent_message(conversation, first, attempt.config, attempt.clock.now(), tags,
                             attempt.desk.moderation_options(conversation), history)
    attempt.call("chat_update", channel=conversation.slack_channel, ts=conversation.slack_ts, **message)


def post_message(attempt: Attempt, payload: PostMessage) -> None:
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, attempt.conversation_id)
        message = session.get_one(Message, payload.message_id)
    if message.slack_ts:
        return
    response = post_in_thread(attempt, conversation, **thread_message(conversation, message))
    attempt.save(Message, payload.message_id, slack_ts=response["ts"])


def _note_rows(attempt: Attempt, activity_id: int) -> tuple[Conversation, Activity, Reply | None]:
    """The conversation, the note's activity and the reply it is about, if any."""
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, attempt.conversation_id)
        activity = session.get_one(Activity, activity_id)
        reply_id = activity.detail.get("reply_id")
        reply = session.get(Reply, reply_id) if reply_id else None
    return conversation, activity, reply


def post_note(attempt: Attempt, payload: PostNote) -> None:
    conversation, activity, reply = _note_rows(attempt, payload.activity_id)
    if activity.slack_ts:
        return
    approvers = attempt.desk.access.approvers(conversation.brand_id)
    response = post_in_thread(attempt, conversation, **activity_message(activity, reply, attempt.config,
                                                                                  approvers))
    attempt.save(Activity, payload.activity_id, slack_ts=response["ts"])


def update_note(attempt: Attempt, payload: UpdateNote) -> None:
    conversation, activity, reply = _note_rows(attempt, payload.activity_id)
    if not activity.slack_ts:
        raise GiveUp("the note to edit was never posted")
    message = activity_message(activity, reply, attempt.config)
    if conversation.slack_thread_ts:
        message = in_shared_thread(conversation, message)
    attempt.call("chat_update", channel=conversation.slack_channel, ts=activity.slack_ts, **message)


def post_escalation(attempt: Attempt, payload: PostEscalation) -> None:
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, attempt.conversation_id)
        activity = session.get_one(Activity, payload.activity_id)
    tier = attempt.config.escalation.get(activity.detail["tier"])
    if tier is None:
        raise GiveUp(f"escalation tier {activity.detail['tier']!r} is no longer in app.yaml")
    link = conversation.slack_permalink or permalink(attempt, conversation)
    message = escalation_post(conversation, activity, link, attempt.config)
    attempt.call("chat_postMessage", channel=tier.slack_channel, unfurl_links=False, **message)


def post_in_thread(attempt: Attempt, conversation: Conversation, **message: Any) -> Any:
    if not conversation.slack_ts:
        raise _no_parent(attempt, conversation)
    if conversation.slack_thread_ts:
        message = in_shared_thread(conversation, message)
    return attempt.call("chat_postMessage", channel=conversation.slack_channel,
                        thread_ts=conversation.slack_thread_ts or conversation.slack_ts,
                        unfurl_links=False, unfurl_media=False, **message)


def _no_parent(attempt: Attempt, conversation: Conversation) -> GiveUp:
    """Why a thread message cannot go out: its parent was refused by Slack (then it waits for
    attention with it), or was never posted."""
    with attempt.db.transaction() as session:
        refused = jobs.set_aside(session, conversation.id, Effect.POST_PARENT.value)
    if refused:
        return Refused("chat_postMessage", PARENT_NOT_SHOWN)
    return GiveUp("the conversation's parent message was never posted")


def _thread_permalink(attempt: Attempt, channel: str, ts: str, thread_ts: str | None = None) -> str | None:
    """Slack's permalink of a message, built from the workspace URL (asked once) instead of one
    chat.getPermalink call per conversation."""
    try:
        workspace = attempt.services.slack.workspace_url()
    except (Retry, GiveUp):
        return None
    link = f"{workspace.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    return f"{link}?thread_ts={thread_ts}&cid={channel}" if thread_ts else link


def permalink(attempt: Attempt, conversation: Conversation) -> str | None:
    """The conversation's permalink, asked of Slack and kept, for a conversation that has none yet."""
    if not conversation.slack_ts:
        return None
    try:
        link = attempt.call("chat_getPermalink", channel=conversation.slack_channel,
                            message_ts=conversation.slack_ts)["permalink"]
    except GiveUp:
        return None
    attempt.save(Conversation, conversation.id, slack_permalink=link)
    return link
