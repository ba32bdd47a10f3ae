"""Issue 21: File ▸ Back up / Restore on a PostgreSQL fund, through the same core functions as the
command line (pg_dump / pg_restore, checksum file, checked scratch copy), in background jobs with
their steps shown; clear lines when the client tools are missing or the server is gone."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.core.test_pg_backup import _donors

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL"), reason="needs TRUSTFUND_TEST_PG_URL")


def test_backup_then_restore_from_the_file_menu_on_postgresql(qtbot, main_window, db, admin, tmp_path, monkeypatch):
    from trustfund_app.core.pg_backup import _admin_execute, checksum
    from trustfund_app.core.services.donors import DonorService

    assert db.url.startswith("postgresql")
    DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    dest = tmp_path / "fund.dump"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    assert main_window.backup_action.isEnabled() and main_window.restore_action.isEnabled()
    main_window.backup_action.trigger()
    qtbot.waitUntil(lambda: "Backup written" in main_window.statusBar().currentMessage(), timeout=30000)
    assert (tmp_path / "fund.dump.sha256").read_text().split()[0] == checksum(dest)
    assert not main_window.backup_progress.isVisible()

    DonorService(db, admin).create("Sweden", "member_state", "SE", "en")  # after the backup: gone once restored
    from trustfund_app.gui import pg_backup_actions

    steps, told, show = [], [], pg_backup_actions._show_step
    monkeypatch.setattr(pg_backup_actions, "_show_step", lambda d, *step: steps.append(step) or show(d, *step))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(dest), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: told.append(text))
    main_window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    assert "Restored" in told[0] and "kept on the server as" in told[0]
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=30000)
    assert main_window.ctx.actor is None
    assert [(done, total) for done, total, _what in steps] == [(1, 3), (2, 3), (3, 3)]
    assert "scratch database" in steps[1][2]
    assert _donors(db.url) == ["Norway"]
    kept = told[0].rsplit(" as ", 1)[1].rstrip(".")
    assert _donors(db.url.rsplit("/", 1)[0] + "/" + kept) == ["Norway", "Sweden"]
    db.engine.dispose()  # its connections were ended by the restore
    _admin_execute(db.url, f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)')


def test_missing_pg_dump_is_said_before_a_file_is_chosen(qtbot, main_window, monkeypatch):
    from trustfund_app.core import pg_backup

    monkeypatch.setattr(pg_backup.glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(pg_backup.shutil, "which", lambda _name: None)
    asked, warned = [], []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(1) or ("", ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text: warned.append(text))
    main_window.backup_action.trigger()
    assert asked == [] and len(warned) == 1
    assert "pg_dump is not installed" in warned[0] and "postgresql-client" in warned[0]
    assert "pg_dump is not installed" in main_window.statusBar().currentMessage()


def test_a_server_gone_during_a_backup_is_said_as_the_lost_connection(qtbot, main_window, tmp_path, monkeypatch):
    from trustfund_app.core.db import Database

    gone = Database("postgresql+psycopg://trustfund:x@127.0.0.1:1/fund")  # nothing listens there
    real = main_window.ctx.db
    monkeypatch.setattr(main_window.ctx, "db", gone)
    dest = tmp_path / "fund.dump"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    main_window.backup_action.trigger()
    banner = main_window.connection_watch.banner
    qtbot.waitUntil(lambda: "cannot reach the database server" in main_window.statusBar().currentMessage(),
                    timeout=30000)
    assert banner.isVisible() and not dest.exists()
    monkeypatch.setattr(main_window.ctx, "db", real)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=30000)  # the watch pings the real server again
    gone.dispose()
