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


@dataclass
class CommandContext:
    args: object

    def open_db(self, upgrade: bool = True):
        from trustfund_app.core.db import Database

        return Database.open(self.args.db, upgrade=upgrade)

    def login(self, db):
        """Log in as --user / TRUSTFUND_USER with TRUSTFUND_PASSWORD or a prompt."""
        from trustfund_app.core.i18n import _
        from trustfund_app.core.services.users import UserService

        name = self.args.user or os.environ.get("TRUSTFUND_USER")
        if not name:
            raise AuthenticationError(_("say who acts with --user or TRUSTFUND_USER"))
        return UserService(db).login(name, password_from_env("TRUSTFUND_PASSWORD", _("Password for {user}: ").format(user=name)))


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
    except KeyboardInterrupt:
        error(_("interrupted; nothing half-done was kept"))
        return EXIT_FAILURE
