"""reply approvals

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('approved_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('draft_activity_id', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_column('draft_activity_id')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by')

