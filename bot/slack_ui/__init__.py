"""Block Kit for each Slack surface: each module owns its builder, its reader and the ids both use."""
