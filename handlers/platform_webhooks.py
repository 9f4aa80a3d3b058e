"""Inbound webhooks of the platforms that push (Meta), on the same /webhooks/<source_id> path."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.inbound import InboundMessage
from bot.domain.intake import Intake
from bot.domain.sanitise import OverlongId, storable
from bot.platforms.meta import SIGNATURE_HEADER, InvalidDelivery, MetaClient
from storage.db import refused_as_data, short_reason

log = logging.getLogger(__name__)


def meta_handshake(request: Request, client: MetaClient) -> Response:
    """Meta verifies the endpoint: echo its challenge when the verify token matches."""
    challenge = client.handshake(request.query_params)
    if challenge is None:
        return PlainTextResponse("verify token does not match", status_code=403)
    return PlainTextResponse(challenge)


async def meta_delivery(request: Request, body: bytes, intake: Intake, source_id: str, client: MetaClient
                        ) -> Response:
    """A signed batch of comments and messages: all stored, or none when the signature is wrong."""
    if not client.signature_ok(body, request.headers.get(SIGNATURE_HEADER)):
        return JSONResponse({"error": f"missing or wrong {SIGNATURE_HEADER}"}, status_code=401)
    try:
        messages = storable_only(source_id, client.parse_delivery(body))
    except InvalidDelivery as invalid:
        return JSONResponse({"error": f"invalid body: {invalid}"}, status_code=400)
    try:
        await asyncio.gather(*(asyncio.wrap_future(stored) for stored in intake.submit_all(messages)))
    except SQLAlchemyError as error:
        if refused_as_data(error):
            # Meta retries anything but a 200 for hours, then turns the subscription off: a delivery the
            # database refuses as data is logged and acknowledged, never retried.
            log.error("webhook %s: the database refused a Meta delivery: %s", source_id, short_reason(error))
            return PlainTextResponse("EVENT_RECEIVED")
        log.exception("webhook %s: could not store a Meta delivery", source_id)
        return JSONResponse({"error": "could not store the delivery right now; retry later"}, status_code=503)
    # Meta only needs a 200; anything else makes it retry the whole batch (ingest ignores repeats).
    return PlainTextResponse("EVENT_RECEIVED")


def storable_only(source_id: str, messages: list[InboundMessage]) -> list[InboundMessage]:
    """The messages made storable; one with an id no column holds is left out, and logged."""
    kept: list[InboundMessage] = []
    for message in messages:
        try:
            kept.append(storable(message))
        except OverlongId as overlong:
            log.warning("webhook %s: skipped a message whose %s is too long to store", source_id, overlong.field)
    return kept
