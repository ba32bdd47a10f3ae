"""Open-data export benchmark: IATI 2.03 of 1,000 grants with their transactions (and the Fund's
contributions), end to end — read from the database, build, validate against the shipped XSD and
codelists, write — against the floor of serialising the same elements with lxml alone (the
finished tree's tags, attributes and texts, rebuilt with ``etree.SubElement`` and written with
``etree.tostring``: no database, no checks). Ours and the floor alternate; medians are printed.

Run: ``python benchmarks/bench_opendata.py [--grants 1000] [--runs 5]``

The fund is the demo fund (seed 1) with its grants cloned — instalments, refunds, reports and
victims with them, under new agreement numbers — up to the number asked for.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 30)


def make_fund(path: Path, grants: int):
    from sqlalchemy import insert, select

    from trustfund_app.core.db import Database
    from trustfund_app.core.demo import build_demo_fund
    from trustfund_app.core.models import Grant, GranteeReport, Instalment, Refund, VictimsAssisted

    db = Database.open(path)
    build_demo_fund(db, seed=1, today=TODAY)
    with db.writing("admin") as s:
        originals = list(s.execute(select(Grant.__table__)).mappings())
        children = {t: list(s.execute(select(t.__table__)).mappings()) for t in (Instalment, Refund, GranteeReport)}
        victims = list(s.execute(select(VictimsAssisted.__table__)).mappings())
        copy, n = 0, len(originals)
        while n < grants:
            copy += 1
            for original in originals[: grants - n]:
                gid = uuid.uuid4()
                s.execute(insert(Grant.__table__).values({**original, "id": gid,
                                                          "reference": f"{original['reference']}-R{copy}"}))
                report_ids = {}
                for table, rows in children.items():
                    for row in rows:
                        if row["grant_id"] == original["id"]:
                            new = {**row, "id": uuid.uuid4(), "grant_id": gid}
                            if table is Instalment:
                                new["held_until_report_id"] = None
                            if table is GranteeReport:
                                report_ids[row["id"]] = new["id"]
                            s.execute(insert(table.__table__).values(new))
                for row in victims:
                    if row["report_id"] in report_ids:
                        s.execute(insert(VictimsAssisted.__table__).values(
                            {**row, "id": uuid.uuid4(), "report_id": report_ids[row["report_id"]]}))
                n += 1
    return db


def ours(db, out: Path) -> float:
    from trustfund_app.core.opendata import export_open_data

    t0 = time.perf_counter()
    export_open_data(db, "iati", out, today=TODAY)
    return time.perf_counter() - t0


def element_plan(path: Path) -> list[tuple]:
    """(depth, tag, attributes, text) of every element of a written file, in document order."""
    from lxml import etree

    plan = []
    for element in etree.parse(str(path)).getroot().iter():
        depth = sum(1 for _ in element.iterancestors())
        plan.append((depth, element.tag, dict(element.attrib), element.text if len(element) == 0 else None))
    return plan


def floor(plan: list[tuple], out: Path) -> float:
    from lxml import etree

    t0 = time.perf_counter()
    stack = []
    for depth, tag, attrib, text in plan:
        element = etree.Element(tag, attrib) if depth == 0 else etree.SubElement(stack[depth - 1], tag, attrib)
        element.text = text
        del stack[depth:]
        stack.append(element)
    out.write_bytes(etree.tostring(stack[0], xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return time.perf_counter() - t0


def run(grants: int, runs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    db = make_fund(folder / "fund.sqlite3", grants)
    ours(db, folder / "warm.xml")  # schema and codelists loaded once, as in a running app
    plan = element_plan(folder / "warm.xml")
    activities = sum(1 for p in plan if p[1] == "iati-activity")
    transactions = sum(1 for p in plan if p[1] == "transaction")
    mine, bare = [], []
    for _ in range(runs):
        bare.append(floor(plan, folder / "floor.xml"))
        mine.append(ours(db, folder / "ours.xml"))
    db.dispose()
    return {"grants": activities - 1, "transactions": transactions, "elements": len(plan),
            "ours_s": statistics.median(mine), "floor_s": statistics.median(bare), "runs": runs,
            "bytes": (folder / "ours.xml").stat().st_size}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    r = run(args.grants, args.runs)
    if args.json:
        print(json.dumps(r))
        return 0
    print(f"IATI export of {r['grants']:,} grants ({r['transactions']:,} transactions, {r['elements']:,} elements, "
          f"{r['bytes'] / 1e6:.1f} MB): {r['ours_s']:.2f} s; lxml alone {r['floor_s']:.2f} s; "
          f"ratio {r['ours_s'] / r['floor_s']:.2f}x (median of {r['runs']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
