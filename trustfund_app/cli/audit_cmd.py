"""``trustfund audit verify [--json]``: recompute the whole audit chain; exit 3 when it is broken,
naming the first event that does not fit."""

from __future__ import annotations

from trustfund_app.cli import EXIT_AUDIT_BROKEN
from trustfund_app.cli.context import error, print_json
from trustfund_app.core.i18n import _, ngettext


def register(sub) -> None:
    p = sub.add_parser("audit", help=_("the audit trail"))
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    v = actions.add_parser("verify", help=_("check the whole audit trail"))
    v.add_argument("--json", action="store_true")
    v.add_argument("--anchor", metavar="SHA256",
                   help=_("a chain head printed earlier (e.g. on a statement) that must still be in the trail"))
    v.set_defaults(func=run_verify)


def run_verify(ctx, args) -> int:
    from trustfund_app.core import anchors, audit_verify

    db = ctx.open_db()
    try:
        ctx.login(db)
        recorded = anchors.read(anchors.anchors_path(db.url))
        with db.reading() as s:
            result = audit_verify.verify(s, anchor=(args.anchor or "").strip().lower() or None, anchors=recorded)
        _checked, problems = verify_documents(db)
    finally:
        db.dispose()
    if args.json:
        # the documented shape stays exactly as it is; a bad document makes "ok" false and is
        # named on standard error like a broken chain
        print_json({**result.as_json(), "ok": result.ok and not problems})
    elif result.ok and not problems:
        print(ngettext("The audit trail is intact: {count} event, chain head {head}.",
                       "The audit trail is intact: {count} events, chain head {head}.", result.events).format(
            count=result.events, head=result.head))
    if not result.ok:
        error(describe_break(result))
    for problem in problems:
        error(problem.message())
    return EXIT_AUDIT_BROKEN if not result.ok or problems else 0


def verify_documents(db):
    """The attached documents against the hashes the trail recorded (issue 18): (checked, problems)."""
    from trustfund_app.core.document_check import check_documents

    with db.reading() as s:
        return check_documents(s)


def describe_break(result) -> str:
    if result.problem == "books":
        from trustfund_app.core.books import describe

        return describe(result.mismatch)
    if result.problem == "anchor":
        return _("The audit trail was rewritten: the chain head {head} recorded on {at} ({what}) in the anchors "
                 "file is no longer in the trail.").format(
            head=result.anchor.head, at=result.anchor.at or "?", what=result.anchor.what or "?")
    if result.problem == "missing" and result.bad:
        return _("The audit trail is broken: events from number {seq} on are missing "
                 "({entity} {id} has no event recording its creation).").format(
            seq=result.first_bad_event, entity=result.bad["entity"], id=result.bad["entity_id"])
    if result.problem == "missing":
        return _("The audit trail is broken: events from number {seq} on are missing "
                 "(the given chain head is not in the trail).").format(seq=result.first_bad_event)
    bad = result.bad or {}
    return _("The audit trail is broken at event {seq} ({action} of {entity} {id} by {user} at {at}): "
             "it was changed, inserted, moved, or an event before it was removed.").format(
        seq=result.first_bad_event, action=bad.get("action", "?"), entity=bad.get("entity", "?"),
        id=bad.get("entity_id", "?"), user=bad.get("user", "?"), at=bad.get("at", "?"))

