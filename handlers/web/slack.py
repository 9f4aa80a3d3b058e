"""/slack/events: Slack's requests over HTTP, checked on the raw bytes, then handed to the Bolt app."""

from __future__ import annotations

import logging
import time

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics import Metrics, slack_request_kind
from handlers.ack_budget import RECEIVED_AT
from handlers.slack_input import MALFORMED
from handlers.web import slack_signature
from handlers.web.bodies import BodyTooLarge, BodyTooSlow, escapes_lone_surrogate, read_limited

log = logging.getLogger(__name__)

SLACK_MAX_BODY = 4 * 1024 * 1024


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
