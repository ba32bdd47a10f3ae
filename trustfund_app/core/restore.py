"""Restoring a SQLite fund database from a backup copy.

Nothing is replaced until the backup's own checksum matches (``backup_seal``) and a private copy
of it has passed SQLite's ``integrity_check``, a schema version this program knows (an older one
is upgraded, on the copy), an intact audit chain, and books that match the chain (issue 15). The database being replaced is kept, as a consistent copy beside it,
and the swap itself is one atomic rename.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.i18n import _

SQLITE_MAGIC = b"SQLite format 3\x00"


class RestoreRefused(ValidationError):
    """The backup failed a check; the current database was not touched."""


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept: Path | None  # the replaced database, or None when there was none
    events: int  # audit events in the restored database
    head: str  # audit chain head of the restored database
    upgraded_from: str | None  # the backup's schema version, when it had to be upgraded
    sealed: bool = True  # False: an older backup without a checksum of its own


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from trustfund_app.core.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _refuse(source: Path, reason: str) -> RestoreRefused:
    return RestoreRefused(_("{file}: not restored: {reason}").format(file=source.name, reason=reason), "file")


def _check_readable_sqlite(source: Path) -> None:
    if not source.exists():
        raise _refuse(source, _("the file does not exist"))
    if not source.is_file():
        raise _refuse(source, _("this is not a file"))
    try:
        with open(source, "rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _refuse(source, _("the file cannot be read ({reason})").format(reason=exc.strerror)) from None
    if header != SQLITE_MAGIC:
        raise _refuse(source, _("this is not a TrustFund Desk database or backup"))


def _copy_for_checking(source: Path, work: Path) -> None:
    from trustfund_app.core.backup import backup_sqlite

    # a check killed half way leaves its copy with a hot journal (the seal's removal is a write):
    # SQLite would roll that journal back onto the next copy and damage it
    for name in (work.name, *(work.name + suffix for suffix in ("-journal", "-wal", "-shm"))):
        work.with_name(name).unlink(missing_ok=True)
    try:
        backup_sqlite(source, work, seal=False)
    except sqlite3.DatabaseError as exc:
        raise _refuse(source, _("the file is damaged ({reason})").format(reason=str(exc))) from None


def _check_integrity(source: Path, work: Path) -> None:
    conn = sqlite3.connect(work)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _refuse(source, _("the file is damaged ({reason})").format(reason=str(exc))) from None
    finally:
        conn.close()
    if rows != ["ok"]:
        raise _refuse(source, _("the file is damaged ({reason})").format(reason="; ".join(rows[:3])))
    if fk:
        raise _refuse(source, _("the file is damaged ({reason})").format(reason=_("broken references between records")))


def _schema_revision(source: Path, work: Path) -> str:
    conn = sqlite3.connect(work)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        revision = None
    finally:
        conn.close()
    if not revision:
        raise _refuse(source, _("this is not a TrustFund Desk database or backup"))
    if revision[0] not in known_revisions():
        raise _refuse(source, _("it was made by another version of TrustFund Desk (schema {found}, this version "
                                "knows up to {head})").format(found=revision[0], head=_head()))
    return revision[0]


def _head() -> str:
    from trustfund_app.core.migrate import HEAD_REVISION

    return HEAD_REVISION


def _check_chain(source: Path, work: Path):
    from trustfund_app.core import audit_verify
    from trustfund_app.core.db import Database

    copy = Database(f"sqlite:///{work}")
    try:
        with copy.reading() as s:
            result = audit_verify.verify(s)
    finally:
        copy.dispose()
    if result.ok:
        return result
    if result.mismatch is not None:
        from trustfund_app.core.books import describe

        raise _refuse(source, describe(result.mismatch))
    raise _refuse(source, _("its audit trail is broken at event {seq}").format(seq=result.first_bad_event))


def _check_seal(source: Path) -> bool:
    """True when the backup carries a matching checksum, False for an older backup without one."""
    from trustfund_app.core.backup_seal import Seal, check_seal

    try:
        seal = check_seal(source)
    except OSError as exc:
        raise _refuse(source, _("the file cannot be read ({reason})").format(reason=exc.strerror)) from None
    if seal is Seal.BROKEN:
        raise _refuse(source, _("the backup is damaged or was changed: its checksum does not match"))
    return seal is Seal.INTACT


def check_backup(source: Path, work: Path) -> tuple[str, object, bool]:
    """Check ``source``'s checksum, copy it to ``work`` and check the copy; returns (schema
    revision, chain result, sealed). Raises RestoreRefused naming the first failed check."""
    from trustfund_app.core.backup_seal import remove_seal

    source = Path(source)
    _check_readable_sqlite(source)
    sealed = _check_seal(source)
    _copy_for_checking(source, work)
    conn = sqlite3.connect(work)
    try:
        remove_seal(conn)
    except sqlite3.DatabaseError as exc:
        raise _refuse(source, _("the file is damaged ({reason})").format(reason=str(exc))) from None
    finally:
        conn.close()
    _check_integrity(source, work)
    revision = _schema_revision(source, work)
    if revision != _head():
        # the books are compared with the trail through today's tables: upgrade the copy first
        _upgrade_copy(work)
    chain = _check_chain(source, work)
    return revision, chain, sealed


def _kept_name(target: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = target.with_name(f"{target.stem}-replaced-{stamp}{target.suffix or '.sqlite3'}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}-replaced-{stamp}-{n}{target.suffix or '.sqlite3'}")
    return candidate


def _quiesce(target: Path) -> None:
    """Fold the WAL into the main file and leave WAL mode, so no -wal file of the old database can
    be replayed onto the restored one."""
    conn = sqlite3.connect(target, timeout=10, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def restore_sqlite(source: Path, target: Path, wait: float = 5.0) -> RestoreResult:
    """Replace the database file ``target`` by the backup ``source`` once the backup is proven
    sound. Refuses while another instance has ``target`` open for writing."""
    from trustfund_app.core.backup import backup_sqlite
    from trustfund_app.core.instance_lock import WriterLock, read_only_banner

    source, target = Path(source).resolve(), Path(target).resolve()
    if source == target:
        raise _refuse(source, _("it is the database itself"))
    if not target.parent.is_dir():
        raise ValidationError(_("the folder {folder} does not exist").format(folder=target.parent), "db")
    lock = WriterLock(target)
    if not lock.acquire(wait):
        raise TrustFundError(read_only_banner(target, lock.holder()))
    work = target.with_name(target.name + ".restore-check")
    try:
        revision, chain, sealed = check_backup(source, work)
        carried = _anchors_in_backup(source, work, target)
        upgraded_from = revision if revision != _head() else None  # check_backup upgraded the copy
        _quiesce(work)
        kept = None
        if target.exists():
            kept = backup_sqlite(target, _kept_name(target))
            _quiesce(target)
        work.replace(target)  # atomic: the old database or the restored one, nothing between
        for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)
        _move_anchors(target, kept, carried)
        return RestoreResult(target, kept, chain.events, chain.head, upgraded_from, sealed)
    finally:
        work.unlink(missing_ok=True)
        work.with_name(work.name + ".part").unlink(missing_ok=True)
        lock.release()


def _anchors_in_backup(source: Path, work: Path, target: Path) -> list:
    """The target's anchors that the backup's chain holds. A head missing from the backup is
    fine when the backup was taken before it (every event of the backup is older than the event
    that head names in the live trail); otherwise the backup's trail was rewritten."""
    from trustfund_app.core import anchors

    recorded = anchors.read(anchors.anchors_path(f"sqlite:///{target}"))
    if not recorded:
        return []
    heads = sorted({a.head for a in recorded})
    known = set(_select_hashes(work, heads))
    missing = [a for a in recorded if a.head not in known]
    if missing and target.exists():
        backup_conn = sqlite3.connect(work)
        try:
            last = backup_conn.execute("SELECT max(at) FROM audit_event").fetchone()[0]
        finally:
            backup_conn.close()
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            for anchor in missing:
                row = conn.execute("SELECT at FROM audit_event WHERE hash = ?", (anchor.head,)).fetchone()
                if row and last and last >= row[0]:  # stored UTC text: compares in time order
                    raise _refuse(source, _("its audit trail lacks the chain head {head} printed on {at}: the "
                                            "trail was rewritten").format(head=anchor.head, at=anchor.at))
        except sqlite3.DatabaseError:
            pass  # the live database cannot say; the backup passed its own checks
        finally:
            conn.close()
    return [a for a in recorded if a.head in known]


