"""Making a package for another office: everything it has not acknowledged yet, read from our
audit trail, filtered to what it should hold.

The range starts after the last of our events the other side says it applied (``acked``), so a
lost package is simply covered again by the next one; the receiver skips what it already has.
Office -> HQ: the office's own changes (the ownership rule already limits them to its work).
HQ -> office: its region's grantees, applications, grants, instalments, reports and victims
figures, monitoring visits with their follow-up actions, documents of those grants, applications
and grantees, the cycles, donors and rates, and HQ's decisions on them; nothing of other regions.
Each document content the changes refer to travels beside them as a ``files/`` member (``package``),
read from ``document_content`` by its hash (a content never changes under its hash).
Never sent back: changes that came from the recipient itself (their user is "<CODE>/...").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.migrate import HEAD_REVISION
from trustfund_app.core.models import HQ_CODE, SyncPackage, SyncPeer, metadata
from trustfund_app.core.offices import identity, keys, package
from trustfund_app.core.ownership import LOCAL_TABLES, parent_of, placing_columns
from trustfund_app.core.offices.trail import event_hash_at, last_seq, row_changes

# what HQ sends every office whatever its region
SHARED_WITH_OFFICES = frozenset({"donor", "donor_alias", "exchange_rate", "grant_cycle", "sub_programme"})
# what HQ sends an office when it concerns the office's region
REGIONAL = frozenset({"grantee", "application", "grant", "instalment", "grantee_report", "victims_assisted", "refund",
                      "monitoring_visit", "follow_up_action", "document"})


@dataclass(frozen=True)
class ExportResult:
    package_id: str
    recipient: str
    first: int
    last: int
    changes: int
    size: int

    def as_json(self) -> dict:
        return {"package": self.package_id, "to": self.recipient, "sequence": [self.first, self.last],
                "changes": self.changes, "bytes": self.size}


class RegionFilter:
    """Which rows concern a region, along the paths of ``ownership`` (a follow-up action's visit,
    the visit's grant, the grant's country): lookups built from the current rows, kept up to date
    from the changes as they stream by (so a record deleted since is still placed)."""

    def __init__(self, session, regions: set[str]):
        t = metadata.tables
        self.regions = regions
        self.country = {"grant": {str(i): c for i, c in session.execute(select(t["grant"].c.id, t["grant"].c.country))},
                        "application": {str(i): c for i, c in session.execute(
                            select(t["application"].c.id, t["application"].c.country))}}
        # rows that are parents of other placed rows: id -> (parent table, parent id)
        self.parent: dict[str, dict[str, tuple[str, str]]] = {}
        for table in ("grantee_report", "monitoring_visit"):
            column = placing_columns(table)[0]
            self.parent[table] = {str(i): parent_of(table, {column: p}) for i, p in session.execute(
                select(t[table].c.id, t[table].c[column]))}
        self.grantee_countries: dict[str, set[str]] = {}
        for i, c in session.execute(select(t["grantee"].c.id, t["grantee"].c.country)):
            self.grantee_countries.setdefault(str(i), set()).add(c)
        for g, c in session.execute(select(t["grant"].c.grantee_id, t["grant"].c.country)):
            self.grantee_countries.setdefault(str(g), set()).add(c)

    def _learn(self, entity: str, entity_id: str, values: dict) -> None:
        if entity in self.country and values.get("country"):
            self.country[entity][entity_id] = values["country"]
            if entity == "grant" and values.get("grantee_id"):
                self.grantee_countries.setdefault(str(values["grantee_id"]), set()).add(values["country"])
        elif entity == "grantee" and values.get("country"):
            self.grantee_countries.setdefault(entity_id, set()).add(values["country"])
        elif entity in self.parent:
            found = parent_of(entity, values)
            if found:
                self.parent[entity][entity_id] = found

    def countries(self, entity: str, entity_id: str, values: dict) -> set[str]:
        if entity in self.country:
            country = values.get("country") or self.country[entity].get(entity_id)
            return {country} if country else set()
        if entity == "grantee":
            return self.grantee_countries.get(entity_id, set())
        found = parent_of(entity, values) or self.parent.get(entity, {}).get(entity_id)
        return self.countries(found[0], found[1], {}) if found else set()

    def places(self, entity: str, entity_id: str) -> bool:
        """The row is placed by the lookups alone (no need to read its parent from the table)."""
        return entity == "grantee" or entity_id in self.country.get(entity, ()) or entity_id in self.parent.get(
            entity, ())

    def concerns(self, entity: str, entity_id: str, values: dict) -> bool:
        self._learn(entity, entity_id, values)
        return bool(self.countries(entity, entity_id, values) & self.regions)


def export_package(db, actor_name: str, recipient: str, progress=None) -> tuple[bytes, ExportResult]:
    """The package's bytes for ``recipient`` (an office code or HQ), recorded as sent.
    ``progress(done, total)`` counts the events of our trail read; an exception it raises (a user
    cancelling) records nothing."""
    progress = progress or (lambda _done, _total: None)
    recipient = (recipient or "").strip().upper()
    with db.writing(actor_name) as s:
        me = identity.self_office(s)
        if me is None:
            raise ValidationError(_("this database has no office identity yet: run office init first"), "to")
        peer = identity.office(s, recipient)
        if peer is None or peer.public_key is None:
            raise ValidationError(_("office {code} is not registered here (office add {code} --key FILE)")
                                  .format(code=recipient), "to")
        if not me.is_hq and recipient != HQ_CODE:
            raise ValidationError(_("a field office exchanges packages with headquarters only"), "to")
        state = s.scalars(select(SyncPeer).where(SyncPeer.code == recipient)).first()
        if state is None:
            state = SyncPeer(code=recipient)
            s.add(state)
            s.flush()
        first, last = state.acked + 1, last_seq(s)
        head_start, head_end = event_hash_at(s, first - 1), event_hash_at(s, max(last, first - 1))
        regional = RegionFilter(s, set(peer.regions)) if me.is_hq else None
        if me.is_hq and not peer.regions:
            raise ValidationError(_("the region of office {code} is not known here (office add {code} --key FILE "
                                    "--region ISO3,...)").format(code=recipient), "to")
        echo = f"{recipient}/"
        changes = []
        total, reported = max(last - first + 1, 0), first - 1
        progress(0, total)
        for change in row_changes(s, first - 1, last):
            if change.seq - reported >= 500:
                progress(change.seq - first + 1, total)
                reported = change.seq
            if change.entity in LOCAL_TABLES or change.entity not in metadata.tables or change.user.startswith(echo):
                continue
            if regional is not None and change.entity not in SHARED_WITH_OFFICES:
                if change.entity not in REGIONAL:
                    continue
                values = {**(change.before or {}), **(change.after or {})}
                if change.action != "insert" and not regional.places(change.entity, change.entity_id):
                    values = _placing_columns(s, change, values)
                if not regional.concerns(change.entity, change.entity_id, values):
                    continue
            changes.append(change.as_json())
        progress(total, total)
        checkpoints = {str(p.last_seq): p.head_end for p in s.scalars(
            select(SyncPackage).where(SyncPackage.direction == "out", SyncPackage.peer == recipient,
                                      SyncPackage.last_seq >= first - 1, SyncPackage.last_seq <= last))}
        checkpoints[str(first - 1)] = head_start
        contents = _contents(s, changes)
        package_id = uuid.uuid4().hex
        secret = keys.load_secret(me.code, me.key_id)
        manifest = {
            "package": package_id, "from": me.code, "to": recipient, "key_id": me.key_id,
            "sequence": [first, last], "chain": {"start": head_start, "end": head_end},
            "checkpoints": checkpoints, "ack": state.received_to, "ack_head": state.received_head,
            "schema": HEAD_REVISION, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "regions": list(me.regions), "changes": len(changes), "files": len(contents),
        }
        sealed = keys.seal(peer.public_key, package.encode_changes(changes))
        members = {package.CHANGES: sealed}
        members.update((package.file_member(digest), keys.seal(peer.public_key, data)) for digest, data in contents)
        comment = f"TrustFund Desk package {package_id} from {me.code} to {recipient}, events {first}-{last}"
        data = package.write(manifest, lambda body: keys.sign(secret, body, comment), members)
        s.add(SyncPackage(package_id=package_id, direction="out", peer=recipient, first_seq=first, last_seq=last,
                          head_start=head_start, head_end=head_end, state="sent", changes=len(changes)))
        state.sent_to = max(state.sent_to, last)
        state.last_sent_at = datetime.now(timezone.utc)
    return data, ExportResult(package_id, recipient, first, last, len(changes), len(data))


def _placing_columns(session, change, values: dict) -> dict:
    """An update names only its changed columns; the row's parent (grant, report, visit, what a
    document is attached to) comes from the row as it is now (parents never change)."""
    from trustfund_app.core.offices.values import current

    needed = placing_columns(change.entity)
    if not needed or all(k in values for k in needed):
        return values
    row = current(session, change.entity, change.entity_id)
    return {**(row or {}), **values}


def _contents(session, changes: list[dict]) -> list[tuple[str, bytes]]:
    """(sha256, bytes) of every document content the changes refer to, each once."""
    wanted = {}
    for change in changes:
        after = change.get("after") or {}
        if change["entity"] == "document" and after.get("sha256"):
            wanted.setdefault(after["sha256"], after.get("file_name") or change["id"])
    table = metadata.tables["document_content"]
    found = {}
    digests = sorted(wanted)
    for start in range(0, len(digests), 200):
        for digest, data in session.execute(select(table.c.sha256, table.c.content)
                                            .where(table.c.sha256.in_(digests[start:start + 200]))):
            found[digest] = bytes(data)
    for digest in digests:
        if digest not in found:
            raise ValidationError(_("the content of document {name} ({sha}) is missing from this database: run audit "
                                    "verify; no package was made").format(name=wanted[digest], sha=digest[:12]), "to")
    return [(digest, found[digest]) for digest in digests]
