"""``trustfund export KIND FILE``: donors, contributions, grants or rates to .xlsx (real types)."""

from __future__ import annotations

from trustfund_app.core.i18n import _

KINDS = ("donors", "contributions", "grants", "rates")


def register(sub) -> None:
    p = sub.add_parser("export", help=_("export KIND to an .xlsx workbook"))
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=_("donors, contributions, grants or rates"))
    p.add_argument("file", metavar="FILE", help=_(".xlsx file to write"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.errors import ValidationError
    from trustfund_app.core.excel.export import export_kind
    from trustfund_app.core.i18n import current_language

    if not str(args.file).lower().endswith(".xlsx"):
        raise ValidationError(_("{file}: exports are .xlsx workbooks").format(file=args.file), "file")
    db = ctx.open_db()
    ctx.login(db)
    count = export_kind(db, args.kind, args.file, args.lang or current_language())
    print(_("{file}: {count} rows exported").format(file=args.file, count=count))
    return 0
