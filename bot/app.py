"""Assembles the running bot: database, desk, Slack app, delivery worker, scheduler, HTTP routes."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from starlette.applications import Starlette

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.delivery import DeliveryWorker
from bot.domain.desk import Desk
from bot.domain.crisis import CrisisWatch
from bot.domain.digests import DigestTicker
from bot.domain.polling import SourcePoller
from bot.domain.sla import SlaScanner
from bot.digest import DigestComposer
from bot.domain.access import Access
from bot.domain.intake import Intake
from bot.domain.ledger import RequestLedger
from bot.metrics import Metrics
from bot.platforms import PlatformClient, PollingClient
from bot.platforms.registry import make_clients
from bot.readiness import TOKEN_CHECK_MINUTES, Readiness
from bot.slack_directory import SlackDirectory
from bot.slack_metrics import metered_slack_client
from bot.settings import Settings
from bot.templates import TemplateBook
from handlers import register_listeners
from handlers.web import health_routes, metrics_route, slack_route, webhook_route
from handlers.socket_mode import SocketModeLink
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    config: Config
    db: Database
    desk: Desk
    bolt: App
    worker: DeliveryWorker
    scheduler: BackgroundScheduler
    http: httpx.Client
    asgi: Starlette
    ledger: RequestLedger
    intake: Intake
    pollers: dict[str, SourcePoller] = field(default_factory=dict)
    socket_mode: SocketModeLink | None = None
    """Set when Slack's requests arrive over Socket Mode instead of at /slack/events."""
    metrics: Metrics = field(default_factory=Metrics)
    readiness: Readiness | None = None

    def start(self) -> None:
        self.worker.start()
        self.scheduler.start()
        self.worker.wake()
        if self.socket_mode is not None:
            self.socket_mode.connect()

    def stop(self) -> None:
        if self.socket_mode is not None:
            self.socket_mode.close()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.worker.stop()
        self.ledger.stop()
        self.intake.stop()
        self.http.close()
        self.db.dispose()


def build_runtime(settings: Settings, config: Config, clock: Clock | None = None, migrate: bool = True) -> Runtime:
    clock = clock or SystemClock()
    templates = TemplateBook(config, Path(settings.config_path).parent)
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    timeout = config.delivery.http_timeout.total_seconds()
    http = httpx.Client(timeout=timeout, follow_redirects=False)
    platforms = build_platforms(settings, config, http)
    metrics = Metrics()
    metrics.watch_database(db, clock)
    # The outbox retries on its own terms (durably, honouring Retry-After); no hidden retries here.
    slack = metered_slack_client(metrics, token=settings.slack_bot_token, base_url=settings.slack_api_url,
                                 timeout=int(max(1, timeout)), retry_handlers=[])
    directory = SlackDirectory(slack, clock, config.slack.usergroup_cache)
    desk = Desk(db, config, clock, platforms, templates, access=Access(config, directory), metrics=metrics)
    ledger = RequestLedger(db, clock)
    digests = DigestComposer(db, config, clock, Path(settings.config_path).parent)
    worker = DeliveryWorker(db, desk, config, slack, clock, digests)
    desk.set_effects_listener(worker.wake)
    bolt = App(
        signing_secret=settings.slack_signing_secret,
        client=metered_slack_client(metrics, token=settings.slack_bot_token, base_url=settings.slack_api_url,
                                    timeout=10),
        token_verification_enabled=True,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        # Checked in handlers/web/slack.py on the raw bytes: Bolt's check logs refused bodies whole.
        request_verification_enabled=False,
    )
    register_listeners(bolt, desk, ledger)
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    readiness = _readiness(db, worker, scheduler, slack, config)

    def delivery_tick() -> None:
        readiness.scheduler_ticked()  # /readyz: the scheduler is running its jobs
        worker.wake()

    scheduler.add_job(delivery_tick, "interval", seconds=config.delivery.poll_interval.total_seconds(),
                      id="delivery-tick", replace_existing=True, next_run_time=datetime.now(UTC))
    # The first scan runs at start: nudges missed while the bot was down are caught up at once.
    scanner = SlaScanner(db, config, clock, desk.notify_effects, metrics)
    scheduler.add_job(scanner.scan, "interval", seconds=config.scheduler.scan_interval.total_seconds(),
                      id="sla-scan", replace_existing=True, next_run_time=datetime.now(UTC))
    crisis = CrisisWatch(db, config, clock, desk.notify_effects)
    scheduler.add_job(crisis.scan, "interval", seconds=config.scheduler.scan_interval.total_seconds(),
                      id="crisis-scan", replace_existing=True, next_run_time=datetime.now(UTC))
    ticker = DigestTicker(db, config, clock, desk.notify_effects)
    scheduler.add_job(ticker.tick, "interval", seconds=min(60.0, config.scheduler.scan_interval.total_seconds()),
                      id="digest-tick", replace_existing=True, next_run_time=datetime.now(UTC))
    scheduler.add_job(ledger.forget_old, "interval", minutes=10, id="forget-seen-requests", replace_existing=True)
    pollers = schedule_polls(scheduler, desk, platforms)
    socket_mode = SocketModeLink(bolt, settings.slack_app_token) if settings.slack_app_token else None
    runtime = Runtime(settings, config, db, desk, bolt, worker, scheduler, http, None,  # type: ignore[arg-type]
                      ledger, Intake(desk), pollers, socket_mode, metrics=metrics, readiness=readiness)
    runtime.asgi = _asgi(runtime, clock)
    return runtime


