"""Crisis episodes: at most one open per brand (``open_brand_id`` is unique)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import CrisisEpisode


def open_episode(session: Session, brand_id: str, lock: bool = False) -> CrisisEpisode | None:
    """The brand's open episode; with ``lock`` (PostgreSQL), None when another process holds it."""
    query = select(CrisisEpisode).where(CrisisEpisode.open_brand_id == brand_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).one_or_none()


def open_episode_id(session: Session, brand_id: str) -> int | None:
    return session.scalar(select(CrisisEpisode.id).where(CrisisEpisode.open_brand_id == brand_id))


def add_episode(session: Session, episode: CrisisEpisode) -> bool:
    """Store a new open episode; False when another process opened the brand's first."""
    try:
        with session.begin_nested():
            session.add(episode)
        return True
    except IntegrityError:
        return False
