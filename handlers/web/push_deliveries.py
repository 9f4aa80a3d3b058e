"""Deliveries of the platforms that push (push sources, such as Meta), on the same /webhooks/<source_id> path."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.inbound import InboundMessage
from bot.domain.intake import Intake
from bot.domain.sanitise import OverlongId, storable
from bot.platforms.push import InvalidDelivery, PushSource
from storage.db import refused_as_data, short_reason

log = logging.getLogger(__name__)


def push_handshake(request: Request, source: PushSource) -> Response:
    """The platform verifies the endpoint: echo its challenge when the verify token matches."""
    challenge = source.handshake(request.query_params)
    if challenge is None:
        return PlainTextResponse("verify token does not match", status_code=403)
    return PlainTextResponse(challenge)


async def push_delivery(request: Request, body: bytes, intake: Intake, source_id: str, source: PushSource
                        ) -> Response:
    """A signed batch of comments and messages: all stored, or none when the signature is wrong."""
    if not source.signature_ok(body, request.headers.get(source.signature_header)):
        return JSONResponse({"error": f"missing or wrong {source.signature_header}"}, status_code=401)
    try:
        messages = storable_only(source_id, source.parse_delivery(body))
    except InvalidDelivery as invalid:
        return JSONResponse({"error": f"invalid body: {invalid}"}, status_code=400)
    try:
        await asyncio.gather(*(asyncio.wrap_future(stored) for stored in intake.submit_all(messages)))
    except SQLAlchemyError as error:
        if refused_as_data(error):
            # The platform retries anything but a 200 for hours (Meta then turns the subscription off):
            # a delivery the database refuses as data is logged and acknowledged, never retried.
            log.error("webhook %s: the database refused a %s delivery: %s", source_id, source.sender,
                      short_reason(error))
            return PlainTextResponse(source.acknowledgement)
        log.exception("webhook %s: could not store a %s delivery", source_id, source.sender)
        return JSONResponse({"error": "could not store the delivery right now; retry later"}, status_code=503)
    # The platform only needs a 200; anything else makes it retry the whole batch (ingest ignores repeats).
    return PlainTextResponse(source.acknowledgement)


def storable_only(source_id: str, messages: list[InboundMessage]) -> list[InboundMessage]:
    """The messages made storable; one with an id no column holds is left out, and logged."""
    kept: list[InboundMessage] = []
    for message in messages:
        try:
            kept.append(storable(message))
        except OverlongId as overlong:
            log.warning("webhook %s: skipped a message whose %s is too long to store", source_id, overlong.field)
    return kept
