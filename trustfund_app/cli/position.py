"""``trustfund position [--at DATE] [--json]``: the fund position."""

from __future__ import annotations

from trustfund_app.cli.context import print_json
from trustfund_app.cli.dates import iso_date
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("position", help=_("the fund position"))
    p.add_argument("--at", type=iso_date, metavar="DATE", help=_("as of this date (default: today)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.i18n import format_date, format_money
    from trustfund_app.core.services.position import PositionService

    db = ctx.open_db()
    actor = ctx.login(db)
    pos = PositionService(db, actor).position(args.at)
    if args.json:
        print_json(pos.as_json())
        return 0
    print(_("Fund position as of {date}").format(date=format_date(pos.as_of)))
    rows = [
        (_("Contributions received"), pos.received), (_("Disbursements"), pos.disbursed),
        (_("Programme support costs"), pos.psc), (_("Cash balance"), pos.balance),
        (_("Commitments (approved grants not yet paid)"), pos.commitments),
        (_("Available for new grants"), pos.available), (_("Outstanding pledges"), pos.pledged_outstanding),
    ]
    width = max(len(label) for label, _m in rows)
    for label, money in rows:
        print(f"  {label:<{width}}  {format_money(money):>20}")
    return 0
