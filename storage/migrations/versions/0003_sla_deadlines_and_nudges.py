"""sla deadlines and nudges

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('nudges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.String(length=16), nullable=False),
    sa.Column('due_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('sent', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_nudges_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nudges')),
    sa.UniqueConstraint('conversation_id', 'deadline', 'due_at', 'level', name=op.f('uq_nudges_conversation_id_deadline_due_at_level'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolution_due_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_nudge_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sla_level', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_conversations_next_nudge_at'), ['next_nudge_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_next_nudge_at'))
        batch_op.drop_column('sla_level')
        batch_op.drop_column('next_nudge_at')
        batch_op.drop_column('resolution_due_at')

    op.drop_table('nudges')
