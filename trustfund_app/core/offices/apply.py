"""Applying a package: check it, then apply all of it in one transaction, or nothing.

Checks, in order, each refusal one line (``PackageRefused``): a readable package; addressed to
this office; signed by a key registered here and not revoked; the signature; every member's
sha256 (a document content's also against the hash it is named by, ``files``); the schema
revision; the sender's chain continuing from the head recorded here. Then: a package already
applied (or wholly before what we have) changes nothing; one that starts after a gap is held and
the missing events named; otherwise its changes after the last one we applied are applied row by
row, the document contents they refer to stored first:

- the row still holds the sender's "before" values: it takes the "after" values;
- it already holds the "after" values: unchanged;
- anything else: a conflict, kept with both versions for a person to resolve (``conflicts``).

Applied changes enter our own audit trail under "<SENDER>/<their user>"; the package itself is
recorded (sender, range, the sender's chain head), anchoring the sender's chain outside it.
"""

from __future__ import annotations

import base64
import contextlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import delete, select, update

from trustfund_app.core import audit
from trustfund_app.core.bulk_insert import insert_rows
from trustfund_app.core.i18n import _
from trustfund_app.core.migrate import HEAD_REVISION
from trustfund_app.core.models import SyncConflict, SyncPackage, SyncPeer, metadata
from trustfund_app.core.offices import identity, keys, package
from trustfund_app.core.offices.files import altered_file, store_files, unsealed_files
from trustfund_app.core.ownership import LOCAL_TABLES
from trustfund_app.core.offices.package import PackageRefused
from trustfund_app.core.offices.stored import insert_plain
from trustfund_app.core.offices.trail import RowChange
from trustfund_app.core.offices.values import STAMPS, current, current_many, key_column, key_value, same, to_db

INSERT_CHUNK = 2000
PROGRESS_EVERY = 500  # changes between two calls of the progress callback


@dataclass
class ApplyResult:
    package_id: str
    sender: str
    first: int
    last: int
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    held: bool = False
    refused: str | None = None
    replay: bool = False
    missing: tuple[int, int] | None = None
    message: str = ""
    also_applied: list = field(default_factory=list)  # held packages that could follow it
    tables: dict = field(default_factory=dict)  # table -> [applied, unchanged, conflicts]

    def as_json(self) -> dict:
        return {"package": self.package_id, "from": self.sender, "sequence": [self.first, self.last],
                "applied": self.applied, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "held": self.held, "refused": self.refused}


def _check(session, pkg: package.PackageFile):
    """Everything but the sequence; returns (me, manifest)."""
    m = pkg.manifest
    me = identity.self_office(session)
    if me is None:
        raise PackageRefused("identity", _("this database has no office identity yet: run office init first"))
    sender, recipient, key_id = str(m.get("from")), str(m.get("to")), str(m.get("key_id"))
    if recipient != me.code:
        raise PackageRefused("recipient", _("this package is addressed to {to}, not to this office ({me})")
                             .format(to=recipient, me=me.code))
    key = identity.key_for(session, sender, key_id)
    try:
        signed_by = keys.signature_key_id(pkg.signature)
    except Exception:
        signed_by = None
    if key is None or signed_by != key_id:
        raise PackageRefused("unknown_key", _("this package is signed by a key not registered here for {sender} "
                                              "(key {key}): refused").format(sender=sender, key=signed_by or "?"))
    if key.revoked_at is not None:
        raise PackageRefused("revoked_key", _("this package is signed with a revoked key of {sender} (key {key}): refused")
                             .format(sender=sender, key=key_id))
    if not keys.verify(key.public_key, pkg.manifest_bytes, pkg.signature):
        raise PackageRefused("signature", _("the signature of this package does not match: it was forged or altered"))
    declared = m.get("members") or {}
    if set(declared) != set(pkg.members):
        raise PackageRefused("altered", _("this package was altered after it was signed: a member does not match its hash"))
    for name, digest in sorted(declared.items()):
        if package.sha256(pkg.members[name]) != digest:
            content = package.file_digest(name)
            raise PackageRefused("altered", altered_file(content) if content else
                                 _("this package was altered after it was signed: a member does not match its hash"))
    if m.get("schema") != HEAD_REVISION:
        newer = str(m.get("schema")) > HEAD_REVISION
        raise PackageRefused("schema", (_("this package comes from a newer version of TrustFund Desk (schema {theirs}, "
                                          "this one {ours}): update this copy first") if newer else
                                        _("this package comes from an older version of TrustFund Desk (schema {theirs}, "
                                          "this one {ours}): the sender must update first"))
                             .format(theirs=m.get("schema"), ours=HEAD_REVISION))
    return me, m


