"""Targets, population, claims.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 17:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('population',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('division_code', sa.String(length=15), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population')),
    sa.UniqueConstraint('division_code', 'year', name='uq_population_division_year')
    )
    op.create_table('target',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('division_code', sa.String(length=15), nullable=False),
    sa.Column('division_name', sa.String(length=60), nullable=False),
    sa.Column('government', sa.Integer(), nullable=False),
    sa.Column('self_paid', sa.Integer(), nullable=False),
    sa.Column('employer', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('year', 'product_code', 'division_code', name='uq_target_year_product_division')
    )
    op.create_table('claim',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('claim_no', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('insured_person_id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('division_code', sa.String(length=15), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('liability_kind', sa.String(length=40), nullable=True),
    sa.Column('incident_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('report_number', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_on', sa.Date(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('hospital_days', sa.Integer(), nullable=False),
    sa.Column('days_payable', sa.Integer(), nullable=False),
    sa.Column('claimed_fen', sa.Integer(), nullable=False),
    sa.Column('paid_fen', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('green_channel', sa.Boolean(), nullable=False),
    sa.Column('home_visit', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_claim_enrollment_id_enrollment')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_claim_household_id_household')),
    sa.ForeignKeyConstraint(['insured_person_id'], ['insured_person.id'], name=op.f('fk_claim_insured_person_id_insured_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_claim_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim')),
    sa.UniqueConstraint('claim_no', name=op.f('uq_claim_claim_no'))
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_enrollment', ['enrollment_id'], unique=False)
        batch_op.create_index('ix_claim_paid_on', ['paid_on'], unique=False)
        batch_op.create_index('ix_claim_person_product_year', ['person_id', 'product_code', 'policy_year'], unique=False)
        batch_op.create_index('ix_claim_status', ['status'], unique=False)

    op.create_table('claim_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('claim_id', sa.Uuid(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_event_claim_id_claim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_event'))
    )
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_event_claim_id'), ['claim_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_event_claim_id'))
    op.drop_table('claim_event')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_status')
        batch_op.drop_index('ix_claim_person_product_year')
        batch_op.drop_index('ix_claim_paid_on')
        batch_op.drop_index('ix_claim_enrollment')
    op.drop_table('claim')
    op.drop_table('target')
    op.drop_table('population')
