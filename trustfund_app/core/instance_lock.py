"""One writer per SQLite file.

The first TrustFund Desk instance on a database file takes an operating-system lock on a small
file beside it (``fund.sqlite3.writer-lock``); a second instance finds the lock taken and opens the
database read-only, with a banner naming who holds it, instead of failing halfway through some
edit with "database is locked". The OS drops the lock when the holder exits or is killed, so a
crash never leaves a stale lock behind.

SQLite's own locking is unreliable over network file systems (NFS, SMB/CIFS, ...), which can
corrupt a database; ``network_filesystem`` spots such a location so the user can be warned.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from trustfund_app.core.i18n import _

if os.name == "nt":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# File systems on which SQLite's locks cannot be trusted.
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs",
    "sshfs", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "lustre",
    "gpfs", "fuse.rclone", "fuse.s3fs", "webdav",
})


def lock_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".writer-lock")


@dataclass
class Holder:
    """Who holds the writer lock, as the holder wrote it into the lock file."""

    pid: int | None = None
    host: str = ""
    user: str = ""
    since: str = ""
    kind: str = ""  # "window" (stays open) or "command" (finishes soon)

    def describe(self) -> str:
        if not self.pid:
            return _("another TrustFund Desk window or command")
        return _("TrustFund Desk (process {pid}, user {user} on {host}, since {since})").format(
            pid=self.pid, user=self.user or "?", host=self.host or "?", since=self.since or "?")


class WriterLock:
    """The writer lock of one database file. ``acquire`` never blocks longer than ``wait``."""

    def __init__(self, db_path: Path, kind: str = "window"):
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self.kind = kind
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock; False when another process (or another Database in this one) has it.
        Waits only while the holder is a command (it finishes soon), never for a window.
        Raises OSError when the lock file cannot be created (read-only folder)."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline or self.holder().kind == "window":
                os.close(fd)
                return False
            time.sleep(0.05)
        self._fd = fd
        self._write_holder()
        return True

    def _write_holder(self) -> None:
        try:
            user = getpass.getuser()
        except Exception:  # no user name in some containers
            user = ""
        info = {"pid": os.getpid(), "host": socket.gethostname(), "user": user, "kind": self.kind,
                "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
        data = json.dumps(info).encode("utf-8")
        try:
            # byte 0 is the lock byte on Windows; the description follows a newline
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, b"\n" + data)
        except OSError:
            pass  # the description is a courtesy; the lock itself is what matters

    def holder(self) -> Holder:
        try:
            raw = self.path.read_text(encoding="utf-8").strip()
            data = json.loads(raw) if raw else {}
            return Holder(int(data.get("pid") or 0) or None, str(data.get("host", "")),
                          str(data.get("user", "")), str(data.get("since", "")), str(data.get("kind", "")))
        except (OSError, ValueError, AttributeError):
            return Holder()

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __del__(self):  # a forgotten lock must not outlive its Database object
        try:
            self.release()
        except Exception:
            pass


def read_only_banner(db_path: Path, holder: Holder | None) -> str:
    if holder is None:
        return _("{path} is opened read-only: its folder cannot be written to.").format(path=db_path)
    return _("{path} is already open for changes in {holder}. This window is read-only; "
             "close the other one to make changes here.").format(path=db_path, holder=holder.describe())


def busy_for_command(db_path: Path, holder: Holder) -> str:
    """What a command says when it cannot write: naming a window or a command as what it is."""
    if holder.kind == "command":
        return _("{path} is being changed by a command of {holder}; try again when it has finished.").format(
            path=db_path, holder=holder.describe())
    if holder.kind == "window":
        return _("{path} is open for changes in a window of {holder}; close that window, or make the change "
                 "there.").format(path=db_path, holder=holder.describe())
    return _("{path} is open for changes in {holder}; try again when it is closed.").format(
        path=db_path, holder=holder.describe())


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes spaces, tabs, newlines and backslashes as octal
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
            .replace("\\134", "\\"))


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The type of the file system holding ``path`` (longest matching mount point), from
    /proc/mounts; None where that is not available (Windows, macOS)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(Path(path).resolve(strict=False))
    best, best_type = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fstype = _unescape_mount(parts[1]), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fstype
    return best_type


def _windows_network_path(path: Path) -> bool:  # pragma: no cover - Windows only
    text = str(path)
    if text.startswith("\\\\"):
        return True
    try:
        import ctypes

        drive = os.path.splitdrive(str(Path(path).resolve()))[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
    except Exception:
        return False


def network_filesystem(path: Path, mounts_text: str | None = None) -> str | None:
    """The network file-system type holding ``path``, or None when it is local (or unknown)."""
    if os.name == "nt":  # pragma: no cover
        return "network drive" if _windows_network_path(path) else None
    fstype = filesystem_type(path, mounts_text)
    if fstype and (fstype in NETWORK_FS_TYPES or fstype.split(".")[-1] in NETWORK_FS_TYPES):
        return fstype
    return None


def network_warning(path: Path, mounts_text: str | None = None) -> str | None:
    fstype = network_filesystem(path, mounts_text)
    if fstype is None:
        return None
    return _("{path} is on a network file system ({fstype}). SQLite databases can be corrupted "
             "over network shares; keep the file on this computer's own disk, or use a PostgreSQL "
             "server for shared use.").format(path=path, fstype=fstype)
