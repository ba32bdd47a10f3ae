"""``trustfund office show|init|add|revoke|export-key``: this database's office identity and the
offices (and keys) it knows."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.cli.context import print_json
from trustfund_app.core.i18n import _


def register(sub) -> None:
    p = sub.add_parser("office", help=_("this database's office identity and the offices it knows"))
    actions = p.add_subparsers(dest="office_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=_("identity, region, key fingerprint and known offices"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)
    init = actions.add_parser("init", help=_("give this database its identity and signing key (once)"))
    who = init.add_mutually_exclusive_group(required=True)
    who.add_argument("--hq", action="store_true", help=_("this database is headquarters"))
    who.add_argument("--code", help=_("the field office's code, e.g. ROSAF"))
    init.add_argument("--region", help=_("the field office's countries, ISO 3166 alpha-3, comma-separated"))
    init.set_defaults(func=run_init)
    add = actions.add_parser("add", help=_("register another office's public key (HQ for an office)"))
    add.add_argument("code", metavar="CODE")
    add.add_argument("--key", required=True, metavar="FILE")
    add.add_argument("--region", help=_("the office's countries, ISO 3166 alpha-3, comma-separated"))
    add.set_defaults(func=run_add)
    revoke = actions.add_parser("revoke", help=_("revoke an office's key (a lost laptop)"))
    revoke.add_argument("code", metavar="CODE")
    revoke.set_defaults(func=run_revoke)
    new_key = actions.add_parser("new-key", help=_("a new signing key for this office (after HQ revoked the old one)"))
    new_key.set_defaults(func=run_new_key)
    export = actions.add_parser("export-key", help=_("write this office's public key to a file"))
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(func=run_export_key)


def _service(ctx, db):
    from trustfund_app.core.offices.identity import OfficeService

    return OfficeService(db, ctx.login(db))


def run_show(ctx, args) -> int:
    db = ctx.open_db()
    me, others = _service(ctx, db).show()
    if args.json:
        print_json({"office": me.as_json() if me else None, "offices": [o.as_json() for o in others]})
        return 0
    if me is None:
        print(_("This database has no office identity (office init --hq, or --code CODE --region ISO3,...)."))
    elif me.is_hq:
        print(_("Headquarters; signing key {key}.").format(key=me.key_id))
    else:
        print(_("Field office {code} (region {region}); signing key {key}.").format(
            code=me.code, region=", ".join(me.regions), key=me.key_id))
    for o in others:
        print(f"{o.code}\t{','.join(o.regions) or '-'}\t{o.key_id or _('no key')}"
              + (f"\t{_('revoked')}: {', '.join(o.revoked_keys)}" if o.revoked_keys else ""))
    return 0


def run_init(ctx, args) -> int:
    from trustfund_app.core.errors import ValidationError

    if args.hq and args.region:
        raise ValidationError(_("headquarters has no region: --region is for a field office"), "region")
    db = ctx.open_db()
    info = _service(ctx, db).init(args.hq, args.code, args.region)
    print(_("This database is now {code}; signing key {key} (its secret half is kept in your data folder).")
          .format(code=info.code, key=info.key_id))
    return 0


def run_add(ctx, args) -> int:
    text = Path(args.key).read_text(encoding="utf-8", errors="replace")
    db = ctx.open_db()
    info = _service(ctx, db).add(args.code, text, args.region)
    print(_("Office {code} registered with key {key}.").format(code=info.code, key=info.key_id))
    return 0


def run_revoke(ctx, args) -> int:
    db = ctx.open_db()
    info = _service(ctx, db).revoke(args.code)
    print(_("The key of office {code} is revoked; register its new key with office add.").format(code=info.code))
    return 0


def run_export_key(ctx, args) -> int:
    db = ctx.open_db()
    text = _service(ctx, db).export_key()
    Path(args.out).write_text(text, encoding="utf-8")
    print(_("Public key written to {path}.").format(path=args.out))
    return 0


def run_new_key(ctx, args) -> int:
    db = ctx.open_db()
    info = _service(ctx, db).new_key()
    print(_("New signing key {key}: send it to the other side (office export-key) to register.").format(key=info.key_id))
    return 0
