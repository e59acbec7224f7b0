"""Office signing keys (Ed25519) and the log of printed documents.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('office_key',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('key_number', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('private_key', sa.LargeBinary(length=32), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_key')),
    sa.UniqueConstraint('office_code', 'key_number', name='uq_office_key_office_number')
    )
    op.create_table('print_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('reprint', sa.Boolean(), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('printed_by', sa.String(length=40), nullable=False),
    sa.Column('output', sa.String(length=200), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log'))
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index('ix_print_log_kind_number', ['kind', 'number'], unique=False)
        batch_op.create_index('ix_print_log_kind_subject', ['kind', 'subject_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.drop_index('ix_print_log_kind_subject')
        batch_op.drop_index('ix_print_log_kind_number')
    op.drop_table('print_log')
    op.drop_table('office_key')
