"""Socket Mode: Slack's events, clicks, submissions and commands arrive as envelopes over a WebSocket
the bot opens with its app-level token, and the bot works exactly as over HTTP, its replay and
retry guards included. Driven through the local Socket Mode stand-in."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import build_runtime
from bot.config import Config, ConfigError
from bot.manifest import manifest
from bot.demo.standins.server import ServerThread
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.demo.standins.slack_socket_mode import ACK_DEADLINE, SocketModeStandIn
from bot.demo.standins.slack_socket_requests import SocketSlack
from bot.settings import settings_from_env
from tests.support.bot import Bot, customer_message
from tests.support.cli import GOOD_ENV, assert_one_line_error, socialdesk
from tests.support.config import ALICE, BOB, BOT_TOKEN, CHANNELS, CONFIG_TEMPLATE, PEOPLE, make_config, make_settings
from tests.support.serve import ServeProcess, deliver_webhook
from tests.support.slack import shown

APP_TOKEN = "xapp-1-A0APP0001-1234567890-abcdef"


@pytest.fixture
def socket_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=BOT_TOKEN, channels=set(CHANNELS), users=PEOPLE, app_token=APP_TOKEN) as api:
        yield api


@contextmanager
def socket_bot(database_url: str, api: SlackStandIn, config: Config) -> Iterator[Bot]:
    """The bot with an app-level token and no signing secret, its HTTP server serving webhooks and /healthz."""
    settings = replace(make_settings(database_url, api), slack_signing_secret="", slack_app_token=APP_TOKEN)
    runtime = build_runtime(settings, config)
    with ServerThread(runtime.asgi) as server:
        link(api).wait_connected()
        bot = Bot(server.url, runtime, SocketSlack(api), api)
        try:
            yield bot
        finally:
            bot.http.close()


@pytest.fixture
def bot(database_url, socket_api, receiver) -> Iterator[Bot]:
    with socket_bot(database_url, socket_api, make_config(receiver.url)) as running:
        yield running


def link(api: SlackStandIn) -> SocketModeStandIn:
    assert api.socket_mode is not None
    return api.socket_mode


def test_the_whole_path_works_over_socket_mode_with_every_ack_in_time(bot, receiver):
    assert bot.webhook(customer_message(id="c-1", conversation_id="post-1")).status_code == 202
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "assign")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    bot.slack.submit(ALICE, modal, {"user": BOB})
    bot.api.wait_for(lambda: f"<@{BOB}>" in shown(bot.parent()))
    assert bot.api.thread("C0ACME01", parent.ts)[0].text == f"<@{ALICE}> assigned <@{BOB}>"

    bot.slack.click(BOB, bot.parent(), "reply")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(BOB))
    bot.slack.submit(BOB, modal, {"text": "Sorry! It ships today."})

    delivery = receiver.wait_for(lambda: receiver.deliveries)[0]
    assert delivery.signature_ok
    assert delivery.body["conversation_id"] == "post-1" and delivery.body["text"] == "Sorry! It ships today."
    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
    acks = link(bot.api).acks
    assert len(acks) == 4 == len(link(bot.api).envelopes)
    assert all(ack.seconds < ACK_DEADLINE for ack in acks), [ack.seconds for ack in acks]
    assert link(bot.api).stray_acks == []


def test_the_message_shortcut_answers_its_submission_in_the_ack(bot):
    pasted = {"user": BOB, "ts": "1763883000.000200", "text": "Saw this on a forum: <!channel> help"}
    assert bot.slack.message_shortcut(ALICE, pasted, "track_message", "C0RANDOM1").seconds < ACK_DEADLINE
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))

    ack = bot.slack.submit(ALICE, modal, {"brand": "acme", "kind": "mention", "name": "Forum user"})

    assert link(bot.api).envelopes[-1].accepts_response_payload is True
    assert ack.payload["response_action"] == "update"
    assert "Tracking as *ACME-1*" in ack.payload["view"]["blocks"][0]["text"]["text"]
    assert "Forum user" in shown(bot.parent())


def test_the_http_port_serves_webhooks_and_health_but_takes_nothing_meant_for_slack(bot):
    assert bot.http.get(f"{bot.url}/healthz").status_code == 200
    unsigned = bot.http.post(f"{bot.url}/slack/events", content=b'{"type":"event_callback"}',
                             headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 404


def test_the_slash_command_answers_in_its_ack(bot):
    bot.webhook(customer_message(id="m1"))
    bot.wait_idle()

    ack = bot.slack.command(ALICE, "/social", "assign ACME-1 me", "C0ACME01")

    assert ack.payload == {"response_type": "ephemeral", "text": f"ACME-1 assigned to <@{ALICE}>."}
    assert ack.seconds < ACK_DEADLINE
    bot.api.wait_for(lambda: f"<@{ALICE}>" in shown(bot.parent()))
    # A second command is a new delivery, not a replay of the first.
    again = bot.slack.command(ALICE, "/social", "assign ACME-1 me", "C0ACME01")
    assert again.payload["text"] == f"ACME-1 is already assigned to <@{ALICE}>."


def test_a_redelivered_event_is_handled_once(bot):
    event = {"type": "app_home_opened", "user": ALICE, "channel": "D0HOME001", "tab": "home",
             "event_ts": "1763883000.000100"}
    bot.slack.event(event, event_id="Ev0SOCKET1")
    bot.api.wait_for(lambda: bot.api.home_view(ALICE))
    first = link(bot.api).envelopes[-1]
    assert first.retry_attempt == 0

    again = link(bot.api).redeliver(first)
    same_envelope = link(bot.api).redeliver(first, same_envelope_id=True)

    assert again.envelope_id != first.envelope_id and again.retry_attempt == 1 and again.retry_reason == "timeout"
    link(bot.api).ack_for(again)
    link(bot.api).wait_for(lambda: len(link(bot.api).acks_for(same_envelope)) == 2)
    bot.wait_idle()
    assert len(bot.api.calls_to("views.publish")) == 1


def test_a_redelivered_click_is_acked_and_opens_no_second_modal(bot):
    bot.webhook(customer_message())
    bot.slack.click(ALICE, bot.parent(), "assign")
    bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    click = link(bot.api).envelopes[-1]

    again = link(bot.api).redeliver(click, same_envelope_id=True, reason="timeout")

    link(bot.api).wait_for(lambda: len(link(bot.api).acks_for(again)) == 2)
    assert len(bot.api.calls_to("views.open")) == 1
    assert all(call.response["ok"] for call in bot.api.calls)


def test_a_redelivered_submission_assigns_once_but_a_corrected_one_counts(bot):
    bot.webhook(customer_message())
    parent = bot.parent()
    bot.slack.click(ALICE, parent, "assign")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))

    empty = bot.slack.submit(ALICE, modal, {"user": None})
    assert empty.payload["response_action"] == "errors"
    bot.slack.submit(ALICE, modal, {"user": BOB})  # the same view and hash, a new trigger
    link(bot.api).redeliver(link(bot.api).envelopes[-1])

    bot.api.wait_for(lambda: f"<@{BOB}>" in shown(bot.parent()))
    bot.wait_idle()
    assert [m.text for m in bot.api.thread("C0ACME01", parent.ts)] == [f"<@{ALICE}> assigned <@{BOB}>"]


def test_the_bot_opens_a_new_link_when_slack_asks_and_keeps_working(bot):
    bot.webhook(customer_message())
    parent = bot.parent()

    link(bot.api).disconnect("refresh_requested")
    link(bot.api).wait_for(lambda: link(bot.api).links_opened == 2)
    link(bot.api).wait_for(lambda: link(bot.api).open_links() == 1)

    bot.slack.click(ALICE, parent, "assign")
    bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert len(bot.api.calls_to("apps.connections.open")) == 2


# -- the Slack stand-in is as strict about tokens as Slack -------------------------------------


def test_only_an_app_token_opens_a_link_and_it_is_good_for_nothing_else(socket_api):
    client = WebClient(base_url=socket_api.base_url)
    client.retry_handlers = []
    url = client.apps_connections_open(app_token=APP_TOKEN)["url"]
    assert url.startswith(f"ws://127.0.0.1:{link(socket_api).port}/")

    with pytest.raises(SlackApiError) as bot_token:
        client.apps_connections_open(app_token=BOT_TOKEN)
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as wrong:
        client.apps_connections_open(app_token="xapp-1-unknown")
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as app_token:
        WebClient(token=APP_TOKEN, base_url=socket_api.base_url).chat_postMessage(channel="C0ACME01", text="hi")
    assert app_token.value.response["error"] == "not_allowed_token_type"


def test_a_link_url_is_good_for_one_connection(socket_api):
    url = WebClient(base_url=socket_api.base_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    for expected in (101, 401):
        with httpx.Client() as http:
            handshake = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                         "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
            try:
                status = http.get(url.replace("ws://", "http://"), headers=handshake, timeout=2).status_code
            except httpx.RemoteProtocolError:
                status = 101  # the server switched protocols and started talking WebSocket
            assert status == expected


# -- settings ------------------------------------------------------------------------------------


def test_socket_mode_needs_no_signing_secret():
    settings = settings_from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": APP_TOKEN})
    assert settings.slack_app_token == APP_TOKEN and settings.slack_signing_secret == ""
    assert APP_TOKEN not in repr(settings)


@pytest.mark.parametrize("token, kind", [("xoxb-123-456-abc", "xoxb-"), ("s3cr3t-value-abc", "s3...")])
def test_a_token_of_the_wrong_kind_is_one_clear_line(token, kind):
    with pytest.raises(ConfigError) as error:
        settings_from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": token})
    message = str(error.value)
    assert message.startswith(f"SLACK_APP_TOKEN is not an app-level token (it starts with '{kind}', not 'xapp-')")
    assert "\n" not in message and token not in message


def test_without_either_the_signing_secret_is_asked_for():
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set.*SLACK_APP_TOKEN"):
        settings_from_env({"SLACK_BOT_TOKEN": "xoxb-1"})


# -- the manifest --------------------------------------------------------------------------------


def test_the_socket_mode_manifest_has_no_request_urls():
    app = manifest(None, "/social", socket_mode=True)

    assert app["settings"]["socket_mode_enabled"] is True
    assert "https://" not in json.dumps(app)
    assert "request_url" not in app["settings"]["event_subscriptions"]
    assert app["settings"]["interactivity"] == {"is_enabled": True}
    assert all("url" not in command for command in app["features"]["slash_commands"])
    over_http = manifest("https://bot.example.com", "/social")
    assert over_http["settings"]["socket_mode_enabled"] is False
    # Everything else is the same app.
    assert app["oauth_config"] == over_http["oauth_config"]
    assert app["settings"]["event_subscriptions"]["bot_events"] == over_http["settings"]["event_subscriptions"]["bot_events"]


@pytest.mark.slack_manifest_schema
def test_the_socket_mode_manifest_passes_slacks_schema():
    path = os.environ.get("SLACK_MANIFEST_SCHEMA")
    if not path:
        pytest.skip("set SLACK_MANIFEST_SCHEMA to the path of Slack's manifest.schema.1.0.0.json")
    import jsonschema

    schema = json.loads(Path(path).read_text())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in jsonschema.Draft7Validator(schema).iter_errors(manifest(None, "/social", socket_mode=True))]
    assert errors == []


def test_manifest_command_for_socket_mode_needs_no_url(tmp_path):
    printed = yaml.safe_load(socialdesk("manifest", "--socket-mode", cwd=tmp_path).stdout)
    assert printed["settings"]["socket_mode_enabled"] is True
    neither = socialdesk("manifest", cwd=tmp_path)
    assert neither.returncode == 2
    assert neither.stderr.strip() == (
        "socialdesk: --url: give the bot's public https:// base URL, or --socket-mode to connect without one")
    both = socialdesk("manifest", "--socket-mode", "--url", "https://bot.example.com", cwd=tmp_path)
    assert both.returncode == 2 and both.stderr.startswith("socialdesk: --url and --socket-mode: choose one")


# -- `socialdesk serve` ----------------------------------------------------------------------------


def test_serve_with_an_app_token_works_end_to_end_over_socket_mode(tmp_path, socket_api, receiver):
    serve = ServeProcess(tmp_path, f"sqlite:///{tmp_path / 'serve.db'}", socket_api, receiver)
    del serve.env["SLACK_SIGNING_SECRET"]
    serve.env.update(SLACK_APP_TOKEN=APP_TOKEN, LOG_LEVEL="INFO")
    socket_api.usergroups.update({"S0DUTY001": [], "S0PR0001": []})  # the groups app.yaml names exist
    slack = SocketSlack(socket_api)
    try:
        serve.start()
        link(socket_api).wait_connected()
        assert httpx.post(f"{serve.url}/slack/events", content=b"{}").status_code == 404
        event = {"type": "app_home_opened", "user": ALICE, "channel": "D0HOME001", "tab": "home",
                 "event_ts": "1763883000.000100"}
        slack.event(event, event_id="Ev0SERVE01")
        socket_api.wait_for(lambda: socket_api.home_view(ALICE))
        link(socket_api).ack_for(link(socket_api).redeliver(slack.sent_events[-1]))
        time.sleep(0.5)
        assert len(socket_api.calls_to("views.publish")) == 1
        assert deliver_webhook([serve.url], customer_message(id="s-1", conversation_id="post-9"))
        parent = socket_api.wait_for(lambda: socket_api.messages("C0ACME01"), timeout=10)[0]

        slack.click(ALICE, parent, "assign")
        slack.submit(ALICE, socket_api.wait_for(lambda: socket_api.view_for_user(ALICE)), {"user": ALICE})
        socket_api.wait_for(lambda: socket_api.thread("C0ACME01", parent.ts))
        slack.click(ALICE, socket_api.message("C0ACME01", parent.ts), "reply")
        socket_api.wait_for(lambda: len(socket_api.calls_to("views.open")) == 2)
        slack.submit(ALICE, socket_api.view_for_user(ALICE), {"text": "On its way!"})
        assert receiver.wait_for(lambda: receiver.deliveries, timeout=10)[0].body["text"] == "On its way!"

        answer = slack.command(ALICE, "/social", "show ACME-1", "C0ACME01")
        assert "ACME-1" in answer.payload["text"]
    finally:
        serve.stop()
    assert all(ack.seconds < ACK_DEADLINE for ack in link(socket_api).acks)
    assert len(link(socket_api).acks) == len(link(socket_api).envelopes) == 7
    output = next(tmp_path.glob("serve-*.log")).read_text()
    problems = [line for line in output.splitlines() if " WARNING " in line or " ERROR " in line or "Traceback" in line]
    assert problems == [], output
    assert APP_TOKEN not in output


def test_serve_with_a_refused_app_token_stops_at_once_with_one_line(tmp_path, socket_api):
    (tmp_path / "app.yaml").write_text(CONFIG_TEMPLATE.replace("{reply_url}", "https://example.com/reply"))
    env = {**GOOD_ENV, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": socket_api.base_url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    del env["SLACK_SIGNING_SECRET"]

    refused = socialdesk("serve", env={**env, "SLACK_APP_TOKEN": "xapp-1-A0APP0001-0-revoked"}, cwd=tmp_path)
    assert_one_line_error(refused, "SLACK_APP_TOKEN: Slack refused it (invalid_auth)")
    wrong_kind = socialdesk("serve", env={**env, "SLACK_APP_TOKEN": BOT_TOKEN}, cwd=tmp_path)
    assert_one_line_error(wrong_kind, "SLACK_APP_TOKEN is not an app-level token (it starts with 'xoxb-'")
    assert socket_api.calls_to("apps.connections.open")[0].response["error"] == "invalid_auth"
    assert link(socket_api).links_opened == 0


def test_what_the_bot_refuses_is_acked_so_slack_does_not_send_it_again(bot, caplog):
    unknown_event = {"type": "reaction_added", "user": ALICE, "reaction": "eyes",
                     "item": {"type": "message", "channel": "C0ACME01", "ts": "1.000001"}, "event_ts": "1.000002"}
    assert bot.slack.event(unknown_event).payload is None
    malformed = link(bot.api).deliver("interactive", {"type": "block_actions", "team": {"id": "T0TEAM001"},
                                                      "user": {"id": ALICE}, "actions": "not a list"})
    assert malformed.payload is None
    shapeless = link(bot.api).deliver("slash_commands", {"command": "/social", "team_id": "T0TEAM001"},
                                      accepts_response_payload=True)
    assert shapeless.seconds < ACK_DEADLINE
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert any(w.startswith("slack: malformed block_actions request: TypeError") for w in warnings), warnings

    bot.webhook(customer_message())
    bot.slack.click(ALICE, bot.parent(), "assign")
    bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert link(bot.api).open_links() == 1 and link(bot.api).links_opened == 1


def test_a_link_url_that_no_longer_works_is_replaced_by_a_new_one(tmp_path, socket_api, receiver, caplog):
    settings = replace(make_settings(f"sqlite:///{tmp_path / 'x.db'}", socket_api), slack_signing_secret="",
                       slack_app_token=APP_TOKEN)
    runtime = build_runtime(settings, make_config(receiver.url))
    used = WebClient(base_url=socket_api.base_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    with httpx.Client() as http, suppress(httpx.HTTPError):  # someone else connected with it first
        http.get(used.replace("ws://", "http://"), timeout=2, headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    runtime.socket_mode.first_url = used
    with ServerThread(runtime.asgi):
        link(socket_api).wait_for(lambda: link(socket_api).links_opened == 2, timeout=30)
        assert "socket mode: the link to Slack is not open yet; retrying" in caplog.text
