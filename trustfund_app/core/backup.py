"""Consistent copies of a SQLite fund database through SQLite's online backup API (never a file
copy of a live WAL database), rotated in the user data folder."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from trustfund_app.core import paths

DEFAULT_KEEP = 10


def backup_sqlite(source: Path, dest: Path) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)  # atomic: a crash leaves either no backup or a whole one
    return dest


def backup_dir() -> Path:
    path = paths.user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def automatic_backup(db, reason: str, keep: int = DEFAULT_KEEP) -> Path | None:
    source = db.sqlite_path
    if source is None or not source.exists():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    dest = backup_dir() / f"{source.stem}-{stamp}-{reason}.sqlite3"
    backup_sqlite(source, dest)
    rotate(source.stem, keep)
    return dest


def rotate(stem: str, keep: int) -> None:
    files = sorted(backup_dir().glob(f"{stem}-*.sqlite3"))
    for old in files[:-keep] if keep > 0 else files:
        old.unlink(missing_ok=True)
