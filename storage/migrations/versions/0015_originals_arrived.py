"""a checklist item whose original must arrive in person (the passport a visa is affixed into)
says whether it has

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checklist_items') as batch_op:
        batch_op.add_column(sa.Column('arrived', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('checklist_items') as batch_op:
        batch_op.drop_column('arrived')
