"""The offline demo (`socialdesk demo`) and the local stand-ins for Slack and the platforms it runs on."""
