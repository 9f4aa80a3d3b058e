"""Which tests a run collects: the slow suites a plain `pytest` leaves out, and the runs this
machine cannot make (PostgreSQL without TEST_DATABASE_URL, Slack's manifest schema when it is not
here). tests/conftest.py applies it; the header of every run says what was left out and how to
turn it on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
POSTGRES_HINT = "set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
SLACK_SCHEMA_HINT = "set SLACK_MANIFEST_SCHEMA to manifest.schema.1.0.0.json from slackapi/manifest-schema"
SHARED_SLACK_SCHEMA = TESTS.parent.parent / "shared" / "schemas" / "manifest.schema.1.0.0.json"

# Left out of a plain `pytest` and run by `pytest -m "slow or not slow"` (as CI does): the suites
# that run real processes, wait out timeouts and leases, play whole weeks on a clock, and the
# benchmarks. Every flow keeps at least one outside-in test in the quick loop, and the rules those
# slow tests check through HTTP are checked directly in tests/unit/.
SLOW_MODULES = {
    "reliability/test_reliability": "real `socialdesk serve` processes, killed and restarted mid-burst",
    "reliability/test_hardening_figures": "the reliability report: lost answers, late acks",
    "reliability/test_hostile_figures": "the reliability report: hostile requests",
    "reliability/test_long_text_figures": "the reliability report: long customer text",
    "test_bench": "every benchmark's quick variant",
    "test_logging": "real `socialdesk serve` processes, read for their log lines",
    "test_read_only_commands": "a command-line process per read-only command",
    "test_slack_limits_property": "a property test over every message and view",
    "test_digest_chart": "a whole week of conversations, played on a clock",
    "test_demo": "the whole demo (CI also runs `socialdesk demo`)",
    "test_sources_check": "a command-line process per check",
}
SLOW_TESTS = {
    # a command-line process each; test_cli keeps `serve` end to end and `manifest`
    "test_cli": ("test_serve_without_token_says_which_variable", "test_the_example_app_yaml_is_valid",
                 "test_manifest_refuses_a_non_https_url", "test_manifest_follows_the_configured_command_and_offers_home_and_shortcut",
                 "test_serve_with_an_unreachable_database_says_so", "test_serve_with_a_missing_source_secret_names_the_variable",
                 "test_serve_with_a_bad_app_yaml_names_the_key_and_reason", "test_serve_without_app_yaml_says_where_it_looked",
                 "test_serve_without_signing_secret_says_which_variable"),
    "test_install_check": ("test_serve_refuses_a_bad_token_at_once_with_one_line", "test_serve_starts_without_an_optional_scope_and_warns_once",
                           "test_digest_with_a_bad_token_says_so_in_one_line", "test_digest_posts_with_its_chart_and_prints_no_warning",
                           "test_serve_refuses_a_token_without_chat_write"),
    "test_packaging": ("test_init_writes_the_commented_starter_once", "test_version_and_python_m_socialdesk",
                       "test_a_missing_config_points_to_init"),
    "test_triage_eval": ("test_eval_and_explain_from_the_command_line", "test_a_bad_labelled_line_is_named"),
    # days of scans on a clock, restarts, two processes; the windows themselves: tests/unit/test_response_windows.py
    "test_sla": ("test_waiting_on_the_customer_pauses_the_clocks_when_the_brand_chooses", "test_missed_nudges_are_caught_up_once_after_downtime",
                 "test_two_processes_on_one_database_send_each_nudge_once", "test_an_urgent_message_gets_the_urgent_policy",
                 "test_a_new_message_after_a_reply_starts_the_next_response_window", "test_without_the_pause_waiting_keeps_the_clock_running",
                 "test_a_reply_before_the_deadline_stops_the_clock"),
    "test_digest": ("test_report_command_gives_the_same_figures_as_csv_and_json",
                    "test_a_digest_is_sent_once_even_after_a_restart_and_caught_up_when_late"),
    "test_crisis": ("test_the_all_clear_is_posted_once_after_it_subsides_and_surge_mode_ends", "test_two_processes_and_a_restart_post_one_alert",
                    "test_surge_mode_groups_low_priority_conversations_in_one_thread", "test_a_calm_day_at_the_usual_level_raises_no_alert",
                    "test_a_tiny_volume_never_alerts_even_without_history", "test_without_weeks_of_history_the_last_days_are_the_usual_level",
                    "test_a_spike_raises_one_alert_with_the_numbers_samples_words_and_ping"),
    # outages, leases and pacing waited out in real time
    "test_delivery": ("test_a_job_slower_than_the_configured_lease_is_not_taken_over_while_it_runs",
                      "test_an_outage_longer_than_max_attempts_still_loses_nothing", "test_posts_are_paced_to_one_per_second_per_channel",
                      "test_slack_rate_limit_is_honoured_and_the_message_posted_once"),
    "test_outbox_order": ("test_a_new_conversation_is_posted_before_a_backlog_of_notes_in_its_channel",
                          "test_jobs_waiting_long_are_not_starved_by_new_parents"),
    "test_ghost_replies": ("test_a_slash_reply_that_cannot_be_stored_in_time_says_so",
                           "test_a_reply_that_cannot_be_stored_in_time_is_not_sent_and_the_teammate_is_told",
                           "test_the_same_slash_reply_again_within_a_minute_is_not_sent_twice"),
    "test_hostile_headers": ("test_a_client_that_sends_its_body_slowly_is_answered_408", "test_a_client_that_sends_its_headers_slowly_is_cut_off"),
    "test_metrics": ("test_metrics_after_traffic_an_outage_and_a_breach",),
    "test_slack_channels": ("test_posts_to_an_archived_or_deleted_brand_channel_wait_and_the_admins_are_told",),
    # a running bot for each of many cases; the rules themselves: tests/unit/test_webhook_contract.py
    "test_webhook_rejections": ("test_invalid_body_is_400_naming_the_field",),
    "test_slash_command": ("test_mistakes_get_a_precise_answer_and_change_nothing",),
    # many requests or pages per test
    "test_hostile_input": ("test_fuzzed_webhooks_never_get_a_5xx_and_rejected_ones_store_nothing",),
    "test_long_customer_text": ("test_the_whole_message_opens_in_a_modal_in_pages",),
    "test_roles": ("test_the_audit_log_has_every_action_and_every_refusal", "test_audit_names_an_unknown_conversation"),
    "test_approvals": ("test_a_rejected_draft_is_never_sent_and_approvals_work_by_command",),
    "test_risk_triage": ("test_a_safety_message_is_urgent_with_its_evidence_and_not_urgent_corrects_it",),
    "test_platform_bluesky": ("test_polls_page_back_to_what_is_stored_and_never_store_twice",),
    "test_platform_youtube": ("test_polling_follows_page_tokens_back_to_what_is_stored",),
    "test_platform_mastodon": ("test_a_burst_larger_than_a_page_is_read_whole_through_the_link_header", "test_a_restart_neither_loses_nor_reposts",
                               "test_two_processes_never_poll_one_source_at_the_same_time"),
    "test_reply_lookup": ("test_a_dm_reply_is_found_beyond_the_first_page_of_the_conversation",
                          "test_the_same_dm_text_sent_earlier_and_recorded_is_not_taken_for_the_lost_one",
                          "test_the_same_text_sent_earlier_and_recorded_is_not_taken_for_the_lost_one",
                          "test_an_instagram_reply_whose_answer_was_lost_is_published_once"),
    # the conversation features each keep their main path quick; their variants are many bot runs
    "test_snooze": ("test_a_bad_snooze_time_gets_one_line_naming_the_accepted_forms", "test_a_snooze_without_a_time_is_a_usage_error",
                    "test_app_home_leaves_a_snoozed_conversation_out_until_it_wakes", "test_resolving_ends_the_snooze",
                    "test_hours_are_business_hours_under_a_business_hours_policy_and_days_are_local",
                    "test_snoozing_needs_the_role_assigning_does_and_is_audited", "test_unsnooze_brings_it_back_now",
                    "test_the_modal_takes_a_typed_time_and_names_the_forms_when_it_cannot_read_it"),
    "test_private_replies": ("test_a_mastodon_direct_message_offers_no_choice", "test_the_brands_default_picks_private_for_comments",
                             "test_a_private_reply_after_seven_days_is_refused_in_slack_before_anything_is_sent",
                             "test_a_second_private_reply_is_shown_as_not_delivered_with_metas_reason",
                             "test_where_the_platform_allows_one_way_the_modal_offers_no_choice"),
    "test_search": ("test_app_home_search_of_nothing_says_how", "test_at_most_ten_lines_then_how_many_more",
                    "test_customer_text_is_escaped_and_the_line_links_to_the_thread",
                    "test_only_conversations_of_brands_the_user_may_view_are_found", "test_bad_searches_get_one_line_saying_how"),
    "test_reply_limits": ("test_an_instagram_dm_is_counted_in_utf8_bytes_as_meta_counts_it",
                          "test_a_reply_with_a_long_link_fits_as_mastodon_counts_it"),
    "test_reply_signature": ("test_the_signature_counts_within_the_platforms_limit",),
    "test_customer_edits": ("test_a_filtered_conversation_keeps_the_change_without_a_thread_note",
                            "test_a_new_message_after_a_deletion_can_be_answered_again",
                            "test_edits_of_unknown_messages_and_bad_events_get_a_clear_answer"),
    "test_attachments": ("test_a_later_message_shows_its_attachments_in_the_thread",
                         "test_many_images_and_long_alt_texts_stay_within_slacks_limits"),
    "test_auto_reply_steps_back": ("test_an_auto_reply_already_in_flight_arrives_before_the_teammate_reply",
                                   "test_after_human_true_keeps_answering_faq_questions"),
    "test_mastodon_dismiss": ("test_a_notification_dismissed_elsewhere_already_is_done",),
    "test_platform_meta_media": ("test_a_comment_the_team_deleted_is_not_reported_as_deleted_by_its_author",
                                 "test_a_messenger_edit_and_an_instagram_unsend_reach_the_thread"),
    "test_sla_clock": ("test_over_a_holiday_weekend_only_the_latest_warning_waits_for_monday",),
    "test_lead_hand_off": ("test_a_lead_tagged_by_hand_carries_the_link_too",),
    "test_templates": ("test_a_template_reply_by_command_is_acked_in_time_when_slack_is_slow_to_say_who_asks",),
    # a WebSocket link each, acks timed; test_the_whole_path_works_over_socket_mode_... stays quick
    "test_socket_mode": ("test_serve_with_an_app_token_works_end_to_end_over_socket_mode", "test_the_bot_opens_a_new_link_when_slack_asks_and_keeps_working",
                         "test_the_message_shortcut_answers_its_submission_in_the_ack", "test_serve_with_a_refused_app_token_stops_at_once_with_one_line",
                         "test_a_redelivered_submission_assigns_once_but_a_corrected_one_counts", "test_a_redelivered_click_is_acked_and_opens_no_second_modal",
                         "test_the_slash_command_answers_in_its_ack", "test_a_redelivered_event_is_handled_once",
                         "test_a_link_url_that_no_longer_works_is_replaced_by_a_new_one", "test_what_the_bot_refuses_is_acked_so_slack_does_not_send_it_again",
                         "test_the_http_port_serves_webhooks_and_health_but_takes_nothing_meant_for_slack",
                         "test_manifest_command_for_socket_mode_needs_no_url"),
}


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def slack_manifest_schema() -> Path | None:
    """Slack's published manifest schema, when this machine has it (SLACK_MANIFEST_SCHEMA or the shared folder)."""
    path = Path(os.environ.get("SLACK_MANIFEST_SCHEMA") or SHARED_SLACK_SCHEMA)
    return path if path.is_file() else None


