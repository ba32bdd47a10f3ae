"""donor names per language (issue 19)

A donor keeps its name in other UN languages as a small JSON object ({"ar": "مصر", "zh": "埃及"});
statements and letters print the name in their language (core/donor_names.py). JSON is TEXT on
SQLite and json on PostgreSQL.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN / DROP COLUMN on both backends (SQLite 3.35+): a batch "move and copy" of
    # the donor table would have to drop a table that contributions and aliases refer to
    op.add_column("donor", sa.Column("names", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("donor", "names")
