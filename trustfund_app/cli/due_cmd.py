"""``trustfund due [--days N] [--json] [--ics FILE] [--mine] [--at DATE]``: reports, instalments,
follow-up actions and pledge payments due in the next N days (default 30) and overdue."""

from __future__ import annotations

from trustfund_app.cli.context import print_json
from trustfund_app.cli.dates import iso_date
from trustfund_app.core.i18n import _


def _days(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 3660:
        raise argparse.ArgumentTypeError(_('"{value}" is not a number of days from 0 to 3660').format(value=text))
    return value


def due_text(days_left: int) -> str:
    """"3 days overdue", "due in 5 days", "due today"."""
    from trustfund_app.core.i18n import format_number, ngettext

    if days_left < 0:
        return ngettext("{days} day overdue", "{days} days overdue", -days_left).format(days=format_number(-days_left))
    if days_left > 0:
        return ngettext("due in {days} day", "due in {days} days", days_left).format(days=format_number(days_left))
    return _("due today")


def register(sub) -> None:
    p = sub.add_parser("due", help=_("reports, instalments, follow-up actions and pledge payments due or overdue"))
    p.add_argument("--days", type=_days, default=30, metavar="N", help=_("look this many days ahead (default 30)"))
    p.add_argument("--at", type=iso_date, metavar="DATE", help=_("as of this date (default: today)"))
    p.add_argument("--mine", action="store_true",
                   help=_("only what is assigned to me or what my role works on"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--ics", metavar="FILE", help=_("also write them as an iCalendar file"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from pathlib import Path

    from trustfund_app.core.i18n import format_date, format_money
    from trustfund_app.core.services.due import DueService, calendar_bytes

    db = ctx.open_db()
    actor = ctx.login(db)
    items = DueService(db, actor).items(args.at, args.days, mine=args.mine)
    if args.ics:
        path = Path(args.ics)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(calendar_bytes(items))
        tmp.replace(path)
    if args.json:
        print_json([i.as_json() for i in items])
        return 0
    if not items:
        print(_("Nothing is due or overdue."))
    for i in items:
        when = due_text(i.days_left)
        amount = f"  {format_money(i.amount)}" if i.amount is not None else ""
        print(f"{format_date(i.due_date)}  {when:<20}  {i.kind_label:<18}  {i.reference}  {i.party}: {i.subject}{amount}")
    if args.ics:
        print(_("Calendar written to {file}.").format(file=args.ics))
    return 0
