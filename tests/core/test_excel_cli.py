"""``trustfund import / template / export`` as CLI.md fixes them, export → import reproducing the
data, templates a user can fill in, rejected rows saved for fixing, and saved column mappings."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
from tests.core.resilience_helpers import cli


@pytest.fixture
def fund(db, admin):
    seed(db, admin)
    return db


def test_import_json_exit_codes_and_error_lines(fund, tmp_path, capsys, monkeypatch):
    path = book(tmp_path / "pledges.xlsx", [CONTRIB_HEADER,
                                             [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                             [date(2026, 1, 6), "Japan", "pledge", "EUD", 10, "P-2", None]])
    code, out, err = cli(["--db", fund.url, "import", "contributions", str(path), "--json"], capsys, monkeypatch)
    assert code == 2
    assert json.loads(out) == {"kind": "contributions", "file": "pledges.xlsx", "rows": 2, "inserted": 1, "updated": 0,
                               "unchanged": 0, "rejected": 1, "committed": False,
                               "errors": [{"sheet": "Sheet1", "row": 3, "column": "D",
                                           "message": 'unknown currency code "EUD"'}]}
    assert err.strip() == 'pledges.xlsx: Sheet1!D3: unknown currency code "EUD"'
    code, out, _err = cli(["--db", fund.url, "import", "contributions", str(path), "--dry-run"], capsys, monkeypatch)
    assert code == 2 and "dry run" in out
    code, out, _err = cli(["--db", fund.url, "import", "contributions", str(path), "--skip-invalid", "--json"],
                          capsys, monkeypatch)
    assert code == 0 and json.loads(out)["committed"] is True and len(contributions(fund)) == 1
    code, _out, err = cli(["--db", fund.url, "import", "contributions", str(tmp_path / "missing.xlsx")], capsys, monkeypatch)
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_map_option_and_sheet_option(fund, tmp_path, capsys, monkeypatch):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    ws = wb.create_sheet("Data")
    ws.append(["When", "Who", "What", "Cur", "How much"])
    ws.append([date(2026, 1, 5), "Germany", "pledge", "EUR", 1000])
    wb.save(tmp_path / "odd.xlsx")
    args = ["--db", fund.url, "import", "contributions", str(tmp_path / "odd.xlsx"), "--sheet", "Data", "--json"]
    code, _out, err = cli(args, capsys, monkeypatch)
    assert code == 2 and "no header row" in err
    maps = ["--map", "When=date", "--map", "Who=donor", "--map", "What=kind", "--map", "how much=amount"]
    code, out, _err = cli(args + maps, capsys, monkeypatch)
    assert code == 0 and json.loads(out)["inserted"] == 1


def test_saved_mapping_is_applied_to_the_same_layout(fund, admin, tmp_path):
    from trustfund_app.core.excel.headers import save_mapping
    from trustfund_app.core.excel.importer import ImportOptions, run_import
    from trustfund_app.core.excel.headers import parse_mapping

    rows = [["When", "Who", "What", "Currency", "How much"], [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000]]
    path = book(tmp_path / "a.xlsx", rows)
    manual = parse_mapping("contributions", ["When=date", "Who=donor", "What=kind", "How much=amount"])
    first = run_import(fund, admin, "contributions", path, ImportOptions(mapping=manual, dry_run=True))
    assert first.inserted == 1
    from trustfund_app.core.excel.headers import HeaderMatch

    save_mapping(fund, "admin", HeaderMatch(first.header_row, first.headers,
                                            {f: c for c, h in first.headers.items() for f, hh in first.columns.items()
                                             if hh == h}, first.layout))
    later = run(fund, admin, "contributions", book(tmp_path / "b.xlsx", rows))  # no --map this time
    assert (later.inserted, later.committed) == (1, True)


def test_export_then_import_into_an_empty_database_reproduces_the_data(fund, admin, tmp_path, capsys, monkeypatch):
    from trustfund_app.core.db import Database
    from trustfund_app.core.models import Allocation, Contribution, Donor, DonorAlias, ExchangeRate, GrantCycle
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.users import UserService

    donors, money = DonorService(fund, admin), ContributionService(fund, admin)
    germany, japan = donors.find("Germany"), donors.find("Japan")
    donors.create("Fondation Lumière", "foundation", "FRA", "fr", aliases=["FL"], email="a@b.org", address="Paris")
    p1 = money.record_pledge(germany, date(2026, 1, 5), Decimal("1000.10"), "EUR", reference="P-1", earmark="Shelter")
    money.record_pledge(germany, date(2026, 1, 9), Decimal("500"), "USD", reference="P-2")
    money.record_payment(germany, date(2026, 2, 1), Decimal("1200"), "EUR", reference="PAY-1")
    money.record_payment(japan, date(2026, 3, 3), Decimal("123456"), "JPY", note="first gift")
    money.record_payment(germany, date(2026, 4, 1), Decimal("10"), "EUR", pledge_ids=[money.open_pledges(germany)[0].id]
                         if money.open_pledges(germany) else None)
    del p1
    with fund.writing("admin") as s:
        s.add(GrantCycle(number=3, year=2026, name="Cycle 3", envelope_usd_cents=1))
    files = {}
    for kind in ("donors", "rates", "contributions"):
        files[kind] = tmp_path / f"{kind}.xlsx"
        code, _o, _e = cli(["--db", fund.url, "export", kind, str(files[kind])], capsys, monkeypatch)
        assert code == 0
    empty = Database.open(tmp_path / "empty.sqlite3")
    other = UserService(empty).create_first_admin("admin", "Quiet-River-42")
    for kind in ("donors", "rates", "contributions"):
        result = run(empty, other, kind, files[kind])
        assert result.committed and not result.errors, result.errors

    def dump(db):
        with db.reading() as s:
            names = dict(s.execute(select(Donor.id, Donor.name)).all())
            refs = {c.id: (c.receipt_number) for c in s.scalars(select(Contribution))}
            return (
                sorted((d.name, d.type, d.country, d.language, d.email, d.address) for d in s.scalars(select(Donor))),
                sorted((names[a.donor_id], a.alias) for a in s.scalars(select(DonorAlias))),
                sorted((r.currency, r.effective_date, r.rate) for r in s.scalars(select(ExchangeRate))),
                sorted((names[c.donor_id], c.kind, c.date, c.currency, c.amount_minor, c.rate, c.rate_date, c.usd_cents,
                        c.reference, c.receipt_number, c.earmark, c.note) for c in s.scalars(select(Contribution))),
                sorted((refs[a.payment_id], refs[a.pledge_id], a.amount_minor) for a in s.scalars(select(Allocation))),
            )

    assert dump(empty) == dump(fund)
    empty.dispose()


def test_template_has_translated_headers_drop_downs_and_imports_when_filled(fund, admin, tmp_path, capsys, monkeypatch):
    path = tmp_path / "modele.xlsx"
    code, _o, _e = cli(["--db", fund.url, "template", "contributions", str(path), "--lang", "fr"], capsys, monkeypatch)
    assert code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:5] == ["Date", "Donateur", "Nature", "Devise", "Montant"]
    assert ws.freeze_panes == "A2" and "Instructions" in wb.sheetnames and wb["lists"].sheet_state == "hidden"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert set(lists) == {"C2", "D2"}
    kinds = [wb["lists"][f"B{i}"].value for i in (1, 2)]
    assert ws["A2"].number_format == "yyyy-mm-dd"
    for row, values in ((2, [date(2026, 1, 5), "Germany", kinds[0], "EUR", 1000]),
                        (3, [date(2026, 2, 5), "Japan", kinds[1], "JPY", 5000])):
        for cell, value in zip(ws[row], values):
            cell.value = value
    wb.save(path)
    result = run(fund, admin, "contributions", path)
    assert (result.inserted, result.committed) == (2, True), result.errors


def test_rejected_rows_workbook_can_be_fixed_and_reimported(fund, admin, tmp_path):
    from trustfund_app.core.excel.rejects import write_rejects

    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 6), "Japon", "pledge", "JPY", 10, "P-2", None]])
    result = run(fund, admin, "contributions", path, skip_invalid=True)
    out = write_rejects(result, tmp_path / "rejects.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert [c.value for c in ws[1]] == CONTRIB_HEADER + ["error"]
    assert ws["H2"].value.startswith('unknown donor "Japon"') and ws["F2"].value == "P-2"
    ws["B2"] = "Japan"
    wb.save(out)
    again = run(fund, admin, "contributions", out)
    assert (again.inserted, again.committed, again.ignored) == (1, True, ["error"])