def read_package(data: bytes) -> package.PackageFile:
    return package.read(data, _("this file is not a TrustFund Desk change package"),
                        _("this package was altered or damaged: a member fails its checksum"))


def apply_package(db, actor_name: str, data: bytes, dry_run: bool = False, progress=None) -> ApplyResult:
    """Verify and apply ``data``; held packages that can follow are applied after it.
    ``progress(done, total)`` is called as the package's changes are applied, inside its one
    transaction: an exception it raises (a user cancelling) rolls all of it back."""
    result = _apply_one(db, actor_name, data, dry_run, progress)
    if result.applied or result.unchanged or result.conflicts or (not result.held and not result.replay):
        if not dry_run:
            result.also_applied = _apply_held(db, actor_name, result.sender)
    return result


def _apply_held(db, actor_name: str, sender: str) -> list:
    done = []
    while True:
        with db.reading() as s:
            peer = s.scalars(select(SyncPeer).where(SyncPeer.code == sender)).first()
            upto = peer.received_to if peer else 0
            held = s.scalars(select(SyncPackage).where(SyncPackage.direction == "in", SyncPackage.peer == sender,
                                                       SyncPackage.state == "held", SyncPackage.first_seq <= upto + 1)
                             .order_by(SyncPackage.first_seq)).first()
            content = base64.b64decode(held.content) if held else None
            held_id, held_package = (held.id, held.package_id) if held else (None, None)
        if content is None:
            return done
        try:
            done.append(_apply_one(db, actor_name, content, False))
        except PackageRefused as exc:
            with db.writing(actor_name) as s:
                row = s.get(SyncPackage, held_id)
                row.state, row.content = "refused", None
            done.append(ApplyResult(held_package, sender, 0, -1, refused=exc.reason, message=str(exc)))


def _apply_one(db, actor_name: str, data: bytes, dry_run: bool, progress=None) -> ApplyResult:
    pkg = read_package(data)
    m = pkg.manifest
    first, last = (int(x) for x in m.get("sequence", [0, -1]))
    sender, package_id = str(m.get("from")), str(m.get("package"))
    result = ApplyResult(package_id, sender, first, last)
    try:
        return _apply_in(db, actor_name, data, dry_run, pkg, result, progress)
    except _DryRun:
        return result


