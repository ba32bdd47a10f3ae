"""Issue 19, point 7: reversals on a donor statement and in the donor's totals by year."""

from __future__ import annotations

from datetime import date

from trustfund_app.core.reports.data import statement_data
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donor_totals import donor_totals
from trustfund_app.core.services.donors import DonorService


def _setup(db, admin):
    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    money = ContributionService(db, admin)
    earlier = money.record_payment(donor, date(2025, 11, 3), "1000", "EUR", reference="SE-2025")
    kept = money.record_payment(donor, date(2026, 3, 2), "500", "EUR", reference="SE-KEPT")
    mistake = money.record_payment(donor, date(2026, 4, 2), "700", "EUR", reference="SE-TWICE")
    money.reverse(mistake, "paid twice by mistake")
    money.reverse(earlier, "the bank returned the transfer", on=date(2026, 5, 5))
    return donor, kept


def test_a_reversal_within_the_period_leaves_with_its_original_and_an_earlier_one_is_a_dated_correction(
        db, admin, eur_rates):
    donor, _kept = _setup(db, admin)
    with db.reading() as s:
        data = statement_data(s, donor, date(2026, 1, 1), date(2026, 12, 31))
    refs = [(e.reference, e.reversal, e.corrects_ref) for e in data.entries]
    assert ("SE-TWICE", False, None) not in refs and all(not (r[1] and r[2] is None) for r in refs)
    assert refs[0] == ("SE-KEPT", False, None)
    correction = [e for e in data.entries if e.corrects_ref][0]
    assert correction.date == date(2026, 5, 5) and correction.corrects_date == date(2025, 11, 3)
    assert correction.reason == "the bank returned the transfer"
    assert len(data.entries) == 2
    # what was received in the period is unchanged by leaving the cancelled pair out
    assert str(data.received_period.amount) == "-543.48"  # 500 EUR - 1000 EUR at 0.92


def test_the_statement_pdf_says_the_correction_and_its_reason(db, admin, eur_rates, tmp_path):
    from tests.core.reports_fixture import pypdf_pages
    from trustfund_app.core.reports import render_statement

    donor, _kept = _setup(db, admin)
    text = " ".join(pypdf_pages(render_statement(db, donor, date(2026, 1, 1), date(2026, 12, 31), lang="en",
                                                 issued=date(2026, 12, 31))))
    assert "SE-TWICE" not in text
    assert "Correction of May 5, 2026" in text and "the bank returned the transfer" in text


def test_by_year_has_no_empty_row_for_a_cancelled_pair(db, admin, eur_rates):
    donor = DonorService(db, admin).create("UK", "member_state", "GB", "en")
    money = ContributionService(db, admin)
    payment = money.record_payment(donor, date(2026, 2, 2), "100", "EUR", reference="UK-1")
    money.reverse(payment, "wrong donor")
    money.record_payment(donor, date(2025, 2, 2), "50", "EUR", reference="UK-0")
    with db.reading() as s:
        totals = donor_totals(s, donor)
    assert [(y.year, y.currency) for y in totals.by_year_currency] == [(2025, "EUR")]
