"""Inbound webhooks of the platforms that push (Meta), on the same /webhooks/<source_id> path."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.domain.intake import Intake
from bot.platforms.meta import SIGNATURE_HEADER, InvalidDelivery, MetaClient

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
        messages = client.parse_delivery(body)
    except InvalidDelivery as invalid:
        return JSONResponse({"error": f"invalid body: {invalid}"}, status_code=400)
    try:
        await asyncio.gather(*(asyncio.wrap_future(stored) for stored in intake.submit_all(messages)))
    except SQLAlchemyError:
        log.exception("webhook %s: could not store a Meta delivery", source_id)
        return JSONResponse({"error": "could not store the delivery right now; retry later"}, status_code=503)
    # Meta only needs a 200; anything else makes it retry the whole batch (ingest ignores repeats).
    return PlainTextResponse("EVENT_RECEIVED")
