"""Issue 15, points 4, 5, 7 and 10: what an import or a form may store. Amounts are bounded so every
report still works; absurd rates are refused and a jump from the previous rate needs confirming;
names are cleaned and must hold a letter or digit, lookalikes in another script are flagged."""

from __future__ import annotations

import json
from pathlib import Path
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
from tests.core.resilience_helpers import cli, sqlite_only
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.rates import RateJumpError, RateService
from trustfund_app.core.services.base import APP_ITSELF, NOT_LOGGED_IN  # noqa: E402


@pytest.fixture
def fund(db, admin):
    seed(db, admin)
    return db


# -- point 4 ---------------------------------------------------------------------------------
def test_100_absurd_pledges_are_refused_and_every_report_still_works(fund, admin, tmp_path, capsys, monkeypatch):
    rows = [[date(2026, 3, 1), "Japan", "pledge", "USD", 999_999_999_999_999, f"P-{i}", None] for i in range(100)]
    path = book(tmp_path / "huge.xlsx", [CONTRIB_HEADER, *rows])
    code, _out, err = cli(["--db", fund.url, "import", "contributions", str(path)], capsys, monkeypatch)
    assert code == 2 and "more than USD 10 billion" in err and "E2" in err
    assert contributions(fund) == []
    japan = DonorService(fund, APP_ITSELF).find("Japan")
    with pytest.raises(ValidationError, match="10 billion"):
        ContributionService(fund, admin).record_pledge(japan, date(2026, 3, 1), Decimal("999999999999999"), "USD")
    with pytest.raises(ValidationError, match="10 billion"):  # a yen amount worth more than that too
        ContributionService(fund, admin).record_pledge(japan, date(2026, 3, 1), Decimal("200000000000000"), "JPY")
    for _ in range(3):  # the largest amount allowed, several times: totals still add up
        ContributionService(fund, admin).record_pledge(japan, date(2026, 3, 1), Decimal("10000000000"), "USD")
    code, out, err = cli(["--db", fund.url, "position", "--json", "--at", "2026-12-31"], capsys, monkeypatch)
    assert code == 0, err
    assert json.loads(out)["pledged_outstanding"] == "30000000000.00"
    code, _out, err = cli(["--db", fund.url, "fund-report", "--year", "2026", "--out", str(tmp_path / "r.pdf")],
                          capsys, monkeypatch)
    assert code == 0, err


@sqlite_only  # PostgreSQL sums bigints as numeric: no total can overflow there, so nothing is refused
def test_totals_that_would_overflow_are_refused_before_they_are_stored(fund, admin, monkeypatch):
    from trustfund_app.core.services import contributions as service_module

    monkeypatch.setattr(service_module, "TOTALS_CEILING", 2 * 10**12)  # two maximal pledges' worth
    japan = DonorService(fund, APP_ITSELF).find("Japan")
    service = ContributionService(fund, admin)
    service.record_pledge(japan, date(2026, 3, 1), Decimal("10000000000"), "USD")
    service.record_pledge(japan, date(2026, 3, 2), Decimal("10000000000"), "USD")
    with pytest.raises(ValidationError, match="too large to add up"):
        service.record_pledge(japan, date(2026, 3, 3), Decimal("10000000000"), "USD")
    assert len(contributions(fund)) == 2


# -- point 5 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rate", ["1e308", "1e-30", "1" * 100_000, "0", "-0.9", "0.92000000000001"])
def test_absurd_rates_are_refused(fund, admin, rate):
    with pytest.raises(ValidationError) as refused:
        RateService(fund, admin).set_rate("CHF", date(2026, 3, 1), rate)
    assert refused.value.field == "rate" and len(str(refused.value)) < 200


def test_a_rate_50_percent_away_from_the_previous_needs_accepting(fund, admin):
    rates = RateService(fund, admin)
    with pytest.raises(RateJumpError, match=r"EUR 9\.2 .*\+900 %.*0\.92"):
        rates.set_rate("EUR", date(2027, 1, 1), Decimal("9.2"))
    with pytest.raises(RateJumpError) as month:
        rates.add_month(date(2027, 1, 1), {"EUR": Decimal("0.93"), "JPY": Decimal("15.05")})
    assert [j.currency for j in month.value.jumps] == ["JPY"]
    assert rates.rate_for("JPY", date(2027, 1, 5)).rate == Decimal("150.5")  # nothing of the month saved
    rates.set_rate("EUR", date(2027, 1, 1), Decimal("1.3"))  # +41 %: no question asked
    rates.add_month(date(2027, 2, 1), {"JPY": Decimal("15.05")}, accept_jumps=True)
    assert rates.rate_for("JPY", date(2027, 2, 5)).rate == Decimal("15.05")


