"""/healthz, /readyz and /metrics."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics import Metrics
from bot.readiness import Readiness


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
