"""The effects the worker carries out, one module per family, and the table the engine runs them by.

Each function takes the attempt and the job's payload, of the effect's type in bot.domain.effects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.delivery.attempt import Attempt
from bot.delivery.effects import crisis, digest, moderation, notices, replies, threads
from bot.domain.effects import Effect

HANDLERS: dict[Effect, Callable[[Attempt, Any], Any]] = {
    Effect.POST_PARENT: threads.post_parent,
    Effect.UPDATE_PARENT: threads.update_parent,
    Effect.POST_MESSAGE: threads.post_message,
    Effect.POST_NOTE: threads.post_note,
    Effect.UPDATE_NOTE: threads.update_note,
    Effect.POST_ESCALATION: threads.post_escalation,
    Effect.SEND_REPLY: replies.send_reply,
    Effect.MODERATE: moderation.moderate,
    Effect.DM_USER: notices.dm_user,
    Effect.PUBLISH_HOME: notices.publish_home,
    Effect.QUIET_LINE: notices.quiet_line,
    Effect.POST_LEAD: notices.post_lead,
    Effect.POST_SOURCE_STATUS: notices.post_source_status,
    Effect.POST_UNSHOWN_NOTICE: notices.post_unshown_notice,
    Effect.POST_DIGEST: digest.post_digest,
    Effect.UPLOAD_CHART: digest.upload_chart,
    Effect.POST_CRISIS_ALERT: crisis.post_crisis_alert,
    Effect.POST_SURGE_THREAD: crisis.post_surge_thread,
    Effect.POST_CRISIS_ALL_CLEAR: crisis.post_crisis_all_clear,
    Effect.POST_SURGE_ENDED: crisis.post_surge_ended,
}
