"""a case's own copy of its applicant after a correction; reviews superseded when a decided case
is re-opened

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applicants') as batch_op:
        batch_op.add_column(sa.Column('own_case_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_applicants_nationality', type_='unique')
    # one office record per passport; a case's own corrected copy stands beside it
    op.create_index('uq_applicants_person', 'applicants', ['nationality', 'passport_number'],
                    unique=True, sqlite_where=sa.text('own_case_id IS NULL'),
                    postgresql_where=sa.text('own_case_id IS NULL'))
    with op.batch_alter_table('reviews') as batch_op:
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reviews') as batch_op:
        batch_op.drop_column('superseded_at')
    op.drop_index('uq_applicants_person', table_name='applicants')
    op.execute("DELETE FROM applicants WHERE own_case_id IS NOT NULL "
               "AND id NOT IN (SELECT applicant_id FROM cases WHERE applicant_id IS NOT NULL)")
    with op.batch_alter_table('applicants') as batch_op:
        batch_op.create_unique_constraint('uq_applicants_nationality',
                                          ['nationality', 'passport_number'])
        batch_op.drop_column('own_case_id')
