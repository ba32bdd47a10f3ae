"""The importer fuzzed: hypothesis mutates real workbooks — bytes of the file, the XML inside the
zip, and the cell values themselves — and feeds them to the import. Whatever comes in, the import
either reports the problem (a TrustFundError, or row errors in its result) or commits whole rows;
never an uncaught exception, never a partial commit, and the audit trail stays intact.

Bounded in time: TRUSTFUND_FUZZ_SECONDS (default 30 on SQLite, 10 on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.core.resilience_helpers import ON_POSTGRES, audit_events, seed_fund
from trustfund_app.core import audit_verify
from trustfund_app.core.errors import TrustFundError

pytest.importorskip("trustfund_app.core.excel.importer")

BUDGET = float(os.environ.get("TRUSTFUND_FUZZ_SECONDS", "10" if ON_POSTGRES else "30"))

CONTRIBUTION_ROWS = [
    ["date", "donor", "kind", "currency", "amount", "reference", "pledge_reference", "earmark", "note"],
    [date(2025, 2, 1), "Norway", "pledge", "EUR", 1000, "FZ-P1", None, None, "first"],
    [date(2025, 3, 1), "Norway", "payment", "EUR", Decimal("400.50"), "FZ-R1", "FZ-P1", None, None],
    [date(2025, 4, 1), "Japan", "pledge", "JPY", 150000, "FZ-P2", None, "shelters", None],
    [date(2025, 5, 1), "Japan", "payment", "JPY", 150000, "FZ-R2", None, None, None],
    ["2025-06-01", "norway", "Pledge", "eur", "2,500.00", "FZ-P3", None, None, None],
]
DONOR_ROWS = [
    ["name", "type", "country", "language", "aliases", "email", "address"],
    ["Chile", "member_state", "CHL", "es", "República de Chile", "un@minrel.gob.cl", "Santiago"],
    ["Open Society", "foundation", "USA", "en", "OSF;Open Society Foundations", None, None],
    ["Kuwait Fund", "intergovernmental", "KW", "ar", None, None, None],
]
RATE_ROWS = [["currency", "effective_date", "rate"], ["GBP", date(2025, 1, 1), Decimal("0.79")],
             ["CHF", date(2025, 1, 1), "0.88"], ["GBP", date(2025, 2, 1), 0.8]]
SEEDS = {"contributions": CONTRIBUTION_ROWS, "donors": DONOR_ROWS, "rates": RATE_ROWS}


def workbook_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SEED_BYTES = {kind: workbook_bytes(rows) for kind, rows in SEEDS.items()}

# -- mutations ---------------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**15, 10**15),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["", " ", "=1/0", "=SUM(A1:A9)", "pledge", "payment", "EUD", "USD", "Norway", "Japan",
                     "FZ-P1", "FZ-P1;FZ-P2", "-5", "0", "1e309", "2025-02-30", "31/12/2025", "١٢٣", "NaN",
                     "member_state", "XXK", "\u202e", "a" * 300]),
)


@st.composite
def cell_mutation(draw, kind):
    """A real header with rows whose cells hypothesis chooses (some from the real rows)."""
    rows = [list(r) for r in SEEDS[kind]]
    for _ in range(draw(st.integers(1, 8))):
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(cell_values)
    if draw(st.booleans()):
        rows.append(draw(st.lists(cell_values, min_size=1, max_size=len(rows[0]) + 2)))
    try:
        return workbook_bytes(rows)
    except Exception:  # openpyxl refuses some values (control characters): keep the file as it was
        return workbook_bytes(SEEDS[kind])


@st.composite
def byte_mutation(draw, data: bytes):
    data = bytearray(data)
    how = draw(st.sampled_from(["flip", "truncate", "insert"]))
    if how == "truncate":
        return bytes(data[:draw(st.integers(0, len(data) - 1))])
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return bytes(data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


xml_snippets = st.one_of(
    st.text(max_size=40), st.sampled_from([
        "<", ">", "&", "&amp;", "]]>", '"', "<c r=\"A1\" t=\"s\"><v>999999</v></c>", "<v>1e400</v>",
        "<row r=\"1048577\">", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;", "<?xml version=\"1.0\"?>",
        "t=\"d\"", "t=\"e\"", "t=\"b\"", "<v>-1</v>", "<dimension ref=\"A1:XFD1048576\"/>", "\x00",
    ]))


@st.composite
def xml_mutation(draw, data: bytes):
    """Edit the XML of one part inside the zip and re-pack it (valid checksums: the parser sees it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    text = parts[name].decode("utf-8", errors="replace")
    for _ in range(draw(st.integers(1, 4))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 80)))
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "replace":
            text = text[:a] + draw(xml_snippets) + text[b:]
        elif action == "delete":
            text = text[:a] + text[b:]
        else:
            text = text[:b] + text[a:b] + text[b:]
    parts[name] = text.encode("utf-8", errors="surrogatepass")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for part, content in parts.items():
            dst.writestr(part, content)
    return out.getvalue()


