"""Grants: the list (filters by cycle, country, status), the detail (schedule, reports, victims,
refunds), closure and cancellation, and refunds of unspent balances.

Refunds. A refund returns money that was paid (net of earlier refunds, as of the refund date) and
reduces disbursements in the fund position; the PSC charged on that money is given back with it:
- when every paid instalment carried the same PSC rate, PSC given back = that rate % of the
  refund, rounded half-up to the cent (the same rule as on payment);
- when the rates differ (the setting changed between instalments), the PSC given back is
  proportional to the PSC actually charged: refund × PSC charged ÷ amount paid, rounded half-up;
- a refund of everything still paid gives back all the PSC still charged, so a fully refunded grant
  carries no PSC left over from rounding.
Closing a grant ends its commitment (the unpaid part no longer counts in the position); it needs
the final reports approved and no instalment waiting for approval. Cancelling does the same
without the reports (a grant that will not go on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.countries import check_country, region_of
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_date, ngettext
from trustfund_app.core.models import (
    Application, Grant, GrantCycle, Grantee, GranteeReport, GrantStatus, Instalment, InstalmentStatus, Refund,
    ReportKind, SubProgramme,
)
from trustfund_app.core.money import USD, Money, percent_of, round_half_up
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import money_text, as_uuid, fetch, optional_text, to_cents, usd
from trustfund_app.core.services.grants.instalments import InstalmentRow, grant_instalments
from trustfund_app.core.services.grants.reports import OPEN_GRANT, ReportRow, grant_reports
from trustfund_app.core.services.grants.victims import VictimsRow, grant_victims


@dataclass(frozen=True)
class GrantRow:
    id: str
    reference: str
    cycle_id: str
    cycle_number: int
    sub_programme: str | None
    grantee_id: str
    grantee: str
    country: str
    region: str | None
    title: str
    amount: Money
    paid: Money
    refunded: Money
    start: date
    end: date
    approved_on: date
    status: str
    closed_on: date | None
    sensitive: bool = False  # open data: published without title, organisation or location
    sensitive_reason: str | None = None

    @property
    def to_pay(self) -> Money:
        """Still to disburse (nothing once closed or cancelled)."""
        return self.amount - self.paid if self.status in OPEN_GRANT else Money.zero(USD)


@dataclass(frozen=True)
class RefundRow:
    id: str
    date: date
    amount: Money
    psc: Money
    note: str | None


@dataclass(frozen=True)
class GrantDetail:
    grant: GrantRow
    application_number: str | None
    board_meeting: str | None
    envelope_override: str | None
    instalments: list[InstalmentRow]
    reports: list[ReportRow]
    victims: list[VictimsRow]
    refunds: list[RefundRow]
    psc_paid: Money
    psc_refunded: Money


def _paid_query(at: date | None = None):
    query = select(Instalment.grant_id, func.sum(Instalment.amount_usd_cents).label("paid"),
                   func.sum(Instalment.psc_cents).label("psc")).where(Instalment.status == InstalmentStatus.PAID)
    if at is not None:
        query = query.where(Instalment.paid_on <= at)
    return query.group_by(Instalment.grant_id)


def refund_psc_cents(session, grant: Grant, amount_cents: int, on: date) -> int:
    """The PSC given back with a refund of ``amount_cents`` on ``on`` (rules in the module doc)."""
    paid = list(session.scalars(select(Instalment).where(
        Instalment.grant_id == grant.id, Instalment.status == InstalmentStatus.PAID, Instalment.paid_on <= on)))
    earlier = session.execute(select(func.coalesce(func.sum(Refund.amount_usd_cents), 0),
                                     func.coalesce(func.sum(Refund.psc_cents), 0))
                              .where(Refund.grant_id == grant.id, Refund.date <= on)).one()
    paid_net = sum(i.amount_usd_cents for i in paid) - int(earlier[0])
    psc_net = sum(i.psc_cents or 0 for i in paid) - int(earlier[1])
    if amount_cents > paid_net:
        raise ValidationError(_("{amount} is more than was paid on grant {reference} by {date} (net of refunds: "
                                "{paid})").format(amount=money_text(amount_cents), reference=grant.reference,
                                                  date=format_date(on), paid=money_text(max(paid_net, 0))), "amount")
    if amount_cents == paid_net:
        return psc_net
    rates = {i.psc_rate for i in paid}
    if len(rates) == 1:
        psc = percent_of(Money.from_minor(amount_cents, USD), rates.pop()).minor
    else:
        psc = int(round_half_up(Decimal(amount_cents * psc_net) / paid_net, 0))
    return min(psc, psc_net)


class GrantService(Service):
    # -- queries -----------------------------------------------------------------------------
    def list(self, cycle_id: str | None = None, country: str | None = None, status: str | None = None,
             grantee_id: str | None = None) -> list[GrantRow]:
        with self.db.reading() as s:
            query = select(Grant)
            if cycle_id:
                query = query.where(Grant.cycle_id == as_uuid(cycle_id))
            if country:
                query = query.where(Grant.country == check_country(country))
            if status:
                query = query.where(Grant.status == status)
            if grantee_id:
                query = query.where(Grant.grantee_id == as_uuid(grantee_id))
            return self._rows(s, list(s.scalars(query.order_by(Grant.reference))))

    def get(self, grant_id: str) -> GrantRow:
        with self.db.reading() as s:
            return self._rows(s, [fetch(s, Grant, grant_id, _("grant"))])[0]

    def find(self, reference: str) -> str | None:
        with self.db.reading() as s:
            found = s.scalar(select(Grant.id).where(Grant.reference == (reference or "").strip()))
            return str(found) if found else None

    def detail(self, grant_id: str) -> GrantDetail:
        with self.db.reading() as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            row = self._rows(s, [grant])[0]
            app_number = s.scalar(select(Application.number).where(Application.id == grant.application_id)) \
                if grant.application_id else None
            board = s.scalar(select(Application.board_meeting).where(Application.id == grant.application_id)) \
                if grant.application_id else None
            instalments = grant_instalments(s, grant.id)
            refunds = [RefundRow(str(r.id), r.date, usd(r.amount_usd_cents), usd(r.psc_cents), r.note)
                       for r in s.scalars(select(Refund).where(Refund.grant_id == grant.id).order_by(Refund.date))]
            psc_paid = sum((i.psc for i in instalments if i.psc is not None), Money.zero(USD))
            psc_refunded = sum((r.psc for r in refunds), Money.zero(USD))
            return GrantDetail(row, app_number, board, grant.envelope_override, instalments,
                               grant_reports(s, grant.id), grant_victims(s, grant.id), refunds, psc_paid, psc_refunded)

    @staticmethod
    def _rows(s, grants: list[Grant]) -> list[GrantRow]:
        if not grants:
            return []
        ids = [g.id for g in grants]
        paid = {gid: int(p or 0) for gid, p, _psc in s.execute(_paid_query().where(Instalment.grant_id.in_(ids)))}
        refunded = dict(s.execute(select(Refund.grant_id, func.sum(Refund.amount_usd_cents))
                                  .where(Refund.grant_id.in_(ids)).group_by(Refund.grant_id)).all())
        cycles = dict(s.execute(select(GrantCycle.id, GrantCycle.number)).all())
        subs = dict(s.execute(select(SubProgramme.id, SubProgramme.code)).all())
        names = dict(s.execute(select(Grantee.id, Grantee.name).where(
            Grantee.id.in_({g.grantee_id for g in grants}))).all())
        return [GrantRow(str(g.id), g.reference, str(g.cycle_id), cycles.get(g.cycle_id, 0), subs.get(g.sub_programme_id),
                         str(g.grantee_id), names.get(g.grantee_id, ""), g.country, region_of(g.country), g.title,
                         usd(g.amount_usd_cents), usd(paid.get(g.id, 0)), usd(refunded.get(g.id, 0)), g.start, g.end,
                         g.approved_on, g.status, g.closed_on, bool(g.sensitive), g.sensitive_reason) for g in grants]

    # -- status changes ----------------------------------------------------------------------
    def close(self, grant_id: str, closed_on: date) -> None:
        with self._write("grants") as s:
            grant = self._open_grant(s, grant_id, closed_on)
            missing = [r for r in s.scalars(select(GranteeReport).where(
                GranteeReport.grant_id == grant.id, GranteeReport.kind == ReportKind.FINAL)) if not r.approved_on]
            if missing:
                raise ValidationError(_("grant {reference} cannot be closed before its final reports are approved")
                                      .format(reference=grant.reference), "status")
            grant.status, grant.closed_on = GrantStatus.CLOSED, closed_on
        self._changed("grant", "update", grant_id)

    def cancel(self, grant_id: str, closed_on: date) -> None:
        with self._write("grants") as s:
            grant = self._open_grant(s, grant_id, closed_on)
            grant.status, grant.closed_on = GrantStatus.CANCELLED, closed_on
        self._changed("grant", "update", grant_id)

    def set_sensitive(self, grant_id: str, sensitive: bool, reason: str | None = None) -> None:
        """Flag a grant as sensitive (a shelter's location, a grantee at risk) with the reason, or
        clear the flag. The open-data exports then withhold its title, organisation and location."""
        reason = optional_text(reason)
        if sensitive and not reason:
            raise ValidationError(_("a sensitive grant needs the reason it is sensitive"), "sensitive_reason")
        if reason and len(reason) > 500:
            raise ValidationError(ngettext("the reason is too long (at most {count} character)",
                                           "the reason is too long (at most {count} characters)", 500).format(
                count=500), "sensitive_reason")
        with self._write("grants") as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            grant.sensitive, grant.sensitive_reason = bool(sensitive), reason if sensitive else None
        self._changed("grant", "update", grant_id)

    def refund(self, grant_id: str, on: date, amount, note: str | None = None) -> str:
        """Record an unspent balance returned by the grantee. Returns the refund id."""
        cents = to_cents(amount, "amount")
        with self._write("disbursements.approve") as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            psc = refund_psc_cents(s, grant, cents, on)
            refund = Refund(grant_id=grant.id, date=on, amount_usd_cents=cents, psc_cents=psc, note=optional_text(note))
            s.add(refund)
            s.flush()
            rid = str(refund.id)
        self._changed("grant", "update", grant_id)
        self._changed("refund", "insert", rid)
        return rid

    @staticmethod
    def _open_grant(s, grant_id, on: date) -> Grant:
        grant = fetch(s, Grant, grant_id, _("grant"))
        if grant.status not in OPEN_GRANT:
            raise ValidationError(_("grant {reference} is already closed or cancelled").format(reference=grant.reference), "status")
        if on < grant.approved_on:
            raise ValidationError(_("the closing date is before the grant was approved"), "closed_on")
        pending = s.scalar(select(func.count()).select_from(Instalment).where(
            Instalment.grant_id == grant.id, Instalment.status == InstalmentStatus.PREPARED))
        if pending:
            raise ValidationError(_("an instalment of grant {reference} is waiting for approval: approve or "
                                    "withdraw it first").format(reference=grant.reference), "status")
        return grant
