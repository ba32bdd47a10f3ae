"""Who may change what, between headquarters and field offices (PRODUCT.md).

HQ owns the fund's records. A field office owns the records it creates about the grants of its
region (tables declared in ``OFFICE_OWNED``: each of their rows carries the ``office`` that owns
it) and a few fields of HQ's records that are its work (``OFFICE_FIELDS``: a report's receipt, a
grantee's contacts). An office sees everything else read-only; HQ sees an office's records as sent.
A database without an office identity has no such rules.

This is the one place the rule lives: every service's write session passes through the
``before_flush`` check below (``guard``); bulk writers call ``require_hq_tables``. Applying a
package (``session.info["sync_apply"]``) is exempt: it carries the owner's own changes. A new
office-owned table only needs an ``office`` column and a line in ``OFFICE_OWNED`` (how to find
its grant) — nothing else changes. Today: victims figures, monitoring visits with their
follow-up actions, and documents (of grants, applications and grantees; whoever attached one owns
it). What HQ sends an office follows the same paths (``parent_of``, ``placing_columns``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from trustfund_app.core.errors import PermissionDenied
from trustfund_app.core.i18n import _

# a parent table named by the row itself, in its ``owner_kind`` (a document's grant, grantee, ...)
BY_KIND = "<owner_kind>"
# table -> (column naming its parent, parent table): the path to the grant whose country decides.
# A record whose parent is itself office-owned (a visit's follow-up action) belongs to the parent's
# owner: HQ adds nothing to an office's visit, an office nothing to HQ's.
OFFICE_OWNED: dict[str, tuple[str, str]] = {
    "victims_assisted": ("report_id", "grantee_report"),
    "monitoring_visit": ("grant_id", "grant"),
    "follow_up_action": ("visit_id", "monitoring_visit"),
    "document": ("owner_id", BY_KIND),  # owned by whoever attached it
}
# what a document may be attached to and still concern a region (donors and contributions are HQ's)
REGIONAL_KINDS = frozenset({"grant", "application", "grantee"})
# HQ tables whose listed fields are the office's work
OFFICE_FIELDS: dict[str, frozenset[str]] = {
    "grantee_report": frozenset({"received_on"}),
    "grantee": frozenset({"contact_person", "email", "phone", "address"}),
}
# never travel and belong to no one: each database's own accounts, settings and bookkeeping
LOCAL_TABLES = frozenset({"app_user", "setting", "audit_event", "office", "office_key", "sync_peer",
                          "sync_package", "sync_conflict", "alembic_version", "receipt_counter"})
_STAMPS = frozenset({"created_at", "updated_at"})
_PARENT = {"grantee_report": "grant_id", "instalment": "grant_id", "refund": "grant_id"}


def _uuid(value):
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def placing_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` that place a row in a region (its parent, or its own country)."""
    if table in OFFICE_OWNED:
        column, parent = OFFICE_OWNED[table]
        return (column, "owner_kind") if parent == BY_KIND else (column,)
    if table in _PARENT:
        return (_PARENT[table],)
    return ("country",) if table in ("grant", "application") else ()


def parent_of(table: str, values: dict) -> tuple[str, str] | None:
    """(parent table, parent id as text) of a row of an office-owned table or of a grant's child;
    None when the row names none, or its parent concerns no region (a donor's document)."""
    if table in OFFICE_OWNED:
        column, parent = OFFICE_OWNED[table]
        if parent == BY_KIND:
            parent = values.get("owner_kind")
            if parent not in REGIONAL_KINDS:
                return None
    elif table in _PARENT:
        column, parent = _PARENT[table], "grant"
    else:
        return None
    parent_id = values.get(column)
    return (parent, str(parent_id)) if parent_id is not None else None


def countries_of(session, table: str, values: dict) -> set[str]:
    """The countries a record concerns (its grant's country; a grantee's own and its grants')."""
    from trustfund_app.core.models import metadata

    t = metadata.tables
    if table in OFFICE_OWNED or table in _PARENT:
        found = parent_of(table, values)
        if found is None:
            return set()
        parent, parent_id = found
        row = session.execute(select(t[parent]).where(t[parent].c.id == _uuid(parent_id))).mappings().first()
        return countries_of(session, parent, dict(row)) if row else set()
    if table == "grantee":
        grants = session.execute(select(t["grant"].c.country).where(t["grant"].c.grantee_id == _uuid(values.get("id"))))
        return {values.get("country")} | {c for (c,) in grants}
    if values.get("country"):
        return {values["country"]}
    return set()


@dataclass(frozen=True)
class OfficeScope:
    """What ownership needs of an office: its code, whether it is HQ, the countries it covers."""

    code: str
    is_hq: bool
    regions: frozenset[str]


