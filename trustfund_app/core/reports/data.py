"""What a donor statement shows, read from the database into plain dataclasses (no ORM objects
leave the session; the PDF is laid out afterwards, possibly on another thread)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select

from trustfund_app.core import audit
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import (
    AuditEvent,
    Contribution,
    ContributionKind,
    Donor,
    Grant,
    GranteeReport,
    Instalment,
    InstalmentStatus,
    VictimsAssisted,
)
from trustfund_app.core.ledger import RatesAt, pledges_left
from trustfund_app.core.money import USD, Money
from trustfund_app.core.reports.write_off_lines import written_off_in_period
from trustfund_app.core.services.settings import read_setting


@dataclass(frozen=True)
class Letterhead:
    fund_name: str
    office: str
    demo: bool
    audit_head: str
    receipt_prefix: str


@dataclass(frozen=True)
class DonorInfo:
    id: str
    name: str
    type: str
    country: str | None
    address: str | None
    language: str
    names: tuple = ()  # (language, name) pairs kept for the donor; see core/donor_names.py

    def display_name(self, lang: str) -> str:
        from trustfund_app.core.donor_names import donor_display_name

        return donor_display_name(self, lang)


@dataclass(frozen=True)
class Entry:
    """A pledge or payment as recorded: original amount, rate used and the stored USD equivalent."""

    date: date
    kind: str
    receipt_number: str | None
    reference: str | None
    amount: Money
    rate: Decimal
    rate_date: date
    usd: Money
    reversal: bool
    # a reversal of an entry shown on an earlier statement: that entry's date and number, and why
    corrects_date: date | None = None
    corrects_ref: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PledgeBalance:
    date: date
    receipt_number: str | None
    reference: str | None
    pledged: Money
    paid: Money
    rate: Decimal  # in force on the as-of date (receivables are revalued)
    usd: Money  # outstanding, valued at that rate

    @property
    def outstanding(self) -> Money:
        return self.pledged - self.paid


@dataclass(frozen=True)
class YearGiving:
    year: int
    pledged: Money
    received: Money


@dataclass(frozen=True)
class Victims:
    women: int = 0
    girls: int = 0
    men: int = 0
    boys: int = 0

    @property
    def total(self) -> int:
        return self.women + self.girls + self.men + self.boys


@dataclass(frozen=True)
class FundUse:
    grants_approved: int
    approved: Money
    projects_paid: int
    disbursed: Money
    countries: list[str]  # ISO alpha-3 of projects approved or paid in the period
    victims: Victims


@dataclass(frozen=True)
class StatementData:
    letterhead: Letterhead
    donor: DonorInfo
    start: date
    end: date
    number: str
    entries: list[Entry]
    pledged_period: Money
    received_period: Money
    pledged_total: Money  # since inception, up to the end of the period
    received_total: Money
    outstanding: list[PledgeBalance]
    by_year: list[YearGiving]
    fund_use: FundUse
    first_year: int | None = None
    written_off: list = field(default_factory=list)  # WrittenOff in the period (write_off_lines)

    @property
    def outstanding_usd(self) -> Money:
        return sum((p.usd for p in self.outstanding), Money.zero(USD))


def _usd(cents) -> Money:
    return Money.from_minor(int(cents or 0), USD)


def letterhead(session) -> Letterhead:
    from trustfund_app.core import anchors

    head = audit.head(session)
    # the head leaves the database on the document: keep it in the anchors file too (issue 15)
    anchors.record_for_session(session, head, "statement or report")
    return Letterhead(
        read_setting(session, "fund_name"), read_setting(session, "office"), read_setting(session, "demo") == "1",
        head, read_setting(session, "receipt_prefix"),
    )


def statement_number(prefix: str, donor_id: str, start: date, end: date) -> str:
    """Stable for the same donor and period, so a re-issued statement keeps its number."""
    digest = hashlib.sha256(f"{donor_id}|{start.isoformat()}|{end.isoformat()}".encode()).hexdigest()
    return f"{prefix}-S-{end.year}-{digest[:8].upper()}"


def donor_info(session, donor_id: str) -> DonorInfo:
    try:
        key = uuid.UUID(str(donor_id))
    except ValueError:
        key = None
    donor = session.get(Donor, key) if key else None
    if donor is None:
        raise ValidationError(_('no donor "{donor}"').format(donor=donor_id), "donor")
    return DonorInfo(str(donor.id), donor.name, donor.type, donor.country, donor.address, donor.language,
                     tuple(sorted((donor.names or {}).items())))


def _totals(session, donor_key, start: date, end: date) -> tuple[Money, Money, Money, Money]:
    """Pledged and received in the period and since inception (up to ``end``), in one query."""
    c = Contribution
    in_period = c.date >= start
    pledge, payment = c.kind == ContributionKind.PLEDGE, c.kind == ContributionKind.PAYMENT
    row = session.execute(
        select(func.sum(c.usd_cents).filter(pledge, in_period), func.sum(c.usd_cents).filter(payment, in_period),
               func.sum(c.usd_cents).filter(pledge), func.sum(c.usd_cents).filter(payment))
        .where(c.donor_id == donor_key, c.date <= end)).one()
    return tuple(_usd(v) for v in row)


def entries(session, donor_key, start: date, end: date) -> list[Entry]:
    """The period's entries as the donor should read them: an entry reversed within the period and
    its reversal both leave (they cancel out; the totals are unchanged); a reversal of an entry
    from before the period stays, as a dated correction naming that entry and the reason."""
    c = Contribution
    rows = session.execute(  # plain columns, not ORM objects: a statement may list hundreds
        select(c.id, c.date, c.kind, c.receipt_number, c.reference, c.amount_minor, c.currency, c.rate, c.rate_date,
               c.usd_cents, c.reverses_id, c.note)
        .where(c.donor_id == donor_key, c.date >= start, c.date <= end)
        .order_by(c.date, c.receipt_number, c.id)
    ).all()
    in_period = {r.id for r in rows}
    cancelled = {r.reverses_id for r in rows if r.reverses_id in in_period}
    earlier = {r.reverses_id for r in rows if r.reverses_id is not None and r.reverses_id not in in_period}
    originals = {o.id: o for o in session.execute(
        select(c.id, c.date, c.receipt_number, c.reference).where(c.id.in_(earlier)))} if earlier else {}
    reasons = _reversal_reasons(session, earlier)
    out = []
    for r in rows:
        if r.id in cancelled or r.reverses_id in cancelled:
            continue
        out.append(statement_entry(r, originals.get(r.reverses_id), reasons))
    return out


def statement_entry(r, original, reasons: dict) -> Entry:
    """A statement line from contribution row ``r``; a reversal of ``original`` (shown on an earlier
    statement) carries its date, number and the reason of the correction."""
    return Entry(
        r.date, r.kind, r.receipt_number, r.reference, Money.from_minor(r.amount_minor, r.currency),
        r.rate, r.rate_date, _usd(r.usd_cents), r.reverses_id is not None,
        original.date if original else None,
        (original.receipt_number or original.reference) if original else None,
        (reasons.get(r.reverses_id) or r.note) if original else None)


def _reversal_reasons(session, original_ids) -> dict:
    """The reason given when each entry was reversed (kept with that change in the audit trail)."""
    if not original_ids:
        return {}
    import json

    out = {}
    for entity_id, after in session.execute(
            select(AuditEvent.entity_id, AuditEvent.after)
            .where(AuditEvent.entity == "contribution", AuditEvent.action == "update",
                   AuditEvent.entity_id.in_([str(i) for i in original_ids]))):
        values = json.loads(after) if after else {}
        if values.get("reversed") is True and values.get(audit.REASON_KEY):
            out[uuid.UUID(entity_id)] = values[audit.REASON_KEY]
    return out


def pledge_balances(session, donor_key, at: date) -> list[PledgeBalance]:
    """Each pledge with something left to pay on ``at``, valued in USD at the rate in force on
    ``at`` (``core/ledger``: the rule the fund position and the outstanding list follow)."""
    rates = RatesAt(session, at)
    return [PledgeBalance(p.date, p.receipt_number, p.reference, p.pledged, p.paid, rates.rate(p.currency),
                          rates.usd(p.left))
            for p in pledges_left(session, at, donor_key)]


def giving_by_year(session, donor_key, end: date) -> list[YearGiving]:
    year = func.extract("year", Contribution.date)
    rows = session.execute(
        select(year, Contribution.kind, func.sum(Contribution.usd_cents))
        .where(Contribution.donor_id == donor_key, Contribution.date <= end)
        .group_by(year, Contribution.kind)
    ).all()
    by: dict[int, dict[str, int]] = {}
    for y, kind, cents in rows:
        by.setdefault(int(y), {})[kind] = int(cents or 0)
    if not by:
        return []
    return [
        YearGiving(y, _usd(by.get(y, {}).get(ContributionKind.PLEDGE)), _usd(by.get(y, {}).get(ContributionKind.PAYMENT)))
        for y in range(min(by), max(by) + 1)
    ]


def victims_reported(session, start: date, end: date) -> Victims:
    """Victims assisted, from grantee reports approved (or, before approval, received) in the period."""
    when = func.coalesce(GranteeReport.approved_on, GranteeReport.received_on)
    row = session.execute(
        select(func.sum(VictimsAssisted.women), func.sum(VictimsAssisted.girls), func.sum(VictimsAssisted.men),
               func.sum(VictimsAssisted.boys))
        .join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)
        .where(when >= start, when <= end)
    ).one()
    return Victims(*(int(v or 0) for v in row))


def fund_use(session, start: date, end: date) -> FundUse:
    approved = session.execute(
        select(func.count(), func.sum(Grant.amount_usd_cents))
        .where(Grant.approved_on >= start, Grant.approved_on <= end)).one()
    paid_in_period = and_(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on >= start,
                          Instalment.paid_on <= end)
    paid = session.execute(
        select(func.count(func.distinct(Instalment.grant_id)), func.sum(Instalment.amount_usd_cents))
        .where(paid_in_period)).one()
    countries = set(session.scalars(select(Grant.country).where(Grant.approved_on >= start, Grant.approved_on <= end)))
    countries |= set(session.scalars(
        select(Grant.country).join(Instalment, Instalment.grant_id == Grant.id).where(paid_in_period)))
    return FundUse(int(approved[0] or 0), _usd(approved[1]), int(paid[0] or 0), _usd(paid[1]),
                   sorted(countries), victims_reported(session, start, end))


@dataclass(frozen=True)
class PeriodShared:
    """What every statement of one period shows alike (letterhead, audit head, use of the fund):
    read once for a whole batch instead of once per donor."""

    letterhead: Letterhead
    fund_use: FundUse


def period_shared(session, start: date, end: date) -> PeriodShared:
    return PeriodShared(letterhead(session), fund_use(session, start, end))


def statement_data(session, donor_id: str, start: date, end: date, shared: PeriodShared | None = None) -> StatementData:
    if start > end:
        raise ValidationError(_("the period starts after it ends"), "from")
    donor = donor_info(session, donor_id)
    key = uuid.UUID(donor.id)
    shared = shared or period_shared(session, start, end)
    head = shared.letterhead
    first = session.scalar(select(func.min(Contribution.date)).where(Contribution.donor_id == key))
    totals = _totals(session, key, start, end)
    return StatementData(
        letterhead=head,
        donor=donor,
        start=start,
        end=end,
        number=statement_number(head.receipt_prefix, donor.id, start, end),
        entries=entries(session, key, start, end),
        pledged_period=totals[0],
        received_period=totals[1],
        pledged_total=totals[2],
        received_total=totals[3],
        outstanding=pledge_balances(session, key, end),
        by_year=giving_by_year(session, key, end),
        fund_use=shared.fund_use,
        first_year=first.year if first else None,
        written_off=written_off_in_period(session, key, start, end),
    )


def donors_active_in(session, year: int) -> list[DonorInfo]:
    """Donors that pledged or paid in ``year`` (the batch of statements), by name."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    active = select(Contribution.donor_id).where(Contribution.date >= start, Contribution.date <= end).distinct()
    rows = session.scalars(select(Donor).where(Donor.id.in_(active)).order_by(Donor.name))
    return [DonorInfo(str(d.id), d.name, d.type, d.country, d.address, d.language) for d in rows]


def resolve_donor(session, id_or_name: str) -> str:
    """A donor id from an id, a name or an alias (case- and accent-insensitive)."""
    from trustfund_app.core.services.donors import DonorService

    text = (id_or_name or "").strip()
    try:
        key = uuid.UUID(text)
    except ValueError:
        key = None
    if key is not None and session.get(Donor, key) is not None:
        return str(key)
    found = DonorService.find_in(session, text)
    if found is None:
        raise ValidationError(_('unknown donor "{donor}"').format(donor=id_or_name), "donor")
    return found
