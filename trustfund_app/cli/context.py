"""What every command shares: opening the database, logging in, and turning errors into exit codes
and one-line messages on standard error in the chosen language."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass

from trustfund_app.cli import EXIT_FAILURE, EXIT_REJECTED
from trustfund_app.core.errors import AuthenticationError, PermissionDenied, TrustFundError, ValidationError


WRITER_LOCK_WAIT = 5.0  # seconds a command waits for another command to finish writing


@dataclass
class CommandContext:
    args: object

    def open_db(self, upgrade: bool = True, create: bool = False):
        """One writer per SQLite file: wait a moment for another command to finish writing; while a
        window holds the file, open it read-only at once (a write then fails with a message naming
        who holds the file). Only ``create`` (init, demo) may make a new database: elsewhere a
        mistyped --db is refused instead of becoming an empty fund."""
        from trustfund_app.core.db import Database

        if not create:
            _refuse_missing_database(self.args.db)
        db = Database.open(self.args.db, upgrade=upgrade and create, single_writer=True, wait=WRITER_LOCK_WAIT,
                           holder="command")
        if not create:
            from trustfund_app.core.migrate import HEAD_REVISION, current_revision, refuse_newer, upgrade_to_head

            try:
                with db.engine.connect() as conn:  # an unreachable server fails here, as itself
                    from sqlalchemy import inspect

                    known = inspect(conn).has_table("alembic_version")
                current = current_revision(db) if known else None
                if current is None:
                    raise ValidationError(_no_database_message(self.args.db), "db")
                if upgrade and not db.read_only:
                    upgrade_to_head(db)
                elif upgrade and current != HEAD_REVISION:
                    from trustfund_app.core.db import ReadOnlyDatabase

                    refuse_newer(db, current)
                    raise ReadOnlyDatabase(db.read_only_reason)
            except BaseException:
                db.dispose()
                raise
        if db.warning:
            error(db.warning)
        return db

    def login(self, db):
        """Log in as --user / TRUSTFUND_USER with TRUSTFUND_PASSWORD or a prompt."""
        from trustfund_app.core.i18n import _
        from trustfund_app.core.services.users import UserService

        name = self.args.user or os.environ.get("TRUSTFUND_USER")
        if not name:
            raise AuthenticationError(_("say who acts with --user or TRUSTFUND_USER"))
        # kept for ``users passwd`` on one's own account, which needs the current password again
        self.login_password = password_from_env("TRUSTFUND_PASSWORD", _("Password for {user}: ").format(user=name))
        return UserService(db).login(name, self.login_password)


def _no_database_message(target) -> str:
    from trustfund_app.core.i18n import _

    return _("there is no fund database at {path}; create one with init or demo").format(
        path=_shown_location(_database_location_of(target)) or repr(target))


def _database_location_of(target):
    from trustfund_app.core.db import database_url

    url = database_url(target)
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url


def _refuse_missing_database(target) -> None:
    """Before anything is created (not even the lock file beside it): a SQLite path must name an
    existing, non-empty file; an empty --db names nothing."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    if target is not None and not str(target).strip():
        from trustfund_app.core.i18n import _

        raise ValidationError(_("--db is empty; give the path of a fund database"), "db")
    location = _database_location_of(target)
    if "://" in location:
        parsed = make_url(location)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            return  # a server database: checked once connected
        location = parsed.database
    path = Path(location)
    if path.is_file() and path.stat().st_size > 0:
        return
    if path.is_dir():
        return  # check_database_file says it is a folder
    if not path.parent.is_dir():
        from trustfund_app.core.i18n import _

        raise ValidationError(_("the folder {folder} does not exist").format(folder=path.parent), "db")
    raise ValidationError(_no_database_message(target), "db")


def password_from_env(var: str, prompt: str) -> str:
    value = os.environ.get(var)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        from trustfund_app.core.i18n import _

        raise AuthenticationError(_("no password: set {var} or run interactively").format(var=var))
    return getpass.getpass(prompt)


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None))


def error(message: str) -> None:
    print(message, file=sys.stderr)


def run_command(args) -> int:
    from trustfund_app.core.i18n import _

    ctx = CommandContext(args)
    try:
        return int(args.func(ctx, args) or 0)
    except (ValidationError, AuthenticationError, PermissionDenied) as exc:
        error(str(exc))
        return EXIT_REJECTED
    except TrustFundError as exc:
        error(str(exc))
        return EXIT_FAILURE
    except OSError as exc:
        where = getattr(exc, "filename", None)
        error(_("cannot use {path}: {reason}").format(path=where, reason=exc.strerror) if where else str(exc))
        return EXIT_FAILURE
    except Exception as exc:  # database failures: full disk, read-only file, damaged file
        message = database_failure(exc, _database_location(args))
        if message is None:
            raise
        error(message)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        error(_("interrupted; nothing half-done was kept"))
        return EXIT_FAILURE


def database_failure(exc: Exception, where) -> str | None:
    """A one-line message for a database error (the transaction was rolled back, so nothing
    half-done is left); None for anything that is not a database error."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from trustfund_app.core.i18n import _

    from trustfund_app.core.connection import connection_lost_message, is_connection_lost

    if is_connection_lost(exc):  # the server rolled the transaction back
        return connection_lost_message(_shown_location(where))
    if not isinstance(exc, (SQLAlchemyError, sqlite3.Error)):
        return None
    raw = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(raw).strip().splitlines()[0] if str(raw).strip() else type(raw).__name__
    low = text.lower()
    where = _shown_location(where) or _("the database")
    if "disk is full" in low or "no space" in low or "file too large" in low or _disk_full(where, low):
        reason = _("the disk is full")
    elif "readonly" in low or "read-only" in low or "read only" in low:
        reason = _("the file or its folder is read-only")
    elif "unable to open" in low:
        reason = _("the file cannot be opened (missing folder or no permission)")
    elif "not a database" in low or "malformed" in low:
        reason = _("the file is not a TrustFund Desk database or is damaged")
    elif "locked" in low:
        reason = _("another program keeps the database busy; try again")
    else:
        reason = text
    return _("cannot use {path}: {reason}; nothing was changed").format(path=where, reason=reason)


def _shown_location(where) -> str | None:
    """A path as given, or a database URL without its password."""
    if not where:
        return None
    where = str(where)
    if "://" in where:
        from sqlalchemy.engine import make_url

        try:
            return make_url(where).render_as_string(hide_password=True)
        except Exception:
            return where.split("@")[-1]
    return where


def _disk_full(where: str, low: str) -> bool:
    """SQLite reports a full disk while making its shared-memory file as a plain I/O error."""
    import shutil
    from pathlib import Path

    if "i/o error" not in low or "://" in where:
        return False
    try:
        return shutil.disk_usage(Path(where).expanduser().resolve().parent).free < 64 * 1024
    except OSError:
        return False


def _database_location(args) -> str | None:
    from trustfund_app.core.db import database_url

    try:
        url = database_url(getattr(args, "db", None))
    except Exception:
        return getattr(args, "db", None)
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
