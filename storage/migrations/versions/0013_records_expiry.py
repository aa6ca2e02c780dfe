"""a record on file keeps the expiry read from the document apart from how long the office may use
it: the reminders of text 001 use only a date that was read

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 05:10:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

PERMITS = ('residence_permit', 'work_permit')


def upgrade() -> None:
    with op.batch_alter_table('records_on_file') as batch_op:
        batch_op.add_column(sa.Column('expires_on', sa.Date(), nullable=True))
    # what earlier versions kept: a permit's expiry only where it was read from the document
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT r.id, d.fields FROM records_on_file r JOIN documents d ON d.id = r.document_id "
        "WHERE r.kind IN ('residence_permit', 'work_permit')")).all()
    for record_id, fields in rows:
        read = (json.loads(fields) if isinstance(fields, str) else fields or {}).get('valid_until')
        if read:
            connection.execute(sa.text("UPDATE records_on_file SET expires_on = :d WHERE id = :i"),
                               {"d": read, "i": record_id})


def downgrade() -> None:
    with op.batch_alter_table('records_on_file') as batch_op:
        batch_op.drop_column('expires_on')
