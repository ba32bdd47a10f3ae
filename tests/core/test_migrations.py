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
