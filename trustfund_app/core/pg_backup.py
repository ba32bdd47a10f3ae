"""Backup and restore of a fund on PostgreSQL, through the engine's own tools.

``pg_dump -Fc`` takes a consistent snapshot while others go on working (what the SQLite online
backup API does for a file); ``pg_restore`` puts it back. Around them the same promises as for
SQLite: the backup carries its own checksum (a ``FILE.sha256`` beside it, in ``sha256sum`` format,
so anyone can check it with the standard tool — a custom-format archive cannot hold it inside);
a restore first checks that checksum, then restores into a scratch database on the same server and
checks the copy there (readable archive, schema upgraded if older, audit chain intact, books
matching the trail); only then does the checked copy take the fund's name, in one transaction of
two renames (all or nothing), and the database it replaces is kept on the server under a
"-replaced-" name, as the SQLite restore keeps the replaced file beside it.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.i18n import _

CHECKSUM_SUFFIX = ".sha256"
Progress = Callable[[int, int, str], None]


def _step(progress: Progress | None, step: int, steps: int, what: str) -> None:
    if progress is not None:
        progress(step, steps, what)


class PgBackupRefused(ValidationError):
    """The backup file is damaged, altered or not a fund backup; nothing was replaced."""


@dataclass(frozen=True)
class PgRestoreResult:
    kept: str  # the replaced database, still on the server under this name
    events: int
    head: str


def tool(name: str) -> str:
    """pg_dump or pg_restore: the newest installed (a newer client reads older servers)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise TrustFundError(_("{tool} is not installed: install the PostgreSQL client tools (Debian: "
                               "postgresql-client)").format(tool=name))
    return path


def _libpq(url: str) -> tuple[str, dict]:
    """A connection string without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def _run(cmd: list[str], env: dict, what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise TrustFundError(_("{what} failed: {reason}").format(what=what, reason=reason))


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def backup_postgres(url: str, dest: Path, progress: Progress | None = None) -> Path:
    """Dump the fund at ``url`` to ``dest`` (custom format) and write ``dest.sha256``.
    ``progress(step, steps, what)`` is told each step (the GUI shows it)."""
    conninfo, env = _libpq(url)
    partial = dest.with_name(dest.name + ".partial")
    dump = tool("pg_dump")
    try:
        _step(progress, 1, 2, _("Writing the backup with pg_dump…"))
        _run([dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
              f"--dbname={conninfo}"], env, "pg_dump")
        _step(progress, 2, 2, _("Writing the backup's checksum…"))
        digest = checksum(partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    dest.with_name(dest.name + CHECKSUM_SUFFIX).write_text(f"{digest}  {dest.name}\n", encoding="utf-8")
    return dest


def _refuse(source: Path, reason: str) -> PgBackupRefused:
    return PgBackupRefused(_("{file}: not restored: {reason}").format(file=source.name, reason=reason), "file")


def check_checksum(source: Path) -> None:
    sidecar = source.with_name(source.name + CHECKSUM_SUFFIX)
    if not source.is_file():
        raise _refuse(source, _("the file does not exist"))
    if not sidecar.is_file():
        raise _refuse(source, _("its checksum file {file} is missing").format(file=sidecar.name))
    recorded = sidecar.read_text(encoding="utf-8", errors="replace").split()[:1]
    if recorded != [checksum(source)]:
        raise _refuse(source, _("the backup is damaged or was changed: its checksum does not match"))


def _server_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _admin_execute(url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(_server_url(url, "postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def check_in_scratch(url: str, source: Path):
    """Restore ``source`` into a scratch database beside the fund and check it there: the audit
    chain and the books against it (after upgrading an older schema). Returns (scratch database
    name, chain result); the scratch database is dropped when the backup is refused."""
    from trustfund_app.core import audit_verify
    from trustfund_app.core.db import Database

    scratch = f"tf_restore_{uuid.uuid4().hex[:10]}"
    try:
        _admin_execute(url, f'CREATE DATABASE "{scratch}"')
    except Exception as exc:  # noqa: BLE001 — the server refused: say which right is missing
        raise TrustFundError(_("cannot check the backup: the server refused a scratch database ({reason})").format(
            reason=str(getattr(exc, "orig", exc)).strip().splitlines()[0])) from None
    try:
        scratch_url = _server_url(url, scratch)
        conninfo, env = _libpq(scratch_url)
        try:
            _run([tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={conninfo}",
                  str(source)], env, "pg_restore")
        except TrustFundError as exc:
            raise _refuse(source, _("it is not a readable fund backup ({reason})").format(reason=exc)) from None
        db = Database.open(scratch_url)  # an older schema is upgraded here, on the copy
        try:
            with db.reading() as s:
                result = audit_verify.verify(s)
        finally:
            db.dispose()
        if not result.ok:
            if getattr(result, "mismatch", None) is not None:
                from trustfund_app.core.books import describe

                raise _refuse(source, describe(result.mismatch))
            raise _refuse(source, _("its audit trail is broken at event {seq}").format(seq=result.first_bad_event))
        return scratch, result
    except BaseException:
        _drop_scratch(url, scratch)
        raise


def _drop_scratch(url: str, scratch: str) -> None:
    """Drop a scratch database without hiding why it is dropped. A plain DROP first: the server
    itself stops an autovacuum worker that a freshly restored database attracts, where WITH
    (FORCE) would have to terminate it and a role without pg_signal_backend may not (CI saw that
    error replace a backup's refusal). FORCE only for our own sessions left behind."""
    for sql in (f'DROP DATABASE IF EXISTS "{scratch}"', f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'):
        try:
            _admin_execute(url, sql)
            return
        except Exception:  # noqa: BLE001 — the caller's own error is the one to report
            continue


def restore_postgres(url: str, source: Path, progress: Progress | None = None) -> PgRestoreResult:
    """Replace the fund at ``url`` by the checked backup ``source``: the checked copy takes the
    fund's name; the database it replaces is kept under a "-replaced-" name. ``progress(step,
    steps, what)`` is told each step."""
    from sqlalchemy import create_engine, text

    source = Path(source)
    tool("pg_restore")  # missing client tools: said before anything is done
    _step(progress, 1, 3, _("Checking the backup's checksum…"))
    check_checksum(source)
    _step(progress, 2, 3, _("Restoring the backup into a scratch database and checking it…"))
    scratch, chain = check_in_scratch(url, source)
    _step(progress, 3, 3, _("Replacing the database…"))
    target = make_url(url).database
    kept = f"{target}-replaced-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"[:63]
    engine = create_engine(_server_url(url, "postgres"))
    try:
        for attempt in range(50):  # other sessions on the fund are ended first; they reconnect to the new one
            try:
                with engine.begin() as conn:  # both renames or neither
                    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE datname = :d AND pid <> pg_backend_pid() AND backend_type = 'client backend'"), {"d": target})
                    conn.execute(text(f'ALTER DATABASE "{target}" RENAME TO "{kept}"'))
                    conn.execute(text(f'ALTER DATABASE "{scratch}" RENAME TO "{target}"'))
                break
            except Exception as exc:  # noqa: BLE001 — "being accessed by other users": not yet gone
                if "other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
    except BaseException:
        _drop_scratch(url, scratch)
        raise
    finally:
        engine.dispose()
    return PgRestoreResult(kept, chain.events, chain.head)
