"""accounts and limits: disabled users, who created or changed an account (issue 15, part 2)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VOUCHER_COLUMNS = ("created_by", "enabled_by", "role_set_by", "password_set_by")


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        for column in VOUCHER_COLUMNS:
            batch.add_column(sa.Column(column, sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        for column in reversed(VOUCHER_COLUMNS):
            batch.drop_column(column)