def test_rate_import_refuses_jumps_unless_accept_rate_jumps(fund, tmp_path, capsys, monkeypatch):
    path = book(tmp_path / "rates.xlsx", [["currency", "effective_date", "rate"],
                                           ["EUR", date(2027, 1, 1), 0.93],
                                           ["JPY", date(2027, 1, 1), 1505],
                                           ["JPY", date(2027, 2, 1), 150.7]])
    code, _out, err = cli(["--db", fund.url, "import", "rates", str(path)], capsys, monkeypatch)
    assert code == 2 and "rates.xlsx: Sheet1!C3:" in err and "--accept-rate-jumps" in err
    code, out, err = cli(["--db", fund.url, "import", "rates", str(path), "--accept-rate-jumps"], capsys, monkeypatch)
    assert code == 0, err
    assert RateService(fund, APP_ITSELF).rate_for("JPY", date(2027, 1, 5)).rate == Decimal("1505")


# -- point 7 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200b\u202e", "-", "?", "—", "  \u2066\u2069 "])
def test_a_name_without_a_letter_or_digit_is_refused(fund, admin, name):
    with pytest.raises(ValidationError, match="letter or digit"):
        DonorService(fund, admin).create(name, "member_state", "EGY")
    from trustfund_app.core.services.grants import GranteeService

    with pytest.raises(ValidationError, match="letter or digit|required"):
        GranteeService(fund, admin).create(name, "EGY")


def test_names_are_nfc_normalised_and_stripped_of_invisible_characters(fund, admin):
    donors = DonorService(fund, admin)
    donor_id = donors.create("\u200bCo\u0302te d\u2019Ivoire\u202c ", "member_state", "CIV")
    assert donors.get(donor_id).name == "Côte d\u2019Ivoire"


def test_dashes_in_a_donor_column_are_not_booked_to_anyone(fund, tmp_path):
    path = book(tmp_path / "p.xlsx", [CONTRIB_HEADER, [date(2026, 3, 1), "—", "pledge", "EUR", 10, None, None]])
    result = run(fund, None, "contributions", path) if False else None
    from trustfund_app.core.services.users import UserService

    actor = UserService(fund, NOT_LOGGED_IN).login("admin", "Quiet-River-42")
    result = run(fund, actor, "contributions", path)
    assert result.errors and "not a donor name" in result.errors[0].message and not contributions(fund)


def test_a_lookalike_name_in_another_script_gets_a_warning(fund, admin, tmp_path):
    donors = DonorService(fund, admin)
    donors.create("Egypt", "member_state", "EGY")
    assert donors.lookalike("\u0415gypt") == "Egypt"  # Cyrillic capital IE
    assert donors.lookalike("Egypt Foundation") is None and donors.lookalike("Égypte") is None
    from trustfund_app.core.services.users import UserService

    path = book(tmp_path / "d.xlsx", [["name", "type"], ["\u0415gypt", "member_state"]])
    result = run(fund, UserService(fund, NOT_LOGGED_IN).login("admin", "Quiet-River-42"), "donors", path)
    assert any("looks like \"Egypt\"" in note and "row 2" in note for note in result.notes)


# -- point 10 --------------------------------------------------------------------------------
def test_exports_write_formula_like_text_as_text(fund, admin, tmp_path, capsys, monkeypatch):
    import zipfile

    hostile = ['=HYPERLINK("http://example.org/x","Click")', "+1 Foundation", "@SUM(A1) Trust", "-2+3 Fund"]
    for name in hostile:
        DonorService(fund, admin).create(name, "foundation", "CHE")
    out = tmp_path / "donors.xlsx"
    code, _out, err = cli(["--db", fund.url, "export", "donors", str(out)], capsys, monkeypatch)
    assert code == 0, err
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    ws = openpyxl.load_workbook(out).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for name in hostile:
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name


