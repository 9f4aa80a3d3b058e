"""an index for the customer's earlier conversations

Revision ID: 0017
Revises: 0016

A new conversation's parent names the author's earlier conversations with the brand: this index
finds them (and counts them) without reading the brand's other conversations.
"""

from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_conversations_brand_author', 'conversations',
                    ['brand_id', 'platform', 'author_external_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_conversations_brand_author', table_name='conversations')
