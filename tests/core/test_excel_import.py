"""Importing contributions, donors, rates and grants: what a user sees in the result and in the
books afterwards — all-or-nothing by default, idempotent re-imports, every bad cell reported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
from trustfund_app.core.models import Allocation, ReceiptCounter


@pytest.fixture
def fund(db, admin):
    seed(db, admin)
    return db


def test_valid_file_commits_with_rates_receipts_and_allocation(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [
        ["Contributions received in 2026"], [],  # title rows above the header
        ["Date", "Donateur", "Type", "Devise", "Montant", "Référence", "Pledge reference"],
        [date(2026, 1, 5), "Germany", "Annonce de contribution", "EUR", 1000, "P-1", None],
        [date(2026, 1, 6), "Germany", "Объявленный взнос", "EUR", "2 000,00", "P-2", None],
        ["2026-02-10", "federal republic of germany", "付款", "eur", 1500.10, "PAY-1", None],
        [datetime(2026, 3, 1), "Japan", "payment", "JPY", "1,000,000", "PAY-2", None],
    ])
    result = run(fund, admin, "contributions", path)
    assert (result.rows, result.inserted, result.rejected, result.committed) == (4, 4, 0, True)
    rows = contributions(fund)
    assert [r.amount_minor for r in rows] == [100000, 200000, 150010, 1000000]
    assert rows[2].usd_cents == 163054  # 1500.10 / 0.92 = 1630.543… → 1630.54
    assert rows[3].usd_cents == 664452  # 1,000,000 JPY / 150.5
    assert [r.receipt_number for r in rows] == [f"VTF-2026-000{i}" for i in range(1, 5)]
    with fund.reading() as s:
        allocs = s.execute(select(Allocation.pledge_id, Allocation.amount_minor)
                           .order_by(Allocation.created_at)).all()
        assert s.scalar(select(ReceiptCounter.last).where(ReceiptCounter.year == 2026)) == 4
    # oldest open pledge first: P-1 fully (1000), the rest (500.10) to P-2
    assert [(str(p), m) for p, m in allocs] == [(str(rows[0].id), 100000), (str(rows[1].id), 50010)]


def test_same_file_twice_changes_nothing(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 9), "Japan", "payment", "JPY", 5000, None, None]])
    first = run(fund, admin, "contributions", path)
    second = run(fund, admin, "contributions", path)
    assert (first.inserted, second.inserted, second.unchanged, second.committed) == (2, 0, 2, True)
    assert len(contributions(fund)) == 2


def test_invalid_rows_commit_nothing_and_every_bad_cell_is_named(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 6), "Germny", "pledge", "EUD", 10, "P-2", None],
                                       ["03/04/2026", "Japan", "payment", "USD", "12.345", "X", None]])
    result = run(fund, admin, "contributions", path)
    assert not result.committed and result.rejected == 2 and result.inserted == 1
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(3, "B")] == 'unknown donor "Germny"; did you mean "Germany"?'
    assert found[(3, "D")] == 'unknown currency code "EUD"'
    assert "YYYY-MM-DD" in found[(4, "A")]
    assert "more decimals than USD allows" in found[(4, "E")]
    assert result.errors[0].line("c.xlsx") == 'c.xlsx: Sheet1!B3: unknown donor "Germny"; did you mean "Germany"?'
    assert contributions(fund) == []


def test_skip_invalid_commits_the_valid_rows(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2020, 1, 6), "Japan", "pledge", "JPY", 10, "P-2", None]])
    result = run(fund, admin, "contributions", path, skip_invalid=True)
    assert result.committed and result.inserted == 1 and result.rejected == 1
    assert "no exchange rate for JPY on or before 2020-01-06" in result.errors[0].message
    assert [c.reference for c in contributions(fund)] == ["P-1"]


def test_dry_run_writes_nothing(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None]])
    result = run(fund, admin, "contributions", path, dry_run=True)
    assert result.inserted == 1 and not result.committed and contributions(fund) == []


def test_duplicates_inside_the_file_are_reported(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 7), "Japan", "pledge", "JPY", 100, "P-1", None],
                                       [date(2026, 1, 5), "Federal Republic of Germany", "pledge", "EUR", 1000, None, None]])
    result = run(fund, admin, "contributions", path)
    assert [(e.row, e.message) for e in result.errors] == [
        (3, 'the reference "P-1" is also used on row 2'),
        (4, "same donor, date, kind, amount and currency as row 2")]


def test_payment_names_its_pledge_and_overpaying_it_is_refused(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER,
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 6), "Germany", "pledge", "EUR", 300, "P-2", None],
                                       [date(2026, 2, 1), "Germany", "payment", "EUR", 300, "PAY-1", "P-2"],
                                       [date(2026, 2, 2), "Germany", "payment", "EUR", 50, "PAY-2", "P-2"]])
    result = run(fund, admin, "contributions", path, skip_invalid=True)
    assert [(e.row, e.column) for e in result.errors] == [(5, "G")]
    assert result.errors[0].message == '"P-2" is not an open pledge of this donor'
    with fund.reading() as s:
        assert s.execute(select(Allocation.amount_minor)).scalars().all() == [30000]


def test_formula_without_saved_result_is_an_error_not_a_zero(fund, admin, tmp_path):
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, [date(2026, 1, 5), "Germany", "pledge", "EUR", "=2*500", "P-1", None]])
    result = run(fund, admin, "contributions", path)
    assert (result.errors[0].column, result.committed) == ("E", False)
    assert "formula" in result.errors[0].message


def test_audit_trail_records_every_imported_row_and_verifies(fund, admin, tmp_path):
    from trustfund_app.core import audit, audit_verify
    from trustfund_app.core.models import AuditEvent, Contribution

    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
                                       [date(2026, 1, 8), "Germany", "payment", "EUR", 100, "PAY-1", None]])
    run(fund, admin, "contributions", path)
    with fund.reading() as s:
        assert audit_verify.verify(s).ok  # every imported row has its creation in the trail
        # contributions and allocations: one event per chunk of rows, every value of every row
        events = {ev.entity: audit.imported_rows(ev.entity, ev.after) for ev in s.scalars(
            select(AuditEvent).where(AuditEvent.action == audit.IMPORTED, AuditEvent.user == "admin"))}
        columns, rows = events["contribution"]
        assert sorted(r[columns.index("reference")] for r in rows) == ["P-1", "PAY-1"]
        assert len(events["allocation"][1]) == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "receipt_counter", AuditEvent.user == "admin")) == 1
        payment = s.scalars(select(Contribution).where(Contribution.reference == "PAY-1")).one()
        (created,) = audit.history(s, "contribution", payment.id)
    # the history panel shows the imported payment's creation like any other
    assert (created.action, created.user, created.before) == ("insert", "admin", None)
    assert (created.after["amount_minor"], created.after["currency"], created.after["id"]) == (10000, "EUR", str(payment.id))
    assert created.after["date"] == "2026-01-08"


def test_donors_import_matches_aliases_updates_and_creates(fund, admin, tmp_path):
    from trustfund_app.core.services.donors import DonorService

    path = book(tmp_path / "d.xlsx", [
        ["Nom", "Type", "Pays", "Langue", "Alias", "Courriel"],
        ["Federal Republic of Germany", "État membre", "DE", "Français", "Deutschland", None],
        ["Fondation Lumière", "Fondation", "France", "fr", "Lumiere Foundation; FL", "info@lumiere.org"],
        ["Bad Donor", "alien", "XX", "klingon", None, "not-an-email"],
    ])
    result = run(fund, admin, "donors", path, skip_invalid=True)
    assert (result.inserted, result.updated, result.rejected) == (1, 1, 1)
    assert {e.column for e in result.errors} <= {"B", "C", "D", "F"}
    donors = DonorService(fund, admin)
    germany = donors.get(donors.find("Deutschland"))
    assert (germany.name, germany.language, germany.country) == ("Germany", "fr", "DEU")
    lumiere = donors.get(donors.find("lumiere foundation"))
    assert (lumiere.type, lumiere.country, lumiere.aliases) == ("foundation", "FRA", ["FL", "Lumiere Foundation"])
    again = run(fund, admin, "donors", path, skip_invalid=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_rates_import_adds_corrects_and_refuses_usd(fund, admin, tmp_path):
    from trustfund_app.core.services.rates import RateService

    path = book(tmp_path / "r.xlsx", [["Devise", "Date d'effet", "Taux"],
                                       ["EUR", date(2026, 1, 1), 0.92], ["EUR", "2026-02-01", "0,95"],
                                       ["GBP", date(2026, 1, 1), 0.791234], ["USD", date(2026, 1, 1), 1]])
    result = run(fund, admin, "rates", path, skip_invalid=True)
    assert (result.inserted, result.updated, result.unchanged, result.rejected) == (1, 1, 1, 1)
    rates = RateService(fund, admin)
    assert rates.rate_for("EUR", date(2026, 2, 15)).rate == Decimal("0.95")
    assert rates.rate_for("GBP", date(2026, 3, 1)).rate == Decimal("0.791234")


def test_grants_need_a_known_cycle_and_create_unknown_grantees(fund, admin, tmp_path):
    from trustfund_app.core.models import Grant, GrantCycle, Grantee

    with fund.writing("admin") as s:
        s.add(GrantCycle(number=7, year=2026, name="Cycle 7", envelope_usd_cents=100_000_000))
    path = book(tmp_path / "g.xlsx", [
        ["Reference", "Cycle", "Grantee", "Country", "Title", "Amount (USD)", "Start", "End", "Status"],
        ["G-1", 7, "Safe Haven", "NGA", "Shelter", 20000, date(2026, 3, 1), date(2026, 11, 30), "Активный"],
        ["G-2", 9, "Safe Haven", "NGA", "Legal aid", 15000, date(2026, 3, 1), date(2026, 11, 30), None],
    ])
    result = run(fund, admin, "grants", path, skip_invalid=True)
    assert result.errors[0].message == "there is no grant cycle number 9; create the cycle first"
    assert result.notes == ['a new grantee "Safe Haven" (NGA) will be created (row 2)']
    with fund.reading() as s:
        grant = s.scalar(select(Grant))
        assert (grant.status, grant.amount_usd_cents, grant.approved_on) == ("active", 2_000_000, date(2026, 3, 1))
        assert s.scalar(select(Grantee.country)) == "NGA"


def test_read_only_user_cannot_import_but_may_dry_run(fund, admin, tmp_path):
    from trustfund_app.core.errors import PermissionDenied
    from trustfund_app.core.services.base import Actor

    viewer = Actor("viewer", "read-only")
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None]])
    with pytest.raises(PermissionDenied):
        run(fund, viewer, "contributions", path)
    assert run(fund, viewer, "contributions", path, dry_run=True).inserted == 1


def test_bulk_rate_lookup_follows_the_unore_rule_of_find_rate(fund):
    from trustfund_app.core.rate_in_force import MissingRateError, RateTable, find_rate

    with fund.reading() as s:
        table = RateTable(s)
        for currency in ("EUR", "JPY", "USD"):
            for day in (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2027, 6, 5)):
                found = find_rate(s, currency, day)
                assert table.find(currency, day) == found
        with pytest.raises(MissingRateError):
            table.find("EUR", date(2025, 12, 31))


def test_an_alias_too_long_to_store_is_refused_and_reimport_changes_nothing(db, admin, tmp_path):
    """Found by the fuzzer on PostgreSQL: a 300-character alias was cut to 200 when stored, so the
    second import did not recognise it and tried to add it again."""
    import openpyxl

    from trustfund_app.core.excel.importer import ImportOptions, run_import

    path = tmp_path / "donors.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "type", "country", "language", "aliases"])
    ws.append(["Chile", "member_state", "CHL", "es", "República de Chile"])
    ws.append(["Open Society", "foundation", "USA", "en", "a" * 300])
    wb.save(path)
    options = ImportOptions(skip_invalid=True, parallel_read=False)
    first = run_import(db, admin, "donors", path, options)
    assert (first.inserted, first.rejected) == (1, 1)
    assert "longer than 200 characters" in first.errors[0].message
    second = run_import(db, admin, "donors", path, options)
    assert (second.inserted, second.unchanged, second.rejected) == (0, 1, 1)
