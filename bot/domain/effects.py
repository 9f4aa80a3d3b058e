"""The effects the domain queues for the delivery worker, one frozen payload type per kind.

A job's payload is stored as the JSON object of its fields; the names are the stored format, so
renaming a field would strand the jobs already queued. Fields added later need a default, as
``permanent`` and ``actor`` have, so that older rows still read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from types import NoneType, UnionType
from typing import Any, ClassVar, get_args, get_type_hints


class Effect(StrEnum):
    POST_PARENT = "post_parent"
    UPDATE_PARENT = "update_parent"
    POST_MESSAGE = "post_message"
    POST_NOTE = "post_note"
    UPDATE_NOTE = "update_note"
    POST_ESCALATION = "post_escalation"
    SEND_REPLY = "send_reply"
    PUBLISH_HOME = "publish_home"
    DM_USER = "dm_user"
    POST_DIGEST = "post_digest"
    UPLOAD_CHART = "upload_chart"
    QUIET_LINE = "quiet_line"
    POST_LEAD = "post_lead"
    MODERATE = "moderate"
    POST_SOURCE_STATUS = "post_source_status"
    POST_CRISIS_ALERT = "post_crisis_alert"
    POST_CRISIS_ALL_CLEAR = "post_crisis_all_clear"
    POST_SURGE_THREAD = "post_surge_thread"
    POST_SURGE_ENDED = "post_surge_ended"
    POST_UNSHOWN_NOTICE = "post_unshown_notice"


@dataclass(frozen=True, slots=True)
class Payload:
    """What one job carries besides its kind and conversation."""

    _types: ClassVar[dict[str, tuple[type, ...]]] = {}

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._types}


# -- the conversation's thread ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PostParent(Payload):
    pass


@dataclass(frozen=True, slots=True)
class UpdateParent(Payload):
    pass


@dataclass(frozen=True, slots=True)
class PostMessage(Payload):
    message_id: int


@dataclass(frozen=True, slots=True)
class PostNote(Payload):
    activity_id: int


@dataclass(frozen=True, slots=True)
class UpdateNote(Payload):
    activity_id: int


@dataclass(frozen=True, slots=True)
class PostEscalation(Payload):
    activity_id: int


# -- the platforms --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SendReply(Payload):
    reply_id: int


@dataclass(frozen=True, slots=True)
class Moderate(Payload):
    action: str
    target: str
    actor: str | None = None


# -- people, channels and notices ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PublishHome(Payload):
    user: str


@dataclass(frozen=True, slots=True)
class DmUser(Payload):
    user: str
    activity_id: int


@dataclass(frozen=True, slots=True)
class QuietLine(Payload):
    brand: str
    day: str
    """The brand's local day, ISO format."""


@dataclass(frozen=True, slots=True)
class PostLead(Payload):
    channel: str
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class PostSourceStatus(Payload):
    source: str
    state: str
    detail: str
    permanent: bool = True


@dataclass(frozen=True, slots=True)
class PostUnshownNotice(Payload):
    job: int
    """The job Slack refused."""
    brand: str
    what: str
    error: str


# -- digests --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PostDigest(Payload):
    brand: str
    since: str
    until: str


@dataclass(frozen=True, slots=True)
class UploadChart(Payload):
    brand: str
    since: str
    until: str
    channel: str
    thread_ts: str


# -- crisis and surge -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PostCrisisAlert(Payload):
    episode: int


@dataclass(frozen=True, slots=True)
class PostCrisisAllClear(Payload):
    episode: int


@dataclass(frozen=True, slots=True)
class PostSurgeThread(Payload):
    episode: int


@dataclass(frozen=True, slots=True)
class PostSurgeEnded(Payload):
    episode: int


PAYLOADS: dict[Effect, type[Payload]] = {
    Effect.POST_PARENT: PostParent,
    Effect.UPDATE_PARENT: UpdateParent,
    Effect.POST_MESSAGE: PostMessage,
    Effect.POST_NOTE: PostNote,
    Effect.UPDATE_NOTE: UpdateNote,
    Effect.POST_ESCALATION: PostEscalation,
    Effect.SEND_REPLY: SendReply,
    Effect.PUBLISH_HOME: PublishHome,
    Effect.DM_USER: DmUser,
    Effect.POST_DIGEST: PostDigest,
    Effect.UPLOAD_CHART: UploadChart,
    Effect.QUIET_LINE: QuietLine,
    Effect.POST_LEAD: PostLead,
    Effect.MODERATE: Moderate,
    Effect.POST_SOURCE_STATUS: PostSourceStatus,
    Effect.POST_CRISIS_ALERT: PostCrisisAlert,
    Effect.POST_CRISIS_ALL_CLEAR: PostCrisisAllClear,
    Effect.POST_SURGE_THREAD: PostSurgeThread,
    Effect.POST_SURGE_ENDED: PostSurgeEnded,
    Effect.POST_UNSHOWN_NOTICE: PostUnshownNotice,
}
EFFECT_OF: dict[type[Payload], Effect] = {kind: effect for effect, kind in PAYLOADS.items()}


def _runtime_types(annotation: Any) -> tuple[type, ...]:
    if isinstance(annotation, UnionType):
        return tuple(kind for arg in get_args(annotation) for kind in _runtime_types(arg))
    return (NoneType,) if annotation is None else (annotation,)


for _kind in PAYLOADS.values():
    _hints = get_type_hints(_kind)
    _kind._types = {field.name: _runtime_types(_hints[field.name]) for field in fields(_kind)}


def payload_of(effect: Effect, fields: dict[str, Any]) -> Payload:
    """The typed payload of a job about to be queued, from its fields; see checked()."""
    return checked(PAYLOADS[effect](**fields))


def checked(payload: Payload) -> Payload:
    """The payload, once its fields have the types it declares: a TypeError names the one that has
    not, so that a mistake shows where the job is queued rather than when it runs."""
    for name, types in payload._types.items():
        value = getattr(payload, name)
        # bool is an int to Python, never an id here
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise TypeError(f"{type(payload).__name__}.{name} must be {' or '.join(t.__name__ for t in types)}, "
                            f"not {type(value).__name__}")
    return payload


def stored_payload(effect: Effect, stored: dict[str, Any]) -> Payload:
    """A queued job's payload read back; keys the kind no longer has are ignored."""
    kind = PAYLOADS[effect]
    return kind(**{name: value for name, value in stored.items() if name in kind._types})
