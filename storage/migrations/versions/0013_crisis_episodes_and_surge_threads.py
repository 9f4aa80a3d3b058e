"""crisis episodes and surge threads

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crisis_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.String(length=40), nullable=False),
    sa.Column('open_brand_id', sa.String(length=40), nullable=True),
    sa.Column('started_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('calm_since', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cleared_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('alert_channel', sa.String(length=32), nullable=True),
    sa.Column('alert_ts', sa.String(length=32), nullable=True),
    sa.Column('surge_channel', sa.String(length=32), nullable=True),
    sa.Column('surge_ts', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_episodes')),
    sa.UniqueConstraint('open_brand_id', name=op.f('uq_crisis_episodes_open_brand_id'))
    )
    with op.batch_alter_table('crisis_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_episodes_brand_id'), ['brand_id'], unique=False)

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slack_thread_ts', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('surge_episode_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_conversations_surge_episode_id_crisis_episodes'),
                                    'crisis_episodes', ['surge_episode_id'], ['id'])

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_sent_at'))

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversations_surge_episode_id_crisis_episodes'), type_='foreignkey')
        batch_op.drop_column('surge_episode_id')
        batch_op.drop_column('slack_thread_ts')

    with op.batch_alter_table('crisis_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_episodes_brand_id'))

    op.drop_table('crisis_episodes')
