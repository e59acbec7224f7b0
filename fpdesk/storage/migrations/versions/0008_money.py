"""Cover dated from the event the product names, money by payer, rosters handed up in one action.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-05 12:30:00

- enrollment: received_on, handed_up_on, issued_on, hand_up_id, renews_id; period_start and period_end
  may be empty (cover from the day after payment is not dated before the premium is received).
- hand_up: a roster handed up under one group policy number (团单号).
- contribution, allocation, allocation_item, refund, cash_handover: what each payer owes of a premium
  and the money that settles it (storage/schema_money.py).

The dates of existing enrollments are filled from what they hold: received when their receipts cover
the premium (the day of the last one), handed up and issued on the day of their last status change
when that status says so. Their periods are kept as they were. Existing enrollments get no
contribution rows: one is read as the whole premium owed by the enrollment's payer until money is
recorded against it (services/enrollment/money.py), so nothing is written here that the change log
does not carry.

SQLite cannot drop NOT NULL in place and rebuilding ``enrollment`` would break the foreign keys that
point at it, so its stored CREATE TABLE text is edited as SQLite's documentation allows for removing
NOT NULL constraints (writable_schema, then a new schema_version).
"""

import re

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None



def _revisioned() -> list[sa.Column]:
    return [sa.Column('revision', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table('hand_up',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('scope_code', sa.String(length=15), nullable=False),
    sa.Column('policy_number', sa.String(length=60), nullable=True),
    sa.Column('handed_up_on', sa.Date(), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_revisioned(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_up')),
    )
    op.create_index(op.f('ix_hand_up_policy_number'), 'hand_up', ['policy_number'], unique=False)

    sqlite = op.get_bind().dialect.name == 'sqlite'
    for name in ('received_on', 'handed_up_on', 'issued_on'):
        op.add_column('enrollment', sa.Column(name, sa.Date(), nullable=True))
    op.add_column('enrollment', sa.Column('renews_id', sa.Uuid(), nullable=True))
    if sqlite:  # a column with REFERENCES and no default may be added in place
        op.execute("ALTER TABLE enrollment ADD COLUMN hand_up_id CHAR(32) REFERENCES hand_up (id)")
        _drop_not_null_sqlite('enrollment', ('period_start', 'period_end'))
    else:
        op.add_column('enrollment', sa.Column('hand_up_id', sa.Uuid(), nullable=True))
        op.create_foreign_key(op.f('fk_enrollment_hand_up_id_hand_up'), 'enrollment', 'hand_up', ['hand_up_id'], ['id'])
        op.alter_column('enrollment', 'period_start', existing_type=sa.Date(), nullable=True)
        op.alter_column('enrollment', 'period_end', existing_type=sa.Date(), nullable=True)
    op.create_index('ix_enrollment_hand_up_id', 'enrollment', ['hand_up_id'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('payer_type', sa.String(length=12), nullable=False),
    sa.Column('payer_level', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    *_revisioned(),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_contribution_enrollment_id_enrollment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    )
    op.create_index(op.f('ix_contribution_enrollment_id'), 'contribution', ['enrollment_id'], unique=False)
    op.create_table('allocation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('payer_type', sa.String(length=12), nullable=False),
    sa.Column('payer_level', sa.String(length=20), nullable=False),
    sa.Column('payer_name', sa.String(length=60), nullable=False),
    sa.Column('voucher_no', sa.String(length=60), nullable=False),
    sa.Column('allocated_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('scope_code', sa.String(length=15), nullable=False),
    sa.Column('hand_up_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('voided_on', sa.Date(), nullable=True),
    *_revisioned(),
    sa.ForeignKeyConstraint(['hand_up_id'], ['hand_up.id'], name=op.f('fk_allocation_hand_up_id_hand_up')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation')),
    )
    op.create_index(op.f('ix_allocation_voucher_no'), 'allocation', ['voucher_no'], unique=False)
    op.create_index('ix_allocation_product_year', 'allocation', ['product_code', 'policy_year'], unique=False)
    op.create_table('allocation_item',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('allocation_id', sa.Uuid(), nullable=False),
    sa.Column('contribution_id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    *_revisioned(),
    sa.ForeignKeyConstraint(['allocation_id'], ['allocation.id'], name=op.f('fk_allocation_item_allocation_id_allocation')),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], name=op.f('fk_allocation_item_contribution_id_contribution')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_allocation_item_enrollment_id_enrollment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_item')),
    )
    for column in ('allocation_id', 'contribution_id', 'enrollment_id'):
        op.create_index(op.f(f'ix_allocation_item_{column}'), 'allocation_item', [column], unique=False)
    op.create_table('refund',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('contribution_id', sa.Uuid(), nullable=False),
    sa.Column('payer_type', sa.String(length=12), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_on', sa.Date(), nullable=False),
    sa.Column('handled_by', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    *_revisioned(),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], name=op.f('fk_refund_contribution_id_contribution')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_refund_enrollment_id_enrollment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
    )
    op.create_index(op.f('ix_refund_enrollment_id'), 'refund', ['enrollment_id'], unique=False)
    op.create_table('cash_handover',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('collector', sa.String(length=40), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('handed_over_on', sa.Date(), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('received_by', sa.String(length=40), nullable=False),
    sa.Column('voucher_no', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_revisioned(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_handover')),
    )
    op.create_index(op.f('ix_cash_handover_collector'), 'cash_handover', ['collector'], unique=False)
    _fill_dates()


def _drop_not_null_sqlite(table: str, columns: tuple[str, ...]) -> None:
    """Remove NOT NULL from ``columns`` in SQLite's stored schema (sqlite.org/lang_altertable.html,
    "the following simpler procedure … for removing … NOT NULL constraints")."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    changed = False
    for column in columns:
        sql, count = re.subn(rf"(\b{column}\b\s+DATE)\s+NOT NULL", r"\1", sql, flags=re.IGNORECASE)
        if count == 0 and not re.search(rf"\b{column}\b\s+DATE\b", sql, flags=re.IGNORECASE):
            raise RuntimeError(f"cannot find {table}.{column} in {sql!r}")
        changed |= bool(count)
    if not changed:  # already without NOT NULL (a schema made from today's tables and stamped older)
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    if bind.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
        raise RuntimeError("the database does not check out after removing NOT NULL")


def _fill_dates() -> None:
    """received_on: the day the receipts first covered the premium (the last receipt's, for old data);
    handed_up_on / issued_on: the last status change of handed-up and confirmed enrollments."""
    op.execute("""
        UPDATE enrollment SET received_on = (
            SELECT MAX(payment.paid_on) FROM payment
            WHERE payment.enrollment_id = enrollment.id AND payment.voided = false)
        WHERE (SELECT COALESCE(SUM(payment.amount_fen), 0) FROM payment
               WHERE payment.enrollment_id = enrollment.id AND payment.voided = false) >= enrollment.premium_fen
          AND EXISTS (SELECT 1 FROM payment WHERE payment.enrollment_id = enrollment.id)
    """)
    op.execute("UPDATE enrollment SET handed_up_on = status_on WHERE status IN ('handed_up', 'confirmed')")
    op.execute("UPDATE enrollment SET issued_on = status_on WHERE status = 'confirmed'")


def downgrade() -> None:
    for table in ('cash_handover', 'refund', 'allocation_item', 'allocation', 'contribution'):
        op.drop_table(table)
    op.drop_index('ix_enrollment_hand_up_id', table_name='enrollment')
    with op.batch_alter_table('enrollment') as batch_op:
        for name in ('hand_up_id', 'renews_id', 'issued_on', 'handed_up_on', 'received_on'):
            batch_op.drop_column(name)
    op.drop_table('hand_up')
