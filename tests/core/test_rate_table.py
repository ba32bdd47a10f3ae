"""The rate table behind the exchange-rates screen: usage counts, the change from the previous
rate, the transactions a rate was used for, and the list a new month starts from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.rate_table import RateTableService
from trustfund_app.core.services.rates import RateService


def test_rows_count_usage_and_change(db, admin, eur_rates):
    donor = DonorService(db, admin).create("Japan", "member_state", "JP", "en")
    contributions = ContributionService(db, admin)
    contributions.record_pledge(donor, date(2026, 3, 5), "150500", "JPY", reference="JP-1")
    contributions.record_payment(donor, date(2026, 3, 25), "150500", "JPY", reference="JP-P1")
    eur_rates.set_rate("JPY", date(2026, 4, 1), Decimal("158.025"))
    rows = {(r.currency, r.effective_date): r for r in RateTableService(db, admin).rows("jpy")}
    assert len(rows) == 24 and {c for c, _d in rows} == {"JPY"}
    assert rows[("JPY", date(2026, 3, 1))].used_by == 2
    assert rows[("JPY", date(2026, 2, 1))].used_by == 0
    april = rows[("JPY", date(2026, 4, 1))]
    assert april.previous == Decimal("150.5") and april.change_percent == Decimal(5)
    assert rows[("JPY", date(2025, 1, 1))].change_percent is None

    uses = RateTableService(db, admin).uses("JPY", date(2026, 3, 1))
    assert [(u.kind, u.donor, str(u.usd.amount)) for u in uses] == [
        ("pledge", "Japan", "1000.00"), ("payment", "Japan", "1000.00")]
    with db.reading() as s:
        from trustfund_app.core.services.rate_table import rate_uses

        assert [u.kind for u in rate_uses(s, "JPY", date(2026, 3, 1), limit=1)] == ["pledge"]
    # correcting March keeps what was recorded with it
    RateService(db, admin).set_rate("JPY", date(2026, 3, 1), "140")
    again = RateTableService(db, admin).uses("JPY", date(2026, 3, 1))
    assert [(u.rate, str(u.usd.amount)) for u in again] == [(Decimal("150.5"), "1000.00")] * 2


def test_month_template_takes_the_previous_month(db, admin, eur_rates):
    rates = RateService(db, admin)
    rates.set_rate("CHF", date(2026, 12, 15), "0.88")  # a mid-month revision counts for December
    template = RateTableService(db, admin).month_template(date(2027, 1, 1))
    assert [(t.currency, t.previous_rate, t.previous_date) for t in template] == [
        ("CHF", Decimal("0.88"), date(2026, 12, 15)),
        ("EUR", Decimal("0.92"), date(2026, 12, 1)),
        ("JPY", Decimal("150.5"), date(2026, 12, 1)),
        ("KWD", Decimal("0.307"), date(2026, 12, 1)),
    ]
    # a gap of a month: every currency with its last rate
    later = RateTableService(db, admin).month_template(date(2027, 6, 1))
    assert [t.currency for t in later] == ["CHF", "EUR", "JPY", "KWD"]
    assert RateTableService(db, admin).month_template(date(2020, 1, 1)) == []


def test_rates_in_force_follow_the_unore_rule(db, admin, eur_rates):
    from trustfund_app.core.services.rate_table import in_force
    from trustfund_app.core.services.rates import find_rate

    RateService(db, admin).set_rate("EUR", date(2026, 3, 16), "0.95")  # a mid-month revision
    rows = RateTableService(db, admin).rows()
    for day in (date(2026, 3, 15), date(2026, 3, 16), date(2026, 4, 1), date(2030, 1, 1)):
        shown = {r.currency: (r.rate, r.effective_date) for r in in_force(rows, day)}
        with db.reading() as s:
            expected = {c: (f.rate, f.effective_date) for c in ("EUR", "JPY", "KWD") for f in [find_rate(s, c, day)]}
        assert shown == expected, day
    assert in_force(rows, date(2024, 12, 31)) == []
