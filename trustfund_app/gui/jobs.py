"""The one background-job helper. Every database query, import or PDF batch runs here, off the GUI
thread, on a QThreadPool; progress, result and errors come back as signals on the GUI thread.

A job is a plain function ``fn(job: JobControl) -> result``. It opens its own session (pass it the
database url or the Database object and ids, never ORM objects), may call ``job.progress(done,
total, label)`` and should check ``job.cancelled`` between steps.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal


class JobCancelled(Exception):
    """Raised by ``JobControl.check()`` to stop a job cleanly."""


class JobSignals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above


class JobControl:
    """What the job function sees: progress reporting and the cancel flag."""

    def __init__(self, signals: JobSignals):
        self._signals = signals
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled()

    def progress(self, done: int, total: int, label: str = "") -> None:
        self._signals.progress.emit(int(done), int(total), label)


class JobEvents(QObject):
    """What any job may tell the whole window (gui/connection_watch.py listens)."""

    connection_lost = Signal()


job_events = JobEvents()


class Job(QRunnable):
    def __init__(self, fn: Callable[[JobControl], Any], quiet_connection: bool = False):
        super().__init__()
        self.setAutoDelete(True)
        self.signals = JobSignals()
        self.control = JobControl(self.signals)
        self._fn = fn
        self._quiet_connection = quiet_connection  # the watch's own pings: no new alarm

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(self.control)
        except JobCancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 — reported to the GUI, which shows the message
            exc = self._connection_lost(exc)
            exc.traceback_text = traceback.format_exc()
            if self.control.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(exc)
        else:
            if self.control.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.succeeded.emit(result)
        self.signals.finished.emit()


    def _connection_lost(self, exc: Exception) -> Exception:
        """A server that went away becomes one clear line for whoever started the job, and an
        alarm for the window; any other error is passed on as it is."""
        from trustfund_app.core.connection import ConnectionLost, connection_lost_message, is_connection_lost

        if not is_connection_lost(exc):
            return exc
        if not self._quiet_connection:
            job_events.connection_lost.emit()
        if isinstance(exc, ConnectionLost):
            return exc
        lost = ConnectionLost(connection_lost_message())
        lost.__cause__ = exc
        return lost


_running: set[Job] = set()


def pool() -> QThreadPool:
    return QThreadPool.globalInstance()


def start_job(fn: Callable[[JobControl], Any], *, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_finished: Callable[[], None] | None = None, quiet_connection: bool = False) -> JobControl:
    """Run ``fn`` in the pool; callbacks run on the GUI thread. Returns the control to cancel it."""
    job = Job(fn, quiet_connection)
    on_done, on_error, on_progress, on_cancelled, on_finished = (
        _guarded(cb) for cb in (on_done, on_error, on_progress, on_cancelled, on_finished))
    if on_done:
        job.signals.succeeded.connect(on_done)
    if on_error:
        job.signals.failed.connect(on_error)
    if on_progress:
        job.signals.progress.connect(on_progress)
    if on_cancelled:
        job.signals.cancelled.connect(on_cancelled)
    if on_finished:
        job.signals.finished.connect(on_finished)
    # keep the Python wrapper (and its signals object) alive until the job is done
    _running.add(job)
    # released on a later turn of the event loop: never delete a sender inside its own signal
    job.signals.finished.connect(lambda: QTimer.singleShot(0, lambda: _running.discard(job)))
    pool().start(job)
    return job.control


def _guarded(callback):
    """A dialog closed while its job ran must not turn the job's result into an error."""
    if callback is None:
        return None

    def call(*args):
        try:
            callback(*args)
        except RuntimeError as exc:
            if "already deleted" not in str(exc):
                raise

    return call


def wait_for_all(msecs: int = 30000) -> bool:
    """For tests and shutdown: wait until every job has finished."""
    return pool().waitForDone(msecs)
