"""triage sentiment tags and quiet

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quiet_lines',
    sa.Column('brand_id', sa.String(length=40), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('slack_channel', sa.String(length=32), nullable=True),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('brand_id', 'day', name=op.f('pk_quiet_lines'))
    )
    op.create_table('conversation_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('added_by', sa.String(length=32), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_tags_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_tags')),
    sa.UniqueConstraint('conversation_id', 'tag', name=op.f('uq_conversation_tags_conversation_id_tag'))
    )
    with op.batch_alter_table('conversation_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_tags_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_tags_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_tags_tag'), ['tag'], unique=False)

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sentiment', sa.String(length=8), server_default='neutral', nullable=False))
        batch_op.add_column(sa.Column('quiet_reason', sa.String(length=80), nullable=True))

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sentiment', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('sentiment_score', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('sentiment_score')
        batch_op.drop_column('sentiment')

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('quiet_reason')
        batch_op.drop_column('sentiment')

    with op.batch_alter_table('conversation_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_tags_tag'))
        batch_op.drop_index(batch_op.f('ix_conversation_tags_created_at'))
        batch_op.drop_index(batch_op.f('ix_conversation_tags_conversation_id'))

    op.drop_table('conversation_tags')
    op.drop_table('quiet_lines')
