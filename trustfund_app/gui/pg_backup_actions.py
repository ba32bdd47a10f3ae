"""File ▸ Back up / Restore on a PostgreSQL fund: the same checked core operations as ``trustfund
backup``/``restore`` (``core/pg_backup.py``: ``pg_dump``/``pg_restore``, a checksum file beside the
backup, the copy checked in a scratch database before it replaces the fund), run as background
jobs with their steps shown. Missing client tools are said before a file is chosen; a server that
went away is said as the lost connection (banner and one line), never as a tool's error output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from trustfund_app.core.i18n import _, ngettext
from trustfund_app.gui.jobs import start_job

FILTER = "PostgreSQL (*.dump);;*"


def _tools_missing(window, title: str, name: str) -> bool:
    from trustfund_app.core.errors import TrustFundError
    from trustfund_app.core.pg_backup import tool

    try:
        tool(name)
    except TrustFundError as exc:
        window.show_error(exc)
        QMessageBox.warning(window, title, str(exc))
        return True
    return False


def _progress_dialog(window, title: str) -> QProgressDialog:
    dialog = QProgressDialog(window)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setCancelButton(None)  # pg_dump and the checks run to their end; nothing is half-replaced
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)
    dialog.setRange(0, 0)
    window.backup_progress = dialog
    dialog.show()
    return dialog


def _show_step(dialog: QProgressDialog, done: int, total: int, what: str) -> None:
    dialog.setRange(0, total)
    dialog.setValue(done - 1)
    dialog.setLabelText(what)


def _checked_run(db, step):
    """Run ``step`` after a round trip to the server; a tool failing because the server went
    away is reported as the lost connection."""
    from trustfund_app.core.connection import ConnectionLost, connection_lost_message, ping
    from trustfund_app.core.errors import TrustFundError

    ping(db)  # gone already: the job framework turns this into the banner and one line
    try:
        return step()
    except TrustFundError:
        try:
            ping(db)
        except Exception:  # noqa: BLE001 — the server went away during the step
            raise ConnectionLost(connection_lost_message()) from None
        raise


def backup_dialog(window) -> None:
    db = window.ctx.db
    title = _("Back up the database")
    if _tools_missing(window, title, "pg_dump"):
        return
    from sqlalchemy.engine import make_url

    suggested = f"{make_url(db.url).database}-{date.today().isoformat()}.dump"
    dest, _filter = QFileDialog.getSaveFileName(window, title, suggested, FILTER)
    if not dest:
        return
    dialog = _progress_dialog(window, title)

    def work(job):
        from trustfund_app.core.pg_backup import backup_postgres

        return _checked_run(db, lambda: backup_postgres(db.url, Path(dest), progress=job.progress))

    start_job(work, on_progress=lambda d, t, what: _show_step(dialog, d, t, what), on_finished=dialog.close,
              on_done=lambda path: window.show_message(_("Backup written to {file}.").format(file=path)),
              on_error=window.show_error)


def restore_dialog(window) -> None:
    ctx = window.ctx
    title = _("Restore from a backup")
    if _tools_missing(window, title, "pg_restore"):
        return
    source, _filter = QFileDialog.getOpenFileName(window, title, "", FILTER)
    if not source:
        return
    answer = QMessageBox.question(window, title, _(
        "Replace the fund on the server by {file}? The backup is checked first in a scratch database; the "
        "current database is kept on the server under another name. The window closes afterwards; start "
        "TrustFund Desk again.").format(file=source))
    if answer != QMessageBox.StandardButton.Yes:
        return
    db = ctx.db
    dialog = _progress_dialog(window, title)

    def work(job):
        from trustfund_app.core.pg_backup import restore_postgres

        return _checked_run(db, lambda: restore_postgres(db.url, Path(source), progress=job.progress))

    def done(result):
        ctx.actor = None  # the fund was replaced: nothing more is written through this window
        QMessageBox.information(window, title, ngettext(
            "Restored {events} audited change. The replaced database was kept on the server as {kept}.",
            "Restored {events} audited changes. The replaced database was kept on the server as {kept}.",
            result.events).format(events=result.events, kept=result.kept))
        window.close()

    def failed(exc):
        window.show_error(exc)
        QMessageBox.warning(window, title, str(exc))

    start_job(work, on_progress=lambda d, t, what: _show_step(dialog, d, t, what), on_finished=dialog.close,
              on_done=done, on_error=failed)
