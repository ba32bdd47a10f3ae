"""``trustfund export KIND FILE``: donors, contributions, grants or rates to .xlsx (real types);
``export iati FILE.xml`` and ``export 360giving FILE.json|FILE.xlsx`` publish open data, checked
against the standards' shipped schemas before the file is written (exit 2 and no file when not)."""

from __future__ import annotations

from trustfund_app.core.i18n import _, ngettext

KINDS = ("donors", "contributions", "grants", "rates", "budgets")
OPEN_DATA = ("iati", "360giving")


def register(sub) -> None:
    p = sub.add_parser("export", help=_("export KIND to an .xlsx workbook, or open data (iati, 360giving)"))
    p.add_argument("kind", choices=KINDS + OPEN_DATA, metavar="KIND",
                   help=_("donors, contributions, grants, rates or budgets (budget against actual); iati or "
                          "360giving for open data"))
    p.add_argument("file", metavar="FILE", help=_(".xlsx file to write (iati: .xml; 360giving: .json or .xlsx)"))
    p.add_argument("--year", type=int, metavar="YEAR", help=_("open data: only this year (default: the whole history)"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.errors import ValidationError

    if args.kind in OPEN_DATA:
        return run_open_data(ctx, args)
    if args.year is not None:
        raise ValidationError(_("--year is for the open-data exports (iati, 360giving)"), "year")
    from trustfund_app.core.excel.export import export_kind
    from trustfund_app.core.i18n import current_language

    if not str(args.file).lower().endswith(".xlsx"):
        raise ValidationError(_("{file}: exports are .xlsx workbooks").format(file=args.file), "file")
    db = ctx.open_db()
    try:
        ctx.login(db)
        if args.kind == "budgets":
            from trustfund_app.core.excel.budget_export import export_budgets

            count = export_budgets(db, args.file, args.lang or current_language())
        else:
            count = export_kind(db, args.kind, args.file, args.lang or current_language())
    finally:
        db.dispose()
    print(ngettext("{file}: {count} row exported", "{file}: {count} rows exported", count).format(
        file=args.file, count=count))
    return 0


def run_open_data(ctx, args) -> int:
    from trustfund_app.core.i18n import ngettext
    from trustfund_app.core.opendata import check_target, export_open_data

    check_target(args.kind, args.file)  # a wrong file name is refused before asking for a password
    db = ctx.open_db()
    try:
        ctx.login(db)
        summary = export_open_data(db, args.kind, args.file, args.year)
    finally:
        db.dispose()
    print(ngettext("{file}: {count} grant published, valid against the standard's schema",
                   "{file}: {count} grants published, valid against the standard's schema",
                   summary.grants).format(file=args.file, count=summary.grants))
    for reference, reason in summary.withheld:
        print(_("{reference}: sensitive, published without title, organisation or location ({reason})").format(
            reference=reference, reason=reason))
    return 0
