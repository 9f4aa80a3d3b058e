"""/healthz says the process answers; /readyz says it can do its work, or why not (503)."""

from __future__ import annotations

from bot.app import build_runtime
from bot.demo.standins.server import ServerThread
from tests.support.config import make_config, make_settings
from tests.support.serve import free_port


def ready(bot):
    return bot.http.get(f"{bot.url}/readyz")


def test_ready_when_everything_ticks(bot):
    bot.api.wait_for(lambda: ready(bot).status_code == 200, timeout=10)
    assert ready(bot).json() == {"status": "ready", "checks": {
        "database": "ok", "migrations": "ok", "delivery_worker": "ok", "scheduler": "ok", "slack_token": "ok"}}
    assert bot.http.get(f"{bot.url}/healthz").json() == {"status": "ok"}


def test_not_ready_when_the_delivery_worker_stopped(bot):
    bot.api.wait_for(lambda: ready(bot).status_code == 200, timeout=10)
    bot.runtime.worker.stop()
    answer = ready(bot)
    assert answer.status_code == 503
    assert answer.json()["status"] == "not ready"
    assert answer.json()["reason"] == "delivery_worker: the delivery worker thread is not running"
    assert bot.http.get(f"{bot.url}/healthz").status_code == 200  # alive, just not ready


def test_not_ready_when_the_scheduler_stopped(bot):
    bot.api.wait_for(lambda: ready(bot).status_code == 200, timeout=10)
    bot.runtime.scheduler.shutdown(wait=True)
    assert ready(bot).json()["reason"] == "scheduler: the scheduler is not running"


def test_not_ready_when_slack_refuses_the_token(bot):
    bot.api.wait_for(lambda: ready(bot).status_code == 200, timeout=10)
    bot.api.fail_next("auth.test", error="token_revoked")
    bot.runtime.scheduler.modify_job("slack-token-check", next_run_time=_now())
    bot.api.wait_for(lambda: ready(bot).status_code == 503, timeout=10)
    assert ready(bot).json()["checks"]["slack_token"] == "Slack refused the bot token at the last check: token_revoked"
    bot.runtime.scheduler.modify_job("slack-token-check", next_run_time=_now())  # a new token works again
    bot.api.wait_for(lambda: ready(bot).status_code == 200, timeout=10)


def test_not_ready_when_the_database_refuses_connections(slack_api, receiver):
    url = f"postgresql://socialdesk@127.0.0.1:{free_port()}/socialdesk"  # nothing listens there
    runtime = build_runtime(make_settings(url, slack_api), make_config(receiver.url), migrate=False)
    with ServerThread(runtime.asgi) as server:
        import httpx

        answer = httpx.get(f"{server.url}/readyz", timeout=10)
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"].startswith("unreachable (connection failed"), checks
    assert checks["migrations"] == "unknown: the database is unreachable"
    assert "database: unreachable" in answer.json()["reason"]


def test_not_ready_when_the_schema_is_behind(database_url, slack_api, receiver):
    from storage.db import Database

    Database(database_url).engine.dispose()  # nothing migrated yet: an empty database
    runtime = build_runtime(make_settings(database_url, slack_api), make_config(receiver.url), migrate=False)
    with ServerThread(runtime.asgi) as server:
        import httpx

        answer = httpx.get(f"{server.url}/readyz", timeout=10)
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"].startswith("schema at nothing, code expects 00")
    assert "run `socialdesk migrate`" in answer.json()["checks"]["migrations"]


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
