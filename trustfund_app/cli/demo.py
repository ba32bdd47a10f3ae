"""``trustfund demo [--seed N]``: the demo fund in an empty or new database (CLI.md).

A database that already holds anything is refused (exit 2, nothing changed). Progress goes to
standard error, the summary to standard output. Demo users: admin, finance, programme, viewer,
each with the password ``demo``.
"""

from __future__ import annotations

import sys

from trustfund_app.cli.context import error
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("demo", help=_("create the demo fund in an empty or new database"))
    p.add_argument("--seed", type=int, default=1, metavar="N",
                   help=_("the same seed always gives the same demo fund (default: 1)"))
    p.add_argument("--hq", action="store_true", help=_("open the demo fund as headquarters (to try an exchange)"))
    p.add_argument("--office-of", metavar="HQ_DB",
                   help=_("make this database a demo field office of the demo fund in HQ_DB"))
    p.set_defaults(func=run)


def run_office(ctx, args) -> int:
    from trustfund_app.core.db import Database
    from trustfund_app.core.offices.demo import demo_office

    db = ctx.open_db()
    hq = Database.open(args.office_of, single_writer=True, wait=5.0, holder="command")
    try:
        info, result = demo_office(db, hq)
    finally:
        hq.dispose()
        db.dispose()
    from trustfund_app.core.i18n import ngettext

    print(ngettext("Demo field office {code} ({region}) made beside the demo fund; {count} record came from "
                   "headquarters.", "Demo field office {code} ({region}) made beside the demo fund; {count} records "
                   "came from headquarters.", result.applied)
          .format(code=info.code, region=", ".join(info.regions), count=result.applied))
    return 0


def run(ctx, args) -> int:
    from trustfund_app.core.demo import DEMO_PASSWORD, DEMO_USERS, build_demo_fund
    from trustfund_app.core.demo.build import shown_location
    from trustfund_app.core.demo.create import removed_unless_finished, will_create
    from trustfund_app.core.i18n import format_number

    if args.office_of:
        return run_office(ctx, args)
    created = will_create(ctx.args.db)  # a build that fails removes the file it created
    db = ctx.open_db(create=True)

    def progress(done: int, total: int, label: str) -> None:
        if done < total:
            error(_("Building the demo fund ({done}/{total}): {step}").format(done=done + 1, total=total, step=label))

    with removed_unless_finished(db, created):
        summary = build_demo_fund(db, seed=args.seed, progress=progress)
    sys.stderr.flush()
    print(_("Created the demo fund in {db} (seed {seed}, {seconds} s).").format(
        db=shown_location(db), seed=summary.seed, seconds=format_number(summary.seconds)))
    print(_("Donors: {donors}; exchange rates: {rates}; currencies: {currencies}.").format(
        donors=format_number(summary.donors), rates=format_number(summary.rates),
        currencies=format_number(summary.currencies)))
    print(_("Contributions: pledges {pledges}, payments {payments}; years: {years}.").format(
        pledges=format_number(summary.pledges), payments=format_number(summary.payments),
        years=format_number(summary.today.year - summary.first_year + 1)))
    print(_("Grants: {grants}; cycles: {cycles}; applications: {applications}; grantees: {grantees}; "
            "countries: {countries}.").format(
        grants=format_number(summary.grants), cycles=format_number(summary.cycles),
        applications=format_number(summary.applications), grantees=format_number(summary.grantees),
        countries=format_number(summary.countries)))
    print(_("Users: {users}; password: {password}").format(
        users=", ".join(name for name, _role in DEMO_USERS), password=DEMO_PASSWORD))
    if args.hq:
        from trustfund_app.core.offices.demo import demo_as_hq

        print(_("The demo fund is headquarters; signing key {key}.").format(key=demo_as_hq(db).key_id))
    return 0
