"""Consistent copies of a SQLite fund database through SQLite's online backup API (never a file
copy of a live WAL database), rotated in the user data folder.

Automatic copies are taken before every schema upgrade (``migrate``) and when the GUI closes
(``backup_on_close``); the setting ``backups_keep`` says how many of them to keep per database.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from trustfund_app.core import paths

DEFAULT_KEEP = 10
_STAMP = re.compile(r"^\d{8}T\d{12}Z-")


def backup_sqlite(source: Path, dest: Path, immutable: bool = False, seal: bool = True) -> Path:
    """Copy ``source`` to ``dest`` page by page inside one read transaction (writers may go on).
    The copy is written beside ``dest`` and renamed into place, so a crash or a full disk leaves
    either no copy or a whole one, never half of one. ``immutable``: the source lies on a
    read-only medium (no -wal/-shm files can be made beside it). ``seal``: the copy carries its
    own checksum (``backup_seal``), which ``restore`` verifies before anything else."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    mode = "immutable=1" if immutable else "mode=ro"
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?{mode}", uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
            out.commit()
            if seal:
                from trustfund_app.core.backup_seal import prepare_seal

                prepare_seal(out)
        finally:
            out.close()
        if seal:
            from trustfund_app.core.backup_seal import write_seal

            write_seal(tmp)
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return dest


def backup_dir() -> Path:
    path = paths.user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_setting(db) -> int:
    """How many automatic backups to keep (setting ``backups_keep``), read without an ORM session
    so it also works on a database about to be upgraded."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    try:
        with db.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM setting WHERE key = 'backups_keep'")).scalar()
    except DatabaseError:
        value = None
    try:
        return max(1, int(value)) if value is not None else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def automatic_backup(db, reason: str, keep: int | None = None) -> Path | None:
    """A rotated copy of a SQLite database in the backup folder; None for other databases (and a
    database file not created yet)."""
    source = db.sqlite_path
    if source is None or not source.exists():
        return None
    if keep is None:
        keep = keep_setting(db)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    reason = re.sub(r"[^A-Za-z0-9_.-]+", "-", reason)
    dest = backup_dir() / f"{source.stem}-{stamp}-{reason}.sqlite3"
    backup_sqlite(source, dest)
    rotate(source.stem, keep)
    return dest


def backup_on_close(db) -> Path | None:
    """The GUI calls this when its main window closes: a copy of what it wrote, unless it only
    read (a read-only instance) or the database is not a SQLite file."""
    if getattr(db, "read_only", False):
        return None
    return automatic_backup(db, reason="on-close")


def automatic_backups(stem: str) -> list[Path]:
    """This database's automatic backups, oldest first."""
    prefix = stem + "-"
    found = [p for p in backup_dir().glob(f"{stem}-*.sqlite3")
             if p.name.startswith(prefix) and _STAMP.match(p.name[len(prefix):])]
    return sorted(found, key=lambda p: p.name[len(prefix):])


def rotate(stem: str, keep: int) -> None:
    files = automatic_backups(stem)
    for old in files[:-keep] if keep > 0 else files:
        old.unlink(missing_ok=True)
