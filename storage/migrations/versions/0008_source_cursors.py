"""polling sources' cursors, leases and health

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('source_cursors',
    sa.Column('source_id', sa.String(length=40), nullable=False),
    sa.Column('cursor', sa.JSON(), nullable=False),
    sa.Column('next_poll_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.Column('failing_since', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('polled_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_source_cursors'))
    )


def downgrade() -> None:
    op.drop_table('source_cursors')
