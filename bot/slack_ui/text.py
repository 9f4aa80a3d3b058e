"""Outside text made safe for mrkdwn, and the shared pieces of text every surface uses.

Customer text is untrusted: it is escaped for mrkdwn (no pings, no forged links) and cut to Slack's
limits before it goes into any block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

from bot import slack_limits as limits
from bot.config import Config
from bot.fitting import fit


SECTION_LIMIT = 3000
QUOTE_LIMIT = 2500
NOTE_QUOTE_LIMIT = 1500
FALLBACK_LIMIT = 300
NAME_LIMIT = 80
URL_LIMIT = 1500
"""A link whose encoded address is longer is shown as its label alone: it would crowd out the text."""
MESSAGE_BUDGET = 12_000
"""What the bot lets the blocks of one message hold, under Slack's msg_blocks_too_long."""
# Control characters, lone surrogates, and the bidi overrides and isolates that can make a
# message read differently from what it says (RTL text itself needs none of them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Make outside text inert in mrkdwn: ``<!channel>`` or ``<@U1>`` stay visible text."""
    text = CONTROL.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> tuple[str, bool]:
    """Cut to ``limit`` characters with an ellipsis, between graphemes; says whether it cut. Characters
    are counted as UTF-16 code units (an emoji is two), the stricter way Slack may count them."""
    return fit(text, limit)


def escaped(text: str, limit: int) -> str:
    """Outside text made inert and cut so that, escaped, it is at most ``limit`` characters."""
    return fit(text, limit, lambda shown, cut: escape(shown + "…" if cut else shown))[0]


def safe_url(url: str | None) -> str | None:
    """A URL that cannot break out of ``<url|label>``: http(s) only, delimiters percent-encoded, and
    short enough to leave room for the text around it."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    encoded = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    return encoded if limits.text_units(encoded) <= URL_LIMIT else None


def link(url: str | None, label: str) -> str:
    target = safe_url(url)
    return f"<{target}|{escape(label)}>" if target else escape(label)


def quoted(text: str, limit: int, url: str | None = None) -> str:
    """Customer text as a mrkdwn quote, escaped and cut, with a link to the rest when cut."""
    return fitted_quote(text, limit, url)[0]


def fitted_quote(text: str, limit: int, url: str | None = None) -> tuple[str, bool]:
    """Customer text as a mrkdwn quote of at most ``limit`` characters as Slack counts them (escaped,
    each line prefixed), cut between graphemes; says whether it was cut."""
    rest = link(url, "Read the rest on the platform") if safe_url(url) else ""
    if limits.text_units(rest) > limit // 3:
        rest = ""

    def render(shown: str, cut: bool) -> str:
        body = "\n".join(f"> {line}" if line else ">" for line in escape(shown + "…" if cut else shown).splitlines())
        return f"{body}\n{rest}" if cut and rest else body

    return fit(text.strip() or "(no text)", limit, render)


def display_name(text: str) -> str:
    return escaped(" ".join(text.split()), NAME_LIMIT)


def slack_date(moment: datetime, fmt: str, config: Config, brand_id: str) -> str:
    local = moment.astimezone(config.brands[brand_id].zone)
    fallback = local.strftime("%Y-%m-%d %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def slack_date_utc(moment: datetime) -> str:
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"


def mention(who: str) -> str:
    return f"<!subteam^{who}>" if who.startswith("S") else f"<@{who}>"


def lines_within(heading: str, lines: Sequence[str], limit: int) -> str:
    """The heading and as many whole lines as fit in ``limit``, saying how many more there are:
    a line of mrkdwn cut in the middle could break a link."""
    shown = heading
    for index, line in enumerate(lines):
        more = f"\n… and {len(lines) - index} more"
        if limits.text_units(f"{shown}\n{line}") + len(more) > limit:
            return shown + more
        shown += f"\n{line}"
    return shown
