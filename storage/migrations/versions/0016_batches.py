"""an organisation's batch: one submission applying for several people, its cases and the
documents it holds for them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('organization', sa.String(length=256), nullable=True),
        sa.Column('contact_email', sa.String(length=320), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_batches_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_batches')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_batches_submission_id')),
    )
    for table in ('documents', 'cases'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_batch_id'), ['batch_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_batch_id_batches'), 'batches',
                                        ['batch_id'], ['id'])


def downgrade() -> None:
    for table in ('cases', 'documents'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_batch_id_batches'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_batch_id'))
            batch_op.drop_column('batch_id')
    op.drop_table('batches')
