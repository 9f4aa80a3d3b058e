"""Scheduled work claimed once per occurrence, among processes and across restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ScheduleClaim


def claim_occurrence(session: Session, key: str, now: datetime) -> bool:
    """True for the one caller whose claim of ``key`` was the first."""
    try:
        with session.begin_nested():
            session.add(ScheduleClaim(key=key, claimed_at=now))
        return True
    except IntegrityError:
        return False
