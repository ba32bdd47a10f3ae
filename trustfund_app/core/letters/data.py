"""What each letter says, read from the database into plain dataclasses (the document is laid
out afterwards, possibly on another thread): the recipient and its language, the values the
wording names, a details table and, for the award and the reminder, the tables of instalments
and reports. Values stay typed (Money, date, …) and are formatted in the letter's language."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_date
from trustfund_app.core.models import (
    Allocation, Contribution, ContributionKind, Donor, Grant, GrantCycle, Grantee, GranteeReport, Instalment,
)
from trustfund_app.core.money import USD, Money
from trustfund_app.core.reports.data import Letterhead, letterhead
from trustfund_app.core.services.grants.reports import OPEN_GRANT


@dataclass(frozen=True)
class Ref:
    """A reference or code: read left to right even inside Arabic."""

    text: str


@dataclass(frozen=True)
class Country:
    code: str


@dataclass(frozen=True)
class ReportName:
    kind: str
    type: str


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class LetterData:
    kind: str
    letterhead: Letterhead
    number: str  # the document number in the footer and "our reference"
    language: str  # the recipient's
    recipient: str
    contact: str | None
    address: str | None
    country: str | None
    values: dict  # what the wording names: {amount}, {donor}, …
    details: list[tuple[str, object]]  # (key of the label, value), shown as a two-column table
    tables: dict[str, list[dict]] = field(default_factory=dict)  # award: instalments, reports; reminder: reports


def _uuid(text: str):
    try:
        return uuid.UUID(str(text).strip())
    except ValueError:
        return None


def _contribution(session, key: str, kind: str) -> Contribution:
    text = (key or "").strip()
    found = session.get(Contribution, _uuid(text)) if _uuid(text) else None
    if found is None:
        found = session.scalars(select(Contribution).where(
            or_(Contribution.receipt_number == text, Contribution.reference == text))).first()
    if found is None:
        what = _("pledge") if kind == ContributionKind.PLEDGE else _("payment")
        raise ValidationError(_('no {what} "{key}" (give its id, receipt number or reference)').format(
            what=what, key=key), "for")
    if found.kind != kind:
        raise ValidationError(_('"{key}" is a payment, not a pledge').format(key=key) if kind == ContributionKind.PLEDGE
                              else _('"{key}" is a pledge, not a payment').format(key=key), "for")
    if found.reversed or found.reverses_id:
        raise ValidationError(_('"{key}" was reversed; no letter is written for it').format(key=key), "for")
    return found


def _money(c: Contribution) -> tuple[Money, Money]:
    return Money.from_minor(c.amount_minor, c.currency), Money.from_minor(c.usd_cents, USD)


def _donor_letter(session, kind: str, c: Contribution, details: list, extra: dict) -> LetterData:
    donor = session.get(Donor, c.donor_id)
    amount, usd = _money(c)
    number = c.receipt_number or c.reference or str(c.id)[:8]
    values = {"donor": donor.name, "amount": amount, "usd": usd, "date": c.date, "number": Ref(number),
              "reference": Ref(c.reference or "")}
    values.update(extra)
    return LetterData(kind, letterhead(session), number, donor.language or "en", donor.name, donor.contact_person,
                      donor.address, donor.country, values, [(k, v) for k, v in details if v not in (None, "")])


def acknowledgement_data(session, key: str) -> LetterData:
    c = _contribution(session, key, ContributionKind.PLEDGE)
    amount, usd = _money(c)
    details = [("number", Ref(c.receipt_number or "")), ("date", c.date), ("amount", amount), ("usd", usd),
               ("rate", c.rate if c.currency != USD else None), ("reference", Ref(c.reference) if c.reference else None),
               ("earmark", c.earmark)]
    return _donor_letter(session, "acknowledgement", c, details, {})


def receipt_data(session, key: str) -> LetterData:
    c = _contribution(session, key, ContributionKind.PAYMENT)
    amount, usd = _money(c)
    pledges = session.scalars(
        select(Contribution.receipt_number).join(Allocation, Allocation.pledge_id == Contribution.id)
        .where(Allocation.payment_id == c.id).order_by(Contribution.date)).all()
    details = [("number", Ref(c.receipt_number or "")), ("date", c.date), ("amount", amount), ("usd", usd),
               ("rate", c.rate if c.currency != USD else None), ("reference", Ref(c.reference) if c.reference else None),
               ("pledges", Ref(", ".join(p for p in pledges if p)) if any(pledges) else None), ("earmark", c.earmark)]
    return _donor_letter(session, "receipt", c, details, {})


def _grant(session, key: str) -> Grant:
    text = (key or "").strip()
    found = session.get(Grant, _uuid(text)) if _uuid(text) else None
    found = found or session.scalars(select(Grant).where(Grant.reference == text)).first()
    if found is None:
        raise ValidationError(_('no grant "{key}" (give its id or agreement number)').format(key=key), "for")
    return found


def award_data(session, key: str) -> LetterData:
    grant = _grant(session, key)
    grantee = session.get(Grantee, grant.grantee_id)
    cycle = session.get(GrantCycle, grant.cycle_id)
    amount = Money.from_minor(grant.amount_usd_cents, USD)
    reports = list(session.scalars(select(GranteeReport).where(GranteeReport.grant_id == grant.id)
                                   .order_by(GranteeReport.due_date, GranteeReport.kind, GranteeReport.type)))
    by_id = {r.id: r for r in reports}
    instalments = [{"seq": i.seq, "date": i.planned_date, "amount": Money.from_minor(i.amount_usd_cents, USD),
                    "condition": ReportName(by_id[i.held_until_report_id].kind, by_id[i.held_until_report_id].type)
                    if i.held_until_report_id in by_id else "—"}
                   for i in session.scalars(select(Instalment).where(Instalment.grant_id == grant.id)
                                            .order_by(Instalment.seq))]
    values = {"grantee": grantee.name, "amount": amount, "title": grant.title, "country": Country(grant.country),
              "approved": grant.approved_on, "reference": Ref(grant.reference), "start": grant.start, "end": grant.end}
    details = [("reference", Ref(grant.reference)), ("grantee", grantee.name), ("title", grant.title),
               ("country", Country(grant.country)), ("amount", amount), ("period", Period(grant.start, grant.end)),
               ("cycle", cycle.name if cycle else None)]
    return LetterData("award", letterhead(session), grant.reference, grantee.language or "en", grantee.name,
                      grantee.contact_person, grantee.address, grantee.country, values,
                      [(k, v) for k, v in details if v not in (None, "")],
                      {"instalments": instalments,
                       "reports": [{"report": ReportName(r.kind, r.type), "due": r.due_date} for r in reports]})


def _grantee(session, key: str) -> Grantee:
    text = (key or "").strip()
    found = session.get(Grantee, _uuid(text)) if _uuid(text) else None
    found = found or session.scalars(select(Grantee).where(Grantee.name == text)).first()
    if found is None:
        grant = session.scalars(select(Grant).where(Grant.reference == text)).first()
        found = session.get(Grantee, grant.grantee_id) if grant else None
    if found is None:
        raise ValidationError(_('no grantee "{key}" (give its id or name, or a grant agreement number)').format(
            key=key), "for")
    return found


def reminder_data(session, key: str, at: date) -> LetterData:
    """One letter per grantee: every report of every open grant of it overdue on ``at``."""
    grantee = _grantee(session, key)
    rows = session.execute(
        select(GranteeReport, Grant.reference).join(Grant, Grant.id == GranteeReport.grant_id)
        .where(Grant.grantee_id == grantee.id, Grant.status.in_(OPEN_GRANT), GranteeReport.received_on.is_(None),
               GranteeReport.due_date < at)
        .order_by(GranteeReport.due_date, Grant.reference, GranteeReport.kind, GranteeReport.type)).all()
    if not rows:
        raise ValidationError(_("no report of {grantee} is overdue on {date}").format(
            grantee=grantee.name, date=format_date(at)), "for")
    digest = hashlib.sha256(f"{grantee.id}|{at.isoformat()}".encode()).hexdigest()[:6].upper()
    head = letterhead(session)
    number = f"{head.receipt_prefix}-R-{at.strftime('%Y%m%d')}-{digest}"
    reports = [{"grant": Ref(ref), "report": ReportName(r.kind, r.type), "due": r.due_date, "days": (at - r.due_date).days}
               for r, ref in rows]
    return LetterData("reminder", head, number, grantee.language or "en", grantee.name, grantee.contact_person,
                      grantee.address, grantee.country, {"grantee": grantee.name, "date": at, "number": Ref(number)},
                      [], {"reports": reports})


def letter_data(session, kind: str, key: str, at: date) -> LetterData:
    if kind == "acknowledgement":
        return acknowledgement_data(session, key)
    if kind == "receipt":
        return receipt_data(session, key)
    if kind == "award":
        return award_data(session, key)
    if kind == "reminder":
        return reminder_data(session, key, at)
    raise ValidationError(_('unknown kind of letter "{kind}"').format(kind=kind), "kind")


__all__ = ["LetterData", "Ref", "Country", "ReportName", "Period", "letter_data"]
