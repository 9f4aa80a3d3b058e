"""Where the Block Kit of every surface used to live; it is in ``bot.slack_ui`` now, one module per
surface. Kept while other code still imports from here."""

# ruff: noqa: F401

from bot.moderation_labels import MODERATION_LABELS
from bot.slack_ui.text import (
    FALLBACK_LIMIT,
    MESSAGE_BUDGET,
    NAME_LIMIT,
    NOTE_QUOTE_LIMIT,
    QUOTE_LIMIT,
    SECTION_LIMIT,
    URL_LIMIT,
    clip,
    escape,
    escaped,
    fitted_quote,
    lines_within,
    link,
    quoted,
    safe_url,
)
from bot.slack_ui.kit import Blocks, MODAL_TITLE_LIMIT, modal_title
from bot.slack_ui.conversation_lines import (
    KIND_LABELS,
    PRIORITY_BADGES,
    STATUS_LABELS,
    author_line,
    deadline_text,
    fallback,
    kind_label,
    risk_reason,
    stars,
    status_line,
    triage_line,
)
from bot.slack_ui.thread_parent import conversation_actions, moderation_menu, parent_message
from bot.slack_ui.whole_message import (
    WHOLE_MESSAGE_PAGE,
    WHOLE_MESSAGE_PIECE,
    whole_message_button,
    whole_message_modal,
)
from bot.slack_ui.thread_notes import activity_message, activity_note, sla_note, thread_message
from bot.slack_ui.approvals import approve_edit_modal, draft_outcome_line, drafts_list
from bot.slack_ui.reply_modal import reply_modal
from bot.slack_ui.assign_modal import assign_modal
from bot.slack_ui.escalate_modal import escalate_modal
from bot.slack_ui.track import track_modal, tracked_view
from bot.slack_ui.channel_posts import (
    QUIET_REASONS,
    escalation_post,
    lead_post,
    overdue_dm,
    quiet_line,
    source_status_message,
)
from bot.slack_ui.refused import SHORTENED_LIMIT, SHORTENED_NOTE, UNSHOWN_WHAT, shortened, unshown_notice
from bot.slack_ui.crisis import (
    SAMPLE_LIMIT,
    crisis_alert,
    crisis_all_clear,
    crisis_sample,
    in_shared_thread,
    surge_ended,
    surge_parent,
)
from bot.slack_ui.digest import DIGEST_CUT, digest_message
from bot.slack_ui.queue import QUEUE_TITLES, queue_line, queue_list
from bot.slack_ui.app_home import HOME_SECTIONS, channel_alerts_text, figures_text, home_view, unshown_section
from bot.slack_ui.command_answers import conversation_summary, help_text, quiet_list, templates_list
