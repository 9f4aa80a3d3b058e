"""response times, schedule claims, report indexes

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('schedule_claims',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('claimed_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_schedule_claims'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response_seconds', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('first_response_business_seconds', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('first_responder_slack_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_conversations_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_received_at'), ['received_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_received_at'))

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_created_at'))
        batch_op.drop_column('first_responder_slack_id')
        batch_op.drop_column('first_response_business_seconds')
        batch_op.drop_column('first_response_seconds')

    op.drop_table('schedule_claims')
