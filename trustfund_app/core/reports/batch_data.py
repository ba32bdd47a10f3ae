"""The data of many donor statements of one period, read with a few set-based queries per group of
donors instead of about ten queries per donor (``data.statement_data``). Each donor's
``StatementData`` is equal to the one ``statement_data`` reads alone (a test holds them to it), so
a batch's PDFs are byte for byte those of the single-statement path.

What every statement shows alike — the letterhead with the audit head, the use of the fund, the
rates in force at the end of the period — is read once (``PeriodShared``, ``RatesAt``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.ledger import RatesAt, pledges_left
from trustfund_app.core.models import Contribution, ContributionKind, Donor, PledgeWriteOff, WriteOffStatus
from trustfund_app.core.money import Money
from trustfund_app.core.reports.data import (
    DonorInfo,
    PeriodShared,
    PledgeBalance,
    StatementData,
    YearGiving,
    _reversal_reasons,
    statement_entry,
    _usd,
    period_shared,
    statement_number,
)
from trustfund_app.core.reports.write_off_lines import WrittenOff

CHUNK = 100  # donors per group of queries (bounded IN lists, bounded memory for a large batch)


def statements_data(session, donor_ids: Iterable[str], start: date, end: date,
                    shared: PeriodShared | None = None) -> Iterator[StatementData]:
    """``StatementData`` of each donor of ``donor_ids``, in that order, read ``CHUNK`` donors at a time."""
    if start > end:
        raise ValidationError(_("the period starts after it ends"), "from")
    shared = shared or period_shared(session, start, end)
    rates = RatesAt(session, end)
    ids = [str(d) for d in donor_ids]
    for i in range(0, len(ids), CHUNK):
        yield from _chunk(session, ids[i:i + CHUNK], start, end, shared, rates)


def _chunk(session, ids: list[str], start: date, end: date, shared: PeriodShared, rates: RatesAt):
    keys = [uuid.UUID(d) for d in ids]
    donors = {str(d.id): DonorInfo(str(d.id), d.name, d.type, d.country, d.address, d.language,
                                   tuple(sorted((d.names or {}).items())))
              for d in session.scalars(select(Donor).where(Donor.id.in_(keys)))}
    sums = _sums(session, keys, start, end)
    years = _by_year(session, keys, end)
    entries = _entries(session, keys, start, end)
    balances: dict[str, list[PledgeBalance]] = {}
    for p in pledges_left(session, end, ids):
        balances.setdefault(p.donor_id, []).append(PledgeBalance(
            p.date, p.receipt_number, p.reference, p.pledged, p.paid, rates.rate(p.currency), rates.usd(p.left)))
    written = _written_off(session, keys, start, end)
    head = shared.letterhead
    for donor_id, key in zip(ids, keys):
        donor = donors.get(donor_id)
        if donor is None:
            raise ValidationError(_('no donor "{donor}"').format(donor=donor_id), "donor")
        first, *totals = sums.get(key, (None, 0, 0, 0, 0))
        yield StatementData(
            letterhead=head, donor=donor, start=start, end=end,
            number=statement_number(head.receipt_prefix, donor.id, start, end),
            entries=entries.get(key, []),
            pledged_period=_usd(totals[0]), received_period=_usd(totals[1]),
            pledged_total=_usd(totals[2]), received_total=_usd(totals[3]),
            outstanding=balances.get(donor_id, []),
            by_year=years.get(key, []),
            fund_use=shared.fund_use,
            first_year=first.year if first else None,
            written_off=written.get(key, []),
        )


def _sums(session, keys, start: date, end: date) -> dict:
    """Per donor: first date ever recorded, pledged and received in the period and up to ``end``."""
    c = Contribution
    pledge, payment = c.kind == ContributionKind.PLEDGE, c.kind == ContributionKind.PAYMENT
    in_period, to_end = c.date >= start, c.date <= end
    rows = session.execute(
        select(c.donor_id, func.min(c.date),
               func.sum(c.usd_cents).filter(pledge, in_period, to_end),
               func.sum(c.usd_cents).filter(payment, in_period, to_end),
               func.sum(c.usd_cents).filter(pledge, to_end), func.sum(c.usd_cents).filter(payment, to_end))
        .where(c.donor_id.in_(keys)).group_by(c.donor_id))
    return {r[0]: tuple(r[1:]) for r in rows}


def _by_year(session, keys, end: date) -> dict:
    c = Contribution
    year = func.extract("year", c.date)
    by: dict = {}
    for donor_key, y, kind, cents in session.execute(
            select(c.donor_id, year, c.kind, func.sum(c.usd_cents))
            .where(c.donor_id.in_(keys), c.date <= end).group_by(c.donor_id, year, c.kind)):
        by.setdefault(donor_key, {}).setdefault(int(y), {})[kind] = int(cents or 0)
    return {key: [YearGiving(y, _usd(years.get(y, {}).get(ContributionKind.PLEDGE)),
                             _usd(years.get(y, {}).get(ContributionKind.PAYMENT)))
                  for y in range(min(years), max(years) + 1)]
            for key, years in by.items()}


def _entries(session, keys, start: date, end: date) -> dict:
    """``data.entries`` for every donor at once (the same rule for reversals within the period)."""
    c = Contribution
    rows = session.execute(
        select(c.donor_id, c.id, c.date, c.kind, c.receipt_number, c.reference, c.amount_minor, c.currency, c.rate,
               c.rate_date, c.usd_cents, c.reverses_id, c.note)
        .where(c.donor_id.in_(keys), c.date >= start, c.date <= end)
        .order_by(c.donor_id, c.date, c.receipt_number, c.id)).all()
    per_donor: dict = {}
    for r in rows:
        per_donor.setdefault(r.donor_id, []).append(r)
    cancelled, earlier = set(), set()
    for donor_rows in per_donor.values():
        in_period = {r.id for r in donor_rows}
        cancelled |= {r.reverses_id for r in donor_rows if r.reverses_id in in_period}
        earlier |= {r.reverses_id for r in donor_rows if r.reverses_id is not None and r.reverses_id not in in_period}
    originals = {o.id: o for o in session.execute(
        select(c.id, c.date, c.receipt_number, c.reference).where(c.id.in_(earlier)))} if earlier else {}
    reasons = _reversal_reasons(session, earlier)
    out: dict = {}
    for donor_key, donor_rows in per_donor.items():
        entries = out[donor_key] = []
        for r in donor_rows:
            if r.id in cancelled or r.reverses_id in cancelled:
                continue
            entries.append(statement_entry(r, originals.get(r.reverses_id), reasons))
    return out


def _written_off(session, keys, start: date, end: date) -> dict:
    out: dict = {}
    for w, p in session.execute(
            select(PledgeWriteOff, Contribution)
            .join(Contribution, Contribution.id == PledgeWriteOff.pledge_id)
            .where(Contribution.donor_id.in_(keys), PledgeWriteOff.status == WriteOffStatus.APPROVED,
                   PledgeWriteOff.effective_date >= start, PledgeWriteOff.effective_date <= end)
            .order_by(PledgeWriteOff.effective_date, Contribution.date)).all():
        out.setdefault(p.donor_id, []).append(WrittenOff(w.effective_date, p.date, p.receipt_number, p.reference,
                                                         w.kind, Money.from_minor(w.amount_minor, p.currency)))
    return out
