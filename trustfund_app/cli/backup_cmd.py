"""``trustfund backup FILE`` and ``trustfund restore FILE``.

``backup`` writes a consistent copy of a SQLite database (online backup API) while others may go
on working. ``restore`` checks the copy (integrity, schema version, audit chain) before replacing
anything, keeps the replaced database beside it, and is for administrators.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.i18n import _, ngettext


def register(sub) -> None:
    b = sub.add_parser("backup", help=_("write a consistent copy of the database"))
    b.add_argument("file", metavar="FILE")
    b.add_argument("--overwrite", action="store_true", help=_("replace FILE if it exists"))
    b.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help=_("replace the database by a checked backup copy"))
    r.add_argument("file", metavar="FILE")
    r.set_defaults(func=run_restore)


def run_backup(ctx, args) -> int:
    from trustfund_app.core.backup import backup_sqlite

    dest = Path(args.file).expanduser()
    db = ctx.open_db()
    key_copies = []
    try:
        # a copy holds every password hash: only who may restore may make one
        actor = ctx.login(db)
        actor.require("backups.restore")
        source = db.sqlite_path
        if source is not None and dest.resolve() == source.resolve():
            raise ValidationError(_("{file}: that is the database itself").format(file=dest), "file")
        if dest.is_dir():
            raise ValidationError(_("{file}: this is a folder; give a file name").format(file=dest), "file")
        if dest.exists() and not args.overwrite:
            raise ValidationError(_("{file} already exists; choose another name or add --overwrite").format(
                file=dest), "file")
        if not dest.parent.is_dir():
            raise ValidationError(_("the folder {folder} does not exist").format(folder=dest.parent), "file")
        try:
            if source is None:  # PostgreSQL: its own pg_dump, and a checksum file beside it
                from trustfund_app.core.pg_backup import backup_postgres

                backup_postgres(db.url, dest)
            else:
                backup_sqlite(source, dest, immutable=db.read_only_medium)
        except sqlite3.Error as exc:  # the copy, not the database, failed (full or read-only disk)
            from trustfund_app.cli.context import database_failure

            raise TrustFundError(database_failure(exc, dest)) from None
        from trustfund_app.core.offices.identity import OfficeService

        # an office's secret signing key lives outside the database: it goes with the backup
        key_copies = OfficeService(db, actor).backup_keys(dest)
    finally:
        db.dispose()
    print(_("Backup written to {file}.").format(file=dest))
    for copy in key_copies:
        print(_("The office's signing key was copied to {file}; keep it as safe as the backup.").format(file=copy))
    return 0


def run_restore(ctx, args) -> int:
    from trustfund_app.core.db import database_url
    from trustfund_app.core.restore import restore

    source = Path(args.file).expanduser()
    target = database_url(ctx.args.db)
    if not target.startswith("sqlite:///"):
        return _restore_postgres(ctx, target, source)
    target_path = Path(target[len("sqlite:///"):])
    if target_path.exists():
        # only an administrator of the database being replaced may replace it
        db = ctx.open_db(upgrade=False)
        ctx.login(db).require("backups.restore")
        ctx.close()  # the file is about to be replaced
    result = restore(target_path, source)
    print(ngettext("Restored {file} into {db}: {count} audit event, chain head {head}.",
                   "Restored {file} into {db}: {count} audit events, chain head {head}.", result.events).format(
        file=source, db=result.restored, count=result.events, head=result.head))
    if result.kept:
        print(_("The replaced database was kept as {file}.").format(file=result.kept))
    if not result.sealed:
        print(_("{file} carries no checksum of its own (an earlier version made it); its contents were checked "
                "against its audit trail.").format(file=source))
    return 0


def _restore_postgres(ctx, target: str, source: Path) -> int:
    from trustfund_app.core.pg_backup import restore_postgres

    db = ctx.open_db(upgrade=False)
    try:  # only an administrator of the fund being replaced may replace it
        ctx.login(db).require("backups.restore")
    finally:
        db.dispose()
    result = restore_postgres(target, source)
    print(ngettext("Restored {file}: {count} audit event, chain head {head}.",
                   "Restored {file}: {count} audit events, chain head {head}.", result.events).format(
        file=source, count=result.events, head=result.head))
    print(_("The replaced database was kept on the server as {name}.").format(name=result.kept))
    return 0
