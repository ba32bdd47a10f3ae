import sqlite3

from PySide6.QtWidgets import QFileDialog


def test_file_menu_backup_writes_a_consistent_copy(qtbot, main_window, tmp_path, monkeypatch):
    dest = tmp_path / "copy.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    assert main_window.backup_action.isEnabled()
    main_window.backup_action.trigger()
    qtbot.waitUntil(dest.exists, timeout=10000)
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT name FROM app_user").fetchall() == [("admin",)]
    qtbot.waitUntil(lambda: "Backup written" in main_window.statusBar().currentMessage(), timeout=5000)


def test_closing_the_window_backs_up_in_the_background_then_closes(qtbot, main_window, db):
    from trustfund_app.core.backup import automatic_backups

    stem = db.sqlite_path.stem
    assert automatic_backups(stem) == []
    main_window.close()
    assert main_window.isVisible() and not main_window.isEnabled()  # still painted while it copies
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=30000)
    (backup,) = automatic_backups(stem)
    con = sqlite3.connect(backup)
    assert con.execute("SELECT name FROM app_user").fetchall() == [("admin",)]