def identity(session) -> tuple[OfficeScope | None, dict[str, set[str]]]:
    """(this database's office, {office code: regions} of the other field offices), cached for the
    session. Read from the office table itself: the offices package builds on this module."""
    if "office_identity" not in session.info:
        from trustfund_app.core.models import Office

        me, others = None, {}
        for row in session.scalars(select(Office)):
            scope = OfficeScope(row.code, row.is_hq, frozenset(r for r in row.regions.split(",") if r))
            if row.is_self:
                me = scope
            elif not row.is_hq:
                others[row.code] = set(scope.regions)
        session.info["office_identity"] = (me, others)
    return session.info["office_identity"]


def _parent_owner(session, table: str, values: dict) -> str | None:
    """The office owning the office-owned record that a new row of ``table`` goes into (None: HQ
    or a parent that is not office-owned)."""
    from trustfund_app.core.models import metadata

    column, parent = OFFICE_OWNED[table]
    if parent not in OFFICE_OWNED:
        return None
    t = metadata.tables[parent]
    return session.execute(select(t.c.office).where(t.c.id == _uuid(values.get(column)))).scalar()


def owned_here(session, owner: str | None) -> bool:
    """Whether this database may change an office-owned record whose ``office`` column is
    ``owner`` (None: headquarters'): the rule ``check`` enforces, asked beforehand so that screens
    show another side's record read-only instead of refusing the change after the fact."""
    me, _others = identity(session)
    return me is None or owner == (None if me.is_hq else me.code)


def _refuse_hq_record() -> PermissionDenied:
    return PermissionDenied(_("this record belongs to headquarters: a field office sees it read-only"))


def check(session, table: str, action: str, values: dict, changed: set[str], owner: str | None) -> str | None:
    """Refuse (PermissionDenied) a change this database may not make; returns the owning office
    to stamp on a new office-owned row."""
    if table in LOCAL_TABLES:
        return None
    me, others = identity(session)
    if me is None:
        return None
    changed = changed - _STAMPS
    if me.is_hq:
        if table in OFFICE_OWNED:
            owner = _parent_owner(session, table, values) if action == "insert" else owner
            if owner:
                raise PermissionDenied(_("this record belongs to field office {code}: headquarters sees it as sent")
                                       .format(code=owner))
        office_fields = OFFICE_FIELDS.get(table, frozenset())
        if action == "update" and changed & office_fields:
            countries = countries_of(session, table, values)
            covering = sorted(code for code, regions in others.items() if regions & countries)
            if covering:
                raise PermissionDenied(_("these details are kept by field office {code}: headquarters sees them as sent")
                                       .format(code=covering[0]))
        return None
    mine = set(me.regions)
    if table in OFFICE_OWNED:
        if parent_of(table, values) is None:  # a document of a donor or a contribution
            raise _refuse_hq_record()
        if not countries_of(session, table, values) & mine:
            raise PermissionDenied(_("this grant is not in the region of office {code}").format(code=me.code))
        if action == "insert":
            if OFFICE_OWNED[table][1] not in OFFICE_OWNED:
                return me.code
            owner = _parent_owner(session, table, values)  # inside an owned record: its owner's
        if owner != me.code:
            raise _refuse_hq_record() if not owner else PermissionDenied(
                _("this record belongs to field office {code}").format(code=owner))
        return me.code
    office_fields = OFFICE_FIELDS.get(table, frozenset())
    if action == "update" and changed and changed <= office_fields:
        if not countries_of(session, table, values) & mine:
            raise PermissionDenied(_("this grant is not in the region of office {code}").format(code=me.code))
        return None
    raise _refuse_hq_record()


def require_hq_tables(session, tables) -> None:
    """For bulk writers (imports): a field office does not write HQ's tables at all."""
    me, _others = identity(session)
    if me is not None and not me.is_hq and any(t not in LOCAL_TABLES for t in tables):
        raise _refuse_hq_record()


def _values(obj) -> dict:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _changed(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def guard(session: Session) -> None:
    """Check every pending ORM change of ``session`` against the rule (before it is flushed)."""
    if session.info.get("sync_apply"):
        return
    pending = [(o, "insert") for o in session.new] + [(o, "update") for o in session.dirty] + \
              [(o, "delete") for o in session.deleted]
    pending = [(o, a) for o, a in pending if getattr(o, "__tablename__", None) not in LOCAL_TABLES]
    if not pending:
        return
    for obj, action in pending:
        if action == "update" and not session.is_modified(obj, include_collections=False):
            continue
        table = obj.__tablename__
        if table in OFFICE_OWNED and action != "insert":
            committed = inspect(obj).committed_state
            owner = committed.get("office", getattr(obj, "office", None))
        else:
            owner = getattr(obj, "office", None) if table in OFFICE_OWNED else None
        stamp = check(session, table, action, _values(obj), _changed(obj) if action == "update" else set(), owner)
        if action == "insert" and table in OFFICE_OWNED:
            obj.office = stamp


def _guard_before_flush(session: Session, _ctx, _instances) -> None:
    guard(session)


# first of the before_flush hooks: a new office-owned row is stamped before the audit trail records it
event.listen(Session, "before_flush", _guard_before_flush, insert=True)
