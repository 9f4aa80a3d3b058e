"""The HTTP surface: /slack/events, /webhooks/<source_id>, /healthz, /readyz, /metrics."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Mapping
from urllib.parse import unquote_plus

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import Clock
from bot.domain import Desk
from bot.domain.intake import Intake
from bot.domain.sanitise import OverlongId, storable
from bot.metrics import Metrics, slack_request_kind
from bot.platforms.meta import MetaClient
from bot.platforms.webhook import MAX_BODY_BYTES, SIGNATURE_HEADER, InvalidPayload, parse_inbound, signature_matches
from bot.readiness import Readiness
from handlers import slack_signature
from handlers.ack_budget import RECEIVED_AT
from handlers.platform_webhooks import meta_delivery, meta_handshake
from storage.db import refused_as_data, short_reason

log = logging.getLogger(__name__)

SLACK_MAX_BODY = 4 * 1024 * 1024
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
"""What reading a payload that lacks what Slack always sends raises."""
# An escaped high surrogate not followed by a low one, or a low one without a high one before it;
# the backslash as such (JSON bodies) or form-encoded (%5C, in the payload of interactive requests).
_HIGH = r"u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"u[dD][c-fC-F][0-9a-fA-F]{2}"
_BACKSLASH = r"(?:\\|%5[cC])"
_LONE_SURROGATE_ESCAPE = re.compile(
    rf"{_BACKSLASH}{_HIGH}(?!{_BACKSLASH}{_LOW})"
    rf"|(?<!\\{_HIGH})(?<!%5[cC]{_HIGH}){_BACKSLASH}{_LOW}"
)
# Slack encodes only what form encoding must; a letter or digit sent as %XX could hide an escape.
_ENCODED_ALPHANUMERIC = re.compile(r"%(?:3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])")


BODY_READ_TIMEOUT = 10.0
"""Seconds a client has to send the whole body once its headers are in (Slack and Meta send at once)."""


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


async def read_limited(request: Request, limit: int, timeout: float = BODY_READ_TIMEOUT) -> bytes:
    """The raw body, refusing to read past ``limit`` bytes whatever Content-Length claims, or to wait
    longer than ``timeout`` seconds for it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise BodyTooSlow from None
    return b"".join(chunks)


def escapes_lone_surrogate(text: str) -> bool:
    """Whether the body (JSON or form-encoded) escapes half of a UTF-16 surrogate pair, which no
    UTF-8 text can hold; read without decoding the body unless it percent-encodes a letter or digit."""
    if _ENCODED_ALPHANUMERIC.search(text):
        text = unquote_plus(text)
    return _LONE_SURROGATE_ESCAPE.search(text) is not None


def slack_route(bolt: App, signing_secret: str, metrics: Metrics | None = None) -> Route:
    metrics = metrics or Metrics()

    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        response, kind = await answer(request)
        metrics.slack_request_seconds.labels(kind).observe(time.perf_counter() - started)
        return response

    async def answer(request: Request) -> tuple[Response, str]:
        arrived = time.monotonic()
        try:
            body = await read_limited(request, SLACK_MAX_BODY)
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413), "rejected"
        except ClientDisconnect:
            return JSONResponse({"error": "the request body was cut off"}, status_code=400), "rejected"
        except BodyTooSlow:
            return JSONResponse({"error": "the request body did not arrive in time"}, status_code=408), "rejected"
        refused = slack_signature.refusal(signing_secret, body, request.headers.get("x-slack-request-timestamp"),
                                          request.headers.get("x-slack-signature"))
        if refused is not None:
            log.info("slack: refused a request: %s", refused)
            return JSONResponse({"error": "invalid request"}, status_code=401), "rejected"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse({"error": "body is not valid UTF-8"}, status_code=400), "rejected"
        if escapes_lone_surrogate(text):
            return JSONResponse({"error": "body escapes half of a UTF-16 surrogate pair"}, status_code=400), "rejected"
        kind = "rejected"
        try:
            bolt_request = to_bolt_request(request, body)
            bolt_request.context[RECEIVED_AT] = arrived
            kind = slack_request_kind(bolt_request.body)
            bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        except (*MALFORMED, RecursionError) as malformed:
            # Bolt parses the body and reads ids from fixed places; a body it cannot read that way
            # (not a JSON object or a form, nested too deep, ids missing) is not from Slack.
            log.warning("slack: malformed request: %s: %s", type(malformed).__name__, malformed)
            return JSONResponse({"error": "body is not shaped like a Slack request"}, status_code=400), "rejected"
        return to_starlette_response(bolt_response), kind

    return Route("/slack/events", slack_events, methods=["POST"])


def webhook_route(desk: Desk, intake: Intake, secrets: Mapping[str, str], clock: Clock) -> Route:
    async def receive(request: Request) -> Response:
        source_id = request.path_params["source_id"]
        if source_id not in desk.config.sources:
            return _error(404, f"unknown source {source_id!r}; sources are configured in app.yaml")
        client = desk.platforms.get(source_id)
        if request.method == "GET":
            if isinstance(client, MetaClient):
                return meta_handshake(request, client)
            return _error(405, f"source {source_id!r} takes POST requests only")
        try:
            body = await read_limited(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return _error(413, f"body is larger than {MAX_BODY_BYTES} bytes")
        except ClientDisconnect:
            return _error(400, "the request body was cut off")
        except BodyTooSlow:
            return _error(408, f"the body did not arrive within {BODY_READ_TIMEOUT:g} seconds")
        if isinstance(client, MetaClient):
            return await meta_delivery(request, body, intake, source_id, client)
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
        return JSONResponse(
            {"status": "duplicate" if result.duplicate else "accepted", "ref": result.ref},
            status_code=202,
        )

    return Route("/webhooks/{source_id}", receive, methods=["GET", "POST"])


def health_routes(readiness: Readiness | None) -> list[Route]:
    """/healthz: the process answers (a load balancer or container runtime restarts it otherwise);
    /readyz: it can do its work (send it traffic), or 503 with the reason."""

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        if readiness is None:
            return JSONResponse({"status": "not ready", "reason": "still starting"}, status_code=503)
        ready, body = await run_in_threadpool(readiness.report)
        return JSONResponse(body, status_code=200 if ready else 503)

    return [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"])]


def metrics_route(metrics: Metrics) -> Route:
    async def scrape(_request: Request) -> Response:
        # The database gauges are read now, off the event loop.
        return Response(await run_in_threadpool(metrics.exposition), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", scrape, methods=["GET"])


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)

