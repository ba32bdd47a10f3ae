"""Producing a letter from wherever the user stands: ask where to save it (PDF or Word, named
after what it is about), write it in a background job in the recipient's language, then open it
with the system's viewer. The database work and the layout never run on the GUI thread."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from trustfund_app.core.i18n import _
from trustfund_app.gui.jobs import start_job

KIND_NAMES = {  # the suggested file name's first word, in the user's language
    "acknowledgement": lambda: _("acknowledgement"), "receipt": lambda: _("receipt"),
    "award": lambda: _("award-letter"), "reminder": lambda: _("reminder"),
}


def suggested_name(kind: str, about: str) -> str:
    stem = re.sub(r"[^\w\-]+", "-", f"{KIND_NAMES[kind]()}-{about}", flags=re.UNICODE).strip("-")
    return f"{stem[:80]}.pdf"


def ask_path(parent, kind: str, about: str) -> str | None:
    """The file to write (tests replace this)."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save the letter"), suggested_name(kind, about),
                                                _("PDF (*.pdf);;Word document (*.docx)"))
    if path and not Path(path).suffix:
        path += ".docx" if "docx" in _filter else ".pdf"
    return path or None


def open_file(path: str) -> None:
    """Show the letter in the system's viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def produce_letter(parent, ctx, kind: str, key: str, about: str, on_done=None):
    """Write letter ``kind`` about ``key`` (an id) and open it. Returns the job's control, or None
    when the user chose no file."""
    from trustfund_app.core.letters import write_letter

    path = ask_path(parent, kind, about)
    if not path:
        return None
    db = ctx.db
    window = parent.window()

    def done(written) -> None:
        open_file(written)
        if hasattr(window, "show_message"):
            window.show_message(_("Letter written to {path}").format(path=written))
        if on_done:
            on_done(written)

    def failed(exc) -> None:
        if hasattr(window, "show_error"):
            window.show_error(exc)

    return start_job(lambda _job: str(write_letter(db, kind, key, path)), on_done=done, on_error=failed)
