import sqlite3

from trustfund_app.core.db import Database
from trustfund_app.core.migrate import HEAD_REVISION, current_revision, head_revision


def test_head_constant_matches_alembic():
    assert HEAD_REVISION == head_revision()


def test_a_new_database_is_created_at_head_with_an_append_only_audit_table(tmp_path):
    db = Database.open(str(tmp_path / "new.sqlite3"))
    assert current_revision(db) == HEAD_REVISION
    con = sqlite3.connect(tmp_path / "new.sqlite3")
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"audit_event_no_update", "audit_event_no_delete"} <= triggers
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_database_is_upgraded_on_opening_after_a_backup(tmp_path, _isolated_user_data):
    from alembic import command

    from trustfund_app.core.backup import backup_dir
    from trustfund_app.core.migrate import alembic_config

    old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with old.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.commit()
    assert current_revision(old) == "0001"
    old.dispose()
    db = Database.open(str(tmp_path / "old.sqlite3"))
    assert current_revision(db) == HEAD_REVISION
    con = sqlite3.connect(tmp_path / "old.sqlite3")
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_contribution_usd" in indexes
    assert any("before-upgrade-0001" in p.name for p in backup_dir().iterdir())


def test_0013_upgrade_keeps_earlier_grant_file_records_as_headquarters_own(db_url, _isolated_user_data):
    """SQLite and PostgreSQL: a database at 0012 with a document and a visit opens at head, both
    records kept as headquarters' (no office), and a field office's visit can now be recorded."""
    import uuid
    from datetime import datetime, timezone

    from alembic import command
    from sqlalchemy import text

    from trustfund_app.core.migrate import alembic_config

    old = Database(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with old.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0012")
        now = datetime.now(timezone.utc)
        conn.execute(text("INSERT INTO document_content (sha256, size, content) VALUES (:s, 3, :c)"),
                     {"s": "a" * 64, "c": b"abc"})
        doc_id = uuid.uuid4()
        conn.execute(text("INSERT INTO document (id, created_at, updated_at, owner_kind, owner_id, file_name, "
                          "media_type, size, sha256, attached_by) VALUES (:i, :n, :n, 'donor', :o, 'a.txt', "
                          "'text/plain', 3, :s, 'admin')"),
                     {"i": doc_id.hex if old.is_sqlite else doc_id,
                      "n": now.strftime("%Y-%m-%d %H:%M:%S.%f") if old.is_sqlite else now,
                      "o": uuid.uuid4().hex if old.is_sqlite else uuid.uuid4(), "s": "a" * 64})
        conn.commit()
    assert current_revision(old) == "0012"
    old.dispose()
    db = Database.open(db_url)
    try:
        assert current_revision(db) == HEAD_REVISION
        with db.reading() as s:
            rows = s.execute(text("SELECT file_name, office FROM document")).all()
            assert [tuple(r) for r in rows] == [("a.txt", None)]
            for table in ("monitoring_visit", "follow_up_action"):
                assert s.execute(text(f"SELECT count(office) FROM {table}")).scalar() == 0
    finally:
        db.dispose()
