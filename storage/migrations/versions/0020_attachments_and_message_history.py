"""attachments of customer messages, and their edits and deletion

Revision ID: 0020
Revises: 0019

A message keeps what came with it (images, videos, files) and, when the customer edits or deletes
it on the platform, every earlier text and when it was deleted.
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('earlier_texts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', storage.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('earlier_texts')
        batch_op.drop_column('attachments')
