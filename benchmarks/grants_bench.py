"""Grant figures on a fund of realistic size: builds CYCLES cycles of 268 applications and 32
grants each (as in cycle 4, 2020) through the services, with two-instalment schedules paid by two
users, reports and victims, then prints how long the screens' queries take.

    python benchmarks/grants_bench.py [--cycles 6] [--db /tmp/grants-bench.sqlite3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trustfund_app.core.db import Database
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.grants import (
    ApplicationService, CycleService, GranteeService, GrantService, InstalmentService, PlannedInstalment,
    ReportService, VictimsService, split_cents,
)
from trustfund_app.core.services.position import PositionService
from trustfund_app.core.services.users import UserService

COUNTRIES = ("COL", "NPL", "NGA", "MDA", "JOR", "PHL", "KEN", "UKR", "MEX", "THA", "BGD", "GHA")


def build(db, cycles: int) -> float:
    started = time.perf_counter()
    admin = UserService(db).create_first_admin("admin", "Quiet-River-42")
    fiona = UserService(db, admin).add("fiona", "finance", "Quiet-River-42")
    donor = DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    ContributionService(db, admin).record_payment(donor, date(2015, 1, 5), Decimal("50000000"), "USD")
    grantees = GranteeService(db, admin)
    orgs = [grantees.create(f"Organisation {i:03d}", COUNTRIES[i % len(COUNTRIES)], registration_number=f"R-{i}",
                            registration_date=date(2010, 1, 1), partner_portal_id=f"CSO-{i}", psea_attested=i % 5 != 0,
                            own_bank_account=True, contact_person=f"Contact {i}", email=f"c{i}@example.org")
            for i in range(120)]
    apps, inst, finst, reports = (ApplicationService(db, admin), InstalmentService(db, admin),
                                  InstalmentService(db, fiona), ReportService(db, admin))
    for n in range(1, cycles + 1):
        year = 2018 + n
        cycle = CycleService(db, admin).create(n, year, f"Cycle {n}", Decimal("1400000"), call_open=date(year, 1, 10),
                                               call_close=date(year, 3, 1), board_meeting=f"{n + 8}th meeting",
                                               board_meeting_date=date(year, 5, 12))
        sgp1 = CycleService(db, admin).add_sub_programme(cycle, "SGP1", "Emergency", Decimal("20000"), 9)
        sgp2 = CycleService(db, admin).add_sub_programme(cycle, "SGP2", "Medium term", Decimal("60000"), 24)
        ids = []
        for i in range(268):
            org = orgs[(i * 7 + n) % len(orgs)]
            sp, amount, months = (sgp1, Decimal("18000"), 8) if i % 3 == 0 else (sgp2, Decimal("43000"), 18)
            ids.append(apps.submit(cycle, sp, org, f"Project {n}-{i}", COUNTRIES[(i * 7 + n) % len(COUNTRIES)],
                                   amount, months))
        for i, aid in enumerate(ids[:32]):
            apps.advance(aid)
            apps.advance(aid)
            gid = apps.approve(aid, None, date(year, 5, 12), date(year, 6, 1))
            grant = GrantService(db).get(gid)
            interim = next(r for r in reports.for_grant(gid) if r.kind == "interim" and r.type == "financial")
            first, second = split_cents(grant.amount.minor, [60, 40])
            i1, i2 = inst.set_schedule(gid, [PlannedInstalment(date(year, 6, 1), Decimal(first) / 100),
                                             PlannedInstalment(date(year, 12, 1), Decimal(second) / 100, interim.id)])
            inst.prepare(i1)
            finst.approve(i1, date(year, 6, 1))
            if n < cycles:  # older cycles are complete
                reports.receive(interim.id, interim.due_date)
                reports.approve(interim.id, interim.due_date)
                inst.prepare(i2)
                finst.approve(i2, interim.due_date)
                VictimsService(db, admin).record(interim.id, {"shelter": (i % 9, i % 4, 1, 0), "legal": (3, 1, 0, 0)})
        for aid in ids[32:200]:
            apps.reject(aid, date(year, 5, 12), f"{n + 8}th meeting")
    return time.perf_counter() - started


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--db")
    args = parser.parse_args()
    path = Path(args.db or Path(tempfile.mkdtemp()) / "grants-bench.sqlite3")
    db = Database.open(path)
    print(f"building {args.cycles} cycles × 268 applications, 32 grants each in {path} …")
    print(f"build: {build(db, args.cycles):.1f} s")
    at = date(2018 + args.cycles + 1, 12, 31)
    grants = GrantService(db)
    some = grants.list()[0].id
    for label, fn in (
        ("applications list (all)", lambda: ApplicationService(db).list()),
        ("grants list (all)", lambda: grants.list()),
        ("grant detail", lambda: grants.detail(some)),
        ("cycles list", lambda: CycleService(db).list()),
        ("grantees list", lambda: GranteeService(db).list()),
        ("overdue reports", lambda: ReportService(db).overdue(at)),
        ("victims per year", lambda: VictimsService(db).totals_by_year()),
        ("fund position", lambda: PositionService(db).position(at)),
    ):
        median, result = timed(fn)
        size = len(result) if isinstance(result, list) else ""
        print(f"{label:28s} {median * 1000:8.1f} ms  {size}")
    db.dispose()


if __name__ == "__main__":
    main()
