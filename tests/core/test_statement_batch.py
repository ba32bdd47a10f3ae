"""Issue 21: statements in bulk read their data set-based, a group of donors at a time, and what
all statements share once — and each PDF is exactly the one the single-statement path makes."""

from __future__ import annotations

from datetime import date

from tests.core.reports_fixture import ISSUED, PERIOD, build_small_fund, pypdf_pages
from trustfund_app.core.reports import render_statement
from trustfund_app.core.reports.data import statement_data
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService


def _fund_with_reversals(db, admin):
    fund = build_small_fund(db, admin)
    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    money = ContributionService(db, admin)
    earlier = money.record_payment(donor, date(2025, 11, 3), "1000", "EUR", reference="SE-2025")
    money.record_pledge(donor, date(2026, 2, 1), "900", "EUR", reference="SE-PLEDGE")
    money.record_payment(donor, date(2026, 3, 2), "500", "EUR", reference="SE-KEPT")
    mistake = money.record_payment(donor, date(2026, 4, 2), "700", "EUR", reference="SE-TWICE")
    money.reverse(mistake, "paid twice by mistake")
    money.reverse(earlier, "the bank returned the transfer", on=date(2026, 5, 5))
    quiet = DonorService(db, admin).create("Iceland", "member_state", "IS", "en")  # nothing recorded
    return [*fund.donors.values(), donor, quiet]


def test_the_set_based_read_gives_each_donor_the_data_of_the_single_read(db, admin, monkeypatch):
    from trustfund_app.core.reports import batch_data

    donors = _fund_with_reversals(db, admin)
    monkeypatch.setattr(batch_data, "CHUNK", 3)  # several groups, one of them partly filled
    with db.reading() as s:
        alone = [statement_data(s, d, *PERIOD) for d in donors]
        together = list(batch_data.statements_data(s, donors, *PERIOD))
    assert [d.donor.id for d in together] == donors
    assert together == alone
    assert any(e.corrects_date == date(2025, 11, 3) for d in together for e in d.entries)
    assert any(d.outstanding for d in together) and any(not d.entries for d in together)


def test_statements_in_bulk_are_the_single_statements_byte_for_byte(db, admin):
    from trustfund_app.core.reports.statement import render_statements

    donors = _fund_with_reversals(db, admin)
    bulk = dict(render_statements(db, donors, *PERIOD, issued=ISSUED))
    assert list(bulk) == donors
    for donor in donors:
        assert bulk[donor] == render_statement(db, donor, *PERIOD, issued=ISSUED)
    forced = dict(render_statements(db, donors[:2], *PERIOD, lang="fr", issued=ISSUED))
    assert forced[donors[1]] == render_statement(db, donors[1], *PERIOD, lang="fr", issued=ISSUED)


def test_a_batch_file_reads_as_the_single_statement(db, admin, tmp_path):
    from trustfund_app.core.reports.batch import write_statements
    from trustfund_app.core.reports.data import donors_active_in

    _fund_with_reversals(db, admin)
    result = write_statements(db, 2026, tmp_path, issued=ISSUED, workers=0)
    with db.reading() as s:
        active = donors_active_in(s, 2026)
    assert len(result.written) == len(active) == 8
    for path, donor in zip(result.written, active):
        single = render_statement(db, donor.id, *PERIOD, issued=ISSUED)
        assert pypdf_pages(path.read_bytes()) == pypdf_pages(single)
        assert path.read_bytes() == single
