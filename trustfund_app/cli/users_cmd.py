"""``trustfund users add NAME --role ROLE`` and ``users list``: administrators only. The new
user's password comes from TRUSTFUND_NEW_PASSWORD or a prompt (asked twice)."""

from __future__ import annotations

import getpass
import os
import sys

from trustfund_app.cli.context import print_json
from trustfund_app.core.errors import AuthenticationError, ValidationError
from trustfund_app.core.i18n import _

ROLES = ("administrator", "finance", "programme", "read-only")


def register(sub) -> None:
    p = sub.add_parser("users", help=_("user accounts (administrators only)"))
    actions = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=_("add a user"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(func=run_add)
    lst = actions.add_parser("list", help=_("list the users"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)


def new_password(name: str) -> str:
    value = os.environ.get("TRUSTFUND_NEW_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise AuthenticationError(_("no password for the new user: set TRUSTFUND_NEW_PASSWORD or run interactively"))
    first = getpass.getpass(_("Password for the new user {user}: ").format(user=name))
    if getpass.getpass(_("The same password again: ")) != first:
        raise ValidationError(_("the two passwords differ"), "password")
    return first


def run_add(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    actor = ctx.login(db)
    actor.require("users")  # before asking for a password nobody may set
    UserService(db, actor).add(args.name, args.role, new_password(args.name))
    print(_("Added user {user} ({role}).").format(user=args.name.strip(), role=args.role))
    return 0


def run_list(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    actor = ctx.login(db)
    actor.require("users")
    users = UserService(db, actor).list()
    if args.json:
        print_json(users)
        return 0
    width = max((len(u["name"]) for u in users), default=4)
    for u in users:
        state = "" if u["active"] else "  " + _("(inactive)")
        print(f"{u['name']:<{width}}  {u['role']}{state}")
    return 0
