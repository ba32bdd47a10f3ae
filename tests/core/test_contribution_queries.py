from datetime import date
from decimal import Decimal

from trustfund_app.core.services.contribution_queries import (
    ContributionFilter,
    list_page,
    summary,
)
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donor_totals import donor_totals
from trustfund_app.core.services.donors import DonorService


def _fund(db, admin):
    donors = DonorService(db, admin)
    de = donors.create("Germany", "member_state", "DE", "en")
    jp = donors.create("Japan", "member_state", "JP", "en")
    c = ContributionService(db, admin)
    p1 = c.record_pledge(de, date(2025, 2, 1), "1000", "EUR", reference="DE-P1")
    c.record_payment(de, date(2025, 3, 1), "400", "EUR", reference="DE-T1")
    c.record_pledge(jp, date(2026, 1, 5), "150500", "JPY", reference="JP-P1")
    c.record_pledge(de, date(2026, 2, 1), "500", "EUR", reference="DE-P2")
    c.record_payment(de, date(2026, 3, 1), "1100", "EUR", reference="DE-T2")  # pays DE-P1 rest and DE-P2
    return de, jp, p1


def test_filters_status_and_totals(db, admin, eur_rates):
    de, jp, _p1 = _fund(db, admin)
    with db.reading() as s:
        rows = list_page(s, ContributionFilter())
        assert [r.reference for r in rows] == ["DE-T2", "DE-P2", "JP-P1", "DE-T1", "DE-P1"]  # newest first
        assert {r.reference: r.status for r in rows if r.kind == "pledge"} == {
            "DE-P1": "paid", "DE-P2": "paid", "JP-P1": "outstanding"}
        assert [r.reference for r in list_page(s, ContributionFilter(status="outstanding"))] == ["JP-P1"]
        assert [r.reference for r in list_page(s, ContributionFilter(year=2025), "date", False)] == ["DE-P1", "DE-T1"]
        assert [r.reference for r in list_page(s, ContributionFilter(text="japan"))] == ["JP-P1"]
        eur_payments = summary(s, ContributionFilter(kind="payment", currency="EUR"))
        # 400 and 1,100 EUR at 0.92 per USD: 434.78 + 1,195.65
        assert (eur_payments.count, eur_payments.usd_total) == (2, Decimal("1630.43"))
        assert summary(s, ContributionFilter(donor_id=jp)).pledged_usd == Decimal("1000.00")
        assert [r.reference for r in list_page(s, ContributionFilter(), "usd", True, offset=1, limit=2)] == ["DE-P1", "JP-P1"]


def test_a_pledge_partly_paid_then_reversed_payment(db, admin, eur_rates):
    de = DonorService(db, admin).create("France", "member_state", "FR", "fr")
    c = ContributionService(db, admin)
    c.record_pledge(de, date(2026, 1, 2), "1000", "EUR", reference="FR-P")
    pay = c.record_payment(de, date(2026, 2, 2), "300", "EUR", reference="FR-T")
    with db.reading() as s:
        assert [r.status for r in list_page(s, ContributionFilter(kind="pledge"))] == ["partly_paid"]
    c.reverse(pay, "wrong donor")
    with db.reading() as s:
        assert [r.status for r in list_page(s, ContributionFilter(kind="pledge"))] == ["outstanding"]
        assert summary(s, ContributionFilter(kind="payment")).usd_total == Decimal("0.00")


def test_donor_totals_per_currency_and_year(db, admin, eur_rates):
    de, _jp, _p1 = _fund(db, admin)
    with db.reading() as s:
        totals = donor_totals(s, de)
    (eur,) = totals.by_currency
    assert (eur.currency, eur.pledged, eur.paid) == ("EUR", Decimal("1500.00"), Decimal("1500.00"))
    assert [(y.year, y.paid_usd) for y in totals.by_year] == [(2026, Decimal("1195.65")), (2025, Decimal("434.78"))]
    assert totals.paid_usd == Decimal("1630.43") and totals.entries == 4


