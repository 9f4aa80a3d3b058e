"""/webhooks/<source_id>: messages pushed by a platform (a push source such as Meta) or by anything
that signs the documented JSON body."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import Clock
from bot.domain.desk import Desk
from bot.domain.intake import Intake
from bot.domain.sanitise import OverlongId, storable
from bot.platforms.push import PushSource
from bot.platforms.webhook import MAX_BODY_BYTES, SIGNATURE_HEADER, InvalidPayload, parse_inbound, signature_matches
from handlers.web.bodies import BODY_READ_TIMEOUT, BodyTooLarge, BodyTooSlow, read_limited
from handlers.web.push_deliveries import push_delivery, push_handshake
from storage.db import refused_as_data, short_reason

log = logging.getLogger(__name__)


def webhook_route(desk: Desk, intake: Intake, secrets: Mapping[str, str], clock: Clock) -> Route:
    async def receive(request: Request) -> Response:
        source_id = request.path_params["source_id"]
        if source_id not in desk.config.sources:
            return _error(404, f"unknown source {source_id!r}; sources are configured in app.yaml")
        client = desk.platforms.get(source_id)
        push = client if isinstance(client, PushSource) else None
        if request.method == "GET":
            if push is not None:
                return push_handshake(request, push)
            return _error(405, f"source {source_id!r} takes POST requests only")
        try:
            body = await read_limited(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return _error(413, f"body is larger than {MAX_BODY_BYTES} bytes")
        except ClientDisconnect:
            return _error(400, "the request body was cut off")
        except BodyTooSlow:
            return _error(408, f"the body did not arrive within {BODY_READ_TIMEOUT:g} seconds")
        if push is not None:
            return await push_delivery(request, body, intake, source_id, push)
        if source_id not in secrets:
            return _error(405, f"source {source_id!r} does not receive webhooks")
        if not signature_matches(secrets[source_id], body, request.headers.get(SIGNATURE_HEADER)):
            return _error(401, f"missing or wrong {SIGNATURE_HEADER}; sign the raw body with HMAC-SHA256")
        try:
            inbound = storable(parse_inbound(source_id, body, clock.now()))
        except (InvalidPayload, OverlongId) as invalid:
            return JSONResponse({"error": "invalid body", "field": invalid.field, "reason": invalid.reason},
                                status_code=400)
        try:
            result = await asyncio.wrap_future(intake.submit(inbound))
        except SQLAlchemyError as error:
            if refused_as_data(error):
                log.warning("webhook %s: the database refused message %r: %s", source_id, inbound.external_id,
                            short_reason(error))
                return _error(422, f"the database refused this message: {short_reason(error)}; do not retry it")
            log.exception("webhook %s: could not store message %s", source_id, inbound.external_id)
            return _error(503, "could not store the message right now; retry later")
        if result.unknown:
            return _error(404, f"no message {inbound.external_id!r} came from source {source_id!r}; "
                               "send the message before its edit or deletion")
        return JSONResponse(
            {"status": "duplicate" if result.duplicate else "accepted", "ref": result.ref},
            status_code=202,
        )

    return Route("/webhooks/{source_id}", receive, methods=["GET", "POST"])


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
