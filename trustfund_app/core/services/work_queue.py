"""What waits for the logged-in user: payments another user prepared that they may approve (the
second pair of eyes), grantee reports received and not yet reviewed. Conflicts between offices
join here once change packages exist (``WorkQueue.conflicts``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from trustfund_app.core.models import Grant, Grantee, GranteeReport, Instalment, InstalmentStatus
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.base import Service


@dataclass(frozen=True)
class PaymentToApprove:
    instalment_id: str
    grant_id: str
    grant_reference: str
    grantee: str
    seq: int
    amount: Money
    planned_date: date
    prepared_by: str


@dataclass(frozen=True)
class ReportToReview:
    report_id: str
    grant_id: str
    grant_reference: str
    grantee: str
    kind: str  # interim / final
    type: str  # narrative / financial
    due_date: date
    received_on: date


@dataclass(frozen=True)
class WorkQueue:
    payments: list[PaymentToApprove] = field(default_factory=list)
    reports: list[ReportToReview] = field(default_factory=list)
    # conflicts between field offices' change packages: filled by that feature when it lands
    conflicts: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.payments) + len(self.reports) + len(self.conflicts)


class WorkQueueService(Service):
    def mine(self) -> WorkQueue:
        """Only what this user may act on: four-eyes payments never include their own."""
        actor = self.actor
        with self.db.reading() as s:
            payments, reports = [], []
            if actor.can("disbursements.approve"):
                rows = s.execute(
                    select(Instalment.id, Grant.id, Grant.reference, Grantee.name, Instalment.seq,
                           Instalment.amount_usd_cents, Instalment.planned_date, Instalment.prepared_by)
                    .join(Grant, Grant.id == Instalment.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                    .where(Instalment.status == InstalmentStatus.PREPARED, Instalment.prepared_by != actor.name)
                    .order_by(Instalment.planned_date, Grant.reference, Instalment.seq))
                payments = [PaymentToApprove(str(i), str(g), ref, grantee, seq, Money.from_minor(cents, USD), planned,
                                             prepared_by)
                            for i, g, ref, grantee, seq, cents, planned, prepared_by in rows]
            if actor.can("grants"):
                rows = s.execute(
                    select(GranteeReport.id, Grant.id, Grant.reference, Grantee.name, GranteeReport.kind,
                           GranteeReport.type, GranteeReport.due_date, GranteeReport.received_on)
                    .join(Grant, Grant.id == GranteeReport.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                    .where(GranteeReport.received_on.is_not(None), GranteeReport.approved_on.is_(None))
                    .order_by(GranteeReport.received_on, Grant.reference))
                reports = [ReportToReview(str(r), str(g), ref, grantee, kind, type_, due, received)
                           for r, g, ref, grantee, kind, type_, due, received in rows]
            return WorkQueue(payments, reports)
