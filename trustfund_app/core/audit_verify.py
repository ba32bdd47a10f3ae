"""Proof that the books match the trail: the hash chain recomputed from its first event, the
anchors (heads printed earlier) still in it, then every audited table compared with what the trail
says it holds (``books``). Above both ``audit`` (the trail) and ``books`` (the tables read back from
it), so neither needs the other's verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trustfund_app.core.audit import GENESIS, plain_value, event_hash
from trustfund_app.core.books import check_books
from trustfund_app.core.models import AuditEvent


@dataclass
class VerifyResult:
    events: int
    ok: bool
    first_bad_event: int | None
    head: str
    bad: dict | None = None  # what the first bad event claims to be (entity, id, action, user, at)
    # "changed" (content or order), "missing" (events cut off the end, or a row no event created),
    # "anchor" (a head recorded in the anchors file is not in the chain: the chain was rewritten
    # or cut), "books" (a table row differs from what the trail says it holds)
    problem: str | None = None
    mismatch: object | None = None  # books.BooksProblem for "books" and "missing" rows
    anchor: object | None = None  # anchors.Anchor for "anchor"
    anchors_checked: int = 0

    def as_json(self) -> dict:
        data = {"events": self.events, "ok": self.ok, "first_bad_event": self.first_bad_event, "head": self.head,
                "anchors_checked": self.anchors_checked}
        if self.problem:
            data["problem"] = self.problem
        if self.mismatch is not None:
            data["mismatch"] = self.mismatch.as_json()
        if self.anchor is not None:
            data["anchor"] = {"head": self.anchor.head, "recorded": self.anchor.at}
        return data


def _describe(ev: AuditEvent) -> dict:
    return {"seq": ev.seq, "entity": ev.entity, "entity_id": ev.entity_id, "action": ev.action,
            "user": ev.user, "at": plain_value(ev.at)}


def verify(session: Session, batch: int = 5000, anchor: str | None = None, anchors: list | None = None,
           books: bool = True) -> VerifyResult:
    """Recompute the chain from the first event; name the first event that does not fit; then
    compare every audited table with what the trail says it holds (``books``).

    An edited event no longer matches its hash; a deleted, inserted or moved one breaks the link
    to its neighbour. Events cut off the end leave a shorter but consistent chain: ``anchor``, a
    head printed earlier (statements print it), must still be in the chain, and so must every
    head of ``anchors`` (``anchors.Anchor``, from the anchors file beside the database)."""
    total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    prev, last_seq, anchored = GENESIS, 0, anchor is None or anchor == GENESIS
    pending = {a.head: a for a in anchors or () if a.head != GENESIS}
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for ev in session.scalars(query):
        expected = event_hash(prev, ev.at, ev.user, ev.entity, ev.entity_id, ev.action, ev.before, ev.after)
        if ev.prev_hash != prev or ev.hash != expected:
            return VerifyResult(total, False, ev.seq, prev, _describe(ev), "changed")
        prev, last_seq = ev.hash, ev.seq
        anchored = anchored or ev.hash == anchor
        if pending:
            pending.pop(ev.hash, None)
    checked = len(anchors or ())
    if not anchored:
        return VerifyResult(total, False, last_seq + 1, prev, None, "missing", anchors_checked=checked)
    if pending:
        first = min(pending.values(), key=lambda a: a.line)
        return VerifyResult(total, False, None, prev, None, "anchor", anchor=first, anchors_checked=checked)
    if books:
        mismatch = check_books(session)
        if mismatch is not None:
            if mismatch.kind == "added":
                bad = {"seq": None, "entity": mismatch.table, "entity_id": mismatch.record, "action": "insert",
                       "user": "?", "at": "?"}
                return VerifyResult(total, False, last_seq + 1, prev, bad, "missing", mismatch, anchors_checked=checked)
            return VerifyResult(total, False, None, prev, None, "books", mismatch, anchors_checked=checked)
    return VerifyResult(total, True, None, prev, anchors_checked=checked)