def header_lines(markexpr: str) -> list[str]:
    lines = []
    if postgres_url() is None:
        lines.append(f"PostgreSQL runs: off (storage tests run on SQLite only); to run them on PostgreSQL too, {POSTGRES_HINT}")
    if slack_manifest_schema() is None:
        lines.append(f"Slack's manifest schema: not on this machine, its checks are not collected; {SLACK_SCHEMA_HINT}")
    if " ".join(markexpr.split()) == "not slow":
        lines.append('slow suites: left out; run everything with: pytest -m "slow or not slow"')
    return lines


def _module(item: pytest.Item) -> str:
    return Path(item.path).relative_to(TESTS).with_suffix("").as_posix()


def _name(item: pytest.Item) -> str:
    return getattr(item, "originalname", item.name)


def is_slow(item: pytest.Item) -> bool:
    return _module(item) in SLOW_MODULES or _name(item) in SLOW_TESTS.get(_module(item), ())


def check_slow_lists(items: list[pytest.Item]) -> None:
    """A whole run must find every module and test the lists name (a renamed test would otherwise
    slip into the quick loop unnoticed)."""
    found = {_module(item) for item in items} | {f"{_module(item)}::{_name(item)}" for item in items}
    named = set(SLOW_MODULES) | {f"{module}::{name}" for module, names in SLOW_TESTS.items() for name in names}
    if missing := sorted(named - found):
        raise pytest.UsageError(f"tests/support/selection.py names slow tests that do not exist: {', '.join(missing)}")


def not_for_this_machine(item: pytest.Item) -> bool:
    backend = item.callspec.params.get("database_url") if hasattr(item, "callspec") else None
    postgresql_only = item.get_closest_marker("postgresql_only") is not None
    if (backend == "postgresql" or (postgresql_only and backend is None)) and postgres_url() is None:
        return True
    if backend == "sqlite" and postgresql_only:
        return True
    return item.get_closest_marker("slack_manifest_schema") is not None and slack_manifest_schema() is None
