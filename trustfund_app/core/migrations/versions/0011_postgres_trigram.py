"""text search of the contributions list through trigram indexes (PostgreSQL)

The list's free-text filter looks for a piece of a reference, receipt number, earmark or donor name
anywhere in the text: ``ILIKE '%…%'``, which reads every contribution (a full scan at 1,000,000
rows). PostgreSQL's own trigram extension, pg_trgm, gives GIN indexes that answer such a search
directly — the engine's equivalent of the SQLite FTS5 trigram table of migration 0004. pg_trgm is
a "trusted" extension (PostgreSQL 13+): the owner of the database may create it without being a
superuser. Where it is not installed on the server or may not be created, the list keeps ILIKE
(correct, only slower), and the migration says nothing.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, column) searched by the list's text filter (core/services/contribution_queries.py)
SEARCHED = (("contribution", "reference"), ("contribution", "receipt_number"), ("contribution", "earmark"),
            ("donor", "name"))


def index_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _trigram_extension(bind):
        return
    for table, column in SEARCHED:
        op.execute(f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
                   f"USING gin ({column} gin_trgm_ops)")


def _trigram_extension(bind) -> bool:
    """pg_trgm installed in this database, creating it if the server has it and we may."""
    if bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        return False
    try:
        with bind.begin_nested():  # a refusal (no privilege) must not abort the whole upgrade
            bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except DBAPIError:
        return False


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in SEARCHED:
        op.execute(f"DROP INDEX IF EXISTS {index_name(table, column)}")
