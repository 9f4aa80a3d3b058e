"""brand, platform and kind copied onto messages, replies and activities

Revision ID: 0015
Revises: 0014

The report joined each of a week's messages, replies and activities to its conversation, only for
the brand (and, for messages, the platform and kind of the volume). These never change once a
conversation exists, so they are copied onto the rows: existing rows get them from their
conversation here, new rows when they are inserted, and each of the report's reads is one table
through one index.
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

COPIED = {
    'messages': {'brand_id': sa.String(length=40), 'platform': sa.String(length=40), 'kind': sa.String(length=16)},
    'replies': {'brand_id': sa.String(length=40)},
    'activities': {'brand_id': sa.String(length=40)},
}


def upgrade() -> None:
    for table, columns in COPIED.items():
        for name, type_ in columns.items():
            op.add_column(table, sa.Column(name, type_, nullable=True))
        _copy_from_conversations(table, list(columns))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns.items():
                batch_op.alter_column(name, existing_type=type_, nullable=False)

    op.create_index('ix_messages_brand_id_received_at_platform_kind', 'messages',
                    ['brand_id', 'received_at', 'platform', 'kind'], unique=False)
    op.create_index('ix_replies_brand_id_sent_at', 'replies', ['brand_id', 'sent_at'], unique=False)
    op.create_index('ix_activities_brand_id_action_created_at', 'activities',
                    ['brand_id', 'action', 'created_at'], unique=False)


def _copy_from_conversations(table: str, columns: list[str]) -> None:
    """Fill the columns of the table's existing rows from their conversation, in one statement."""
    if op.get_bind().dialect.name == 'postgresql':
        assignments = ', '.join(f'{name} = conversations.{name}' for name in columns)
        op.execute(f'UPDATE {table} SET {assignments} FROM conversations '
                   f'WHERE conversations.id = {table}.conversation_id')
    else:
        assignments = ', '.join(
            f'{name} = (SELECT conversations.{name} FROM conversations WHERE conversations.id = {table}.conversation_id)'
            for name in columns)
        op.execute(f'UPDATE {table} SET {assignments}')


def downgrade() -> None:
    op.drop_index('ix_activities_brand_id_action_created_at', table_name='activities')
    op.drop_index('ix_replies_brand_id_sent_at', table_name='replies')
    op.drop_index('ix_messages_brand_id_received_at_platform_kind', table_name='messages')
    for table, columns in reversed(COPIED.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(columns):
                batch_op.drop_column(name)
