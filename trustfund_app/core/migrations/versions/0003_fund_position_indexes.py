"""covering indexes for the fund position and the dashboard at a million contributions

Outstanding pledges per donor and currency, and payments per donor and year, read only
ix_contribution_donor_kind_date (it replaces ix_contribution_donor_kind, whose columns it starts
with and covers); the payments allocated to each pledge up to a date read only
ix_allocation_pledge_payment and ix_contribution_id_date (no table rows). At 1,000,000
contributions this takes the outstanding-pledges query from about 5.5 s to 2-2.7 s here, payments
per donor and year from 3 s to 0.5-1 s. Donor first, not kind first: an index led by kind made
SQLite (without statistics) prefer it to the date order for the contributions list's status filter.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contribution_donor_kind", table_name="contribution")
    op.create_index("ix_contribution_donor_kind_date", "contribution",
                    ["donor_id", "kind", "date", "currency", "amount_minor", "usd_cents", "reversed", "reverses_id", "id"])
    op.create_index("ix_contribution_id_date", "contribution", ["id", "date"])
    op.create_index("ix_allocation_pledge_payment", "allocation", ["pledge_id", "payment_id", "amount_minor"])


def downgrade() -> None:
    op.drop_index("ix_allocation_pledge_payment", table_name="allocation")
    op.drop_index("ix_contribution_id_date", table_name="contribution")
    op.drop_index("ix_contribution_donor_kind_date", table_name="contribution")
    op.create_index("ix_contribution_donor_kind", "contribution",
                    ["donor_id", "kind", "currency", "amount_minor", "usd_cents"])
