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

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                 b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                 b'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType'
                 b'="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
            b'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2"'
                 b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target='
                 b'"sharedStrings.xml"/></Relationships>')
HEADER = ["date", "donor", "kind", "currency", "amount"]


def make_book(path: Path, strings: int) -> Path:
    """Shared strings 0-4 are the header, 5-7 a row's text; the other ``strings`` are never used."""
    used = [*HEADER, "Japan", "pledge", "EUR"]
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(5))
    row2 = ('<c r="A2"><v>46027</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c>'
            '<c r="D2" t="s"><v>7</v></c><c r="E2"><v>1000</v></c>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             f'2006/main"><sheetData><row r="1">{cells}</row><row r="2">{row2}</row></sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        total = len(used) + strings
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      f'spreadsheetml/2006/main" count="{total}" uniqueCount="{total}">'.encode())
            out.write("".join(f"<si><t>{t}</t></si>" for t in used).encode())
            batch = 100_000
            for start in range(0, strings, batch):
                out.write("".join(f"<si><t>{n:x}</t></si>" for n in range(start, min(strings, start + batch))).encode())
            out.write(b"</sst>")
    return path


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