def _readiness(db: Database, worker: DeliveryWorker, scheduler: BackgroundScheduler, slack: WebClient,
               config: Config) -> Readiness:
    """The token check on the scheduler; /readyz reads what it and the delivery tick last saw."""
    delivery = config.delivery
    tick = delivery.poll_interval.total_seconds()
    # The worker waits at most poll_interval between rounds, and a round may wait on a slow call.
    stale_after = max(60.0, 3 * tick + 2 * delivery.http_timeout.total_seconds())
    readiness = Readiness(db, worker, scheduler, slack, tick, stale_after)
    scheduler.add_job(readiness.check_token, "interval", minutes=TOKEN_CHECK_MINUTES, id="slack-token-check",
                      replace_existing=True, next_run_time=datetime.now(UTC))
    return readiness


def build_platforms(settings: Settings, config: Config, http: httpx.Client) -> dict[str, PlatformClient]:
    return make_clients(config, settings.source_secrets, settings.source_credentials, http)


def schedule_polls(scheduler: BackgroundScheduler, desk: Desk,
                   platforms: dict[str, PlatformClient]) -> dict[str, SourcePoller]:
    """One interval job per polling source; the database decides whose turn it is and what is new."""
    pollers: dict[str, SourcePoller] = {}
    for source_id, client in platforms.items():
        if isinstance(client, PollingClient):
            pollers[source_id] = poller = SourcePoller(source_id, client, desk.ingest, desk.db, desk.clock,
                                                       desk.notify_effects, desk.metrics)
            scheduler.add_job(poller.tick, "interval", seconds=client.poll_interval.total_seconds(),
                              id=f"poll:{source_id}", replace_existing=True)
    return pollers


def _asgi(runtime: Runtime, clock: Clock) -> Starlette:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        runtime.start()
        # What start-up loaded (modules, the ORM's registry, config) lives as long as the process:
        # keep it out of the garbage collector's full passes, which otherwise stall requests.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            runtime.stop()

    routes = [
        webhook_route(runtime.desk, runtime.intake, runtime.settings.source_secrets, clock),
        *health_routes(runtime.readiness),
        metrics_route(runtime.metrics),
    ]
    if runtime.socket_mode is None:  # over Socket Mode Slack sends nothing here, and there may be no signing secret
        routes.insert(0, slack_route(runtime.bolt, runtime.settings.slack_signing_secret, runtime.metrics))
    return Starlette(routes=routes, lifespan=lifespan)