FAILURES = Path(os.environ.get("TRUSTFUND_FUZZ_FAILURES", "/tmp/trustfund-fuzz-failures"))


class Case:
    """One fuzzed workbook (a plain class: hypothesis prints its short repr, not the bytes)."""

    def __init__(self, kind: str, how: str, data: bytes, skip_invalid: bool):
        self.kind, self.how, self.data, self.skip_invalid = kind, how, data, skip_invalid

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]

    def __repr__(self) -> str:  # hypothesis prints this; the bytes themselves are saved to a file
        return f"Case({self.kind}, {self.how}, {len(self.data)} bytes, skip_invalid={self.skip_invalid}, " \
               f"file {FAILURES / (self.sha + '.xlsx')})"

    def save(self) -> None:
        FAILURES.mkdir(parents=True, exist_ok=True)
        (FAILURES / (self.sha + ".xlsx")).write_bytes(self.data)


@st.composite
def fuzzed_input(draw):
    kind = draw(st.sampled_from(sorted(SEEDS)))
    how = draw(st.sampled_from(["cells", "cells", "xml", "xml", "bytes"]))
    if how == "cells":
        data = draw(cell_mutation(kind))
    elif how == "xml":
        data = draw(xml_mutation(SEED_BYTES[kind]))
    else:
        data = draw(byte_mutation(SEED_BYTES[kind]))
    return Case(kind, how, data, draw(st.booleans()))


# -- the property ------------------------------------------------------------------------------------

def _counts(db) -> dict[str, int]:
    from trustfund_app.core.models import Contribution, Donor, ExchangeRate

    with db.reading() as s:
        return {"contributions": s.scalar(select(func.count()).select_from(Contribution)),
                "donors": s.scalar(select(func.count()).select_from(Donor)),
                "rates": s.scalar(select(func.count()).select_from(ExchangeRate))}


def test_mutated_workbooks_never_crash_the_import_nor_commit_half(db, admin, tmp_path):
    from trustfund_app.core.excel.importer import ImportOptions, run_import

    seed_fund(db, admin)
    path = tmp_path / "fuzzed.xlsx"
    tried = {"inputs": 0, "committed": 0, "rejected_file": 0, "row_errors": 0}

    # no shrinking: it has no time bound; the failing file is saved as it was generated instead
    @settings(max_examples=25, deadline=None, database=None, derandomize=False, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(fuzzed_input())
    def one_round(case):
        try:
            check(case)
        except BaseException:
            case.save()  # reproduce with: trustfund import KIND FILE
            raise

    def check(case):
        kind, skip_invalid = case.kind, case.skip_invalid
        path.write_bytes(case.data)
        before, events_before = _counts(db), audit_events(db)
        tried["inputs"] += 1
        try:
            result = run_import(db, admin, kind, path, ImportOptions(skip_invalid=skip_invalid))
        except TrustFundError:
            tried["rejected_file"] += 1
            assert _counts(db) == before and audit_events(db) == events_before
            return
        after = _counts(db)
        if not result.committed:
            assert after == before and audit_events(db) == events_before
            tried["row_errors"] += 1
            return
        tried["committed"] += 1
        assert skip_invalid or not result.errors  # all-or-nothing unless asked otherwise
        assert result.inserted + result.updated + result.unchanged + result.rejected == result.rows
        assert after[kind] == before[kind] + result.inserted
        others = [k for k in after if k != kind and not (kind == "contributions" and k == "donors")]
        assert all(after[k] == before[k] for k in others)

    deadline = time.monotonic() + BUDGET
    while time.monotonic() < deadline:
        one_round()  # 25 examples a round; failures are shrunk and reported by hypothesis
    with db.reading() as s:
        assert audit_verify.verify(s).ok
    print(f"\nfuzzed the importer for {BUDGET:.0f} s: {tried}")
    assert tried["inputs"] > 0 and tried["committed"] > 0 and tried["rejected_file"] > 0
