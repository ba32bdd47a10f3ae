"""Making a package for another office: everything it has not acknowledged yet, read from our
audit trail, filtered to what it should hold.

The range starts after the last of our events the other side says it applied (``acked``), so a
lost package is simply covered again by the next one; the receiver skips what it already has.
Office -> HQ: the office's own changes (the ownership rule already limits them to its work).
HQ -> office: its region's grantees, applications, grants, instalments, reports and victims
figures, the cycles, donors and rates, and HQ's decisions on them; nothing of other regions.
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
from trustfund_app.core.ownership import LOCAL_TABLES
from trustfund_app.core.offices.trail import event_hash_at, last_seq, row_changes

# what HQ sends every office whatever its region
SHARED_WITH_OFFICES = frozenset({"donor", "donor_alias", "exchange_rate", "grant_cycle", "sub_programme"})
# what HQ sends an office when it concerns the office's region
REGIONAL = frozenset({"grantee", "application", "grant", "instalment", "grantee_report", "victims_assisted", "refund"})


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
    """Which rows concern a region: lookups built from the current rows, kept up to date from the
    changes as they stream by (so a record deleted since is still placed)."""

    def __init__(self, session, regions: set[str]):
        t = metadata.tables
        self.regions = regions
        self.grant_country = {str(i): c for i, c in session.execute(select(t["grant"].c.id, t["grant"].c.country))}
        self.report_grant = {str(i): str(g) for i, g in session.execute(
            select(t["grantee_report"].c.id, t["grantee_report"].c.grant_id))}
        self.grantee_countries: dict[str, set[str]] = {}
        for i, c in session.execute(select(t["grantee"].c.id, t["grantee"].c.country)):
            self.grantee_countries.setdefault(str(i), set()).add(c)
        for g, c in session.execute(select(t["grant"].c.grantee_id, t["grant"].c.country)):
            self.grantee_countries.setdefault(str(g), set()).add(c)

    def _learn(self, entity: str, entity_id: str, values: dict) -> None:
        if entity == "grant" and values.get("country"):
            self.grant_country[entity_id] = values["country"]
            if values.get("grantee_id"):
                self.grantee_countries.setdefault(str(values["grantee_id"]), set()).add(values["country"])
        elif entity == "grantee_report" and values.get("grant_id"):
            self.report_grant[entity_id] = str(values["grant_id"])
        elif entity == "grantee" and values.get("country"):
            self.grantee_countries.setdefault(entity_id, set()).add(values["country"])

    def concerns(self, entity: str, entity_id: str, values: dict) -> bool:
        self._learn(entity, entity_id, values)
        if entity in ("grant", "application"):
            country = values.get("country") or self.grant_country.get(entity_id)
            return country in self.regions if country else False
        if entity in ("instalment", "grantee_report", "refund"):
            grant = values.get("grant_id") or (self.report_grant.get(entity_id) if entity == "grantee_report" else None)
            return self.grant_country.get(str(grant)) in self.regions if grant else False
        if entity == "victims_assisted":
            grant = self.report_grant.get(str(values.get("report_id")))
            return self.grant_country.get(grant) in self.regions if grant else False
        if entity == "grantee":
            return bool(self.grantee_countries.get(entity_id, set()) & self.regions)
        return False



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
                if change.action != "insert" and change.entity in ("instalment", "refund", "victims_assisted",
                                                                    "application", "grant"):
                    values = _placing_columns(s, change, values)
                if not regional.concerns(change.entity, change.entity_id, values):
                    continue
            changes.append(change.as_json())
        progress(total, total)
        checkpoints = {str(p.last_seq): p.head_end for p in s.scalars(
            select(SyncPackage).where(SyncPackage.direction == "out", SyncPackage.peer == recipient,
                                      SyncPackage.last_seq >= first - 1, SyncPackage.last_seq <= last))}
        checkpoints[str(first - 1)] = head_start
        package_id = uuid.uuid4().hex
        secret = keys.load_secret(me.code, me.key_id)
        manifest = {
            "package": package_id, "from": me.code, "to": recipient, "key_id": me.key_id,
            "sequence": [first, last], "chain": {"start": head_start, "end": head_end},
            "checkpoints": checkpoints, "ack": state.received_to, "ack_head": state.received_head,
            "schema": HEAD_REVISION, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "regions": list(me.regions), "changes": len(changes),
        }
        sealed = keys.seal(peer.public_key, package.encode_changes(changes))
        comment = f"TrustFund Desk package {package_id} from {me.code} to {recipient}, events {first}-{last}"
        data = package.write(manifest, lambda body: keys.sign(secret, body, comment), {package.CHANGES: sealed})
        s.add(SyncPackage(package_id=package_id, direction="out", peer=recipient, first_seq=first, last_seq=last,
                          head_start=head_start, head_end=head_end, state="sent", changes=len(changes)))
        state.sent_to = max(state.sent_to, last)
        state.last_sent_at = datetime.now(timezone.utc)
    return data, ExportResult(package_id, recipient, first, last, len(changes), len(data))


def _placing_columns(session, change, values: dict) -> dict:
    """An update names only its changed columns; the row's parent (grant, report) comes from the
    row as it is now (parents never change)."""
    from trustfund_app.core.offices.values import current

    if any(k in values for k in ("grant_id", "report_id", "country")):
        return values
    row = current(session, change.entity, change.entity_id)
    return {**(row or {}), **values}
