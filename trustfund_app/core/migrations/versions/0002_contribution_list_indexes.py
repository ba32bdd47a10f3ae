"""indexes for sorting and filtering the contributions list at a million rows

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contribution_usd", "contribution", ["usd_cents"])
    op.create_index("ix_contribution_currency_date", "contribution", ["currency", "date"])


def downgrade() -> None:
    op.drop_index("ix_contribution_currency_date", table_name="contribution")
    op.drop_index("ix_contribution_usd", table_name="contribution")
