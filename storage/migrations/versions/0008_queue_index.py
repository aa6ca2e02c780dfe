"""the reviewer queue's index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 23:58:00
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_cases_queue', 'cases',
                    ['status', 'reviewer_group', 'priority_rank', 'due_date', 'id'])


def downgrade() -> None:
    op.drop_index('ix_cases_queue', table_name='cases')
