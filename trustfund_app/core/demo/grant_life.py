"""What happened to each demo grant up to ``today``: its reports, instalments, victims assisted,
closure and refunds — following the rules the grant services enforce.

- Reports: interim (mid-term) and final (two months after the end), narrative and financial, due
  on the dates ``due_dates`` gives; received early, on time or late depending on the NGO, and
  approved some days later. A few recent grants never send their final reports (they show as
  overdue), nothing is received or approved after ``today``.
- Instalments: SGP1 70/30, SGP2 40/40/20 (``split_cents``: they add up to the grant to the cent).
  The first is paid at the start; the second is held until the interim financial report is
  approved, the third (SGP2) until the final financial report is. Each is prepared by ``programme``
  and approved by ``finance`` (four eyes) and carries the PSC rate and PSC of the day it was paid.
- A grant is closed a few weeks after its final reports are approved and everything is paid; some
  return an unspent balance first (a refund, with its PSC given back). Two older grants were
  cancelled after their first instalment, returning part of it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from trustfund_app.core.demo.cycles import PlannedGrant
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.models import (
    AssistanceType, Grant, GranteeReport, GrantStatus, Instalment, InstalmentStatus, Refund, ReportKind, ReportType,
    VictimsAssisted,
)
from trustfund_app.core.money import USD, Money, percent_of
from trustfund_app.core.services.grants.instalments import split_cents
from trustfund_app.core.services.grants.reports import due_dates

SHARES = {"SGP1": (70, 30), "SGP2": (40, 40, 20)}
LATENESS = {"good": (-10, 20), "late": (20, 90), "very_late": (120, 400)}
PREPARER, APPROVER = "programme", "finance"


def _stamp(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


class GrantLife:
    def __init__(self, writer: BulkWriter, rng: random.Random, today: date, psc_rate: Decimal):
        self.writer, self.rng, self.today, self.psc_rate = writer, rng, today, psc_rate
        self.rows: dict[str, list[dict]] = {k: [] for k in ("grant", "report", "instalment", "victims", "refund")}

    def write(self, grants: list[PlannedGrant], user: str) -> None:
        silent, cancelled = self._special(grants)
        for grant in grants:
            self._live(grant, grant.id in silent, grant.id in cancelled)
        self.writer.insert(Grant, self.rows["grant"], user)
        self.writer.insert(GranteeReport, self.rows["report"], user)
        self.writer.insert(Instalment, self.rows["instalment"], APPROVER)
        self.writer.insert(VictimsAssisted, self.rows["victims"], user)
        self.writer.insert(Refund, self.rows["refund"], APPROVER)

    def _special(self, grants: list[PlannedGrant]) -> tuple[set, set]:
        """Grants that never send their final reports (recent cycles) and two cancelled ones."""
        silent, cancelled = set(), set()
        for year in sorted({g.cycle_year for g in grants}):
            if year >= self.today.year - 2:
                candidates = [g.id for g in grants if g.cycle_year == year and g.code == "SGP1"]
                silent.update(self.rng.sample(candidates, min(2, len(candidates))))
        older = [g.id for g in grants if g.cycle_year <= self.today.year - 4 and g.code == "SGP2"]
        cancelled.update(self.rng.sample(older, min(2, len(older))))
        return silent, cancelled

    # -- one grant -------------------------------------------------------------------------
    def _live(self, g: PlannedGrant, silent: bool, cancelled: bool) -> None:
        due = due_dates(g.start, g.end)
        lateness = LATENESS[g.grantee.reliability]
        reports = {}
        for kind in (ReportKind.INTERIM, ReportKind.FINAL):
            received = None
            if not (cancelled or (silent and kind == ReportKind.FINAL)):
                received = due[kind] + timedelta(days=self.rng.randint(*lateness))
            for type_ in (ReportType.NARRATIVE, ReportType.FINANCIAL):
                got = received + timedelta(days=self.rng.randint(0, 5)) if received else None
                got = got if got and got <= self.today else None
                approved = got + timedelta(days=self.rng.randint(5, 30)) if got else None
                approved = approved if approved and approved <= self.today else None
                report = dict(id=self.writer.new_id(), grant_id=g.id, kind=kind, type=type_, due_date=due[kind],
                              received_on=got, approved_on=approved, approved_by=PREPARER if approved else None)
                reports[(kind, type_)] = report
                self.rows["report"].append(report)
                if type_ == ReportType.NARRATIVE and approved:
                    self._victims(report["id"], g.amount_cents)
        paid = self._instalments(g, due, reports, stop_after_first=cancelled)
        status, closed_on = GrantStatus.APPROVED, None
        if paid:
            status = GrantStatus.ACTIVE
        last_paid = max(paid, default=None)
        if cancelled and paid:
            closed_on = due[ReportKind.INTERIM] + timedelta(days=self.rng.randint(15, 45))
            if closed_on <= self.today:
                status = GrantStatus.CANCELLED
                first = self.rows["instalment"][-len(SHARES[g.code])]["amount_usd_cents"]
                self._refund(g, closed_on, first * self.rng.randint(30, 60) // 100,
                             "Unspent part of the first instalment returned after cancellation")
            else:
                closed_on = None
        finals = [reports[(ReportKind.FINAL, t)]["approved_on"] for t in ReportType]
        if not cancelled and all(finals) and len(paid) == len(SHARES[g.code]):
            done = max(finals + paid)
            closing = done + timedelta(days=self.rng.randint(10, 40))
            if closing <= self.today:
                status, closed_on = GrantStatus.CLOSED, closing
                if self.rng.random() < 0.08:
                    cents = g.amount_cents * self.rng.randint(100, 800) // 10_000 + self.rng.randint(0, 99)
                    self._refund(g, max(closing - timedelta(days=self.rng.randint(0, 9)), last_paid), cents,
                                 "Unspent balance returned at closure")
        self.rows["grant"].append(dict(
            id=g.id, reference=g.reference, application_id=g.application_id, cycle_id=g.cycle_id,
            sub_programme_id=g.sub_programme_id, grantee_id=g.grantee.id, country=g.grantee.country, title=g.title,
            amount_usd_cents=g.amount_cents, start=g.start, end=g.end, approved_on=g.approved_on, status=status,
            closed_on=closed_on))

    def _instalments(self, g: PlannedGrant, due: dict, reports: dict, stop_after_first: bool) -> list[date]:
        """Writes the schedule; returns the dates of the instalments paid."""
        amounts = split_cents(g.amount_cents, list(SHARES[g.code]))
        holds = [None, reports[(ReportKind.INTERIM, ReportType.FINANCIAL)],
                 reports[(ReportKind.FINAL, ReportType.FINANCIAL)]]
        planned = [g.start, due[ReportKind.INTERIM] + timedelta(days=15), due[ReportKind.FINAL] + timedelta(days=30)]
        paid_dates = []
        for seq, cents in enumerate(amounts, start=1):
            held = holds[seq - 1]
            row = dict(id=self.writer.new_id(), grant_id=g.id, seq=seq, planned_date=planned[seq - 1],
                       amount_usd_cents=cents, held_until_report_id=held["id"] if held else None,
                       status=InstalmentStatus.PLANNED)
            self.rows["instalment"].append(row)
            blocked = stop_after_first and seq > 1
            released = g.start if held is None else held["approved_on"]
            if blocked or released is None or (seq > 1 and len(paid_dates) < seq - 1):
                continue
            pay_on = released + timedelta(days=self.rng.randint(0, 10) if held is None else self.rng.randint(3, 15))
            if pay_on <= self.today:
                row.update(status=InstalmentStatus.PAID, prepared_by=PREPARER,
                           prepared_at=_stamp(max(pay_on - timedelta(days=2), released), 10), approved_by=APPROVER,
                           paid_on=pay_on, psc_rate=self.psc_rate,
                           psc_cents=percent_of(Money.from_minor(cents, USD), self.psc_rate).minor)
                paid_dates.append(pay_on)
            elif released <= self.today and self.rng.random() < 0.6:
                # waiting for the second pair of eyes (the finance officer's to-do list)
                row.update(status=InstalmentStatus.PREPARED, prepared_by=PREPARER,
                           prepared_at=_stamp(max(released, self.today - timedelta(days=3)), 9))
        return paid_dates

    def _victims(self, report_id, amount_cents: int) -> None:
        # roughly USD 80-250 per person assisted; each of the two narrative reports covers half
        people = max(int(amount_cents / 100 / self.rng.uniform(80, 250) / 2), 12)
        kinds = self.rng.sample(list(AssistanceType), self.rng.randint(2, 4))
        for kind in kinds:
            n = max(people // len(kinds) + self.rng.randint(-3, 3), 4)
            women = int(n * self.rng.uniform(0.40, 0.55))
            girls = int(n * self.rng.uniform(0.18, 0.30))
            men = int(n * self.rng.uniform(0.08, 0.18))
            self.rows["victims"].append(dict(report_id=report_id, assistance=str(kind), women=women, girls=girls,
                                             men=men, boys=max(n - women - girls - men, 0)))

    def _refund(self, g: PlannedGrant, on: date, cents: int, note: str) -> None:
        # every instalment of the demo carries the same PSC rate: PSC given back = that rate % of it
        psc = percent_of(Money.from_minor(cents, USD), self.psc_rate).minor
        self.rows["refund"].append(dict(grant_id=g.id, date=on, amount_usd_cents=cents, psc_cents=psc, note=note))
