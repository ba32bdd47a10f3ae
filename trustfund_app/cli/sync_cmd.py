"""``trustfund sync export|import|status``: signed change packages between HQ and field offices.
A refused package (forged, altered, foreign, wrong schema, out of order) exits 2."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.cli import EXIT_REJECTED
from trustfund_app.cli.context import error, print_json
from trustfund_app.core.i18n import _, ngettext


def register(sub) -> None:
    p = sub.add_parser("sync", help=_("exchange change packages with headquarters or field offices"))
    actions = p.add_subparsers(dest="sync_action", metavar="ACTION", required=True)
    exp = actions.add_parser("export", help=_("a signed package of everything the other side has not received"))
    exp.add_argument("--to", required=True, metavar="CODE_OR_HQ")
    exp.add_argument("--out", required=True, metavar="FILE")
    exp.add_argument("--json", action="store_true")
    exp.set_defaults(func=run_export)
    imp = actions.add_parser("import", help=_("verify and apply a package"))
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=run_import)
    st = actions.add_parser("status", help=_("per office: last package sent and received, gaps, open conflicts"))
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=run_status)


def _service(ctx, db):
    from trustfund_app.core.offices.service import ExchangeService

    return ExchangeService(db, ctx.login(db))


def run_export(ctx, args) -> int:
    db = ctx.open_db()
    result = _service(ctx, db).export_to(args.to, Path(args.out))
    if args.json:
        print_json(result.as_json())
    else:
        print(ngettext("Package for {to} written to {path}: {n} change (events {first} to {last}).",
                       "Package for {to} written to {path}: {n} changes (events {first} to {last}).",
                       result.changes).format(to=result.recipient, path=args.out, n=result.changes,
                                              first=result.first, last=result.last))
    return 0


def summary(result) -> str:
    if result.replay or result.held:
        return result.message
    return ngettext("Package from {sender} (events {first} to {last}): {applied} change applied, "
                    "{unchanged} already there, {conflicts} conflicts to resolve.",
                    "Package from {sender} (events {first} to {last}): {applied} changes applied, "
                    "{unchanged} already there, {conflicts} conflicts to resolve.", result.applied).format(
        sender=result.sender, first=result.first, last=result.last, applied=result.applied,
        unchanged=result.unchanged, conflicts=result.conflicts)


def run_import(ctx, args) -> int:
    from trustfund_app.core.offices.package import PackageRefused

    data = Path(args.file).read_bytes()
    db = ctx.open_db()
    service = _service(ctx, db)
    try:
        result = service.apply_bytes(data, dry_run=args.dry_run)
    except PackageRefused as exc:
        if args.json:
            print_json({"package": None, "from": None, "sequence": None, "applied": 0, "unchanged": 0,
                        "conflicts": 0, "held": False, "refused": exc.reason})
        error(f"{args.file}: {exc}")
        return EXIT_REJECTED
    if args.json:
        print_json(result.as_json())
    if result.held:
        error(f"{args.file}: {result.message}")
        return EXIT_REJECTED
    if not args.json:
        print(summary(result))
        for later in result.also_applied:
            print(summary(later))
        if args.dry_run:
            print(_("Dry run: nothing was changed."))
    return 0


def run_status(ctx, args) -> int:
    db = ctx.open_db()
    rows = _service(ctx, db).status()
    if args.json:
        print_json({"offices": [r.as_json() for r in rows]})
        return 0
    if not rows:
        print(_("No other office is registered here."))
    for r in rows:
        sent = f"{r.last_sent[0]}-{r.last_sent[1]}" if r.last_sent else "-"
        received = f"{r.last_received[0]}-{r.last_received[1]}" if r.last_received else "-"
        gaps = ", ".join(f"{a}-{b}" for a, b in r.gaps) or "-"
        print(_("{office}: last sent {sent} ({unacked} not acknowledged), last received {received}, "
                "missing {gaps}, open conflicts {conflicts}").format(
            office=r.code, sent=sent, unacked=r.unacknowledged, received=received, gaps=gaps,
            conflicts=r.open_conflicts))
    return 0
