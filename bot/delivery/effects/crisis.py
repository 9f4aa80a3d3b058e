"""A crisis episode's alert and all-clear, and the surge thread that groups a busy spell's conversations."""

from __future__ import annotations

from bot.slack_ui.crisis import crisis_alert, crisis_all_clear, surge_ended, surge_parent
from bot.config import Crisis
from bot.delivery.attempt import Attempt
from bot.delivery.errors import GiveUp, Retry
from bot.domain.effects import Effect, PostCrisisAlert, PostCrisisAllClear, PostSurgeEnded, PostSurgeThread
from storage import deliveries, jobs
from storage.models import CrisisEpisode


def post_crisis_alert(attempt: Attempt, payload: PostCrisisAlert) -> None:
    with attempt.db.transaction() as session:
        episode = session.get_one(CrisisEpisode, payload.episode)
        samples = deliveries.crisis_samples(session, episode)
    if episode.alert_ts:
        return
    settings = _crisis_settings(attempt, episode)
    message = crisis_alert(attempt.config.brands[episode.brand_id].name, episode.numbers, samples,
                                     settings.usergroup)
    response = attempt.call("chat_postMessage", channel=settings.channel, unfurl_links=False, unfurl_media=False,
                            **message)
    attempt.save(CrisisEpisode, payload.episode, alert_channel=response["channel"], alert_ts=response["ts"])


def post_surge_thread(attempt: Attempt, payload: PostSurgeThread) -> None:
    with attempt.db.transaction() as session:
        episode = session.get_one(CrisisEpisode, payload.episode)
    if episode.surge_ts:
        return
    brand = attempt.config.brands[episode.brand_id]
    message = surge_parent(brand.name, episode.numbers.get("surge_below", ["low"]))
    response = attempt.call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)
    attempt.save(CrisisEpisode, payload.episode, surge_channel=response["channel"], surge_ts=response["ts"])


def post_crisis_all_clear(attempt: Attempt, payload: PostCrisisAllClear) -> None:
    """In the alert's thread, and in the channel too (one message, broadcast from the thread)."""
    with attempt.db.transaction() as session:
        episode = session.get_one(CrisisEpisode, payload.episode)
        # any episode's alert: they are rare
        alert_pending = not episode.alert_ts and jobs.any_pending(session, Effect.POST_CRISIS_ALERT.value)
    if alert_pending:
        raise Retry("the alert is not posted yet")
    assert episode.cleared_at is not None
    message = crisis_all_clear(attempt.config.brands[episode.brand_id].name, episode.numbers,
                                         episode.started_at, episode.cleared_at)
    if episode.alert_ts and episode.alert_channel:
        attempt.call("chat_postMessage", channel=episode.alert_channel, thread_ts=episode.alert_ts,
                     reply_broadcast=True, unfurl_links=False, **message)
    else:  # the alert itself could not be posted
        attempt.call("chat_postMessage", channel=_crisis_settings(attempt, episode).channel, unfurl_links=False,
                     **message)


def post_surge_ended(attempt: Attempt, payload: PostSurgeEnded) -> None:
    with attempt.db.transaction() as session:
        episode = session.get_one(CrisisEpisode, payload.episode)
        surge_pending = not episode.surge_ts and jobs.any_pending(session, Effect.POST_SURGE_THREAD.value)
    if surge_pending:
        raise Retry("the surge thread is not posted yet")
    if not episode.surge_ts or not episode.surge_channel:
        return  # there is no surge thread to close
    message = surge_ended(attempt.config.brands[episode.brand_id].name)
    attempt.call("chat_postMessage", channel=episode.surge_channel, thread_ts=episode.surge_ts, **message)


def _crisis_settings(attempt: Attempt, episode: CrisisEpisode) -> Crisis:
    settings = attempt.config.crisis_for(episode.brand_id)
    if settings is None or settings.channel is None:
        raise GiveUp(f"crisis alerts are no longer configured for brand {episode.brand_id!r}")
    return settings
