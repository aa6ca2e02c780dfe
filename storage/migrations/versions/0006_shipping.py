"""shipping: return addresses, tracking events, dispatch dates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 23:27:33.630830
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shipment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.String(length=512), nullable=False),
    sa.Column('location', sa.String(length=256), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_events_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_events')),
    sa.UniqueConstraint('shipment_id', 'at', 'description', name=op.f('uq_shipment_events_shipment_id'))
    )
    with op.batch_alter_table('shipment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_events_shipment_id'), ['shipment_id'], unique=False)

    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('dispatched_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_polled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_event_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('alerted', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_shipments_dispatched_on'), ['dispatched_on'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_dispatched_on'))
        batch_op.drop_column('alerted')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('last_event_at')
        batch_op.drop_column('last_polled_at')
        batch_op.drop_column('dispatched_on')
        batch_op.drop_column('postcode')
        batch_op.drop_column('address')
        batch_op.drop_column('phone')
        batch_op.drop_column('recipient')

    with op.batch_alter_table('shipment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_events_shipment_id'))

    op.drop_table('shipment_events')
