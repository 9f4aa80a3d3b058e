"""The server under test, in its own process (so the load generator does not share its interpreter).

``python -m bench.serve bot`` runs the bot exactly as ``socialdesk serve`` assembles it, from the
same environment variables; ``ack-floor``, ``ingest-floor`` and ``post-floor`` run the same HTTP
stack around the least work that could answer the same requests. The child prints
``listening <url>`` and serves until its stdin closes.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, Self

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.setup import BOT_TOKEN, BRANDS, COMMAND, SIGNING_SECRET, secret_environment
from bot.demo.standins.server import ServerThread
from bot.platforms.webhook import MAX_BODY_BYTES, SIGNATURE_HEADER, signature_matches
from handlers.web.bodies import BodyTooLarge, read_limited
from handlers.web.slack import slack_route
from storage.db import make_engine

APPS = ("bot", "ack-floor", "ingest-floor", "post-floor")
FLOOR_ANSWERS_ENV = "BENCH_FLOOR_ANSWERS"
"""A JSON file with what the floors answer: the bot's own answers, captured in the same run."""


# -- the child -------------------------------------------------------------------------------


def bot_app() -> Any:
    from bot.app import build_runtime
    from bot.settings import load_everything

    settings, config = load_everything()
    return build_runtime(settings, config).asgi


def ack_floor_app() -> Starlette:
    """A Bolt app behind the bot's own /slack/events route that does only what Slack sees: it acks
    each slash command with the bot's answer as a fixed text, opens the bot's Assign modal as a
    fixed view with ``views.open`` after acking a click, and acks channel message events."""
    answers = _FloorAnswers()
    bolt = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        token_verification_enabled=False,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        request_verification_enabled=False,
    )

    @bolt.event("message")
    def channel_message() -> None:
        return None

    @bolt.command(COMMAND)
    def social_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(response_type="ephemeral", text=answers.get()["answers"][command.get("text", "").strip()])

    @bolt.action("assign")
    def assign_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=answers.get()["modal"])

    return Starlette(routes=[slack_route(bolt, os.environ["SLACK_SIGNING_SECRET"])])


def ingest_floor_app() -> Starlette:
    """Read the body, check its HMAC, store it with one INSERT: the least a durable webhook can do."""
    return _webhook_floor(post_to_slack=False)


def post_floor_app() -> Starlette:
    """The ingest floor that also posts the message to its brand's channel from the request itself
    (the bot's parent message as a fixed layout), before it answers."""
    return _webhook_floor(post_to_slack=True)


def _webhook_floor(*, post_to_slack: bool) -> Starlette:
    engine = make_engine(os.environ["DATABASE_URL"])
    secrets = secret_environment()
    secret_of = {env.removesuffix("_SECRET").lower().replace("_", "-"): value for env, value in secrets.items()}
    channel_of = {source: channel for _prefix, channel, source in BRANDS.values()}
    slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    answers = _FloorAnswers()
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bench_raw_messages (source_id VARCHAR(40), body TEXT)"))

    def store(source_id: str, body: bytes) -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO bench_raw_messages (source_id, body) VALUES (:source, :body)"),
                               {"source": source_id, "body": body.decode()})
        if post_to_slack:
            slack.chat_postMessage(channel=channel_of[source_id], text=json.loads(body)["text"],
                                   blocks=answers.get()["parent_blocks"])

    async def receive(request: Request) -> Response:
        source_id = request.path_params["source_id"]
        if source_id not in secret_of:
            return JSONResponse({"error": "unknown source"}, status_code=404)
        try:
            body = await read_limited(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return JSONResponse({"error": "too large"}, status_code=413)
        if not signature_matches(secret_of[source_id], body, request.headers.get(SIGNATURE_HEADER)):
            return JSONResponse({"error": "bad signature"}, status_code=401)
        await run_in_threadpool(store, source_id, body)
        return JSONResponse({"status": "accepted"}, status_code=202)

    return Starlette(routes=[Route("/webhooks/{source_id}", receive, methods=["POST"])])


class _FloorAnswers:
    """The bot's answers, read when the floor is first asked: the floor starts beside the bot, and
    the answers are taken from the bot once it is up."""

    def __init__(self) -> None:
        self._answers: dict[str, Any] | None = None

    def get(self) -> dict[str, Any]:
        if self._answers is None:
            self._answers = json.loads(Path(os.environ[FLOOR_ANSWERS_ENV]).read_text(encoding="utf-8"))
        return self._answers


def serve(app_name: str) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = {"bot": bot_app, "ack-floor": ack_floor_app, "ingest-floor": ingest_floor_app,
           "post-floor": post_floor_app}[app_name]()
    with ServerThread(app) as server:
        print(f"listening {server.url}", flush=True)
        sys.stdin.read()  # until the parent closes our stdin (or dies)


# -- the parent ------------------------------------------------------------------------------


class ServerProcess:
    """Starts ``python -m bench.serve <app>`` with the bot's environment and stops it again."""

    def __init__(self, app_name: str, *, database_url: str, slack_api_url: str, config_path: Path,
                 log_path: Path, extra_env: dict[str, str] | None = None) -> None:
        self.app_name = app_name
        self.env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_api_url,
            "DATABASE_URL": database_url,
            "SOCIALDESK_CONFIG": str(config_path),
            **secret_environment(),
            **(extra_env or {}),
        }
        self.log_path = log_path
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        """Start the process without waiting for it to listen (entering the context waits)."""
        if self._process is not None:
            return
        self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - the server's stderr until _stop()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", self.app_name], env=self.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )

    def __enter__(self) -> Self:
        self.start()
        assert self._process is not None
        line = self._process.stdout.readline() if self._process.stdout else ""
        if not line.startswith("listening "):
            self._stop()
            raise RuntimeError(f"bench server {self.app_name!r} did not start; see {self.log_path}")
        self.url = line.split()[1]
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop()

    def _stop(self) -> None:
        process = self._process
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if self._log:
            self._log.close()


def wait_until(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


if __name__ == "__main__":
    serve(sys.argv[1])
