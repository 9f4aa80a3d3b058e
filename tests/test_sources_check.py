"""socialdesk sources check: every source's credentials tried against its API, as a table."""

from __future__ import annotations

from bot.demo.standins.bluesky_xrpc import BlueskyStandIn
from bot.demo.standins.mastodon_api import MastodonStandIn
from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.demo.standins.youtube_data_api import YouTubeStandIn
from tests.support.cli import socialdesk

CHANNEL = "UCa-vrCLQHviTOVnEKDOdetQ"
ENV = {
    "ACME_HOOK_SECRET": "hook-secret-5f1", "META_APP_SECRET": "app-secret", "META_VERIFY_TOKEN": "verify-9a2",
    "META_PAGE_TOKEN": "page-token", "MASTODON_TOKEN": "masto-token", "BLUESKY_APP_PASSWORD": "app-pass",
    "YT_KEY": "yt-key",
}


def write_config(tmp_path, graph, mastodon, bluesky, youtube):
    (tmp_path / "app.yaml").write_text(f"""
brands:
  acme: {{name: Acme, ref_prefix: ACME, slack_channel: C0ACME01}}
sources:
  acme-hook: {{brand: acme, type: webhook, secret_env: ACME_HOOK_SECRET}}
  acme-meta:
    brand: acme
    type: meta
    page_id: "448242228374517"
    app_secret_env: META_APP_SECRET
    verify_token_env: META_VERIFY_TOKEN
    page_token_env: META_PAGE_TOKEN
    api_url: {graph.url}
  acme-masto: {{brand: acme, type: mastodon, instance_url: "{mastodon.url}", token_env: MASTODON_TOKEN}}
  acme-bsky: {{brand: acme, type: bluesky, handle: acme.bsky.social, app_password_env: BLUESKY_APP_PASSWORD,
               service_url: "{bluesky.url}"}}
  acme-yt: {{brand: acme, type: youtube, channel_id: {CHANNEL}, api_key_env: YT_KEY, api_url: "{youtube.api_url}"}}
""")


def run_check(tmp_path, env):
    return socialdesk("sources", "check", env={**env, "SOCIALDESK_CONFIG": str(tmp_path / "app.yaml")}, cwd=tmp_path)


def stand_ins():
    return (GraphStandIn("448242228374517", "page-token"), MastodonStandIn("masto-token"),
            BlueskyStandIn("acme.bsky.social", "app-pass"), YouTubeStandIn(CHANNEL, "yt-key", "c", "s", "r"))


def test_every_source_ok_prints_a_table_and_exits_zero(tmp_path):
    graph, mastodon, bluesky, youtube = stand_ins()
    with graph, mastodon, bluesky, youtube:
        write_config(tmp_path, graph, mastodon, bluesky, youtube)
        result = run_check(tmp_path, ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SOURCE", "PLATFORM", "STATUS", "DETAIL"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"acme-hook", "acme-meta", "acme-masto", "acme-bsky", "acme-yt"}
    assert all("  ok  " in row for row in rows.values())
    assert "page Acme (448242228374517)" in rows["acme-meta"]
    assert "signed in as @acme" in rows["acme-masto"]
    assert "acme.bsky.social (did:plc:" in rows["acme-bsky"]
    assert "channel Acme; read only (API key)" in rows["acme-yt"]
    assert not any(secret in result.stdout for secret in ENV.values())


def test_a_failing_source_is_named_with_the_reason_and_the_exit_code_says_so(tmp_path):
    graph, mastodon, bluesky, youtube = stand_ins()
    mastodon.revoke()
    env = {key: value for key, value in ENV.items() if key != "BLUESKY_APP_PASSWORD"}
    with graph, mastodon, bluesky, youtube:
        write_config(tmp_path, graph, mastodon, bluesky, youtube)
        result = run_check(tmp_path, env)

    assert result.returncode == 1
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "failed" in rows["acme-masto"] and "access token" in rows["acme-masto"]
    assert "failed" in rows["acme-bsky"] and "BLUESKY_APP_PASSWORD" in rows["acme-bsky"]
    assert "  ok  " in rows["acme-meta"] and "  ok  " in rows["acme-yt"]
    assert "Traceback" not in result.stderr
