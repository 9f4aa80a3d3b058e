"""The weekly digest: its text in the brand's channel, then its chart in the digest's thread."""

from __future__ import annotations

from datetime import datetime

from bot.slack_ui.digest import digest_message
from bot.delivery.attempt import Attempt
from bot.domain.effects import PostDigest, UploadChart
from bot.domain.outbox import enqueue_payload


def post_digest(attempt: Attempt, payload: PostDigest) -> str:
    """Post the digest text, then queue its chart for the thread; returns the message ts."""
    digests = attempt.digests
    report = digests.report(payload.brand, datetime.fromisoformat(payload.since), datetime.fromisoformat(payload.until))
    channel = attempt.config.brands[payload.brand].slack_channel
    message = digest_message(report.brand_name, digests.text(report))
    response = attempt.call("chat_postMessage", channel=channel, unfurl_links=False, **message)
    now = attempt.clock.now()
    with attempt.db.transaction() as session:
        enqueue_payload(session, UploadChart(brand=payload.brand, since=payload.since, until=payload.until,
                                             channel=response["channel"], thread_ts=response["ts"]), None, now)
    return response["ts"]


def upload_chart(attempt: Attempt, payload: UploadChart) -> None:
    digests = attempt.digests
    report = digests.report(payload.brand, datetime.fromisoformat(payload.since),
                            datetime.fromisoformat(payload.until))
    day = datetime.fromisoformat(payload.until).date().isoformat()
    attempt.call("files_upload_v2", channel=payload.channel, thread_ts=payload.thread_ts,
                 file=digests.chart(report), filename=f"digest-{payload.brand}-{day}.png",
                 title=f"{report.brand_name}: the week by day")
