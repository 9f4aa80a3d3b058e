"""What each moderation action is called where people see it (Slack menus, notes, answers).

A leaf: platform clients, the domain and the Slack surfaces all read it."""

MODERATION_LABELS = {
    "hide": "Hide comment",
    "unhide": "Unhide comment",
    "delete": "Delete comment",
    "block": "Block author",
    "dismiss": "Dismiss notification",
    "spam": "Mark as spam",
}
