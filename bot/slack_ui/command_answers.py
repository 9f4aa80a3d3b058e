"""What the slash command answers: help, one conversation's story, canned replies, filtered messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.config import Config
from bot.slack_ui.conversation_lines import author_line, kind_label, status_line, triage_line
from bot.slack_ui.text import display_name, escape, escaped, link, slack_date
from bot.slack_ui.thread_notes import activity_note
from bot.templates import CannedReply
from storage.models import Activity, Conversation


def help_text(command: str) -> str:
    return (
        f"*{command}* — work the social inbox by typing. References look like `ACME-12`.\n"
        f"• `{command} reply ACME-12 Thanks, it ships today!` — answer the customer\n"
        f"• `{command} assign ACME-12 @dana` or `{command} assign ACME-12 me`\n"
        f"• `{command} escalate ACME-12 pr Threatens a public campaign`\n"
        f"• `{command} resolve ACME-12` · `{command} reopen ACME-12` · `{command} wait ACME-12` "
        "(waiting on the customer)\n"
        f"• `{command} note ACME-12 Called them, waiting for photos` — internal, never sent\n"
        f"• `{command} show ACME-12` — status, history and a link to the thread\n"
        f"• `{command} queue [mine|unassigned|overdue|escalated] [brand]` — what is waiting\n"
        f"• `{command} snooze ACME-12 2h|tomorrow|mon 9:00` · `{command} unsnooze ACME-12` — out of the queues "
        "and no reminders until then\n"
        f"• `{command} templates [brand]` — the canned replies; `{command} reply ACME-12 template:<name>` sends one\n"
        f"• `{command} tag ACME-12 bug pricing` · `{command} untag ACME-12 bug` — `lead` also tells sales\n"
        f"• `{command} triage ACME-12 normal` — correct the priority triage gave (urgent, high, normal, low)\n"
        f"• `{command} quiet [brand]` — today's messages filtered as needing no answer; `{command} unquiet ACME-12`\n"
        f"• `{command} drafts` · `{command} approve ACME-12` · `{command} reject ACME-12 <reason>` "
        "— replies waiting for approval\n"
        f"• `{command} moderate ACME-12 hide|unhide|delete|block|dismiss|spam` — where the platform allows it\n"
        f"• `{command} search refund kim` — conversations by customer words, author, tag or reference\n"
        "Buttons under each conversation do the same. Messages typed in a thread stay internal: "
        "only *Reply* reaches the customer."
    )


def conversation_summary(conversation: Conversation, history: list[Activity], config: Config,
                         tags: Sequence[str] = ()) -> str:
    """`show`: where a conversation stands and what happened to it."""
    lines = [
        f"*{conversation.ref}*  ·  {kind_label(conversation)}  ·  "
        f"{author_line(conversation.author_name, conversation.author_handle)}",
        status_line(conversation, config),
        triage_line(conversation, tags),
    ]
    for activity in history[-15:]:
        when = slack_date(activity.created_at, "{date_short} {time}", config, conversation.brand_id)
        lines.append(f"• {when}  {activity_note(activity, None, config).splitlines()[0]}")
    if not history:
        lines.append("• no actions yet")
    thread = conversation.slack_permalink
    lines.append(link(thread, "Open the thread") if thread else "(not in Slack yet)")
    return "\n".join(lines)


def templates_list(brand_name: str, templates: Sequence[CannedReply], command: str) -> str:
    if not templates:
        return (f"No canned replies for {escape(brand_name)} yet. Add them under `templates:` in app.yaml "
                "(shared) or `brands.<id>.templates:` (the brand's own voice).")
    lines = [f"*Canned replies for {escape(brand_name)}* — use one with `{command} reply <REF> template:<name>` "
             "or the picker in the Reply modal:"]
    for template in templates:
        preview = escaped(" ".join(template.source.split()), 90)
        lines.append(f"• `{template.name}` — {escape(template.title)}: _{preview}_")
    return "\n".join(lines)


def quiet_list(brand_name: str, conversations: Sequence[Conversation], first_texts: Mapping[int, str]) -> str:
    if not conversations:
        return f"Nothing from {escape(brand_name)} was filtered today."
    lines = [f"*Filtered today for {escape(brand_name)}* (newest first):"]
    for conversation in conversations:
        text = escaped(" ".join(first_texts.get(conversation.id, "").split()), 80)
        lines.append(f"• *{conversation.ref}* {display_name(conversation.author_name)}: _{text}_ "
                     f"({escape(conversation.quiet_reason or '')})")
    return "\n".join(lines)


def unknown_subcommand(subcommand: str, command: str) -> str:
    return f"Unknown subcommand `{escape(subcommand)}`.\n\n{help_text(command)}"


def usage_answer(problem: str, command: str, usage: str) -> str:
    return f"{problem}\nUsage: `{command} {usage}`"


def repeated_reply(repeated: str) -> str:
    """A reply with the same text as one just sent: by command it is not sent twice."""
    return f"{repeated} Nothing was sent now; to send it twice, use Reply under the conversation."


def reply_not_stored_in_time(ref: str) -> str:
    return (f"Your reply to {ref} was *not sent*: storing it took too long. "
            "Nothing reached the customer; send it again.")