def test_text_search_ignores_case_and_takes_wildcards_literally(db, admin, eur_rates):
    donor = DonorService(db, admin).create("Republic of Korea", "member_state", "KR", "en")
    c = ContributionService(db, admin)
    c.record_pledge(donor, date(2026, 1, 2), "100", "EUR", reference="KR_2026", earmark="100% for shelters")
    c.record_pledge(donor, date(2026, 1, 3), "100", "EUR", reference="KRX2026", earmark="education")
    with db.reading() as s:
        def found(text):
            return [r.reference for r in list_page(s, ContributionFilter(text=text))]

        assert found("kr_2026") == ["KR_2026"]  # "_" is not "any character"
        assert found("100%") == ["KR_2026"]
        assert found("KOREA") == ["KRX2026", "KR_2026"]
        assert found("vtf-2026-0002") == ["KRX2026"]  # receipt numbers too
        assert summary(s, ContributionFilter(text="%")).count == 1


def _references(s, text, **flt):
    return [r.reference for r in list_page(s, ContributionFilter(text=text, **flt))]


def test_text_search_through_the_trigram_index_follows_every_change(db, admin, eur_rates, tmp_path, monkeypatch):
    """The index (SQLite FTS5, migration 0004; PostgreSQL pg_trgm, migration 0011) gives what LIKE gives, whether the page is fetched from
    the index (few matches) or by scanning in date order (many), and follows corrections and imports."""
    from tests.core.excel_helpers import book
    from trustfund_app.core.excel.importer import ImportOptions, run_import
    from trustfund_app.core.services import contribution_queries as q

    de, _jp, p1 = _fund(db, admin)
    c = ContributionService(db, admin)
    c.correct_note(p1, "DE-PLEDGE-2025", "Shelter in Tirana", None, "typo in the reference")
    book(tmp_path / "more.xlsx", [["date", "donor", "kind", "currency", "amount", "reference", "earmark"],
                                  [date(2026, 4, 1), "Japan", "pledge", "JPY", 5000, "JP-IMPORTED-7", "Tirana"]])
    assert run_import(db, admin, "contributions", tmp_path / "more.xlsx", ImportOptions()).committed
    searches = ["DE-P1", "de-pledge", "tirana", "JP-", "japan", "vtf-2026", "-t", "zzz", 'quote"d']
    with db.reading() as s:
        assert q.text_index(s) == {"sqlite": "fts5", "postgresql": "pg_trgm"}[db.engine.dialect.name]
        assert _references(s, "DE-P1") == []  # the old reference is no longer found...
        assert _references(s, "de-pledge") == ["DE-PLEDGE-2025"]  # ...the corrected one is
        assert _references(s, "TIRANA") == ["JP-IMPORTED-7", "DE-PLEDGE-2025"]  # imported rows too, newest first
        assert summary(s, ContributionFilter(text="tirana")).count == 2
        from_index = {t: (_references(s, t), summary(s, ContributionFilter(text=t)).count) for t in searches}
        monkeypatch.setattr(q, "FEW_MATCHES", 2)  # every search now "matches many": scanned in date order
        assert {t: (_references(s, t), summary(s, ContributionFilter(text=t)).count) for t in searches} == from_index
        monkeypatch.setattr(q, "text_index", lambda _s: None)  # LIKE only
        assert {t: (_references(s, t), summary(s, ContributionFilter(text=t)).count) for t in searches} == from_index
        assert from_index["japan"] == (["JP-IMPORTED-7", "JP-P1"], 2)
        assert _references(s, "tirana", kind="payment") == []


def test_a_database_upgraded_to_the_text_index_finds_its_existing_rows(db, admin, eur_rates):
    from alembic import command

    from trustfund_app.core.migrate import alembic_config

    if db.engine.dialect.name != "sqlite":
        return
    _fund(db, admin)
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0003")
        conn.commit()
    with db.reading() as s:
        # LIKE while there is no index (counted: a page's pledge status reads the write-offs of a
        # later revision)
        assert summary(s, ContributionFilter(text="de-t")).count == 2
    with db.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
    with db.reading() as s:
        from trustfund_app.core.services.contribution_queries import text_index

        assert text_index(s) == "fts5"
        assert _references(s, "de-t") == ["DE-T2", "DE-T1"]
