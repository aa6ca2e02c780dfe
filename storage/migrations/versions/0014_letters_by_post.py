"""letters go by e-mail or by post: a posted letter waits to be printed in the day's batch

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sent_messages') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=8), nullable=False,
                                      server_default='email'))
        batch_op.add_column(sa.Column('printed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sent_messages') as batch_op:
        batch_op.drop_column('printed_on')
        batch_op.drop_column('channel')
