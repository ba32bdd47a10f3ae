"""Peak memory of importing a workbook that carries ten million unused shared strings (issue 15,
point 8): a ~23 MB .xlsx, inside every size limit, whose sheet uses a handful of them.

    python benchmarks/bench_shared_strings.py [--strings N] [--no-floor]

The import runs as the command line does (``trustfund import contributions FILE --dry-run``, with
its sheet-reading process); the peak is the highest *sum* of the resident memory of that process
tree, sampled every 20 ms from /proc. Goal: under 500 MB in all processes. The floor, measured in
the same run, is openpyxl's own read-only opening of the file (what the import did before).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_MB = 500

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.core.shared_strings_book import make_book  # noqa: E402  (the test builds the same workbook)


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def peak_tree_mb(cmd: list[str], env: dict) -> tuple[float, float, int, str]:
    """(peak summed RSS in MB, seconds, exit code, stderr) of ``cmd`` and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    return peak / 1024, time.perf_counter() - start, proc.returncode, proc.stderr.read()


OPENPYXL_FLOOR = ("import sys, openpyxl\n"
                  "wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
                  "print(sum(1 for _ in wb.active.iter_rows()))\n")


def measure(strings: int = 10_000_000, floor: bool = True) -> dict:
    folder = Path(tempfile.mkdtemp())
    book = make_book(folder / "unused-strings.xlsx", strings)
    db = folder / "fund.sqlite3"
    env = dict(os.environ, TRUSTFUND_PASSWORD="demo", PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-m", "trustfund_app", "--db", str(db), "demo", "--seed", "1"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    ours, seconds, code, err = peak_tree_mb([sys.executable, "-m", "trustfund_app", "--db", str(db), "--user", "admin",
                                             "--lang", "en", "import", "contributions", str(book), "--dry-run"], env)
    result = {"strings": strings, "file_mb": book.stat().st_size / 2**20, "ours_mb": ours, "seconds": seconds,
              "exit": code, "stderr": err.strip()[-300:]}
    if floor:
        result["openpyxl_mb"], result["openpyxl_s"], _code, _err = peak_tree_mb(
            [sys.executable, "-c", OPENPYXL_FLOOR, str(book)], env)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strings", type=int, default=10_000_000)
    parser.add_argument("--no-floor", action="store_true", help="skip openpyxl's own opening (slow, ~2 GB)")
    args = parser.parse_args()
    r = measure(args.strings, floor=not args.no_floor)
    print(f"workbook of {r['file_mb']:.1f} MB with {r['strings']:,} unused shared strings")
    print(f"import (dry run, all processes): peak {r['ours_mb']:.0f} MB in {r['seconds']:.1f} s, exit {r['exit']} "
          f"— goal < {GOAL_MB} MB: {'holds' if r['ours_mb'] < GOAL_MB else 'DOES NOT HOLD'}")
    if "openpyxl_mb" in r:
        print(f"floor, openpyxl read-only opening the same file: {r['openpyxl_mb']:.0f} MB in {r['openpyxl_s']:.1f} s "
              f"(ours {r['ours_mb'] / r['openpyxl_mb']:.2f}x)")
    if r["exit"] != 0:
        print("import said:", r["stderr"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
