"""Demo fund benchmark: builds the demo fund (seed 1) into fresh SQLite files and prints the time
of each part and of the whole (goal: well under 20 s on a 2-core laptop), the median over runs, the
row and audit-event counts, and ``trustfund demo`` end to end in a fresh process.

Run: ``python benchmarks/bench_demo.py [--runs N]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_build(path: Path) -> tuple[float, dict[str, float], object]:
    from trustfund_app.core.db import Database
    from trustfund_app.core.demo import build_demo_fund

    db = Database.open(path)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    summary = build_demo_fund(db, seed=1, progress=lambda done, total, label: marks.append((label, time.perf_counter())))
    total = time.perf_counter() - started
    parts = {label: round(marks[i + 1][1] - at, 3) for i, (label, at) in enumerate(marks[:-1])}
    db.dispose()
    return total, parts, summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    times = []
    for run in range(args.runs):
        total, parts, summary = one_build(folder / f"demo-{run}.sqlite3")
        times.append(total)
        print(f"run {run + 1}: {total:.2f} s  " + "  ".join(f"{k}: {v:.2f}" for k, v in parts.items()))
    print(f"build_demo_fund median of {args.runs}: {statistics.median(times):.2f} s (goal < 20 s)")
    print(f"counts: {summary}")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "trustfund_app", "--db", str(folder / "cli.sqlite3"), "demo"],
                          cwd=ROOT, capture_output=True, text=True)
    print(f"trustfund demo (fresh process, exit {done.returncode}): {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
