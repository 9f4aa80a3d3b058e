"""risk category and its evidence on conversations

Revision ID: 0016
Revises: 0015

The built-in risk categories (safety, legal, press ...) are shown on the thread's parent with the
customer's words that show them, so a teammate can trust or dismiss the priority at a glance.
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_category', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('risk_evidence', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('risk_evidence')
        batch_op.drop_column('risk_category')
