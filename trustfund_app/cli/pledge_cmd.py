"""``trustfund pledge write-off ID_OR_REFERENCE --reason TEXT [--date DATE] [--cancellation]`` ·
``pledge write-offs [--status STATUS] [--json]`` · ``pledge write-off-approve ID`` ·
``pledge write-off-reject ID``: the unpaid part of a pledge written off or cancelled, requested by
one user and decided by another with the finance role."""

from __future__ import annotations

from trustfund_app.cli.context import print_json
from trustfund_app.cli.dates import iso_date
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("pledge", help=_("pledges that will not be paid: write-offs and cancellations"))
    actions = p.add_subparsers(dest="pledge_action", metavar="ACTION", required=True)
    w = actions.add_parser("write-off", help=_("ask to write off (or cancel) what is left on a pledge"))
    w.add_argument("pledge", metavar="ID_OR_REFERENCE")
    w.add_argument("--reason", required=True, help=_("why it will not be paid"))
    w.add_argument("--date", type=iso_date, metavar="DATE", help=_("effective date (default: today)"))
    w.add_argument("--cancellation", action="store_true", help=_("the donor withdrew it (default: written off)"))
    w.set_defaults(func=run_request)
    ls = actions.add_parser("write-offs", help=_("write-offs and cancellations, with their status"))
    ls.add_argument("--status", choices=("requested", "approved", "rejected"))
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    for name, helptext, func in (("write-off-approve", _("approve a requested write-off (finance role, another user)"),
                                  run_approve),
                                 ("write-off-reject", _("reject a requested write-off (finance role, another user)"),
                                  run_reject)):
        d = actions.add_parser(name, help=helptext)
        d.add_argument("write_off", metavar="WRITE_OFF_ID")
        d.set_defaults(func=func)


def _service(ctx):
    from trustfund_app.core.services.write_offs import WriteOffService

    db = ctx.open_db()  # closed by run_command, however the command ends
    return WriteOffService(db, ctx.login(db))


def run_request(ctx, args) -> int:
    from datetime import date

    service = _service(ctx)
    wid = service.request(args.pledge, "cancellation" if args.cancellation else "write_off",
                          args.date or date.today(), args.reason)
    (row,) = [r for r in service.list() if r.id == wid]
    print(_("Requested {id}: {amount} of pledge {reference}; another user with the finance role must approve it.")
          .format(id=wid, amount=_money(row.amount), reference=row.pledge_reference))
    return 0


def run_list(ctx, args) -> int:
    from trustfund_app.core.i18n import format_date

    service = _service(ctx)
    rows = service.list(status=args.status)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print(_("No write-offs."))
    for r in rows:
        print(f"{r.id}  {r.status:<9}  {format_date(r.effective_date)}  {r.donor}  {r.pledge_reference}  "
              f"{_money(r.amount)}  {r.requested_by}/{r.decided_by or '-'}  {r.reason}")
    return 0


def run_approve(ctx, args) -> int:
    service = _service(ctx)
    service.approve(args.write_off)
    print(_("Write-off {id} approved.").format(id=args.write_off))
    return 0


def run_reject(ctx, args) -> int:
    service = _service(ctx)
    service.reject(args.write_off)
    print(_("Write-off {id} rejected.").format(id=args.write_off))
    return 0


def _money(money) -> str:
    from trustfund_app.core.i18n import format_money

    return format_money(money)
