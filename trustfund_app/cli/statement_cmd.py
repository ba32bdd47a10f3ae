"""``trustfund statement``, ``statements`` and ``fund-report`` (CLI.md): donor statements and the
annual fund report as PDF. Extra option ``--issued DATE`` fixes the issue date printed on the
document (default today), so a document can be reproduced byte for byte."""

from __future__ import annotations

import sys

from trustfund_app.cli.context import error
from trustfund_app.cli.dates import iso_date
from trustfund_app.core.i18n import LANGUAGES, _, ngettext


def register(sub) -> None:
    p = sub.add_parser("statement", help=_("one donor statement as PDF"))
    p.add_argument("--donor", required=True, metavar="ID_OR_NAME", help=_("donor id, name or alias"))
    p.add_argument("--from", dest="start", type=iso_date, metavar="DATE",
                   help=_("first day of the period (default: 1 January of the last day's year)"))
    p.add_argument("--to", dest="end", type=iso_date, metavar="DATE", help=_("last day of the period (default: today)"))
    _common(p, _("language of the statement (default: the donor's preferred language)"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("the PDF file to write"))
    p.set_defaults(func=run_statement)

    p = sub.add_parser("statements", help=_("one statement per donor that gave or pledged in a year"))
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--out", required=True, metavar="DIR", help=_("folder for the PDF files"))
    _common(p, _("language of every statement (default: each donor's preferred language)"))
    p.add_argument("--quiet", action="store_true", help=_("no progress lines"))
    p.set_defaults(func=run_statements)

    p = sub.add_parser("fund-report", help=_("the annual fund report as PDF"))
    p.add_argument("--year", required=True, type=int)
    _common(p, _("language of the report (default: the language of messages)"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("the PDF file to write"))
    p.set_defaults(func=run_fund_report)


def _common(p, lang_help: str) -> None:
    # dest differs from the global --lang, which argparse would otherwise overwrite with None
    p.add_argument("--lang", dest="doc_lang", choices=LANGUAGES, help=lang_help)
    p.add_argument("--issued", type=iso_date, metavar="DATE", help=_("issue date printed on the document (default: today)"))


def _check_year(year: int) -> None:
    from trustfund_app.core.errors import ValidationError

    if not 1900 <= year <= 9999:
        raise ValidationError(_("{year} is not a valid year").format(year=year), "year")


def run_statement(ctx, args) -> int:
    from trustfund_app.core.reports import write_statement

    db = ctx.open_db()
    ctx.login(db)
    path = write_statement(db, args.donor, args.out, start=args.start, end=args.end, lang=args.doc_lang,
                           issued=args.issued)
    print(_("Statement written to {path}").format(path=path))
    return 0


def run_statements(ctx, args) -> int:
    from trustfund_app.core.reports.batch import write_statements

    _check_year(args.year)
    db = ctx.open_db()
    ctx.login(db)

    def progress(done: int, total: int, name: str) -> None:
        if name and not args.quiet:
            print(_("[{done}/{total}] {donor}").format(done=done + 1, total=total, donor=name), file=sys.stderr)

    result = write_statements(db, args.year, args.out, lang=args.doc_lang, issued=args.issued, progress=progress)
    if not result.total:
        error(_("no donor pledged or paid in {year}").format(year=args.year))
    print(ngettext("{count} statement written to {folder}", "{count} statements written to {folder}",
                   len(result.written)).format(count=len(result.written), folder=args.out))
    return 0


def run_fund_report(ctx, args) -> int:
    from trustfund_app.core.reports import write_fund_report

    _check_year(args.year)
    db = ctx.open_db()
    ctx.login(db)
    path = write_fund_report(db, args.year, args.out, lang=args.doc_lang or args.lang, issued=args.issued)
    print(_("Fund report written to {path}").format(path=path))
    return 0
