"""Triage: priority, sentiment, tags and routing of incoming messages."""
