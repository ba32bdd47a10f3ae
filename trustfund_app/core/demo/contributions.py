"""Recording the planned pledges and payments with the fund's own rules.

In date order, each entry gets the UNORE rate in force from the database (``find_rate``), its USD
equivalent rounded once (``Money.to_usd``) and the next acknowledgement number of its year (the
``VTF-YYYY-NNNN`` text of ``receipt_number_text``; the per-year counters are stored at the end with
the last number issued, as ``next_receipt_number`` would leave them). Payments are allocated with
``plan_allocation``, the function ``record_payment`` uses: to the pledge they pay, or to the
donor's open pledges oldest first; gifts stay unallocated.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace

from trustfund_app.core.demo.contribution_plan import PlannedEntry
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.models import Allocation, Contribution, ContributionKind, ReceiptCounter
from trustfund_app.core.money import Money
from trustfund_app.core.services.contributions import OpenPledge, plan_allocation, receipt_number_text
from trustfund_app.core.services.rates import find_rate
from trustfund_app.core.services.settings import read_setting


def record_contributions(writer: BulkWriter, entries: list[PlannedEntry], user: str) -> dict[str, int]:
    session = writer.session
    prefix = read_setting(session, "receipt_prefix")
    ordered = sorted(entries, key=lambda e: (e.date, e.kind != ContributionKind.PLEDGE, e.order))
    numbers: dict[int, int] = defaultdict(int)
    open_by_donor: dict[uuid.UUID, list[OpenPledge]] = defaultdict(list)
    pledge_ids: dict[int, str] = {}  # id(PlannedEntry) -> pledge id
    rows, allocations = [], []
    for entry in ordered:
        found = find_rate(session, entry.amount.currency, entry.date)
        usd = entry.amount.to_usd(found.rate)
        numbers[entry.date.year] += 1
        row_id = writer.new_id()
        rows.append(dict(
            id=row_id, donor_id=entry.donor.id, kind=str(entry.kind), date=entry.date,
            currency=entry.amount.currency, amount_minor=entry.amount.minor, rate=found.rate,
            rate_date=found.effective_date, usd_cents=usd.minor, reference=entry.reference,
            receipt_number=receipt_number_text(prefix, entry.date.year, numbers[entry.date.year]),
            earmark=entry.earmark, note=entry.note))
        if entry.kind == ContributionKind.PLEDGE:
            pledge_ids[id(entry)] = str(row_id)
            open_by_donor[entry.donor.id].append(OpenPledge(
                str(row_id), entry.date, entry.reference, entry.amount.currency, entry.amount,
                Money.zero(entry.amount.currency)))
            continue
        ledger = open_by_donor[entry.donor.id]
        if entry.pays is not None:
            chosen = [p for p in ledger if p.id == pledge_ids[id(entry.pays)]]
        elif entry.oldest_first:
            chosen = [p for p in ledger if p.outstanding.is_positive()]  # kept in date order
        else:
            continue  # a gift without a pledge
        plan, _left = plan_allocation(entry.amount, found.rate, chosen,
                                      lambda cur, on=entry.date: find_rate(session, cur, on).rate)
        for pledge, take in plan:
            allocations.append(dict(payment_id=row_id, pledge_id=uuid.UUID(pledge.id), amount_minor=take.minor))
            i = next(k for k, p in enumerate(ledger) if p.id == pledge.id)
            ledger[i] = replace(ledger[i], paid=ledger[i].paid + take)
    writer.insert(Contribution, rows, user)
    writer.insert(Allocation, allocations, user)
    writer.insert(ReceiptCounter, [dict(year=y, last=n) for y, n in sorted(numbers.items())], user)
    return {"pledges": sum(1 for r in rows if r["kind"] == ContributionKind.PLEDGE),
            "payments": sum(1 for r in rows if r["kind"] == ContributionKind.PAYMENT),
            "allocations": len(allocations)}
