"""``trustfund template KIND FILE [--lang LANG]``: an empty import workbook with drop-down lists."""

from __future__ import annotations

from trustfund_app.core.i18n import LANGUAGES, _

KINDS = ("donors", "contributions", "grants", "rates")


def register(sub) -> None:
    p = sub.add_parser("template", help=_("write an empty import workbook for KIND"))
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=_("donors, contributions, grants or rates"))
    p.add_argument("file", metavar="FILE", help=_(".xlsx file to write"))
    p.add_argument("--lang", dest="template_lang", choices=LANGUAGES, metavar="LANG",
                   help=_("language of the headers and instructions (default: the message language)"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.excel.templates import write_template
    from trustfund_app.core.i18n import current_language

    path = write_template(args.kind, args.file, args.template_lang or args.lang or current_language())
    print(_("{file}: template for {kind} written").format(file=path, kind=args.kind))
    return 0
