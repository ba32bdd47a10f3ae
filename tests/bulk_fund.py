"""A fund with many contributions, made quickly with Core inserts (for the big-list GUI test and
the benchmarks, which import it from here). Rows are realistic enough for the list queries: several donors, currencies,
pledges with allocations."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import insert

from trustfund_app.core.models import Allocation, Contribution, Donor


def add_contributions(db, count: int, donors: int = 200, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    donor_ids = [uuid.uuid4() for _ in range(donors)]
    currencies = [("USD", Decimal(1)), ("EUR", Decimal("0.92")), ("JPY", Decimal("150.5")), ("GBP", Decimal("0.79"))]
    with db.writing("benchmark") as s:
        s.info["audit_disabled"] = True  # synthetic load data, not fund history
        s.execute(insert(Donor.__table__), [
            dict(id=i, name=f"Donor {n:04d}", type="member_state", language="en", active=True,
                 created_at=now, updated_at=now) for n, i in enumerate(donor_ids)])
        rows, allocations, last_pledge = [], [], None
        start = date(2011, 1, 1)
        for n in range(count):
            cur, rate = currencies[n % len(currencies)]
            minor = rng.randrange(1000, 10_000_000) * (1 if cur != "JPY" else 1)
            kind = "pledge" if n % 3 == 0 else "payment"
            cid = uuid.uuid4()
            rows.append(dict(
                id=cid, donor_id=donor_ids[n % donors], kind=kind, date=start + timedelta(days=n % 5800),
                currency=cur, amount_minor=minor, rate=str(rate), rate_date=date(2011, 1, 1),
                usd_cents=int(Decimal(minor) / rate), reference=f"R-{n:07d}", receipt_number=f"VTF-X-{n:07d}",
                reversed=False, created_at=now, updated_at=now))
            if kind == "pledge":
                last_pledge = (cid, minor)
            elif n % 3 == 1 and last_pledge:  # half the pledges get a payment allocated
                allocations.append(dict(id=uuid.uuid4(), payment_id=cid, pledge_id=last_pledge[0],
                                        amount_minor=min(minor, last_pledge[1]) // (1 + n % 2),
                                        created_at=now, updated_at=now))
            if len(rows) >= 20000:
                s.execute(insert(Contribution.__table__), rows)
                rows = []
        if rows:
            s.execute(insert(Contribution.__table__), rows)
        for i in range(0, len(allocations), 20000):
            s.execute(insert(Allocation.__table__), allocations[i:i + 20000])