def _select_hashes(path: Path, heads: list[str]) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        found = []
        for i in range(0, len(heads), 500):
            chunk = heads[i:i + 500]
            marks = ",".join("?" for _ in chunk)
            found += [h for (h,) in conn.execute(f"SELECT hash FROM audit_event WHERE hash IN ({marks})", chunk)]
        return found
    finally:
        conn.close()


def _move_anchors(target: Path, kept: Path | None, carried: list) -> None:
    """The replaced database keeps its anchors beside its kept copy; the restored one starts with
    the anchors its chain holds."""
    from trustfund_app.core import anchors

    path = anchors.anchors_path(f"sqlite:///{target}")
    if not path.exists():
        return
    if kept is not None:
        path.replace(anchors.anchors_path(f"sqlite:///{kept}"))
    else:
        path.unlink()
    if carried:  # as they were recorded, times included
        path.write_text("".join(f"{a.at}\t{a.head}\t{a.what}\n" for a in carried), encoding="utf-8")


def _upgrade_copy(work: Path) -> None:
    """Bring the checked copy to this program's schema (no automatic backup: it is a copy)."""
    from alembic import command

    from trustfund_app.core.db import Database
    from trustfund_app.core.migrate import alembic_config

    copy = Database(f"sqlite:///{work}")
    try:
        with copy.engine.connect() as conn:
            command.upgrade(alembic_config(conn), "head")
            conn.commit()
    finally:
        copy.dispose()


def restore(db_or_target, source: Path, wait: float = 5.0) -> RestoreResult:
    """Restore into the database ``db_or_target`` (an open ``Database``, which is closed first, or
    a path). PostgreSQL databases are restored with the server's own tools."""
    from trustfund_app.core.db import Database, database_url

    if isinstance(db_or_target, Database):
        if not db_or_target.is_sqlite:
            raise ValidationError(_("restore works on SQLite database files; restore a PostgreSQL database "
                                    "with pg_restore"), "db")
        target = db_or_target.sqlite_path
        db_or_target.dispose()
    else:
        url = database_url(db_or_target)
        if not url.startswith("sqlite:///"):
            raise ValidationError(_("restore works on SQLite database files; restore a PostgreSQL database "
                                    "with pg_restore"), "db")
        target = Path(url[len("sqlite:///"):])
    return restore_sqlite(Path(source), target, wait)
