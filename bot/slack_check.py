"""Is the Slack install right for app.yaml? The token, its scopes, the bot's channels, the user groups.

Each finding says what to do about it; `socialdesk check` prints them all, `serve` refuses to start on
a bad token and logs the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.config import Config
from bot.slack_scopes import SCOPES, missing_scopes

BAD_TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                    "not_allowed_token_type"}
SCOPE_FIX = ("add it under OAuth & Permissions → Scopes → Bot Token Scopes (or update the app from "
             "`socialdesk manifest`), then reinstall the app to the workspace")


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""
    blocking: bool = False
    """A problem the bot cannot work with at all (`serve` refuses to start); the others disable a feature."""


@dataclass
class SlackCheck:
    findings: list[Finding]

    @property
    def problems(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]


def check_slack(client: WebClient, config: Config | None) -> SlackCheck:
    """The token, its scopes and, given app.yaml, the bot's channels and the user groups it names."""
    findings: list[Finding] = []
    token = client.token or ""
    try:
        auth = client.auth_test()
    except SlackApiError as error:
        code = _error_of(error)
        if code in BAD_TOKEN_ERRORS:
            hint = "" if token.startswith("xoxb-") else " (a bot token starts with xoxb-)"
            return SlackCheck([Finding(False, f"SLACK_BOT_TOKEN: Slack answered {code}{hint}",
                                       "export the Bot User OAuth Token from your app's OAuth & Permissions page; "
                                       "install the app to the workspace first if there is none", blocking=True)])
        return SlackCheck([Finding(False, f"Slack's auth.test answered {code}", "try again in a minute",
                                   blocking=True)])
    except (OSError, SlackRequestError) as error:
        return SlackCheck([Finding(False, f"cannot reach Slack at {client.base_url}: {error}",
                                   "check the network (and SLACK_API_URL, if set)", blocking=True)])
    bot_name = str(auth.get("user") or "socialdesk")
    workspace = f"{auth.get('team')} ({auth.get('team_id')})"
    findings.append(Finding(True, f"SLACK_BOT_TOKEN: bot @{bot_name} in workspace {workspace}"))
    granted = _granted_scopes(auth.headers)
    findings += _scope_findings(granted)
    if config is not None:
        findings += _channel_findings(client, config, bot_name, granted)
        findings += _usergroup_findings(client, config)
    return SlackCheck(findings)


def _granted_scopes(headers: dict[str, object]) -> set[str] | None:
    for key, value in headers.items():
        if key.lower() == "x-oauth-scopes":
            text = value[0] if isinstance(value, list) else str(value)
            return {scope.strip() for scope in text.split(",") if scope.strip()}
    return None


def _scope_findings(granted: set[str] | None) -> list[Finding]:
    if granted is None:
        return [Finding(False, "Slack did not say which scopes the token has", "check them on OAuth & Permissions")]
    missing = missing_scopes(granted)
    if not missing:
        return [Finding(True, f"scopes: all {len(SCOPES)} the bot uses are granted")]
    return [Finding(False, f"scope {scope.name} is missing ({scope.why})", SCOPE_FIX, blocking=scope.required)
            for scope in missing]


def channels_to_check(config: Config) -> list[tuple[str, str, bool]]:
    """(channel id, where app.yaml names it, whether the bot must be a member) for every channel."""
    channels: list[tuple[str, str, bool]] = []
    for brand_id, brand in config.brands.items():
        channels.append((brand.slack_channel, f"brands.{brand_id}.slack_channel", True))
        if brand.lead_channel:
            channels.append((brand.lead_channel, f"brands.{brand_id}.lead_channel", False))
        crisis = config.crisis_for(brand_id)
        if crisis is not None and crisis.channel and crisis.channel != brand.slack_channel:
            channels.append((crisis.channel, f"the crisis channel of brand {brand_id}", False))
    for tier_id, tier in config.escalation.items():
        channels.append((tier.slack_channel, f"escalation.{tier_id}.slack_channel", False))
    if config.lead_channel:
        channels.append((config.lead_channel, "lead_channel", False))
    seen: set[str] = set()
    unique = []
    for channel, where, member in sorted(channels, key=lambda entry: not entry[2]):
        if channel not in seen:
            seen.add(channel)
            unique.append((channel, where, member))
    return unique


