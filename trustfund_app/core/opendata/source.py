"""What the open-data exports publish, read from the database in one go into plain values (the
builders never touch the ORM, so they run the same in a background job, a command or a benchmark).

Rules kept here, once for both standards:
- a grant is in a year's file when it was approved, ran, or had a payment that year; only that
  year's transactions are listed;
- disbursements are the instalments paid, and refunds of unspent balances as negative
  disbursements, so a year's disbursements equal the fund position's for that year;
- expenditure comes from approved financial reports: on approval, a report accounts for what was
  paid up to its due date and not yet accounted for (the final one: everything paid, net of refunds);
- contributions are pledges (incoming commitments) and payments (incoming funds) in their own
  currency; a reversed entry and its reversal cancel out and are both left out; individual donors
  are never named: their gifts are summed per year, kind and currency as "anonymous individual
  donors".
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from trustfund_app.core.models import (
    Contribution, Donor, DonorType, Grant, GrantCycle, Grantee, GranteeReport, Instalment, InstalmentStatus, Refund,
    ReportType, SubProgramme, VictimsAssisted,
)


@dataclass
class GrantData:
    id: str
    reference: str
    title: str
    country: str  # ISO 3166 alpha-3
    start: date
    end: date
    approved_on: date
    status: str
    closed_on: date | None
    amount_cents: int
    sensitive: bool
    sensitive_reason: str | None
    grantee_id: str
    grantee_name: str
    grantee_org_id: str | None
    cycle_number: int
    cycle_name: str
    sub_programme: str | None
    planned: list[tuple[date, int]] = field(default_factory=list)  # the whole schedule
    disbursements: list[tuple[date, int, str]] = field(default_factory=list)  # (date, cents, "instalment"/"refund")
    expenditures: list[tuple[date, int]] = field(default_factory=list)
    victims: dict[str, int] = field(default_factory=dict)  # women/girls/men/boys, the whole grant


@dataclass(frozen=True)
class ContributionData:
    kind: str  # pledge / payment
    date: date
    currency: str
    amount_minor: int
    donor_name: str  # "" for anonymous individual donors
    donor_type: str
    donor_country: str | None
    count: int = 1  # gifts summed into this line (individual donors)


@dataclass
class OpenData:
    year: int | None
    grants: list[GrantData]
    contributions: list[ContributionData]

    def in_year(self, on: date) -> bool:
        return self.year is None or on.year == self.year


def _in_year(year: int | None, start: date, end: date) -> bool:
    return year is None or (start.year <= year <= end.year)


def read_open_data(session, year: int | None = None, grant_ids: list[str] | None = None) -> OpenData:
    grants = _grants(session, year, grant_ids)
    return OpenData(year, grants, _contributions(session, year))


def _grants(session, year: int | None, grant_ids: list[str] | None) -> list[GrantData]:
    # plain columns, not ORM objects: a thousand grants read without building entities
    query = (select(Grant.id, Grant.reference, Grant.title, Grant.country, Grant.start, Grant.end, Grant.approved_on,
                    Grant.status, Grant.closed_on, Grant.amount_usd_cents, Grant.sensitive, Grant.sensitive_reason,
                    Grant.grantee_id, Grantee.name, Grantee.org_id, GrantCycle.number, GrantCycle.name,
                    SubProgramme.code)
             .join(Grantee, Grantee.id == Grant.grantee_id).join(GrantCycle, GrantCycle.id == Grant.cycle_id)
             .outerjoin(SubProgramme, SubProgramme.id == Grant.sub_programme_id).order_by(Grant.reference))
    if grant_ids is not None:
        query = query.where(Grant.id.in_([uuid.UUID(str(i)) for i in grant_ids]))
    found: dict[uuid.UUID, GrantData] = {}
    for (gid, reference, title, country, start, end, approved_on, status, closed_on, cents, sensitive, reason,
         grantee_id, grantee, org_id, cycle_number, cycle_name, sub) in session.execute(query):
        found[gid] = GrantData(str(gid), reference, title, country, start, end, approved_on, status, closed_on, cents,
                               bool(sensitive), reason, str(grantee_id), grantee, org_id, cycle_number, cycle_name,
                               sub)
    paid_by_grant: dict[uuid.UUID, list[tuple[date, int]]] = defaultdict(list)
    for i in session.execute(select(Instalment.grant_id, Instalment.seq, Instalment.planned_date,
                                    Instalment.amount_usd_cents, Instalment.status, Instalment.paid_on)
                             .order_by(Instalment.grant_id, Instalment.seq)):
        if i.grant_id not in found:
            continue
        found[i.grant_id].planned.append((i.planned_date, i.amount_usd_cents))
        if i.status == InstalmentStatus.PAID and i.paid_on is not None:
            paid_by_grant[i.grant_id].append((i.paid_on, i.amount_usd_cents))
    refunds_by_grant: dict[uuid.UUID, list[tuple[date, int]]] = defaultdict(list)
    for r in session.execute(select(Refund.grant_id, Refund.date, Refund.amount_usd_cents).order_by(Refund.date)):
        if r.grant_id in found:
            refunds_by_grant[r.grant_id].append((r.date, r.amount_usd_cents))
    reports: dict[uuid.UUID, list[tuple[date, date, str]]] = defaultdict(list)
    for r in session.execute(select(GranteeReport.grant_id, GranteeReport.due_date, GranteeReport.approved_on,
                                    GranteeReport.kind).where(GranteeReport.type == ReportType.FINANCIAL,
                                                              GranteeReport.approved_on.is_not(None))
                             .order_by(GranteeReport.approved_on)):
        if r.grant_id in found:
            reports[r.grant_id].append((r.due_date, r.approved_on, r.kind))
    for v in session.execute(select(GranteeReport.grant_id, VictimsAssisted.women, VictimsAssisted.girls,
                                    VictimsAssisted.men, VictimsAssisted.boys)
                             .join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)):
        if v.grant_id in found:
            totals = found[v.grant_id].victims
            for group in ("women", "girls", "men", "boys"):
                totals[group] = totals.get(group, 0) + int(getattr(v, group) or 0)
    out = []
    for gid, g in found.items():
        paid, refunds = paid_by_grant[gid], refunds_by_grant[gid]
        g.disbursements = sorted([(d, c, "instalment") for d, c in paid] + [(d, -c, "refund") for d, c in refunds])
        g.expenditures = _expenditures(paid, refunds, reports[gid])
        if year is not None:
            g.disbursements = [t for t in g.disbursements if t[0].year == year]
            g.expenditures = [t for t in g.expenditures if t[0].year == year]
            touched = (g.approved_on.year == year or _in_year(year, g.start, g.closed_on or g.end)
                       or g.disbursements or g.expenditures)
            if not touched:
                continue
        out.append(g)
    return out


def _expenditures(paid: list[tuple[date, int]], refunds: list[tuple[date, int]],
                  reports: list[tuple[date, date, str]]) -> list[tuple[date, int]]:
    out, accounted = [], 0
    for due, approved, kind in reports:
        if kind == "final":
            covered = sum(c for _d, c in paid) - sum(c for _d, c in refunds)
        else:
            covered = sum(c for d, c in paid if d <= due)
        if covered > accounted:
            out.append((approved, covered - accounted))
            accounted = covered
    return out


def _contributions(session, year: int | None) -> list[ContributionData]:
    query = (select(Contribution.kind, Contribution.date, Contribution.currency, Contribution.amount_minor,
                    Donor.name, Donor.type, Donor.country)
             .join(Donor, Donor.id == Contribution.donor_id)
             .where(Contribution.reversed.is_(False), Contribution.reverses_id.is_(None))
             .order_by(Contribution.date, Donor.name, Contribution.currency))
    named: list[ContributionData] = []
    anonymous: dict[tuple[int, str, str], list] = {}
    for kind, on, currency, minor, name, dtype, country in session.execute(query):
        if year is not None and on.year != year:
            continue
        if dtype == DonorType.INDIVIDUAL:
            key = (on.year, kind, currency)
            last, total, count = anonymous.get(key, (on, 0, 0))
            anonymous[key] = (max(last, on), total + minor, count + 1)
        else:
            named.append(ContributionData(kind, on, currency, minor, name, dtype, country))
    for (_y, kind, currency), (last, total, count) in sorted(anonymous.items()):
        named.append(ContributionData(kind, last, currency, total, "", DonorType.INDIVIDUAL, None, count))
    named.sort(key=lambda c: (c.date, c.kind, c.donor_name, c.currency))
    return named
