"""The outbox's typed payloads: checked when a job is queued, and jobs queued before still read."""

from __future__ import annotations

import pytest

from bot.domain.effects import (
    PAYLOADS, Effect, Moderate, PostParent, PostSourceStatus, SendReply, checked, payload_of, stored_payload,
)


def test_every_effect_has_a_payload_type():
    assert set(PAYLOADS) == set(Effect)


def test_a_payload_is_stored_as_the_json_object_of_its_fields():
    assert payload_of(Effect.SEND_REPLY, {"reply_id": 7}).to_json() == {"reply_id": 7}
    assert payload_of(Effect.POST_PARENT, {}).to_json() == {}
    assert payload_of(Effect.MODERATE, {"action": "hide", "target": "c1", "actor": "U1"}).to_json() == \
        {"action": "hide", "target": "c1", "actor": "U1"}


@pytest.mark.parametrize(("effect", "fields"), [
    (Effect.SEND_REPLY, {}),
    (Effect.SEND_REPLY, {"reply_id": 7, "extra": 1}),
    (Effect.SEND_REPLY, {"reply_id": "7"}),
    (Effect.SEND_REPLY, {"reply_id": None}),
    (Effect.POST_NOTE, {"activity_id": True}),
    (Effect.POST_LEAD, {"channel": 5}),
])
def test_a_job_queued_with_wrong_fields_is_refused_where_it_is_queued(effect, fields):
    with pytest.raises(TypeError):
        payload_of(effect, fields)


def test_a_typed_payload_is_checked_too():
    assert checked(SendReply(reply_id=3)) == SendReply(3)
    with pytest.raises(TypeError):
        checked(SendReply(reply_id="3"))  # type: ignore[arg-type]


def test_jobs_queued_before_read_back_with_their_defaults():
    assert stored_payload(Effect.POST_SOURCE_STATUS, {"source": "meta", "state": "recovered", "detail": "x"}) == \
        PostSourceStatus("meta", "recovered", "x", permanent=True)
    assert stored_payload(Effect.MODERATE, {"action": "hide", "target": "c1"}) == Moderate("hide", "c1", None)
    assert stored_payload(Effect.POST_PARENT, {"gone": 1}) == PostParent()
