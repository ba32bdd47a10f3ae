"""The anchors file: chain heads kept outside the database.

The audit chain has no secret, so whoever holds the database file can drop the append-only
triggers, rewrite events and recompute every hash. What they cannot rewrite is a head that left the
database: every issued statement and report prints the chain head of its moment, and the same head
is appended here, to a plain text file beside the database (``fund.sqlite3.anchors``; for a
server database, in the user data folder). ``audit verify`` checks by default that every head in
it is still in the chain. Lines are only ever appended, one per new head:

    2026-12-04T17:40:00Z<TAB><64 hex digits><TAB>what printed it
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from trustfund_app.core import paths

SUFFIX = ".anchors"
_HEAD = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Anchor:
    line: int
    at: str
    head: str
    what: str


def anchors_path(url: str) -> Path:
    """Where the anchors of the database at ``url`` (an SQLAlchemy URL) are kept."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        db_file = Path(parsed.database)
        return db_file.with_name(db_file.name + SUFFIX)
    shown = parsed.render_as_string(hide_password=True)
    name = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:16]
    folder = paths.user_data_dir() / "anchors"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{parsed.get_backend_name()}-{parsed.database or 'db'}-{name}{SUFFIX}"


def read(path: Path) -> list[Anchor]:
    """The anchors recorded in ``path`` (none when there is no file yet). A line that is not an
    anchor is kept as one that can never match, so a damaged file is noticed, not skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t", 2)
        at = parts[0] if parts else ""
        head = parts[1].strip().lower() if len(parts) > 1 else ""
        what = parts[2] if len(parts) > 2 else ""
        found.append(Anchor(number, at, head if _HEAD.match(head) else f"unreadable line {number}: {line[:80]}", what))
    return found


def _last_head(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 512))
            tail = fh.read().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(tail):
        parts = line.split("\t")
        if len(parts) > 1:
            return parts[1].strip()
    return None


def record(url: str, head: str, what: str = "") -> bool:
    """Append ``head`` unless it is already the last one; True when a line was written. Never
    fails the document it comes from: an anchors file that cannot be written (read-only medium)
    only loses this extra safeguard."""
    path = anchors_path(url)
    if _last_head(path) == head:
        return False
    at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    what = " ".join(what.split())[:200]
    line = f"{at}\t{head}\t{what}\n".encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        os.write(fd, line)  # one write of one short line with O_APPEND: never interleaved
        os.fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def record_for_session(session, head: str, what: str = "") -> None:
    url = session.get_bind().url.render_as_string(hide_password=False)
    record(url, head, what)
