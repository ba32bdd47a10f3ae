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
