"""Donor names per language (issue 19, point 8): what statements and letters print."""

from __future__ import annotations

from types import SimpleNamespace

from trustfund_app.core.donor_names import donor_display_name
from trustfund_app.core.i18n import LANGUAGES, format_date


def _donor(**kw):
    base = dict(name="Egypt", type="member_state", country="EGY", names=None)
    return SimpleNamespace(**(base | kw))


def test_member_states_take_cldr_territory_names_unless_a_name_is_kept():
    egypt = _donor()
    assert donor_display_name(egypt, "en") == "Egypt"
    assert donor_display_name(egypt, "ar") == "مصر"
    assert donor_display_name(egypt, "zh") == "埃及"
    assert donor_display_name(egypt, "fr") == "Égypte"
    kept = _donor(names={"ar": "جمهورية مصر العربية"})
    assert donor_display_name(kept, "ar") == "جمهورية مصر العربية"
    assert donor_display_name(kept, "ru") == "Египет"


def test_other_donors_keep_their_registry_name_unless_one_is_kept():
    undp = _donor(name="United Nations Development Programme", type="un_entity", country="USA")
    assert donor_display_name(undp, "ar") == "United Nations Development Programme"
    undp.names = {"ar": "برنامج الأمم المتحدة الإنمائي", "en": "ignored"}
    assert donor_display_name(undp, "ar") == "برنامج الأمم المتحدة الإنمائي"
    assert donor_display_name(undp, "en") == "United Nations Development Programme"


def test_names_are_stored_by_the_donor_service(db, admin):
    from trustfund_app.core.services.donors import DonorService

    donors = DonorService(db, admin)
    did = donors.create("Al-Noor Charitable Foundation", "foundation", "JOR", "ar",
                        names={"ar": " مؤسسة النور الخيرية ", "xx": "dropped", "fr": ""})
    record = donors.get(did)
    assert record.names == {"ar": "مؤسسة النور الخيرية"}
    assert donor_display_name(record, "ar") == "مؤسسة النور الخيرية"
    donors.update(did, names={"zh": "光明慈善基金会"})
    assert donors.get(did).names == {"zh": "光明慈善基金会"}


def test_one_date_style_per_language_with_four_digit_years():
    from datetime import date

    day = date(2026, 12, 4)
    seen = {lang: format_date(day, lang) for lang in LANGUAGES}
    assert seen["en"] == "Dec 4, 2026" and seen["zh"] == "2026年12月4日" and seen["fr"] == "4 déc. 2026"
    assert all("2026" in text for text in seen.values()), seen
    assert seen["ar"].replace("\u200f", "") == "04/12/2026"
