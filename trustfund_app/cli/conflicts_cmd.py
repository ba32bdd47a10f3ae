"""``trustfund conflicts list|resolve``: records two sides changed, waiting for a person's decision."""

from __future__ import annotations

import json

from trustfund_app.cli.context import print_json
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("conflicts", help=_("records changed on both sides, waiting for a decision"))
    actions = p.add_subparsers(dest="conflicts_action", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help=_("the open conflicts"))
    lst.add_argument("--all", action="store_true", help=_("resolved ones too"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)
    res = actions.add_parser("resolve", help=_("keep our version, theirs, or edited values"))
    res.add_argument("id", metavar="ID")
    res.add_argument("--keep", required=True, choices=("ours", "theirs", "edit"))
    res.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                     help=_("with --keep edit: a field's value (JSON or text)"))
    res.add_argument("--note")
    res.set_defaults(func=run_resolve)


def _service(ctx, db):
    from trustfund_app.core.offices.conflicts import ConflictService

    return ConflictService(db, ctx.login(db))


def run_list(ctx, args) -> int:
    from trustfund_app.core.field_text import record_text

    db = ctx.open_db()
    service = _service(ctx, db)
    rows = service.list(only_open=not args.all)
    if args.json:  # stored column names and values, for programs
        print_json({"conflicts": [r.as_json() for r in rows]})
        return 0
    if not rows:
        print(_("No conflicts."))
    names = service.names(rows)
    states = {"open": _("open"), "resolved": _("resolved")}
    for r in rows:
        record = record_text(r.entity, r.title(names))
        for _key, label, ours, theirs in r.shown(names) or [("", "-", "", "")]:
            print(f"{r.number}\t{r.peer}\t{record}\t{r.entity_id}\t{label}\t"
                  f"{_('ours')}: {ours}\t{_('theirs')}: {theirs}\t{states.get(r.state, r.state)}")
    return 0


def _value(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_resolve(ctx, args) -> int:
    from trustfund_app.core.errors import ValidationError

    values = {}
    for item in args.set:
        field, sep, value = item.partition("=")
        if not sep:
            raise ValidationError(_('"{item}" is not FIELD=VALUE').format(item=item), "set")
        values[field.strip()] = _value(value)
    db = ctx.open_db()
    row = _service(ctx, db).resolve(args.id, args.keep, args.note, values or None)
    print(_("Conflict {id} resolved: {keep} kept.").format(id=row.number, keep={"ours": _("our version"),
          "theirs": _("their version"), "edit": _("the edited values")}[args.keep]))
    return 0