def _channel_findings(client: WebClient, config: Config, bot_name: str, granted: set[str] | None) -> list[Finding]:
    findings = []
    can_post_anywhere = granted is None or "chat:write.public" in granted
    for channel, where, must_be_member in channels_to_check(config):
        try:
            info = client.conversations_info(channel=channel)["channel"]
        except SlackApiError as error:
            code = _error_of(error)
            if code == "missing_scope":
                findings.append(Finding(False, f"<#{channel}> ({where}): cannot check the bot's membership without "
                                        f"the {error.response.get('needed')} scope", SCOPE_FIX))
            elif code == "channel_not_found":
                findings.append(Finding(False,
                                        f"<#{channel}> ({where}): Slack has no channel {channel} the bot can see",
                                        f"if it is private, invite the bot: /invite @{bot_name} in it; otherwise "
                                        f"correct {where} in app.yaml"))
            else:
                findings.append(Finding(False, f"<#{channel}> ({where}): conversations.info answered {code}",
                                        "try again"))
            continue
        label = f"#{info.get('name') or channel} ({channel}, {where})"
        if info.get("is_archived"):
            findings.append(Finding(False, f"{label} is archived",
                                    f"unarchive it, or name another channel in {where} in app.yaml"))
        elif info.get("is_member"):
            findings.append(Finding(True, f"{label}: the bot is a member"))
        elif must_be_member or info.get("is_private") or not can_post_anywhere:
            findings.append(Finding(False, f"{label}: the bot is not a member",
                                    f"invite the bot: /invite @{bot_name} in #{info.get('name') or channel}"))
        else:
            findings.append(Finding(True, f"{label}: the bot posts there without joining (chat:write.public)"))
    return findings


def usergroups_in(config: Config) -> dict[str, str]:
    """Every user group app.yaml names, with the first place it names it."""
    named: dict[str, str] = {}

    def add(group: str | None, where: str) -> None:
        if group and group.startswith("S"):
            named.setdefault(group, where)

    for brand_id, brand in config.brands.items():
        add(brand.on_duty_usergroup, f"brands.{brand_id}.on_duty_usergroup")
        for role in ("viewer", "agent", "approver", "admin"):
            for member in getattr(brand.roles, role, ()) if brand.roles else ():
                add(member, f"brands.{brand_id}.roles.{role}")
        crisis = config.crisis_for(brand_id)
        add(crisis.usergroup if crisis else None, f"the crisis settings of brand {brand_id}")
    for role in ("viewer", "agent", "approver", "admin"):
        for member in getattr(config.roles, role, ()) if config.roles else ():
            add(member, f"roles.{role}")
    for tier_id, tier in config.escalation.items():
        add(tier.usergroup, f"escalation.{tier_id}.usergroup")
    return named


def _usergroup_findings(client: WebClient, config: Config) -> list[Finding]:
    named = usergroups_in(config)
    if not named:
        return []
    try:
        groups = client.usergroups_list(include_disabled=True)["usergroups"]
    except SlackApiError as error:
        code = _error_of(error)
        if code == "missing_scope":
            return [Finding(False, "user groups: cannot check them without the usergroups:read scope", SCOPE_FIX)]
        return [Finding(False, f"user groups: usergroups.list answered {code}",
                        "user groups need a paid Slack plan" if code == "plan_upgrade_required" else "try again")]
    known = {group["id"]: group for group in groups}
    findings = []
    for group, where in named.items():
        found = known.get(group)
        if found is None:
            findings.append(Finding(False, f"user group {group} ({where}) does not exist in this workspace",
                                    "copy the group's id (S…) from its page in Slack (People → User groups) "
                                    "into app.yaml"))
        elif found.get("date_delete"):
            findings.append(Finding(False, f"user group @{found.get('handle')} ({group}, {where}) is disabled",
                                    "enable it again in Slack, or name another group in app.yaml"))
        else:
            findings.append(Finding(True, f"user group @{found.get('handle')} ({group}, {where}) exists"))
    return findings


def _error_of(error: SlackApiError) -> str:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    return str(data.get("error") or error.response.status_code)
