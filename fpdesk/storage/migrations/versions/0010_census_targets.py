"""Census targets: a target's measure (shares, households, persons, or a share of a census base) and
the census households of a division.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 00:00:00

Every target made before this revision was a number of shares by payer: the server default keeps it
so. Plain ADD COLUMN, not batch mode (which would copy the tables).
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('target', sa.Column('measure', sa.String(length=16), nullable=False, server_default='shares'))
    op.add_column('target', sa.Column('quantity', sa.Integer(), nullable=False, server_default=sa.text('0')))
    op.add_column('target', sa.Column('rate_bp', sa.Integer(), nullable=True))
    op.add_column('target', sa.Column('stretch_bp', sa.Integer(), nullable=True))
    op.add_column('population', sa.Column('households', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('population') as batch:
        batch.drop_column('households')
    with op.batch_alter_table('target') as batch:
        for column in ('stretch_bp', 'rate_bp', 'quantity', 'measure'):
            batch.drop_column(column)
