"""``trustfund letter KIND --for ID_OR_REFERENCE [--lang LANG] --out FILE.pdf|FILE.docx`` (CLI.md
version 2): a letter in the recipient's language. KIND: ``acknowledgement`` (a pledge: id,
acknowledgement number or reference), ``receipt`` (a payment: id, receipt number or reference),
``award`` (a grant: id or agreement number), ``reminder`` (a grantee — id, name, or one of its
grant agreement numbers — and every report of it overdue on the letter's date). Extra option
``--issued DATE``: the letter's date (default today), also the day overdue reports are counted on."""

from __future__ import annotations

from trustfund_app.cli.dates import iso_date
from trustfund_app.core.i18n import LANGUAGES, _
from trustfund_app.core.letters.texts import KINDS


def register(sub) -> None:
    p = sub.add_parser("letter", help=_("a letter to a donor or grantee, as PDF or Word"))
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=_("acknowledgement, receipt, award or reminder"))
    p.add_argument("--for", dest="key", required=True, metavar="ID_OR_REFERENCE",
                   help=_("the pledge, payment, grant or grantee the letter is about"))
    # dest differs from the global --lang, which argparse would otherwise overwrite with None
    p.add_argument("--lang", dest="doc_lang", choices=LANGUAGES,
                   help=_("language of the letter (default: the recipient's language)"))
    p.add_argument("--issued", type=iso_date, metavar="DATE", help=_("date of the letter (default: today)"))
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", help=_("the file to write"))
    p.set_defaults(func=run)


def run(ctx, args) -> int:
    from trustfund_app.core.letters import format_of, write_letter

    format_of(args.out)  # refuse a wrong file name before asking for a password
    db = ctx.open_db()
    ctx.login(db)
    path = write_letter(db, args.kind, args.key, args.out, lang=args.doc_lang, issued=args.issued)
    print(_("Letter written to {path}").format(path=path))
    return 0
