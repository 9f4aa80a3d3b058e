"""``socialdesk demo``: the real bot, offline, clicked through by pretend teammates.

A Slack Web API stand-in plays Slack, a reply receiver plays the platform, SQLite lives in a
temporary folder. The bot is the same HTTP server that ``socialdesk serve`` runs.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from bot.app import Runtime, build_runtime
from bot.config import parse_config
from bot.demo.standins.common import wait_for
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.server import ServerThread
from bot.demo.standins.slack_web_api import Call, SlackStandIn
from bot.demo.standins.slack_requests import FakeSlack
from bot.platforms.webhook import SIGNATURE_HEADER, sign
from bot.settings import Settings

TOKEN = "xoxb-demo"
SIGNING_SECRET = "demo-signing-secret"
SECRETS = {"acme-hook": "acme-demo-secret", "haneul-reviews": "haneul-demo-secret"}
ALICE, BOB = "U0ALICE01", "U0BOB0001"
PEOPLE = {ALICE: "alice", BOB: "bob"}
DIRECTORY = {ALICE: "Alice Park", BOB: "Bob Lee"}
CHANNELS = {"C0ACME01": "#acme-social", "C0HANEUL1": "#haneul-social", "C0PR0001": "#pr-team", "C0LEGAL01": "#legal"}
GROUPS = {"S0PR0001": "@pr-team"}


def run_demo(quiet: bool = False, out: Callable[[str], None] = print) -> int:
    say = (lambda _line: None) if quiet else out
    with tempfile.TemporaryDirectory(prefix="socialdesk-demo-") as folder, \
            SlackStandIn(token=TOKEN, channels=set(CHANNELS), users=DIRECTORY) as api, \
            ReplyReceiver(secret=SECRETS["acme-hook"]) as platform:
        runtime = _runtime(Path(folder), api, platform)
        api.on_call(ChannelPrinter(say))
        with ServerThread(runtime.asgi) as server:
            demo = Demo(runtime, api, platform, FakeSlack(server.url, SIGNING_SECRET, api), server.url, say)
            demo.play()
            summary = demo.summary()
    out(summary)
    return 0


def _runtime(folder: Path, api: SlackStandIn, platform: ReplyReceiver) -> Runtime:
    text = resources.files("bot.samples").joinpath("demo.yaml").read_text(encoding="utf-8")
    config = parse_config(text.replace("{reply_url}", platform.url), "demo.yaml")
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
        database_url=f"sqlite:///{folder / 'demo.db'}",
        source_secrets=SECRETS,
    )
    return build_runtime(settings, config)


class Demo:
    def __init__(self, runtime: Runtime, api: SlackStandIn, platform: ReplyReceiver, slack: FakeSlack,
                 url: str, say: Callable[[str], None]) -> None:
        self.runtime = runtime
        self.api = api
        self.platform = platform
        self.slack = slack
        self.url = url
        self.say = say

    def play(self) -> None:
        self.say("socialdesk demo: the real bot, offline (Slack and the platforms are local stand-ins)")
        self.step("Customers write in: each conversation becomes one thread in its brand's channel")
        samples = json.loads(resources.files("bot.samples").joinpath("messages.json").read_text(encoding="utf-8"))
        now = datetime.now(UTC)
        for sample in samples:
            # Written minutes before the demo runs, so deadlines show as they would live.
            written = now - timedelta(minutes=sample["minutes_ago"])
            body = {**sample["body"], "created_at": written.isoformat(timespec="seconds")}
            self.customer_writes(sample["source"], body)

        self.step("alice assigns ACME-1 to bob (Assign → pick a person)")
        self.click_and_submit(ALICE, "ACME-1", "assign", {"user": BOB})

        self.step("bob answers ACME-1 (Reply → pick the canned reply → edit → Send); the platform receives it")
        self.reply_with_template(BOB, "ACME-1", "shipping-delay", " 송장 번호는 DM으로 보내드릴게요!")
        self.wait(lambda: self.platform.deliveries)
        self.say(f"   platform received: {json.dumps(self.platform.deliveries[-1].body, ensure_ascii=False)}")

        self.step("alice escalates ACME-3 to the PR team with a reason")
        self.click_and_submit(ALICE, "ACME-3", "escalate",
                              {"tier": "pr", "text": "Public refund complaint, threatens to spread it"})

        self.step("the customer on ACME-1 writes again: the conversation reopens")
        self.customer_writes("acme-hook", {
            "id": "fb-c-1003", "conversation_id": "fb-post-77", "kind": "comment",
            "author": {"id": "fb-u-1", "name": "김민지", "handle": "minji.kim"},
            "text": "감사합니다! 송장 번호도 알려주실 수 있나요?",
            "url": "https://www.facebook.com/acme/posts/77?comment_id=1003",
        })

        self.step("bob resolves ACME-2 (pressing twice changes nothing more)")
        parent = self.parent("ACME-2")
        self.slack.click(BOB, parent, "resolve")
        self.slack.click(BOB, parent, "resolve")
        self.settle()
        notice = self.wait(lambda: self.api.responses)[-1]["text"]
        self.say(f"   (only bob sees: {notice})")

    def summary(self) -> str:
        posts = [call for call in self.api.calls_to("chat.postMessage") if call.http_status == 200]
        updates = self.api.calls_to("chat.update")
        conversations = sum(len(self.api.messages(channel)) for channel in ("C0ACME01", "C0HANEUL1"))
        return (
            f"demo finished: {conversations} conversations in Slack, {len(posts)} messages posted, "
            f"{len(updates)} parent edits, {len(self.platform.deliveries)} reply delivered to the platform, "
            f"{self.runtime.worker.pending()} effects left pending"
        )

    # -- steps -------------------------------------------------------------------------------

    def step(self, title: str) -> None:
        self.say(f"\n== {title}")

    def customer_writes(self, source: str, body: dict[str, Any]) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        response = httpx.post(
            f"{self.url}/webhooks/{source}", content=raw, timeout=10,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(SECRETS[source], raw)},
        )
        self.say(f"-> webhook {source}: {response.status_code} {response.json()}")
        self.settle()

    def click_and_submit(self, user: str, ref: str, action: str, values: dict[str, str]) -> None:
        before = (self.api.view_for_user(user) or {}).get("id")
        self.slack.click(user, self.parent(ref), action)
        view = self.wait(lambda: (v := self.api.view_for_user(user)) and v.get("id") != before and v)
        self.slack.submit(user, view, values)
        self.settle()

    def reply_with_template(self, user: str, ref: str, template: str, addition: str) -> None:
        before = (self.api.view_for_user(user) or {}).get("id")
        self.slack.click(user, self.parent(ref), "reply")
        modal = self.wait(lambda: (v := self.api.view_for_user(user)) and v.get("id") != before and v)
        self.slack.choose(user, modal, "reply_template", template)
        filled = self.wait(lambda: (v := self.api.view_for_user(user)) and v["hash"] != modal["hash"] and v)
        text = filled["blocks"][-1]["element"]["initial_value"]
        self.say(f"   (the reply box now holds: {text})")
        self.slack.submit(user, filled, {"text": text + addition})
        self.settle()

    def parent(self, ref: str) -> Any:
        def find() -> Any:
            for channel in ("C0ACME01", "C0HANEUL1"):
                for message in self.api.messages(channel):
                    if message.text.startswith(f"{ref} "):
                        return message
            return None

        return self.wait(find)

    def settle(self) -> None:
        self.wait(lambda: self.runtime.worker.pending() == 0)

    @staticmethod
    def wait(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        try:
            return wait_for(predicate, timeout)
        except AssertionError:
            raise RuntimeError("the demo timed out waiting for the bot; run it again with LOG_LEVEL=DEBUG") from None


class ChannelPrinter:
    """Prints what a person in the channels would see, as the bot calls Slack."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.refs: dict[str, str] = {}

    def __call__(self, call: Call) -> None:
        if call.http_status != 200 or not call.response.get("ok"):
            answer = call.response.get("error") or call.http_status
            self.say(f"   (Slack answered {call.method}: {answer}; the bot will retry)")
            return
        args = call.args
        channel = CHANNELS.get(args.get("channel", ""), args.get("channel", ""))
        if call.method == "chat.postMessage" and args.get("thread_ts"):
            ref = self.refs.get(args["thread_ts"], "?")
            first, *rest = plain(_message_text(args)).splitlines() or [""]
            self.say(f"   {channel} ↳ thread {ref}: {first}")
            for line in rest:
                self.say(f"      {line}")
        elif call.method == "chat.postMessage":
            text = _message_text(args)
            found = re.match(r"\*?([A-Z][A-Z0-9]*-\d+)", text)
            if found and args.get("blocks"):
                self.refs[call.response["ts"]] = found.group(1)
            self.say(f"   {channel} new message:")
            for line in plain(text).splitlines():
                self.say(f"      {line}")
        elif call.method == "chat.update":
            ref = self.refs.get(args.get("ts", ""), "?")
            state = next((b for b in args.get("blocks", []) if b.get("block_id") == "state"), None)
            line = state["elements"][0]["text"] if state else args.get("text", "")
            self.say(f"   {channel} parent of {ref} edited: {plain(line)}")
        elif call.method == "views.open":
            title = args.get("view", {}).get("title", {}).get("text", "")
            self.say(f"   (a modal opens: {title})")


def _message_text(args: dict[str, Any]) -> str:
    lines: list[str] = []
    for block in args.get("blocks") or []:
        if block.get("type") == "section":
            lines.append(block["text"]["text"])
        elif block.get("type") == "context":
            lines.extend(element.get("text", "") for element in block["elements"])
        elif block.get("type") == "actions":
            labels = [(element.get("text") or {}).get("text", "...") for element in block["elements"]]
            lines.append(" ".join(f"[{label}]" for label in labels))
    return "\n".join(lines) or args.get("text", "")


def plain(mrkdwn: str) -> str:
    """mrkdwn as a terminal shows it: names for ids, labels for links, no markup."""
    text = re.sub(r":[a-z_]+: ", "", mrkdwn)
    text = re.sub(r"<@(\w+)>", lambda m: "@" + PEOPLE.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<!subteam\^(\w+)>", lambda m: GROUPS.get(m.group(1), "@group"), text)
    text = re.sub(r"<!date\^\d+\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]*)>", r"\2", text)
    text = re.sub(r"(?<!\w)[*_]([^*_\n]+)[*_](?!\w)", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
