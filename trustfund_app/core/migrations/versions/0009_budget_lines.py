"""the grant file: budget lines and letters (issue 18, part 2)

Budget lines per grant, expenditure per line from financial reports, and the language letters to
a grantee are written in.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from trustfund_app.core.models.base import DecimalText, UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _stamps() -> list:
    return [sa.Column("id", sa.Uuid(), primary_key=True),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table("grantee") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=False, server_default="en"))
    op.create_table(
        "budget_line", *_stamps(),
        sa.Column("grant_id", sa.Uuid(), sa.ForeignKey("grant.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("rate", DecimalText(), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("usd_cents", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("grant_id", "seq", name="uq_budget_line_grant_seq"),
    )
    op.create_index("ix_budget_line_grant_id", "budget_line", ["grant_id"])
    op.create_table(
        "budget_expenditure", *_stamps(),
        sa.Column("report_id", sa.Uuid(), sa.ForeignKey("grantee_report.id"), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), sa.ForeignKey("budget_line.id"), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("usd_cents", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("report_id", "budget_line_id", name="uq_budget_expenditure_report_line"),
    )
    op.create_index("ix_budget_expenditure_report_id", "budget_expenditure", ["report_id"])
    op.create_index("ix_budget_expenditure_budget_line_id", "budget_expenditure", ["budget_line_id"])


def downgrade() -> None:
    op.drop_index("ix_budget_expenditure_budget_line_id", table_name="budget_expenditure")
    op.drop_index("ix_budget_expenditure_report_id", table_name="budget_expenditure")
    op.drop_table("budget_expenditure")
    op.drop_index("ix_budget_line_grant_id", table_name="budget_line")
    op.drop_table("budget_line")
    with op.batch_alter_table("grantee") as batch:
        batch.drop_column("language")
