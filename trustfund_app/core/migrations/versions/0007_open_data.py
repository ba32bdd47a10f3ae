"""open data: sensitive grants and organisation identifiers (issue 17)

A grant may be flagged sensitive (a shelter's location, a grantee at risk) with the reason, which
the IATI and 360Giving exports record when they withhold its location; a grantee may carry its
organisation identifier (org-id.guide scheme + number, e.g. NP-SWC-1234).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grant") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("sensitive_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    with op.batch_alter_table("grantee") as batch:
        batch.add_column(sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("grantee") as batch:
        batch.drop_column("org_id")
    with op.batch_alter_table("grant") as batch:
        batch.drop_column("sensitive_reason")
        batch.drop_column("sensitive")
