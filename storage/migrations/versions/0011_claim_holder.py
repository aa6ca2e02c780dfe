"""an e-mail claim names its poller, so a dead poller's claims are taken over at once

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 02:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mailbox_claims') as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mailbox_claims') as batch_op:
        batch_op.drop_column('claimed_by')
