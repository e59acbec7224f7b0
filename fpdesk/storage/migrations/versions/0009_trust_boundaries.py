"""Trust boundaries: one active enrollment per household, product and year; aliases of records two
offices made; signed audit heads and the anchors children send; failed log-ins under unknown names.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-23 10:00:00

Enrollments that already share a household, product and year while active (two offices enrolled a
household offline, or two writers raced on a server) keep their rows: the later ones get a duplicate
rank 1, 2 … so the unique index holds and the coverage check still shows them. Plain ADD COLUMN and
CREATE INDEX, not batch mode (which would copy the tables).
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ACTIVE = "status IN ('confirmed', 'handed_up', 'paid', 'registered')"


def upgrade() -> None:
    op.add_column('enrollment', sa.Column('duplicate_rank', sa.Integer(), nullable=False, server_default=sa.text('0')))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        f"SELECT id, household_id, product_code, policy_year FROM enrollment WHERE {ACTIVE} "
        "ORDER BY household_id, product_code, policy_year, created_at, id")).all()
    seen = {}
    for row in rows:
        key = (row.household_id, row.product_code, row.policy_year)
        rank = seen.get(key, -1) + 1
        seen[key] = rank
        if rank:
            connection.execute(sa.text("UPDATE enrollment SET duplicate_rank = :rank WHERE id = :id"),
                               {"rank": rank, "id": row.id})
    op.create_index('ux_enrollment_active_household_product_year', 'enrollment',
                    ['household_id', 'product_code', 'policy_year', 'duplicate_rank'], unique=True,
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_table('sync_alias',
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('foreign_id', sa.Uuid(), nullable=False),
    sa.Column('local_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'foreign_id', name=op.f('pk_sync_alias'))
    )
    op.add_column('sync_peer', sa.Column('last_anchor', sa.JSON(), nullable=True))
    op.add_column('audit_chain_head', sa.Column('signature', sa.String(length=128), nullable=True))
    op.add_column('audit_chain_head', sa.Column('signed_by', sa.String(length=20), nullable=True))
    op.create_table('audit_anchor',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('device_id', sa.String(length=20), nullable=False),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('problem', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchor'))
    )
    op.create_index(op.f('ix_audit_anchor_device_id'), 'audit_anchor', ['device_id'], unique=False)
    from fpdesk.storage.audit_chain import sign_current_head

    sign_current_head(connection)  # a device that has a key signs its head from now on
    op.create_table('login_attempt',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_login_attempt'))
    )


def downgrade() -> None:
    op.drop_table('login_attempt')
    op.drop_index(op.f('ix_audit_anchor_device_id'), table_name='audit_anchor')
    op.drop_table('audit_anchor')
    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.drop_column('signed_by')
        batch_op.drop_column('signature')
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.drop_column('last_anchor')
    op.drop_table('sync_alias')
    op.drop_index('ux_enrollment_active_household_product_year', table_name='enrollment')
    op.execute("ALTER TABLE enrollment DROP COLUMN duplicate_rank")
