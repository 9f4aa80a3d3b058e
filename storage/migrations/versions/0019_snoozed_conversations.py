"""snoozed conversations

Revision ID: 0019
Revises: 0018

A snoozed conversation leaves the queues and its nudges wait until ``snoozed_until``; the SLA scan
wakes it through ``next_nudge_at``, so no other index is needed.
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snoozed_until', storage.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('snoozed_until')
