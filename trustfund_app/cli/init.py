"""``trustfund init --admin NAME``: an empty fund database with its first administrator."""

from __future__ import annotations

from trustfund_app.cli.context import password_from_env
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("init", help=_("create an empty fund database with its first administrator"))
    p.add_argument("--admin", required=True, metavar="NAME")
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.services.users import UserService

    password = password_from_env("TRUSTFUND_PASSWORD", _("Password for {user}: ").format(user=args.admin))
    db = ctx.open_db(create=True)
    UserService(db).create_first_admin(args.admin, password)
    print(_("Created the fund database {db} with administrator {user}.").format(db=db.url, user=args.admin))
    return 0
