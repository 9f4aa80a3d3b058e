"""Every call the worker makes to Slack: paced, mapped to Retry / GiveUp / Refused, and a post not
made twice.

Slack has no idempotency key for chat.postMessage, so every post carries the job's key in its
message metadata; a job that may already have been carried out (its worker died, or Slack's answer
was lost) first looks for that key in the channel or thread instead of posting again. Posts are
paced to one per second per channel, as Slack asks, and a 429 holds back only what it concerns.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.slack_ui import refused
from bot.config import Config
from bot.delivery.errors import NotYet, Refused, Retry, SlackRefused
from bot.delivery.job import Job
from bot.delivery.pacing import Pacer
from bot.domain.channel_alerts import REASONS, refusal_note
from bot.slack_check import channels_to_check

log = logging.getLogger(__package__)

TRANSIENT_SLACK_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
INVALID_CONTENT_ERRORS = {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long",
                          "invalid_arguments", "invalid_attachments", "too_many_attachments", "no_text"}
"""What Slack answers when it refuses a message or view as it was built; a shorter form may pass."""
CONTENT_METHODS = {"chat_postMessage", "chat_update", "views_publish"}
POST_METADATA_TYPE = "socialdesk_post"
HISTORY_PAGE = 200
MAX_HISTORY_PAGES = 10
"""A post whose answer was lost is looked for among this many pages of newer messages at most."""
WORST_CASE_CALLS = MAX_HISTORY_PAGES + 4
"""The most calls one job makes: the pages of the lookup, the post, its shortened form when Slack
refuses the first, and a permalink or the workspace's address. The SDK makes no retries of its own."""
POSTING_METHODS = {"chat_postMessage", "chat_update", "files_upload_v2"}
CHANNEL_REFUSALS = {"is_archived", "channel_not_found", "not_in_channel"}
"""Slack refuses every post to the channel until someone fixes it: the posts wait, the admins are told."""
LOOKUP_REFUSALS = {"not_in_channel", "missing_scope", "channel_not_found"}
"""Why the bot may not read a channel's history; the lookup before a post is skipped, not the post."""


