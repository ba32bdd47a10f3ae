"""The grant's Budget tab (set a budget, enter a financial report's expenditure, see variance and
the refund due), and the letter actions: award from the grant, receipt from the contributions
list, one reminder per grantee from the Overdue screen in the grantee's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from tests.core.grants_setup import approved_grant, make_cycle
from trustfund_app.core.services.grants import BudgetService, GrantService, GranteeService, ReportService
from trustfund_app.gui.grant_widgets import select_where, set_date


@pytest.fixture
def letters_written(monkeypatch, tmp_path):
    """No file dialog, no viewer: record what would have been opened."""
    from trustfund_app.gui import letter_actions

    opened = []
    monkeypatch.setattr(letter_actions, "ask_path", lambda parent, kind, about: str(tmp_path / f"{kind}.pdf"))
    monkeypatch.setattr(letter_actions, "open_file", opened.append)
    return opened


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _grant_screen(qtbot, main_window, grant_id):
    grants = main_window.show_screen("grants")
    qtbot.waitUntil(lambda: grants.data is not None and any(g.id == grant_id for g in grants.model.rows), timeout=10000)
    grants.select_grant(grant_id)
    panel = grants.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.grant.id == grant_id, timeout=10000)
    return panel


def test_budget_tab_sets_a_budget_and_shows_expenditure_variance_and_refund(qtbot, main_window, db, admin, tmp_path):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="50000")
    panel = _grant_screen(qtbot, main_window, grant)
    budget = panel.budget_tab
    panel.tabs.setCurrentWidget(budget)
    qtbot.waitUntil(lambda: "No budget recorded" in budget.summary.text(), timeout=10000)
    click(qtbot, budget.set_button)
    d = budget.dialog
    for r, (category, amount) in enumerate((("Shelter rent", "30,000"), ("Legal aid", "20,000.50"))):
        d.lines.setItem(r, 0, QTableWidgetItem(category))
        d.lines.setItem(r, 1, QTableWidgetItem(amount))
    click(qtbot, d.ok_button)
    qtbot.waitUntil(lambda: d.errors["category"].isVisibleTo(d), timeout=10000)  # more than the grant
    assert "more than the grant" in d.errors["category"].text()
    d.lines.setItem(1, 1, QTableWidgetItem("20,000"))
    click(qtbot, d.ok_button)
    qtbot.waitUntil(lambda: len(budget.model.rows) == 2, timeout=10000)
    assert "$50,000.00" in budget.summary.text()

    final = next(r for r in ReportService(db).for_grant(grant) if r.kind == "final" and r.type == "financial")
    # the figures entry of a financial report, from the Reports tab
    panel.tabs.setCurrentWidget(panel.reports_tab)
    select_where(panel.report_table, lambda r: r.id == final.id)
    click(qtbot, panel.expenditure_button)
    qtbot.waitUntil(lambda: budget.dialog is not d and budget.dialog is not None, timeout=10000)
    e = budget.dialog
    assert e.report.currentData() == final.id
    assert [e.table.item(r, 0).text() for r in range(2)] == ["Shelter rent", "Legal aid"]
    e.table.setItem(0, 2, QTableWidgetItem("29,000.50"))
    e.table.setItem(1, 2, QTableWidgetItem("18,000"))
    click(qtbot, e.ok_button)
    qtbot.waitUntil(lambda: not e.isVisible(), timeout=10000)
    # not approved yet: nothing counts as spent
    assert BudgetService(db).for_grant(grant).spent_usd.amount == 0
    ReportService(db, admin).receive(final.id, date(2028, 7, 1))
    ReportService(db, admin).approve(final.id, date(2028, 7, 2))
    # the grant's change reloads the detail and with it the budget
    qtbot.waitUntil(lambda: budget.budget is not None and budget.budget.spent_usd.amount == Decimal("47000.50"),
                    timeout=10000)
    rows = budget.model.rows
    assert [r.variance_usd.amount for r in rows] == [Decimal("999.50"), Decimal("2000.00")]
    assert "94.0%" in budget.summary.text()
    assert "refunded" not in budget.summary.text()  # nothing paid yet, so nothing to refund
    budget.grab().save(str(tmp_path / "budget.png"))


def test_award_letter_from_the_grant_and_receipt_from_the_contributions_list(qtbot, main_window, db, admin,
                                                                              letters_written, eur_rates):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    fund = make_cycle(db, admin)
    GranteeService(db, admin).update(fund.grantee, language="ar")
    grant = approved_grant(db, admin, fund, amount="50000")
    panel = _grant_screen(qtbot, main_window, grant)
    click(qtbot, panel.award_button)
    qtbot.waitUntil(lambda: len(letters_written) == 1, timeout=15000)
    assert letters_written[0].endswith("award.pdf")
    from tests.core.reports_fixture import arabic_words, poppler_text

    with open(letters_written[0], "rb") as fh:
        text = poppler_text(fh.read(), __import__("pathlib").Path(letters_written[0]).parent)
    assert " ".join(arabic_words("رسالة منح المنحة")) in " ".join(arabic_words(text))  # in the grantee's language

    donor = DonorService(db, admin).create("Norway", "member_state", "NOR", "fr")
    ContributionService(db, admin).record_payment(donor, date(2026, 3, 2), Decimal("92000"), "EUR", reference="PAY-1")
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    screen.table.selectRow(0)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    click(qtbot, screen.letter_button)
    qtbot.waitUntil(lambda: len(letters_written) == 2, timeout=15000)
    assert letters_written[1].endswith("receipt.pdf")
    from tests.core.reports_fixture import pypdf_pages

    with open(letters_written[1], "rb") as fh:
        assert "Reçu et lettre de remerciement" in " ".join(pypdf_pages(fh.read()))


def test_overdue_screen_groups_by_grantee_in_its_language_with_one_reminder_letter(qtbot, main_window, db, admin,
                                                                                  letters_written):
    fund = make_cycle(db, admin)
    GranteeService(db, admin).update(fund.grantee, language="es")
    first = approved_grant(db, admin, fund, amount="20000", sub=fund.sgp1, months=9)
    second = approved_grant(db, admin, fund, amount="40000", months=12)
    other = GranteeService(db, admin).create("Haki Africa", "KEN")
    apps_grant = approved_grant(db, admin, type("F", (), {**fund.__dict__, "grantee": other})(), amount="30000",
                                months=12)
    screen = main_window.show_screen("overdue")
    set_date(screen.as_of, date(2026, 12, 4))
    qtbot.waitUntil(lambda: len(screen.model.rows) == 2, timeout=10000)
    casa = next(g for g in screen.model.rows if g.grantee == "Casa Esperanza")
    assert len(casa.overdue) == 4 and {r.grant_id for r in casa.reports} == {first, second}
    select_where(screen.table, lambda g: g.grantee == "Casa Esperanza")
    qtbot.waitUntil(lambda: "Estimado/a Ana Pérez:" in screen.reminder.toPlainText(), timeout=10000)
    text = screen.reminder.toPlainText()
    for ref in (GrantService(db).get(first).reference, GrantService(db).get(second).reference):
        assert ref in text
    assert text.count("•") == 4
    assert len(screen.report_model.rows) == 4
    assert screen.summary.text() == "6 reports overdue from 2 grantees"
    click(qtbot, screen.letter_button)
    qtbot.waitUntil(lambda: len(letters_written) == 1, timeout=15000)
    from tests.core.reports_fixture import pypdf_pages

    with open(letters_written[0], "rb") as fh:
        letter = " ".join(pypdf_pages(fh.read()))
    assert letter.count("Recordatorio: informes atrasados") == 1
    assert GrantService(db).get(apps_grant).reference not in letter  # another grantee's reports are not in it
