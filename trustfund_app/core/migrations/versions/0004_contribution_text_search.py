"""text search of the contributions list through a trigram index (SQLite)

The list's free-text filter looks for a piece of a reference, receipt number or earmark anywhere
in the text; as ``LIKE '%…%'`` that reads every contribution (0.6-1.1 s at 1,000,000). An FTS5
table with the trigram tokenizer indexes every three-character piece, so such a search finds its
rows directly (a few ms). It holds no copy of the text (external content: the contribution table)
and is keyed by the contribution's rowid; the application never runs VACUUM (which may renumber
the rowids of a table keyed by text) and its backups copy the file page by page. Triggers keep it
in step with every insert, update and delete, in the same transaction. An SQLite built without
FTS5 or the trigram tokenizer (before 3.34) gets no index and the list keeps LIKE. PostgreSQL keeps
ILIKE: nothing to do there.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = "reference, receipt_number, earmark"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" or not _trigram_available():
        return
    op.execute(f"CREATE VIRTUAL TABLE contribution_text USING fts5({COLUMNS}, content='contribution', "
               "tokenize='trigram')")
    op.execute(f"""CREATE TRIGGER contribution_text_insert AFTER INSERT ON contribution BEGIN
        INSERT INTO contribution_text(rowid, {COLUMNS}) VALUES (new.rowid, new.reference, new.receipt_number,
                                                                new.earmark);
    END""")
    op.execute(f"""CREATE TRIGGER contribution_text_delete AFTER DELETE ON contribution BEGIN
        INSERT INTO contribution_text(contribution_text, rowid, {COLUMNS})
            VALUES ('delete', old.rowid, old.reference, old.receipt_number, old.earmark);
    END""")
    op.execute(f"""CREATE TRIGGER contribution_text_update AFTER UPDATE OF {COLUMNS} ON contribution BEGIN
        INSERT INTO contribution_text(contribution_text, rowid, {COLUMNS})
            VALUES ('delete', old.rowid, old.reference, old.receipt_number, old.earmark);
        INSERT INTO contribution_text(rowid, {COLUMNS}) VALUES (new.rowid, new.reference, new.receipt_number,
                                                                new.earmark);
    END""")
    op.execute("INSERT INTO contribution_text(contribution_text) VALUES ('rebuild')")  # the rows already there


def _trigram_available() -> bool:
    import sqlite3

    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS contribution_text_{trigger}")
    op.execute("DROP TABLE IF EXISTS contribution_text")