def _apply_in(db, actor_name, data, dry_run, pkg, result, progress=None) -> ApplyResult:
    m = pkg.manifest
    first, last, sender, package_id = result.first, result.last, result.sender, result.package_id
    with db.writing(actor_name) as s:
        s.info["sync_apply"] = True
        me, m = _check(s, pkg)
        peer = s.scalars(select(SyncPeer).where(SyncPeer.code == sender)).first()
        if peer is None:
            peer = SyncPeer(code=sender)
            s.add(peer)
            s.flush()
        done = s.scalars(select(SyncPackage).where(SyncPackage.package_id == package_id,
                                                   SyncPackage.direction == "in")).first()
        if (done is not None and done.state == "applied") or last <= peer.received_to:
            result.replay = True
            if done is not None and done.state == "held" and not dry_run:
                done.state, done.content = "covered", None  # a later package brought the same events
            result.message = _("package {id} from {sender} was already applied: nothing changed").format(
                id=package_id[:12], sender=sender)
            return result
        if first > peer.received_to + 1:
            result.held, result.missing = True, (peer.received_to + 1, first - 1)
            result.message = _("package {id} from {sender} is held: events {start} to {end} of {sender} have not "
                               "arrived yet; apply that package first").format(
                id=package_id[:12], sender=sender, start=peer.received_to + 1, end=first - 1)
            if done is None and not dry_run:
                s.add(SyncPackage(package_id=package_id, direction="in", peer=sender, first_seq=first, last_seq=last,
                                  head_start=m["chain"]["start"], head_end=m["chain"]["end"], state="held",
                                  changes=int(m.get("changes") or 0), content=base64.b64encode(data).decode("ascii")))
            return result
        expected = peer.received_head
        if expected is not None:
            claimed = (m.get("checkpoints") or {}).get(str(peer.received_to))
            if claimed != expected:
                raise PackageRefused("chain", _("the audit chain of {sender} does not continue from the head recorded "
                                                "here at event {seq}: its history was rewritten; refused").format(
                    sender=sender, seq=peer.received_to))
        sealed = pkg.members.get(package.CHANGES)
        secret = keys.load_secret(me.code, me.key_id)
        plain = keys.unseal(secret, sealed) if sealed is not None else None
        if plain is None:
            raise PackageRefused("sealed", _("this package was not sealed to this office's key: refused"))
        changes = [RowChange.from_json(c) for c in package.decode_changes(plain)]
        fresh = [c for c in changes if c.seq > peer.received_to]
        store_files(s, unsealed_files(pkg, secret), fresh)  # before the documents that refer to them
        _Applier(s, sender, package_id, result, progress).run(fresh)
        peer.received_to, peer.received_head = last, m["chain"]["end"]
        peer.acked = max(peer.acked, min(int(m.get("ack") or 0), peer.sent_to))
        peer.last_received_at = datetime.now(timezone.utc)
        if done is not None:
            done.state, done.content = "applied", None
            done.applied, done.unchanged, done.conflicts = result.applied, result.unchanged, result.conflicts
        else:
            s.add(SyncPackage(package_id=package_id, direction="in", peer=sender, first_seq=first, last_seq=last,
                              head_start=m["chain"]["start"], head_end=m["chain"]["end"], state="applied",
                              changes=len(changes), applied=result.applied, unchanged=result.unchanged,
                              conflicts=result.conflicts))
        if dry_run:
            raise _DryRun()
    return result


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@contextlib.contextmanager
def _acting(session, user: str):
    """Events recorded meanwhile name ``user`` (the sender's user) instead of the importer."""
    previous = session.info.get("user")
    session.info["user"] = user
    try:
        yield
    finally:
        session.info["user"] = previous


