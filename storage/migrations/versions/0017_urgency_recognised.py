"""an urgent matter only the office can recognise (text 002): who recognised it, and when

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('urgency_recognised_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('urgency_recognised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('urgency_recognised_at')
        batch_op.drop_column('urgency_recognised_by')
