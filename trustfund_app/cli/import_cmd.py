"""``trustfund import KIND FILE [--sheet NAME] [--map 'HEADER=field' ...] [--dry-run] [--skip-invalid]
[--json]``: import a workbook (CLI.md). Exit 0 when committed (or a clean dry run), 2 when the file
or any row was rejected and nothing was changed."""

from __future__ import annotations

import sys

from trustfund_app.cli import EXIT_OK, EXIT_REJECTED
from trustfund_app.cli.context import error, print_json
from trustfund_app.core.i18n import _, ngettext

KINDS = ("donors", "contributions", "grants", "rates")


def register(sub) -> None:
    p = sub.add_parser("import", help=_("import donors, contributions, grants or rates from a workbook"))
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=_("donors, contributions, grants or rates"))
    p.add_argument("file", metavar="FILE", help=_(".xlsx, .xlsm, .xls or .ods workbook"))
    p.add_argument("--sheet", metavar="NAME", help=_("the sheet to read (default: the first visible one)"))
    p.add_argument("--map", action="append", default=[], metavar="HEADER=field",
                   help=_("map a column by hand, overriding what is detected (repeatable)"))
    p.add_argument("--dry-run", action="store_true", help=_("check every row, change nothing"))
    p.add_argument("--skip-invalid", action="store_true", help=_("commit the valid rows, report the others"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("--accept-rate-jumps", action="store_true",
                   help=_("rates: accept rates more than 50 % away from the previous rate of their currency"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.excel.headers import parse_mapping
    from trustfund_app.core.excel.importer import ImportOptions, run_import

    mapping = parse_mapping(args.kind, args.map)
    db = ctx.open_db()
    try:
        actor = ctx.login(db)
        progress = _ProgressLine(args.file) if sys.stderr.isatty() else None
        result = run_import(db, actor, args.kind, args.file, ImportOptions(
            sheet=args.sheet, mapping=mapping, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
            progress=progress, accept_rate_jumps=args.accept_rate_jumps))
        if progress:
            progress.done()
    finally:
        db.dispose()
    for problem in result.errors:
        error(problem.line(result.file))
    if args.json:
        print_json(result.as_json())
    else:
        for note in result.notes:
            print(note)
        print(_summary(result))
    if result.errors and not (args.skip_invalid and result.committed):
        return EXIT_REJECTED
    return EXIT_OK


def _summary(result) -> str:
    counts = ngettext(
                "{rows} row: new {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
                "{rows} rows: new {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
                result.rows).format(
        rows=result.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
        rejected=result.rejected)
    if result.dry_run:
        outcome = _("dry run: nothing was changed")
    elif result.committed:
        outcome = _("committed")
    else:
        outcome = _("nothing was committed; fix the rows above or use --skip-invalid")
    return f"{result.file}: {counts}; {outcome}"


class _ProgressLine:
    """One self-overwriting line on standard error while a long file is read."""

    def __init__(self, file: str):
        self.file = file
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        text = (_("{file}: row {done} of about {total}").format(file=self.file, done=done, total=total) if total
                else _("{file}: row {done}").format(file=self.file, done=done))
        sys.stderr.write("\r" + text)
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
