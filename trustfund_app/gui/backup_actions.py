"""File ▸ Back up / Restore: the same checked core operations as ``trustfund backup``/``restore``,
run in background jobs (a PostgreSQL fund: ``pg_backup_actions``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from trustfund_app.core.i18n import _, ngettext
from trustfund_app.gui.jobs import start_job

FILTER = "SQLite (*.sqlite3 *.db);;*"


def backup_dialog(window) -> None:
    db = window.ctx.db
    if window.ctx.actor is None or not window.ctx.actor.can("backups.restore"):
        QMessageBox.information(window, _("Back up the database"), _(
            "Only an administrator may back up the database: a copy holds every user's password hash."))
        return
    if db.sqlite_path is None:  # PostgreSQL: the engine's own pg_dump
        from trustfund_app.gui import pg_backup_actions

        return pg_backup_actions.backup_dialog(window)
    source = db.sqlite_path
    suggested = str(source.with_name(f"{source.stem}-{date.today().isoformat()}.sqlite3"))
    dest, _filter = QFileDialog.getSaveFileName(window, _("Back up the database"), suggested, FILTER)
    if not dest:
        return
    if Path(dest).resolve() == source.resolve():
        window.show_error(ValueError(_("{file}: that is the database itself").format(file=dest)))
        return

    def work(_job):
        from trustfund_app.core.backup import backup_sqlite

        return backup_sqlite(source, Path(dest))

    start_job(work, on_done=lambda path: window.show_message(_("Backup written to {file}.").format(file=path)),
              on_error=window.show_error)


def restore_dialog(window) -> None:
    ctx = window.ctx
    if ctx.actor is None or ctx.actor.role != "administrator":
        QMessageBox.information(window, _("Restore from a backup"), _("Only an administrator may restore a backup."))
        return
    if ctx.db.sqlite_path is None:  # PostgreSQL: pg_restore into a scratch database, checked, then renamed
        from trustfund_app.gui import pg_backup_actions

        return pg_backup_actions.restore_dialog(window)
    source, _filter = QFileDialog.getOpenFileName(window, _("Restore from a backup"), "", FILTER)
    if not source:
        return
    answer = QMessageBox.question(window, _("Restore from a backup"), _(
        "Replace the open database by {file}? The backup is checked first; the current database is kept "
        "beside it. The window closes afterwards; start TrustFund Desk again.").format(file=source))
    if answer != QMessageBox.StandardButton.Yes:
        return
    db = ctx.db
    # our own writer lock must be released for the restore to take it
    lock = getattr(db, "_writer_lock", None)

    def work(_job):
        from trustfund_app.core.restore import restore

        if lock is not None:
            lock.release()
        return restore(db, Path(source))

    def done(result):
        QMessageBox.information(window, _("Restore from a backup"), ngettext(
            "Restored {events} audited change. The replaced database was kept as {kept}.",
            "Restored {events} audited changes. The replaced database was kept as {kept}.", result.events).format(
                events=result.events, kept=result.kept or "—"))
        ctx.actor = None  # nothing more is written through the old connection
        window.close()

    def failed(exc):
        if lock is not None:
            lock.acquire()
        window.show_error(exc)
        QMessageBox.warning(window, _("Restore from a backup"), str(exc))

    start_job(work, on_done=done, on_error=failed)
