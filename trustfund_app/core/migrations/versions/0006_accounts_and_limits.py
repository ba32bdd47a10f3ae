"""accounts and limits: disabled users, who created or changed an account (issue 15, part 2)

Revision ID: 0006
Revises: 0005
"""
from alembic import op  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
