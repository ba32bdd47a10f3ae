"""``trustfund users add NAME --role ROLE``, ``users list``, ``users disable|enable NAME``,
``users role NAME ROLE`` and ``users passwd NAME``: administrators only, except that anyone may
change their own password with ``users passwd`` (their current one being the login password). A
new password comes from TRUSTFUND_NEW_PASSWORD or a prompt (asked twice). Every change is audited."""

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
    for action, text in (("disable", _("stop a user from logging in")), ("enable", _("let a disabled user log in again"))):
        cmd = actions.add_parser(action, help=text)
        cmd.add_argument("name", metavar="NAME")
        cmd.set_defaults(func=run_change, change=action)
    role = actions.add_parser("role", help=_("give a user another role"))
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE", choices=ROLES)
    role.set_defaults(func=run_change, change="role")
    passwd = actions.add_parser("passwd", help=_("set a user's password (your own: with your current password)"))
    passwd.add_argument("name", metavar="NAME")
    passwd.set_defaults(func=run_passwd)


def new_password(name: str, own: bool = False) -> str:
    value = os.environ.get("TRUSTFUND_NEW_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise AuthenticationError(_("no new password: set TRUSTFUND_NEW_PASSWORD or run interactively"))
    first = getpass.getpass(_("Your new password: ") if own else _("New password for {user}: ").format(user=name))
    if getpass.getpass(_("The same password again: ")) != first:
        raise ValidationError(_("the two passwords differ"), "password")
    return first


def run_add(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    try:
        actor = ctx.login(db)
        actor.require("users")  # before asking for a password nobody may set
        UserService(db, actor).add(args.name, args.role, new_password(args.name))
    finally:
        db.dispose()
    print(_("Added user {user} ({role}).").format(user=args.name.strip(), role=args.role))
    return 0


def run_list(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    try:
        actor = ctx.login(db)
        actor.require("users")
        users = UserService(db, actor).list()
    finally:
        db.dispose()
    if args.json:
        print_json(users)
        return 0
    width = max((len(u["name"]) for u in users), default=4)
    for u in users:
        state = "" if u["active"] else "  " + _("(inactive)")
        print(f"{u['name']:<{width}}  {u['role']}{state}")
    return 0


def run_change(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    try:
        users = UserService(db, ctx.login(db))
        if args.change == "disable":
            users.disable(args.name)
            done = _("User {user} disabled: they can no longer log in.")
        elif args.change == "enable":
            users.enable(args.name)
            done = _("User {user} enabled.")
        else:
            users.set_role(args.name, args.role)
            done = _("User {user} now has the role {role}.")
    finally:
        db.dispose()
    print(done.format(user=args.name.strip(), role=getattr(args, "role", "")))
    return 0


def run_passwd(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    db = ctx.open_db()
    try:
        actor = ctx.login(db)
        users = UserService(db, actor)
        if args.name.strip() == actor.name:
            # the current password is the one the login just checked
            users.change_own_password(ctx.login_password, new_password(actor.name, own=True))
        else:
            actor.require("users")  # before asking for a password nobody may set
            users.reset_password(args.name, new_password(args.name))
    finally:
        db.dispose()
    print(_("Password of {user} changed.").format(user=args.name.strip()))
    return 0
