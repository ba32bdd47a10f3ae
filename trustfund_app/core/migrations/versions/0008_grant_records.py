"""the grant file: documents, monitoring visits, follow-up actions, pledge write-offs (issue 18, part 1)

Revision ID: 0008
Revises: 0007
"""
from alembic import op  # noqa: F401

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
