"""indexes for the weekly report's aggregates

Revision ID: 0014
Revises: 0013

The report reads each table once for a period and the one before it: conversations by brand and
creation time, replies by when they were sent, activities by action and time, breach nudges by
their due time. Without these, each of those reads scans the whole table's history.
"""

from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_conversations_brand_id_created_at', 'conversations', ['brand_id', 'created_at'], unique=False)
    op.create_index('ix_replies_sent_at', 'replies', ['sent_at'], unique=False)
    op.create_index('ix_activities_action_created_at', 'activities', ['action', 'created_at'], unique=False)
    op.create_index('ix_nudges_level_due_at', 'nudges', ['level', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_nudges_level_due_at', table_name='nudges')
    op.drop_index('ix_activities_action_created_at', table_name='activities')
    op.drop_index('ix_replies_sent_at', table_name='replies')
    op.drop_index('ix_conversations_brand_id_created_at', table_name='conversations')
