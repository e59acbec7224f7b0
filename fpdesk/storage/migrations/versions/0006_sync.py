"""Offices, sync packages, conflicts and duplicates.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 17:10:00

Also: the person ID-number index stops being unique. Offices cannot enforce uniqueness across
villages offline; registration still refuses a number already living here (services), and a
number arriving twice by sync goes to the duplicate review queue instead of failing the import.
(Plain DROP/CREATE INDEX, not batch mode, which would copy the table and lose its FTS triggers.)
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LIVING = "status != 'deceased'"


def upgrade() -> None:
    op.create_table('device_key',
    sa.Column('device_id', sa.String(length=20), nullable=False),
    sa.Column('sign_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('sign_public', sa.String(length=64), nullable=False),
    sa.Column('enc_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('enc_public', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device_key'))
    )
    op.create_table('office_registration',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.String(length=20), nullable=False),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('sign_public', sa.String(length=64), nullable=False),
    sa.Column('enc_public', sa.String(length=64), nullable=False),
    sa.Column('registered_by', sa.String(length=20), nullable=False),
    sa.Column('revoked_seq', sa.Integer(), nullable=True),
    sa.Column('revoked_by', sa.String(length=20), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_registration')),
    sa.UniqueConstraint('device_id', name=op.f('uq_office_registration_device_id'))
    )
    with op.batch_alter_table('office_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_registration_office_code'), ['office_code'], unique=False)

    op.create_table('sync_block',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('origin_device', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('from_seq', sa.Integer(), nullable=False),
    sa.Column('to_seq', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_block')),
    sa.UniqueConstraint('origin_device', 'direction', 'from_seq', 'to_seq', 'digest', name='uq_sync_block_range')
    )
    with op.batch_alter_table('sync_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_block_origin_device'), ['origin_device'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('ours_change', sa.JSON(), nullable=False),
    sa.Column('theirs_change', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolution', sa.JSON(), nullable=True),
    sa.Column('resolved_by', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_record_id'), ['record_id'], unique=False)

    op.create_table('sync_duplicate',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('person_a', sa.Uuid(), nullable=False),
    sa.Column('person_b', sa.Uuid(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_duplicate'))
    )
    op.create_table('sync_held',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('origin_device', sa.String(length=20), nullable=False),
    sa.Column('origin_seq', sa.Integer(), nullable=False),
    sa.Column('envelope', sa.JSON(), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_held')),
    sa.UniqueConstraint('origin_device', 'origin_seq', name='uq_sync_held_origin')
    )
    op.create_table('sync_invitation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('code_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('joined_device', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_invitation'))
    )
    with op.batch_alter_table('sync_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_invitation_office_code'), ['office_code'], unique=False)

    op.create_table('sync_package',
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('sender_office', sa.String(length=12), nullable=False),
    sa.Column('channel_seq', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('package_id', name=op.f('pk_sync_package'))
    )
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_package_sender_office'), ['sender_office'], unique=False)

    op.create_table('sync_peer',
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.Column('last_sent_seq', sa.Integer(), nullable=False),
    sa.Column('last_received_seq', sa.Integer(), nullable=False),
    sa.Column('acknowledged', sa.JSON(), nullable=False),
    sa.Column('their_report', sa.JSON(), nullable=True),
    sa.Column('our_report', sa.JSON(), nullable=True),
    sa.Column('join_proof', sa.JSON(), nullable=True),
    sa.Column('last_exported_at', sa.DateTime(), nullable=True),
    sa.Column('last_imported_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('office_code', name=op.f('pk_sync_peer'))
    )
    op.create_table('product_definition',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_definition')),
    sa.UniqueConstraint('kind', 'code', name='uq_product_definition_kind_code')
    )
    op.drop_index('ux_person_id_number_living', table_name='person')
    op.create_index('ux_person_id_number_living', 'person', ['id_number'], unique=False,
                    sqlite_where=sa.text(LIVING), postgresql_where=sa.text(LIVING))


def downgrade() -> None:
    op.drop_table('product_definition')
    op.drop_index('ux_person_id_number_living', table_name='person')
    op.create_index('ux_person_id_number_living', 'person', ['id_number'], unique=True,
                    sqlite_where=sa.text(LIVING), postgresql_where=sa.text(LIVING))
    op.drop_table('sync_peer')
    op.drop_table('sync_package')
    op.drop_table('sync_invitation')
    op.drop_table('sync_held')
    op.drop_table('sync_duplicate')
    op.drop_table('sync_conflict')
    op.drop_table('sync_block')
    op.drop_table('office_registration')
    op.drop_table('device_key')
