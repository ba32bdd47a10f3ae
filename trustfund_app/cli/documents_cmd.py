"""``trustfund documents attach KIND ID_OR_REFERENCE FILE`` · ``documents list KIND ID_OR_REFERENCE
[--json]`` · ``documents export DOCUMENT_ID FILE_OR_FOLDER``: documents attached to grants,
applications, grantees, donors and contributions."""

from __future__ import annotations

from trustfund_app.cli.context import print_json
from trustfund_app.core.i18n import _

KINDS = ("grant", "application", "grantee", "donor", "contribution")


def register(sub) -> None:
    p = sub.add_parser("documents", help=_("documents attached to grants, applications, grantees, donors and "
                                           "contributions"))
    actions = p.add_subparsers(dest="documents_action", metavar="ACTION", required=True)
    a = actions.add_parser("attach", help=_("attach a file to a record"))
    a.add_argument("kind", choices=KINDS, metavar="KIND")
    a.add_argument("owner", metavar="ID_OR_REFERENCE")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--note", help=_("what the document is"))
    a.set_defaults(func=run_attach)
    ls = actions.add_parser("list", help=_("the documents attached to a record"))
    ls.add_argument("kind", choices=KINDS, metavar="KIND")
    ls.add_argument("owner", metavar="ID_OR_REFERENCE")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    ex = actions.add_parser("export", help=_("write an attached document to a file"))
    ex.add_argument("document", metavar="DOCUMENT_ID")
    ex.add_argument("out", metavar="FILE_OR_FOLDER")
    ex.set_defaults(func=run_export)


def run_attach(ctx, args) -> int:
    from trustfund_app.core.services.documents import DocumentService

    db = ctx.open_db()
    actor = ctx.login(db)
    service = DocumentService(db, actor)
    doc_id = service.attach_file(args.kind, args.owner, args.file, args.note)
    row = service.get(doc_id)
    print(_("Attached {file} ({id}), SHA-256 {sha}.").format(file=row.file_name, id=row.id, sha=row.sha256))
    return 0


def run_list(ctx, args) -> int:
    from trustfund_app.core.i18n import format_date
    from trustfund_app.core.services.documents import DocumentService, size_text

    db = ctx.open_db()
    actor = ctx.login(db)
    rows = DocumentService(db, actor).list(args.kind, args.owner)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print(_("No documents."))
    for r in rows:
        print(f"{r.id}  {format_date(r.attached_at.date())}  {size_text(r.size):>9}  {r.sha256[:12]}  "
              f"{r.attached_by}  {r.file_name}")
    return 0


def run_export(ctx, args) -> int:
    from trustfund_app.core.services.documents import DocumentService

    db = ctx.open_db()
    actor = ctx.login(db)
    path = DocumentService(db, actor).export(args.document, args.out)
    print(_("Exported to {file}.").format(file=path))
    return 0