class _Applier:
    def __init__(self, session, sender: str, package_id: str, result: ApplyResult, progress=None):
        self.s, self.sender, self.package_id, self.result = session, sender, package_id, result
        self.progress = progress or (lambda _done, _total: None)
        self.events: list[tuple[str, audit.Change]] = []
        self._chunks = 0

    def _user(self, change: RowChange) -> str:
        return f"{self.sender}/{change.user}"[:100]

    def run(self, changes: list[RowChange]) -> None:
        i, total, reported = 0, len(changes), 0
        self.progress(0, total)
        while i < len(changes):
            change = changes[i]
            if i - reported >= PROGRESS_EVERY:
                self.progress(i, total)
                reported = i
            if change.entity in LOCAL_TABLES or change.entity not in metadata.tables:
                i += 1
                continue
            counted = (self.result.applied, self.result.unchanged, self.result.conflicts)
            if change.action == "insert":
                j = i
                while j < len(changes) and j - i < INSERT_CHUNK and changes[j].action == "insert" \
                        and changes[j].entity == change.entity and changes[j].user == change.user:
                    j += 1
                self._inserts(changes[i:j])
                i = j
            else:
                self._flush_events()
                self._one(change)
                i += 1
            tally = self.result.tables.setdefault(change.entity, [0, 0, 0])
            for k, (now, then) in enumerate(zip((self.result.applied, self.result.unchanged, self.result.conflicts),
                                                counted)):
                tally[k] += now - then
        self._flush_events()
        self.progress(total, total)

    def _flush_events(self) -> None:
        by_user: list[tuple[str, list]] = []
        for user, ch in self.events:
            if by_user and by_user[-1][0] == user:
                by_user[-1][1].append(ch)
            else:
                by_user.append((user, [ch]))
        for user, chs in by_user:
            audit.record(self.s, chs, user=user)
        self.events.clear()

    def _inserts(self, run: list[RowChange]) -> None:
        entity = run[0].entity
        existing = current_many(self.s, entity, [c.entity_id for c in run])
        fresh, seen = [], set()
        for change in run:
            row = existing.get(change.entity_id)
            if row is None and change.entity_id not in seen:
                fresh.append(change)
                seen.add(change.entity_id)
            elif same(row, change.after):
                self.result.unchanged += 1
            else:
                self._conflict(change, row)
        if not fresh:
            return
        self._flush_events()
        table = metadata.tables[entity]
        columns = list(fresh[0].after)
        if all(list(c.after) == columns for c in fresh) and len(fresh) > 1:
            # rows in bulk, recorded as an import records them: one event names the columns once
            # and holds every row's values (per-row JSON and hashes were most of the time)
            if not insert_plain(self.s, table, columns, [c.after for c in fresh]):
                insert_rows(self.s, table, [to_db(entity, c.after) for c in fresh])
            self._chunks += 1
            with _acting(self.s, self._user(fresh[0])):
                audit.record_import(self.s, entity, f"sync-{self.package_id[:16]}:{self._chunks}", columns,
                                    [[c.after[k] for k in columns] for c in fresh])
        else:
            for change in fresh:
                self.s.execute(table.insert().values(**to_db(entity, change.after, single=True)))
            audit.record(self.s, [audit.Change(entity, c.entity_id, "insert", None, c.after) for c in fresh],
                         user=self._user(fresh[0]))
        self.result.applied += len(fresh)

    def _one(self, change: RowChange) -> None:
        entity, table = change.entity, metadata.tables[change.entity]
        row = current(self.s, entity, change.entity_id)
        where = key_column(entity) == key_value(entity, change.entity_id)
        if change.action == "update":
            if row is not None and same(row, change.before):
                values = to_db(entity, change.after, single=True)
                self.s.execute(update(table).where(where).values(**values))
                self.events.append((self._user(change), audit.Change(
                    entity, change.entity_id, "update", {k: row.get(k) for k in change.after}, change.after)))
                self.result.applied += 1
            elif row is not None and same(row, {k: v for k, v in change.after.items() if k not in STAMPS}):
                self.result.unchanged += 1
            else:
                self._conflict(change, row)
        elif change.action == "delete":
            if row is None:
                self.result.unchanged += 1
            elif same(row, change.before):
                self.s.execute(delete(table).where(where))
                self.events.append((self._user(change), audit.Change(entity, change.entity_id, "delete", row, None)))
                self.result.applied += 1
            else:
                self._conflict(change, row)

    def _conflict(self, change: RowChange, ours: dict | None) -> None:
        dumps = audit._dumps
        self.s.add(SyncConflict(peer=self.sender, package_id=self.package_id, entity=change.entity,
                                entity_id=change.entity_id, action=change.action, base=dumps(change.before),
                                theirs=dumps(change.after), ours=dumps(ours), their_user=change.user[:100]))
        self.result.conflicts += 1


def conflict_values(text: str | None) -> dict | None:
    return json.loads(text) if text else None
