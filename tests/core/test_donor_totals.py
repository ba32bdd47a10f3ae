"""What the donor detail pane shows and what the donor form refuses: totals per currency (with
what is still outstanding) and per year, merge moving everything, unique names as people read them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.services.contribution_queries import ContributionFilter, summary
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donor_totals import donor_totals
from trustfund_app.core.services.donors import DonorService


def test_outstanding_per_currency_follows_payments_and_reversals(db, admin, eur_rates):
    donor = DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    c = ContributionService(db, admin)
    c.record_pledge(donor, date(2025, 5, 2), "1000", "EUR", reference="NO-P1")
    c.record_pledge(donor, date(2026, 1, 8), "300000", "JPY", reference="NO-P2")
    pay = c.record_payment(donor, date(2026, 2, 2), "250", "EUR", reference="NO-T1")
    with db.reading() as s:
        totals = {t.currency: t for t in donor_totals(s, donor).by_currency}
    assert (totals["EUR"].pledged, totals["EUR"].paid, totals["EUR"].outstanding) == (
        Decimal("1000.00"), Decimal("250.00"), Decimal("750.00"))
    assert (totals["JPY"].outstanding, totals["JPY"].pledged_usd) == (Decimal("300000"), Decimal("1993.36"))

    c.reverse(pay, "paid by another donor")
    with db.reading() as s:
        totals = donor_totals(s, donor)
    eur = {t.currency: t for t in totals.by_currency}["EUR"]
    assert (eur.paid, eur.outstanding, eur.paid_usd) == (Decimal("0.00"), Decimal("1000.00"), Decimal("0.00"))
    assert [(y.year, y.pledged_usd, y.paid_usd) for y in totals.by_year] == [
        (2026, Decimal("1993.36"), Decimal("0.00")), (2025, Decimal("1086.96"), Decimal("0.00"))]
    # 2026 EUR was paid, then reversed: nothing left to show, no empty row (issue 19)
    assert [(y.year, y.currency, y.pledged, y.paid, y.pledged_usd) for y in totals.by_year_currency] == [
        (2026, "JPY", Decimal("300000"), Decimal("0"), Decimal("1993.36")),
        (2025, "EUR", Decimal("1000.00"), Decimal("0.00"), Decimal("1086.96"))]


def test_merge_moves_contributions_and_aliases_and_loses_nothing(db, admin, eur_rates):
    donors = DonorService(db, admin)
    keep = donors.create("Federal Republic of Germany", "member_state", "DE", "en")
    dup = donors.create("Germany (Foreign Office)", "member_state", "DEU", "en", aliases=["Auswärtiges Amt"],
                        email="desk@example.org")
    c = ContributionService(db, admin)
    c.record_pledge(keep, date(2026, 1, 5), "1000", "EUR", reference="DE-1")
    c.record_payment(dup, date(2026, 2, 5), "400", "EUR", reference="DE-2")
    with db.reading() as s:
        before = summary(s, ContributionFilter())
    donors.merge(keep, dup)
    with db.reading() as s:
        totals = donor_totals(s, keep)
        assert donor_totals(s, dup).entries == 0
        assert summary(s, ContributionFilter()) == before  # the fund's figures do not change
    assert totals.entries == 2 and totals.paid_usd == Decimal("434.78")
    kept = donors.get(keep)
    assert set(kept.aliases) == {"Auswärtiges Amt", "Germany (Foreign Office)"}
    assert kept.email == "desk@example.org"  # filled from the duplicate where the kept one had none
    assert donors.find("germany (foreign office)") == keep
    assert not donors.get(dup).active
    assert [d.name for d in donors.list()] == ["Federal Republic of Germany"]  # merged ones leave the list


def test_names_are_unique_as_people_read_them(db, admin):
    donors = DonorService(db, admin)
    donors.create("Côte d'Ivoire", "member_state", "CI", "fr", aliases=["Ivory Coast"])
    with pytest.raises(ValidationError, match="already exists") as exc:
        donors.create("COTE D'IVOIRE", "member_state", "CIV", "fr")
    assert exc.value.field == "name"
    with pytest.raises(ValidationError, match="alias") as exc:
        donors.create("Ivory coast", "member_state", "CIV", "en")
    assert exc.value.field == "name"
    other = donors.create("Ghana", "member_state", "GH", "en")
    donors.update(other, name="Republic of Ghana")  # renaming itself is fine
    with pytest.raises(ValidationError, match="already exists"):
        donors.update(other, name="côte d’ivoire")


def test_problems_lists_every_refusal_at_once(db, admin):
    donors = DonorService(db, admin)
    donors.create("Japan", "member_state", "JP", "en", aliases=["Nippon"])
    problems = {p.field: p.message for p in donors.problems(
        {"name": "japan", "type": "member_state", "country": "XX", "language": "de", "email": "nobody"},
        aliases=["Nippon"])}
    assert set(problems) == {"name", "country", "language", "email", "aliases"}
    assert 'unknown country code "XX"' in problems["country"]
    assert donors.problems({"name": "Iceland", "type": "member_state", "country": "ISL", "language": "en"}) == []
    with pytest.raises(ValidationError) as exc:
        donors.create("Iceland", "member_state", "ISL", "de")
    assert exc.value.field == "language"