class SlackGateway:
    def __init__(self, slack: WebClient, config: Config) -> None:
        self.slack = slack
        self.config = config
        self.pacer = Pacer(config.delivery.channel_pace.total_seconds())
        self._refused_channels: dict[str, str] = {}
        self._workspace_url: str | None = None

    def call(self, job: Job | None, shortened: bool, method: str, /, **kwargs: Any) -> Any:
        """Call ``method`` for ``job`` (None outside a job); ``shortened`` sends content in the form
        kept for when Slack refused the first."""
        if shortened and method in CONTENT_METHODS:
            kwargs = refused.shortened(method, kwargs)
        if method == "chat_postMessage":
            return self._post(job, shortened, **kwargs)
        return self._slack(method, method, **kwargs)

    def workspace_url(self) -> str:
        """The workspace's address, asked of Slack once."""
        if self._workspace_url is None:
            self._workspace_url = self._slack("auth_test", "auth_test")["url"]
        return self._workspace_url

    def _post(self, job: Job | None, shortened: bool, **kwargs: Any) -> Any:
        """chat.postMessage, paced per channel, marked with the job's key, and not repeated when a
        previous attempt of the job got through."""
        channel = kwargs["channel"]
        if job is not None:
            kwargs["metadata"] = {"event_type": POST_METADATA_TYPE, "event_payload": {"job": job.id}}
            # A shortened post follows a refusal of this very attempt: the lookup was done just before.
            if job.suspect and not channel.startswith("D") and not shortened:
                already = self._find_post(job, channel, kwargs.get("thread_ts"))
                if already is not None:
                    log.info("delivery: job %s had been posted already (%s); not posting again", job.id, already)
                    return {"channel": channel, "ts": already}
        response = self._slack(channel, "chat_postMessage", **kwargs)
        self.pacer.used(response.get("channel") or channel)
        return response

    def _find_post(self, job: Job, channel: str, thread_ts: str | None) -> str | None:
        """The ts of the message this job posted on an earlier attempt, if Slack has it."""
        # Nothing this job posted can be older than the job: the window since then bounds the pages.
        oldest = f"{job.created_at.timestamp() - 60:.6f}"
        cursor = None
        for _ in range(MAX_HISTORY_PAGES):
            try:
                found = self._page_after(channel, thread_ts, oldest, cursor)
            except SlackRefused as refused:
                if refused.error not in LOOKUP_REFUSALS:
                    raise
                log.warning("delivery: cannot read %s to see whether job %s was posted already (%s); posting it, "
                            "so it may show twice", channel, job.id, refused.error)
                return None
            for message in found.get("messages", []):
                metadata = message.get("metadata") or {}
                if metadata.get("event_type") == POST_METADATA_TYPE and \
                        metadata.get("event_payload", {}).get("job") == job.id:
                    return message["ts"]
            cursor = (found.get("response_metadata") or {}).get("next_cursor")
            if not found.get("has_more") or not cursor:
                return None
        log.warning("delivery: job %s not found in %d pages of %s; posting it", job.id, MAX_HISTORY_PAGES, channel)
        return None

    def _page_after(self, channel: str, thread_ts: str | None, oldest: str, cursor: str | None) -> Any:
        """One page of the thread's replies, or of the channel's messages, newer than ``oldest``."""
        where: dict[str, Any] = {"oldest": oldest, "include_all_metadata": True}
        if cursor:
            where["cursor"] = cursor
        if thread_ts:
            return self._slack("conversations_replies", "conversations_replies", channel=channel, ts=thread_ts,
                               limit=1000, **where)
        return self._slack("conversations_history", "conversations_history", channel=channel, limit=HISTORY_PAGE,
                           **where)

    def _slack(self, pace_key: str, method: str, **kwargs: Any) -> Any:
        if self.pacer.wait(pace_key) > 0:
            raise NotYet(pace_key)
        channel = str(kwargs.get("channel") or "")
        try:
            response = getattr(self.slack, method)(**kwargs)
        except SlackApiError as exc:
            response = exc.response
            error = response.get("error") if isinstance(response.data, dict) else None
            if response.status_code == 429:
                after = _retry_after(response.headers) or 1.0
                self.pacer.hold(pace_key, after)
                raise Retry(f"Slack rate limit on {method}", after) from None
            if response.status_code >= 500 or error in TRANSIENT_SLACK_ERRORS:
                raise Retry(f"Slack {method} answered {error or response.status_code}") from None
            if method in POSTING_METHODS and error in CHANNEL_REFUSALS and channel:
                raise self._channel_refused(channel, error) from None
            if method in CONTENT_METHODS and error in INVALID_CONTENT_ERRORS:
                raise Refused(method, error) from None
            if error == "missing_scope":
                needed = response.get("needed") or "a scope"
                raise SlackRefused(method, error, f"the app lacks {needed}: add it, reinstall the app and run "
                                                  "`socialdesk check`") from None
            raise SlackRefused(method, str(error or response.status_code)) from None
        except (OSError, SlackRequestError) as exc:
            raise Retry(f"cannot reach Slack for {method}: {exc}") from None
        if method in POSTING_METHODS and self._refused_channels.pop(channel, None) is not None:
            log.info("delivery: Slack takes posts to %s again; the posts that waited go out", channel)
        return response

    def _channel_refused(self, channel: str, error: str) -> Retry:
        """The post waits (retried now and then) and the admins hear of it: in the log once, in App Home."""
        if self._refused_channels.get(channel) != error:
            self._refused_channels[channel] = error
            places = [where for named, where, _ in channels_to_check(self.config) if named == channel]
            log.error("delivery: Slack refuses posts to %s (%s): %s. They wait until the bot can post there "
                      "(unarchive the channel or invite the bot) or app.yaml names another channel; admins see "
                      "this in App Home", channel, ", ".join(places) or "not in app.yaml", REASONS.get(error, error))
        return Retry(refusal_note(channel, error), after=self.config.delivery.retry_max.total_seconds())


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None
