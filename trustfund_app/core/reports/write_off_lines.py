"""The pledges of a donor written off or cancelled (approved) with effect in a statement's period:
the statement shows them, so that a pledge that left the outstanding list is accounted for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from trustfund_app.core.models import Contribution, PledgeWriteOff, WriteOffStatus
from trustfund_app.core.money import Money


@dataclass(frozen=True)
class WrittenOff:
    effective_date: date
    pledge_date: date
    receipt_number: str | None
    reference: str | None
    kind: str  # write_off / cancellation
    amount: Money  # in the pledge's currency


def written_off_in_period(session, donor_key: uuid.UUID, start: date, end: date) -> list[WrittenOff]:
    rows = session.execute(
        select(PledgeWriteOff, Contribution)
        .join(Contribution, Contribution.id == PledgeWriteOff.pledge_id)
        .where(Contribution.donor_id == donor_key, PledgeWriteOff.status == WriteOffStatus.APPROVED,
               PledgeWriteOff.effective_date >= start, PledgeWriteOff.effective_date <= end)
        .order_by(PledgeWriteOff.effective_date, Contribution.date)).all()
    return [WrittenOff(w.effective_date, p.date, p.receipt_number, p.reference, w.kind,
                       Money.from_minor(w.amount_minor, p.currency)) for w, p in rows]
