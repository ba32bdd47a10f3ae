"""Issue 19, point 6: the History dialog speaks the user's language, not the database's."""

from __future__ import annotations

from datetime import date

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService


def _history_texts(qtbot, main_window, payment, lang="en"):
    from trustfund_app.gui.history_dialog import HistoryDialog

    main_window.ctx.apply_language(lang)
    dialog = HistoryDialog(main_window.ctx, "contribution", payment, "probe", main_window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=10000)
    return [[dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())]
            for r in range(dialog.model.rowCount())]


def test_history_shows_labels_amounts_with_currency_names_and_the_reason_once(qtbot, main_window, db, admin,
                                                                             eur_rates):
    sweden = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    money = ContributionService(db, admin)
    payment = money.record_payment(sweden, date(2026, 2, 2), "600", "EUR", reference="SE-T")
    money.correct_note(payment, "SE-T", "Shelters", None, "earmark given in the letter")
    money.reverse(payment, "paid twice by mistake")
    rows = _history_texts(qtbot, main_window, payment)
    created, corrected, reversed_ = rows
    assert created[2] == "created"
    assert "Amount: €600.00" in created[3] and "Donor: Sweden" in created[3] and "USD equivalent: $652.17" in created[3]
    assert "Date: Feb 2, 2026" in created[3]
    for internal in ("amount_minor", "donor_id", "usd_cents", "reversed", "None", "_reason", "False"):
        assert all(internal not in cell for row in rows for cell in row[3:]), internal
    assert corrected[3] == "Earmark: — → Shelters" and corrected[4] == "earmark given in the letter"
    assert reversed_[2] == "reversed" and reversed_[4] == "paid twice by mistake" and reversed_[3] == ""
    texts = " ".join(" ".join(row) for row in rows)
    assert texts.count("earmark given in the letter") == 1


def test_history_in_arabic(qtbot, main_window, db, admin, eur_rates):
    from trustfund_app.core.i18n import _, use_language

    sweden = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    money = ContributionService(db, admin)
    payment = money.record_payment(sweden, date(2026, 2, 2), "600", "EUR", reference="SE-T")
    money.correct_note(payment, "SE-T", "Shelters", None, "reason")
    money.reverse(payment, "twice")
    rows = _history_texts(qtbot, main_window, payment, "ar")
    with use_language("ar"):
        assert _("Amount") + ":" in rows[0][3] and _("Donor") + ":" in rows[0][3]
