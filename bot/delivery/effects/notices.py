"""What the bot tells people outside a conversation's thread: App Home, an overdue DM, the day's
quiet line, a lead handed to sales, a source's state, and what Slack would not show."""

from __future__ import annotations

from bot.slack_ui.app_home import home_view
from bot.slack_ui import channel_posts
from bot.slack_ui.channel_posts import lead_post, overdue_dm, source_status_message
from bot.slack_ui.refused import unshown_notice
from bot.delivery.attempt import Attempt
from bot.delivery.effects.threads import permalink
from bot.delivery.errors import GiveUp
from bot.domain.effects import DmUser, PostLead, PostSourceStatus, PostUnshownNotice, PublishHome, QuietLine
from storage import deliveries, jobs
from storage import repositories as repo
from storage.models import Activity, Conversation


def publish_home(attempt: Attempt, payload: PublishHome) -> None:
    view = home_view(attempt.desk.home(payload.user), attempt.config)
    attempt.call("views_publish", user_id=payload.user, view=view)


def dm_user(attempt: Attempt, payload: DmUser) -> None:
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, attempt.conversation_id)
        activity = session.get_one(Activity, payload.activity_id)
    channel = attempt.call("conversations_open", users=payload.user)["channel"]["id"]
    attempt.call("chat_postMessage", channel=channel,
                 text=overdue_dm(conversation, activity, attempt.config), unfurl_links=False)


def quiet_line(attempt: Attempt, payload: QuietLine) -> None:
    """Post the day's quiet line once, then keep it up to date in place."""
    brand = attempt.config.brands[payload.brand]
    with attempt.db.transaction() as session:
        reasons = repo.quiet_reasons_on(session, payload.brand, payload.day, brand.zone)
        line = deliveries.quiet_line(session, payload.brand, payload.day)
        ts, channel = line.slack_ts, line.slack_channel
    message = channel_posts.quiet_line(brand.name, reasons, attempt.config.slash_command)
    if ts and channel:
        attempt.call("chat_update", channel=channel, ts=ts, **message)
        return
    response = attempt.call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)
    with attempt.db.transaction() as session:
        deliveries.record_quiet_line(session, payload.brand, payload.day, response["channel"], response["ts"])


def post_lead(attempt: Attempt, payload: PostLead) -> None:
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, attempt.conversation_id)
        first = deliveries.first_message(session, conversation.id)
    link = conversation.slack_permalink or permalink(attempt, conversation)
    message = lead_post(conversation, first, link, payload.actor, attempt.config)
    attempt.call("chat_postMessage", channel=payload.channel, unfurl_links=False, **message)


def post_source_status(attempt: Attempt, payload: PostSourceStatus) -> None:
    source = attempt.config.sources.get(payload.source)
    if source is None:
        raise GiveUp(f"source {payload.source!r} is no longer in app.yaml")
    message = source_status_message(payload.source, source.platform, payload.state, payload.detail,
                                              payload.permanent)
    attempt.call("chat_postMessage", channel=attempt.config.brands[source.brand].slack_channel,
                 unfurl_links=False, **message)


def post_unshown_notice(attempt: Attempt, payload: PostUnshownNotice) -> None:
    brand = attempt.config.brands.get(payload.brand)
    if brand is None:
        raise GiveUp(f"brand {payload.brand!r} is no longer in app.yaml")
    with attempt.db.transaction() as session:
        conversation = jobs.conversation_of(session, payload.job)
    roles = attempt.config.roles_for(payload.brand)
    message = unshown_notice(payload.what, conversation.ref if conversation else None,
                                       payload.error, roles.admin if roles else (), attempt.config.slash_command)
    attempt.call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)
