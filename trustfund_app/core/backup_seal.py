"""A backup's own checksum, carried inside the backup file.

A backup is a SQLite file, so it stays one: the copy gets a one-row table ``backup_seal`` holding
a marker and 32 zero bytes; the SHA-256 of the whole file, taken with those 32 bytes zero, is then
written over them. Any changed byte anywhere in the file — a damaged sector, a flipped bit in a
free page, an amount edited with the ``sqlite3`` tool — no longer matches. The checksum guards
against damage; a deliberate edit with the checksum recomputed is still caught by the restore's
other checks (the audit chain and the books matching it).
"""

from __future__ import annotations

import hashlib
import mmap
import sqlite3
from enum import Enum
from pathlib import Path

SEAL_TABLE = "backup_seal"
# binary, so no text a user types ever contains it
MARKER = b"\x9b\x1f\xd3\x07TFDESK-SEAL\x00\xe2\x5c\x81\x3a"
_DIGEST = 32


class Seal(Enum):
    INTACT = "intact"
    MISSING = "missing"  # a backup made before backups carried a checksum
    BROKEN = "broken"


def prepare_seal(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE TABLE {SEAL_TABLE} (seal BLOB NOT NULL)")
    conn.execute(f"INSERT INTO {SEAL_TABLE} (seal) VALUES (?)", (MARKER + bytes(_DIGEST),))
    conn.commit()


def _digest(view: memoryview, at: int) -> bytes:
    h = hashlib.sha256()
    h.update(view[:at])
    h.update(bytes(_DIGEST))
    h.update(view[at + _DIGEST:])
    return h.digest()


def write_seal(path: Path) -> None:
    with open(path, "r+b") as fh, mmap.mmap(fh.fileno(), 0) as mm:
        at = mm.find(MARKER)
        if at < 0 or mm.find(MARKER, at + 1) >= 0:
            raise RuntimeError("backup seal marker not found exactly once")
        at += len(MARKER)
        view = memoryview(mm)
        try:
            digest = _digest(view, at)
            view[at:at + _DIGEST] = digest
        finally:
            view.release()
        mm.flush()


def check_seal(path: Path) -> Seal:
    """INTACT, MISSING (no seal: an older backup) or BROKEN (a seal that does not match, or a
    file that once had one)."""
    size = Path(path).stat().st_size
    if size == 0:
        return Seal.BROKEN
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        at = mm.find(MARKER)
        if at >= 0:
            if mm.find(MARKER, at + 1) >= 0:
                return Seal.BROKEN
            at += len(MARKER)
            view = memoryview(mm)
            try:
                ok = bytes(view[at:at + _DIGEST]) == _digest(view, at)
            finally:
                view.release()
            return Seal.INTACT if ok else Seal.BROKEN
    return Seal.BROKEN if _mentions_seal(path) else Seal.MISSING


def _mentions_seal(path: Path) -> bool:
    """A file without the marker that still has (a damaged trace of) the seal table lost it."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE sql LIKE '%seal%' OR name LIKE 'backup%'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True  # unreadable: damaged, whatever it was
    return found is not None


def remove_seal(conn: sqlite3.Connection) -> None:
    """The restored database does not keep its backup's seal."""
    conn.execute(f"DROP TABLE IF EXISTS {SEAL_TABLE}")
    conn.commit()
