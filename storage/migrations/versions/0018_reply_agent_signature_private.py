"""who answered, the brand's signature and public or private, on replies

Revision ID: 0018
Revises: 0017

A reply keeps the teammate's display name (the generic webhook's payload carries it), the brand's
signature as rendered when the reply was written (sent after the text, counted within the
platform's limit), and whether it went privately (Meta's private replies, a Mastodon direct message).
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('private', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_column('private')
        batch_op.drop_column('signature')
        batch_op.drop_column('agent_name')
