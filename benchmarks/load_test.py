"""Twenty people on one PostgreSQL database at once, for a minute, then the books are checked.

    python benchmarks/load_test.py --db postgresql+psycopg://user:pw@host/postgres [--clients 20] [--seconds 60]
                                   [--think 1-3]

A fresh database gets the demo fund; then each client is its own process (its own connections,
its own interpreter) acting as a user of the fund: finance staff recording payments and pledges,
programme staff receiving and approving grantee reports, two imports of small workbooks, statements
being generated, the dashboard refreshed. Each client keeps what it says it wrote. Afterwards:
every recorded contribution is in the database exactly once and nothing else is, receipt numbers
are unique and without gaps per year, `audit verify` passes, and p50/p95/p99 latencies are printed
per operation. Goal: p95 of a single recorded payment ≤ 100 ms on this machine.

By default every client works flat out, one operation straight after the other: twenty busy
processes on two cores, a stress test whose latencies are mostly each process waiting for a CPU
(the "CPU of the client" line shows how little of a payment is its own work). ``--think A-B``
makes each client pause a random A to B seconds between two operations, as a person does between
two entries — the load twenty people at their desks put on the server.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from trustfund_app.core.services.base import NOT_LOGGED_IN  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

TODAY = date(2026, 11, 30)
IMPORT_ROWS = 50
# role -> how many of the 20 clients
MIX = (("finance", 8), ("programme", 4), ("import", 2), ("statements", 3), ("dashboard", 3))


def _setup(server: str) -> str:
    import pg_fund

    from trustfund_app.core.db import Database
    from trustfund_app.core.demo import build_demo_fund

    url = pg_fund.clone(server, "template0")
    db = Database.open(url)
    build_demo_fund(db, seed=1, today=TODAY)
    db.dispose()
    return url


def _workbook(path: Path, donors: list[str], tag: str, first_amount: int, rows: int = IMPORT_ROWS) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "donor", "kind", "currency", "amount", "reference"])
    # amounts differ from every other import's: the same donor, date, kind and amount would be
    # the same pledge again (left unchanged), and an import that writes nothing measures nothing
    for i in range(rows):
        ws.append([date(2026, 11, 1 + i % 28), donors[i % len(donors)], "pledge", "USD", first_amount + i,
                   f"{tag}-{i:03d}"])
    wb.save(path)
    return path


def client(args: tuple) -> dict:
    """One user's minute: (operation, ms) for every call, and what it wrote."""
    url, role, number, seconds, seed, import_rows, think = args
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    rng = random.Random(seed)
    db = Database.open(url, upgrade=False)
    user = {"finance": "finance", "programme": "programme", "import": "finance"}.get(role, "viewer")
    actor = UserService(db, NOT_LOGGED_IN).login(user, "demo")
    timings, written, imported, errors = [], [], 0, Counter()
    step = _role_step(role, db, actor, rng, number, import_rows)
    waited, held = _time_chain_lock()
    stale = _count_stale()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        if think[1] and n:
            time.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
        t0, cpu0 = time.perf_counter(), time.process_time()
        waited.clear()
        held.clear()
        try:
            op, wrote = step(n)
        except Exception as exc:  # noqa: BLE001 — counted and reported, the run goes on
            errors[f"{role}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            n += 1
            continue
        timings.append((op, (time.perf_counter() - t0) * 1000))
        if op == "payment":  # the process's own work, without the time it waited for a CPU or a lock
            timings.append(("payment: CPU of the client", (time.process_time() - cpu0) * 1000))
        if op in ("payment", "import"):  # of that time, how long it waited for the audit chain's lock
            timings.append((f"{op}: waiting for the chain lock", sum(waited)))
            timings.append((f"{op}: holding the chain lock", sum(held)))
        if op == "import":
            imported += wrote
        elif wrote:
            written.append(wrote)
        n += 1
    db.dispose()
    return {"role": role, "timings": timings, "written": written, "imported": imported, "errors": dict(errors),
            "stale": dict(stale)}


def _time_chain_lock() -> tuple[list[float], list[float]]:
    """Milliseconds each ``audit.lock_chain`` call of this process waits (the writers' queue), and
    how long each transaction then held the lock (until its commit or rollback)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from trustfund_app.core import audit

    waited: list[float] = []
    held: list[float] = []
    take = audit.lock_chain

    def timed(session):
        t0 = time.perf_counter()
        take(session)
        waited.append((time.perf_counter() - t0) * 1000)
        session.info.setdefault("load_test_locked_at", time.perf_counter())

    def released(session):
        at = session.info.pop("load_test_locked_at", None)
        if at is not None:
            held.append((time.perf_counter() - at) * 1000)
    audit.lock_chain = timed
    event.listen(Session, "after_commit", released)
    event.listen(Session, "after_rollback", released)
    return waited, held


def _count_stale() -> Counter:
    """Prepared imports (core/excel/prepared.py) written as prepared, and those whose check was
    stale (run again under the lock)."""
    counts: Counter = Counter()
    try:
        from trustfund_app.core.excel import prepared
    except ImportError:  # before prepared imports
        return counts
    run = prepared.import_prepared

    def counted(*args, **kwargs):
        try:
            run(*args, **kwargs)
        except prepared.StalePreparation:
            counts["stale"] += 1
            raise
        counts["prepared"] += 1
    prepared.import_prepared = counted
    return counts


def _role_step(role, db, actor, rng, number, import_rows=IMPORT_ROWS):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.dashboard import DashboardService
    from trustfund_app.core.services.donors import DonorService

    donors = [d.id for d in DonorService(db, actor).list()]
    if role == "finance":
        service = ContributionService(db, actor)

        def step(n):
            donor = str(rng.choice(donors))
            amount = Decimal(rng.randrange(10_000, 5_000_000)) / 100
            if n % 2:
                return "pledge", service.record_pledge(donor, TODAY, amount, "USD", reference=f"LOAD-{number}-{n}")
            return "payment", service.record_payment(donor, TODAY, amount, "USD", reference=f"LOAD-{number}-{n}")
        return step
    if role == "programme":
        from sqlalchemy import select

        from trustfund_app.core.models import GranteeReport
        from trustfund_app.core.services.grants.reports import ReportService

        reports = ReportService(db, actor)
        with db.reading() as s:
            open_ids = [str(i) for i in s.scalars(select(GranteeReport.id).where(GranteeReport.approved_on.is_(None)))]
        mine = open_ids[number::4]  # the four programme clients share the open reports out

        def step(n):
            if n >= len(mine):
                time.sleep(0.05)
                return "report (none left)", None
            reports.receive(mine[n], TODAY)
            reports.approve(mine[n], TODAY)
            return "report received and approved", None
        return step
    if role == "import":
        from trustfund_app.core.excel.importer import ImportOptions, run_import

        names = [d.name for d in DonorService(db, actor).list()][:20]
        folder = Path(tempfile.mkdtemp())

        def step(n):
            book = _workbook(folder / f"load-{number}-{n}.xlsx", names, f"IMP-{number}-{n}",
                             1000 + number * 1_000_000 + n * import_rows, import_rows)
            result = run_import(db, actor, "contributions", book, ImportOptions())
            return "import", result.as_json()["inserted"]
        return step
    if role == "statements":
        from trustfund_app.core.reports.statement import render_statement

        def step(n):
            render_statement(db, str(rng.choice(donors)), date(2026, 1, 1), TODAY, "en", TODAY)
            return "statement", None
        return step
    dashboard = DashboardService(db, actor)

    def step(n):
        dashboard.load(TODAY)
        return "dashboard", None
    return step


def check(url: str, results: list[dict], before: int) -> list[str]:
    """What must hold after the run; returns the problems (empty when all is well)."""
    from sqlalchemy import func, select

    from trustfund_app.core.audit_verify import verify
    from trustfund_app.core.db import Database
    from trustfund_app.core.models import Contribution

    db = Database.open(url, upgrade=False)
    problems = []
    written = [cid for r in results for cid in r["written"]]
    imported = sum(r["imported"] for r in results)
    with db.reading() as s:
        total = s.scalar(select(func.count()).select_from(Contribution))
        if total != before + len(written) + imported:
            problems.append(f"{total} contributions; expected {before} + {len(written)} recorded + {imported} imported")
        ids = {str(i) for i in s.scalars(select(Contribution.id).where(Contribution.id.in_(written)))} if written else set()
        if len(ids) != len(set(written)) or len(set(written)) != len(written):
            problems.append(f"{len(written) - len(ids)} recorded contributions missing or doubled")
        numbers = [n for n in s.scalars(select(Contribution.receipt_number).where(Contribution.receipt_number.is_not(None)))]
        if len(numbers) != len(set(numbers)):
            problems.append("receipt numbers are not unique")
        by_year = defaultdict(list)
        for number in numbers:
            _prefix, year, serial = number.rsplit("-", 2)
            by_year[year].append(int(serial))
        for year, serials in by_year.items():
            if sorted(serials) != list(range(1, len(serials) + 1)):
                problems.append(f"receipt numbers of {year} have gaps")
        result = verify(s)
        if not result.ok:
            problems.append(f"audit verify: {result}")
    db.dispose()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="PostgreSQL server URL (a database is created and dropped)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help="rows of each imported workbook")
    parser.add_argument("--mix", help="clients per role instead of the default 20, e.g. finance=4,import=2 "
                                      "(fewer processes than cores x 10: waits for locks, not for a CPU)")
    parser.add_argument("--think", default="0", metavar="A-B",
                        help="seconds each client pauses between two operations, at random from A to B, as a "
                             "person does (default 0: flat out, a stress test)")
    args = parser.parse_args()
    low, _dash, high = args.think.partition("-")
    think = (float(low), float(high or low))
    import pg_fund
    from sqlalchemy import func, select

    from trustfund_app.core.db import Database
    from trustfund_app.core.models import Contribution

    t0 = time.perf_counter()
    url = _setup(args.db)
    db = Database.open(url, upgrade=False)
    with db.reading() as s:
        before = s.scalar(select(func.count()).select_from(Contribution))
    db.dispose()
    print(f"demo fund on {url.rpartition('@')[2]} in {time.perf_counter() - t0:.0f} s ({before:,} contributions)")
    if args.mix:
        mix = [(role, int(count)) for role, _eq, count in (part.partition("=") for part in args.mix.split(","))]
        unknown = {role for role, _count in mix} - {role for role, _count in MIX}
        if unknown:
            parser.error(f"unknown role(s) {', '.join(sorted(unknown))}; known: {', '.join(r for r, _c in MIX)}")
        roles = [role for role, count in mix for _ in range(count)]
        args.clients = len(roles)
    else:
        roles = [role for role, count in MIX for _ in range(count)]
        roles = (roles * (args.clients // len(roles) + 1))[:args.clients]
    counters = Counter()
    jobs = []
    for i, role in enumerate(roles):
        jobs.append((url, role, counters[role], args.seconds, i, args.import_rows, think))
        counters[role] += 1
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(client, jobs)
    problems = check(url, results, before)
    by_op = defaultdict(list)
    for r in results:
        for op, ms in r["timings"]:
            by_op[op].append(ms)
    pace = f"pausing {think[0]:g}–{think[1]:g} s between operations" if think[1] else "flat out"
    print(f"{args.clients} clients for {args.seconds:.0f} s, {pace}: {dict(Counter(roles))}")
    print(f"{'operation':<32} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for op, values in sorted(by_op.items()):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(f"{op:<32} {len(values):>7} {statistics.median(values):>8.0f} {q[94]:>8.0f} {q[98]:>8.0f}")
    errors = Counter()
    for r in results:
        errors.update(r["errors"])
    for text, count in errors.most_common():
        print(f"  refused {count}x: {text}")
    stale = Counter()
    for r in results:
        stale.update(r["stale"])
    if stale:
        print(f"prepared imports: {stale['prepared']} written as prepared, {stale['stale']} checked again under the lock")
    payments = by_op.get("payment", [0])
    p95 = statistics.quantiles(payments, n=100)[94] if len(payments) > 1 else payments[0]
    print(f"recorded {sum(len(r['written']) for r in results):,} contributions and imported "
          f"{sum(r['imported'] for r in results):,}; p95 of a payment {p95:.0f} ms (goal ≤ 100 ms: "
          f"{'holds' if p95 <= 100 else 'does NOT hold'})")
    print("checks: " + ("nothing lost or doubled, receipt numbers unique and gapless per year, audit trail intact"
                        if not problems else "; ".join(problems)))
    if not args.keep:
        pg_fund.drop(url)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
