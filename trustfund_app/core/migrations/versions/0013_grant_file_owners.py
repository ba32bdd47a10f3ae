"""the grant file travels between offices: monitoring visits, follow-up actions and documents
carry the field office that owns them (issue 16 with issue 18)

Rows that exist before this revision were made by headquarters (a field office could not record
them until now), so ``office`` stays NULL: headquarters' records.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("monitoring_visit", "follow_up_action", "document")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("office")
