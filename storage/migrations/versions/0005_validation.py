"""validation: policy facts on cases, records on file, attachments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 23:00:12.751163
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('records_on_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('application_form', 'passport', 'photo', 'employment_letter', 'work_permit', 'health_certificate', 'kinship_notarization', 'personal_statement', 'personnel_list_letter', 'school_letter', 'authorization_letter', 'residence_permit', 'supporting_document', 'waybill', 'cover_sheet', 'email_body', 'other', name='documentkind', native_enum=False, length=32), nullable=False),
    sa.Column('passport_key', sa.String(length=32), nullable=False),
    sa.Column('person_name', sa.String(length=256), nullable=True),
    sa.Column('organization', sa.String(length=256), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('source_case_id', sa.Integer(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('expiry_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_records_on_file_document_id_documents')),
    sa.ForeignKeyConstraint(['source_case_id'], ['cases.id'], name=op.f('fk_records_on_file_source_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_records_on_file')),
    sa.UniqueConstraint('document_id', 'kind', 'passport_key', name=op.f('uq_records_on_file_document_id'))
    )
    with op.batch_alter_table('records_on_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_records_on_file_passport_key'), ['passport_key'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_rank', sa.Integer(), nullable=False, server_default='4'))
        batch_op.add_column(sa.Column('due_date_provisional', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('calendar_version', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('completed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reviewer_group', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('four_eyes', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checklist_items_record_id_records_on_file'), 'records_on_file', ['record_id'], ['id'])

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=32), nullable=False,
                                      server_default='validation'))

    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('attachment_filename', sa.String(length=256), nullable=True))

    with op.batch_alter_table('waivers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_waivers_case_id'), ['case_id', 'material'])



def downgrade() -> None:
    with op.batch_alter_table('waivers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_waivers_case_id'), type_='unique')
        batch_op.drop_column('reminded_at')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.drop_column('attachment_filename')
        batch_op.drop_column('attachment_sha256')

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checklist_items_record_id_records_on_file'), type_='foreignkey')
        batch_op.drop_column('record_id')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('four_eyes')
        batch_op.drop_column('reviewer_group')
        batch_op.drop_column('completed_on')
        batch_op.drop_column('calendar_version')
        batch_op.drop_column('due_date_provisional')
        batch_op.drop_column('priority_rank')

    with op.batch_alter_table('records_on_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_records_on_file_passport_key'))

    op.drop_table('records_on_file')
