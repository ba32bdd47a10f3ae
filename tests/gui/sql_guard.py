"""The GUI never runs SQL on the GUI thread: a SQLAlchemy ``before_cursor_execute`` hook notes
every statement that runs on the GUI thread with a frame of ``trustfund_app/gui`` on its stack.

Test code itself may query on the GUI thread (fixtures building a fund, assertions reading the
result back): that is not the app, so only statements that the app's GUI code caused count.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

import trustfund_app.gui

GUI_FOLDER = str(Path(trustfund_app.gui.__file__).resolve().parent)


class SqlOnGuiThread:
    """While installed, ``offenders`` collects "statement ← gui module:line" for each offence."""

    def __init__(self):
        self.offenders: list[str] = []
        # tests create the QApplication on the main thread: that is the GUI thread
        self.gui_thread = threading.main_thread()

    def _check(self, _conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if threading.current_thread() is not self.gui_thread:
            return
        frame = sys._getframe(1)
        while frame is not None:
            path = frame.f_code.co_filename
            if path.startswith(GUI_FOLDER):
                self.offenders.append(f"{' '.join(statement.split())[:70]} ← {Path(path).name}:{frame.f_lineno}")
                return
            frame = frame.f_back

    def __enter__(self) -> "SqlOnGuiThread":
        event.listen(Engine, "before_cursor_execute", self._check)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(Engine, "before_cursor_execute", self._check)
