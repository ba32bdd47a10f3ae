"""Pledges that will not be paid: the unpaid part of a pledge written off (the donor will not pay)
or cancelled (the donor withdrew it), with a reason, in two steps — one user with the right to
record contributions requests it, a second user with the finance role approves it (four eyes;
the requester can never approve their own request, administrators included).

Only an approved write-off changes anything: from its effective date the pledge's unpaid part is
reduced by its amount (in the pledge's currency), so outstanding pledges, statements and the fund
position (which counts outstanding pledges at the as-of rate) agree. Nothing already received
changes. The amount is what was left on the pledge on the effective date, checked again at
approval (a payment that arrived meanwhile makes the request stale).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.i18n import _, format_date, format_money
from trustfund_app.core.models import (
    Contribution, ContributionKind, Donor, PledgeWriteOff, Role, WriteOffKind, WriteOffStatus, utcnow,
)
from trustfund_app.core.money import Money
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import as_uuid, fetch, required_text


@dataclass(frozen=True)
class WriteOffRow:
    id: str
    pledge_id: str
    donor_id: str
    donor: str
    pledge_reference: str
    pledge_date: date
    kind: str
    amount: Money
    effective_date: date
    reason: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None

    def as_json(self) -> dict:
        return {"id": self.id, "pledge": self.pledge_id, "donor": self.donor, "reference": self.pledge_reference,
                "kind": self.kind, "amount": f"{self.amount.amount}", "currency": self.amount.currency,
                "effective_date": self.effective_date.isoformat(), "reason": self.reason, "status": self.status,
                "requested_by": self.requested_by, "decided_by": self.decided_by}


def left_on_pledge(session, pledge: Contribution, at: date) -> int:
    """Minor units of the pledge still unpaid at ``at`` (after payments and approved write-offs):
    the one ledger rule (core/ledger.py), never a second copy of it."""
    from trustfund_app.core.ledger import pledges_left

    for row in pledges_left(session, at, donor_id=pledge.donor_id):
        if row.id == str(pledge.id):
            return row.left.minor
    return 0


def written_off(session, pledge_id, at: date) -> int:
    """Minor units of the pledge written off or cancelled (approved) with effect on or before ``at``."""
    from sqlalchemy import func

    return int(session.scalar(select(func.coalesce(func.sum(PledgeWriteOff.amount_minor), 0))
                              .where(PledgeWriteOff.pledge_id == pledge_id,
                                     PledgeWriteOff.status == WriteOffStatus.APPROVED,
                                     PledgeWriteOff.effective_date <= at)) or 0)


def _row(w: PledgeWriteOff, pledge: Contribution, donor: Donor) -> WriteOffRow:
    return WriteOffRow(str(w.id), str(w.pledge_id), str(pledge.donor_id), donor.name,
                       pledge.reference or pledge.receipt_number or "", pledge.date, w.kind,
                       Money.from_minor(w.amount_minor, pledge.currency), w.effective_date, w.reason, w.status,
                       w.requested_by, w.created_at, w.decided_by, w.decided_at)


class WriteOffService(Service):
    def request(self, pledge_id: str, kind: str, effective_date: date, reason: str) -> str:
        """First step: ask to write off (or cancel) everything left on the pledge at ``effective_date``."""
        reason = required_text(reason, "reason", _("give the reason"))
        try:
            kind = WriteOffKind(kind)
        except ValueError:
            raise ValidationError(_('unknown kind "{kind}" (use write_off or cancellation)').format(kind=kind),
                                  "kind") from None
        with self._write("contributions") as s:
            pledge = self._pledge(s, pledge_id)
            if effective_date < pledge.date:
                raise ValidationError(_("the date is before the pledge ({date})").format(
                    date=format_date(pledge.date)), "effective_date")
            if effective_date > date.today():
                raise ValidationError(_("a write-off cannot take effect in the future"), "effective_date")
            pending = s.scalar(select(PledgeWriteOff.id).where(PledgeWriteOff.pledge_id == pledge.id,
                                                              PledgeWriteOff.status == WriteOffStatus.REQUESTED))
            if pending is not None:
                raise ValidationError(_("this pledge already has a write-off waiting for approval"), "pledge")
            left = left_on_pledge(s, pledge, max(effective_date, date.today()))
            if left <= 0:
                raise ValidationError(_("nothing is left to pay on this pledge"), "pledge")
            left = min(left, left_on_pledge(s, pledge, effective_date))
            if left <= 0:
                raise ValidationError(_("nothing was left to pay on this pledge on {date}").format(
                    date=format_date(effective_date)), "effective_date")
            w = PledgeWriteOff(pledge_id=pledge.id, kind=kind, amount_minor=left, effective_date=effective_date,
                               reason=reason[:1000], requested_by=self.actor.name)
            s.add(w)
            s.flush()
            wid = str(w.id)
        self._changed("write_off", "insert", wid, str(pledge.id))
        return wid

    def approve(self, write_off_id: str) -> None:
        """Second step, by another user with the finance role: the pledge is reduced from the
        effective date on."""
        with self._write("contributions") as s:  # and the finance role: _decidable
            w = self._decidable(s, write_off_id)
            pledge = s.get(Contribution, w.pledge_id)
            left = min(left_on_pledge(s, pledge, w.effective_date), left_on_pledge(s, pledge, date.today()))
            if left < w.amount_minor:
                raise ValidationError(_("since the request, {amount} of this pledge was paid or written off; "
                                        "reject this request and make a new one").format(
                    amount=format_money(Money.from_minor(w.amount_minor - left, pledge.currency))), "amount")
            w.status, w.decided_by, w.decided_at = WriteOffStatus.APPROVED, self.actor.name, utcnow()
            pid = str(pledge.id)
        self._changed("write_off", "update", write_off_id, pid)
        self._changed("contribution", "update", pid)

    def reject(self, write_off_id: str) -> None:
        with self._write("contributions") as s:  # and the finance role: _decidable
            w = self._decidable(s, write_off_id)
            w.status, w.decided_by, w.decided_at = WriteOffStatus.REJECTED, self.actor.name, utcnow()
            pid = str(w.pledge_id)
        self._changed("write_off", "update", write_off_id, pid)

    def list(self, pledge_id: str | None = None, status: str | None = None) -> list[WriteOffRow]:
        with self.db.reading() as s:
            query = (select(PledgeWriteOff, Contribution, Donor)
                     .join(Contribution, Contribution.id == PledgeWriteOff.pledge_id)
                     .join(Donor, Donor.id == Contribution.donor_id))
            if pledge_id:
                query = query.where(PledgeWriteOff.pledge_id == as_uuid(pledge_id))
            if status:
                query = query.where(PledgeWriteOff.status == status)
            rows = s.execute(query.order_by(PledgeWriteOff.created_at)).all()
            return [_row(w, p, d) for w, p, d in rows]

    def find_pledge(self, reference: str) -> str:
        """A pledge by id, reference or receipt number."""
        with self.db.reading() as s:
            return str(self._pledge(s, reference).id)

    def _decidable(self, s, write_off_id: str) -> PledgeWriteOff:
        w = fetch(s, PledgeWriteOff, write_off_id, _("write-off"))
        if self.actor.role != Role.FINANCE:
            raise PermissionDenied(_("user {user} ({role}) may not decide on write-offs: a user with the finance "
                                     "role does").format(user=self.actor.name, role=self.actor.role))
        if w.requested_by == self.actor.name:
            raise PermissionDenied(_("{user} requested this write-off; another user with the finance role must "
                                     "decide (four eyes)").format(user=self.actor.name))
        if w.status != WriteOffStatus.REQUESTED:
            raise ValidationError(_("this write-off was already approved or rejected"), "status")
        return w

    @staticmethod
    def _pledge(s, pledge: str) -> Contribution:
        from trustfund_app.core.errors import NotFoundError

        row = None
        try:
            row = s.get(Contribution, as_uuid(pledge))
        except ValidationError:
            text = str(pledge).strip()
            row = s.scalar(select(Contribution).where((Contribution.reference == text)
                                                      | (Contribution.receipt_number == text)))
        if row is None:
            raise NotFoundError(_('no pledge "{reference}"').format(reference=pledge))
        if row.kind != ContributionKind.PLEDGE or row.reversed or row.reverses_id is not None:
            raise ValidationError(_("{reference} is not a pledge that stands").format(
                reference=row.reference or row.receipt_number or row.id), "pledge")
        return row
