"""Triage of incoming customer messages: offline scoring that needs nothing else of the bot."""
