"""outbox: partial indexes over pending jobs

Revision ID: 0010
Revises: 0009

The delivery worker looks for due jobs that have no earlier pending job of the same conversation.
With a backlog of tens of thousands of jobs, PostgreSQL answered that NOT EXISTS probe by
intersecting bitmaps of every pending job, once per candidate: quadratic, 20+ s per pass. An index
over (conversation_id, id) of pending jobs only makes the probe a single index lookup.
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_index('ix_outbox_pending_conversation', 'outbox', ['conversation_id', 'id'], unique=False,
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    op.drop_index('ix_outbox_pending_conversation', table_name='outbox')
