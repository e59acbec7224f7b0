"""Targets, population, claims (issue 5).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 17:10:00

Reserved in the chain so the three issues can land in any order; filled by its own issue.
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