# -- point 9 ---------------------------------------------------------------------------------
def _with_prolog(src, dst, part: str, prolog: bytes):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = prolog + data[data.index(b"?>") + 2:] if data.startswith(b"<?xml") else prolog + data
            zout.writestr(item, data)
    return dst


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE = b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["entity-bomb", "xxe"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_entity_declarations_are_refused_in_one_line(fund, tmp_path, capsys, monkeypatch, prolog, part):
    good = book(tmp_path / "good.xlsx", [CONTRIB_HEADER, [date(2026, 3, 1), "Japan", "pledge", "EUR", 10, "A", None]])
    bad = _with_prolog(good, tmp_path / "bad.xlsx", part, prolog)
    code, _out, err = cli(["--db", fund.url, "import", "contributions", str(bad)], capsys, monkeypatch)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"bad.xlsx: {part} declares XML entities"), err


def test_hostile_cells_give_one_short_line_each_with_the_cell(fund, tmp_path, capsys, monkeypatch):
    rows = [[date(2026, 3, 1), "Japan", "pledge", "EUR", "NaN", "A", None],
            [date(2026, 3, 1), "Japan", "pledge", "EUR", "0x10", "B", None],
            [date(2026, 3, 1), "Japan\n" * 200_000, "pledge", "EUR", 10, "C", None],
            [date(2026, 3, 1), "Japan", "pledge", "EUR", "1,5", "D", None]]
    path = book(tmp_path / "cells.xlsx", [CONTRIB_HEADER, *rows])
    code, _out, err = cli(["--db", fund.url, "import", "contributions", str(path)], capsys, monkeypatch)
    lines = err.splitlines()
    assert code == 2 and len(lines) == 3, err
    assert lines[0].startswith("cells.xlsx: Sheet1!E2: ") and lines[1].startswith("cells.xlsx: Sheet1!E3: ")
    assert lines[2].startswith("cells.xlsx: Sheet1!B4: ") and len(lines[2]) < 300


# -- point 6 ---------------------------------------------------------------------------------
def test_data_after_a_long_run_of_empty_formatted_rows_is_never_dropped(fund, admin, tmp_path, capsys, monkeypatch):
    from trustfund_app.core.services.settings import SettingsService

    SettingsService(fund, admin).set("import_max_blank_rows", "1000")  # the default is 100,000
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CONTRIB_HEADER)
    ws.append([date(2026, 3, 1), "Japan", "pledge", "EUR", 10, "FIRST", None])
    for row in range(3, 3 + 1500):
        ws.row_dimensions[row].height = 18  # formatted, empty
    ws.cell(1503, 1, date(2026, 3, 2))
    for col, value in enumerate(["Japan", "pledge", "EUR", 20, "LAST"], start=2):
        ws.cell(1503, col, value)
    wb.save(tmp_path / "gap.xlsx")
    code, out, err = cli(["--db", fund.url, "import", "contributions", str(tmp_path / "gap.xlsx")], capsys, monkeypatch)
    assert code == 2 and "row 1503" in err and "more than 1,000 empty rows" in err, (out, err)
    assert contributions(fund) == []


# -- point 8 ---------------------------------------------------------------------------------
def test_unused_shared_strings_are_never_held_in_memory(fund, tmp_path):
    """The benchmark (benchmarks/bench_shared_strings.py) measures ten million; here 300,000
    unused strings: reading the sheet keeps only the 8 it uses, and the import is right."""
    from tests.core.shared_strings_book import make_book

    from trustfund_app.core.excel.reader import Limits, open_workbook
    from trustfund_app.core.services.users import UserService

    book = make_book(tmp_path / "strings.xlsx", 300_000)
    workbook = open_workbook(book, Limits())
    rows = dict(workbook.rows(workbook.default_sheet()))
    assert rows[2][2] == "Japan" and rows[1][5] == "amount"
    assert len(workbook._wb.worksheets[0]._shared_strings) == 8  # not 300,008
    workbook.close()
    result = run(fund, UserService(fund, NOT_LOGGED_IN).login("admin", "Quiet-River-42"), "contributions", book)
    assert (result.inserted, result.errors) == (1, [])
