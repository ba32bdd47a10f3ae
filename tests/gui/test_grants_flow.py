"""One whole grant through the screens: cycle and grantee, application → screening →
recommendation → Board approval → schedule of two instalments (the second held until the interim
financial report is approved) → four-eyes payments by two users → reports and victims → refund
→ closure. Administrator "admin" prepares, finance user "fiona" approves."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.position import PositionService
from trustfund_app.gui.grant_widgets import select_row, select_where, set_combo_data, set_date


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def submit(qtbot, dialog):
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result() == dialog.DialogCode.Accepted


def rows(model):
    return model.rows


def test_one_grant_from_application_to_closure(qtbot, main_window, db, admin, finance):
    ctx = main_window.ctx
    # -- a cycle with its sub-programme -------------------------------------------------------
    cycles = main_window.show_screen("cycles")
    QAbstractItemModelTester(cycles.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    click(qtbot, cycles.new_button)
    d = cycles.dialog
    d.number.setValue(12)
    d.name.setText("Twelfth cycle")
    d.envelope.setText("500,000")
    d.board_meeting.setText("16th meeting")
    set_date(d.board_date, date(2026, 4, 20))
    set_date(d.call_open, date(2026, 1, 5))
    set_date(d.call_close, date(2026, 2, 28))
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(cycles.model)) == 1 and cycles.new_sub_button.isEnabled(), timeout=10000)
    click(qtbot, cycles.new_sub_button)
    d = cycles.dialog
    d.code.setText("SGP2")
    d.name.setText("Medium term")
    d.ceiling.setText("60000")
    d.max_months.setValue(24)
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(cycles.sub_model)) == 1, timeout=10000)

    # -- a grantee ------------------------------------------------------------------------------
    grantees = main_window.show_screen("grantees")
    click(qtbot, grantees.new_button)
    d = grantees.dialog
    d.name.setText("Casa Esperanza")
    set_combo_data(d.country, "COL")
    d.registration_number.setText("NIT 900-1")
    d.has_registration_date.setChecked(True)
    set_date(d.registration_date, date(2015, 3, 1))
    d.partner_portal_id.setText("CSO-1234")
    assert "PSEA" in d.warnings.text() and d.warnings.isVisibleTo(d)  # live warnings
    d.psea.setChecked(True)
    d.bank.setChecked(True)
    assert not d.warnings.isVisibleTo(d)
    d.email.setText("not an address")
    click(qtbot, d.ok_button)
    qtbot.waitUntil(lambda: d.errors["email"].isVisibleTo(d), timeout=10000)  # error beside the field
    d.email.setText("ana@example.org")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(grantees.model)) == 1, timeout=10000)

    # -- application, screening, recommendation, approval ---------------------------------------
    grants = main_window.show_screen("grants")
    QAbstractItemModelTester(grants.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    apps = grants.applications
    qtbot.waitUntil(lambda: len(apps.grantees) == 1 and len(apps.cycles) == 1, timeout=10000)
    grants.tabs.setCurrentIndex(1)
    click(qtbot, apps.new_button)
    d = apps.dialog
    d.title_edit.setText("Shelter and legal aid")
    d.requested.setText("60000.01")
    d.months.setValue(12)
    click(qtbot, d.ok_button)  # above the SGP2 ceiling: refused beside the amount
    qtbot.waitUntil(lambda: "ceiling" in d.errors["requested"].text(), timeout=10000)
    d.requested.setText("50,000")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(apps.model)) == 1, timeout=10000)
    select_row(apps.table, 0)
    for button, status in ((apps.screen_button, "screened"), (apps.recommend_button, "recommended")):
        click(qtbot, button)
        qtbot.waitUntil(lambda: rows(apps.model) and rows(apps.model)[0].status == status, timeout=10000)
        select_row(apps.table, 0)
    click(qtbot, apps.approve_button)
    d = apps.dialog
    assert d.board_meeting.text() == "16th meeting"
    set_date(d.start, date(2026, 5, 4))
    assert d.end.date().toPython() == date(2027, 5, 3)
    submit(qtbot, d)
    qtbot.waitUntil(lambda: grants.tabs.currentIndex() == 0 and grants.detail.detail is not None, timeout=10000)
    panel = grants.detail
    grant = panel.detail.grant
    assert (grant.amount.minor, grant.status, grant.grantee) == (5_000_000, "approved", "Casa Esperanza")

    # -- a schedule of two instalments, the second held until the interim financial report -----
    click(qtbot, panel.schedule_button)
    d = panel.dialog
    assert d.count.value() == 2 and "matches the grant" in d.total.text()
    held = d.lines[1][3]
    held.setCurrentIndex(held.findText("Interim financial report"))
    d.lines[1][2].setText("25,000.01")
    assert "still to distribute" in d.total.text()
    click(qtbot, d.ok_button)
    qtbot.waitUntil(lambda: "add up to" in d.general_error.text(), timeout=10000)
    d.lines[1][2].setText("25,000.00")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(panel.instalments)) == 2, timeout=10000)

    def instalment(seq):
        return next(i for i in rows(panel.instalments) if i.seq == seq)

    def pick(seq):
        select_where(panel.instalment_table, lambda i: i.seq == seq)

    def as_user(actor):
        ctx.actor = actor
        panel._update_buttons()

    # first instalment: admin prepares, admin may not approve, fiona approves
    pick(1)
    click(qtbot, panel.prepare_button)
    qtbot.waitUntil(lambda: instalment(1).status == "prepared", timeout=10000)
    pick(1)
    assert not panel.pay_button.isEnabled() and "four eyes" in panel.four_eyes.text()
    as_user(finance)
    click(qtbot, panel.pay_button)
    submit(qtbot, panel.dialog)
    qtbot.waitUntil(lambda: instalment(1).status == "paid", timeout=10000)
    assert (instalment(1).prepared_by, instalment(1).approved_by) == ("admin", "fiona")
    assert instalment(1).psc.minor == 325_000  # 13 % of 25,000

    # second instalment: prepared, but held until the interim financial report is approved
    as_user(admin)
    pick(2)
    click(qtbot, panel.prepare_button)
    qtbot.waitUntil(lambda: instalment(2).status == "prepared", timeout=10000)
    as_user(finance)
    pick(2)
    assert not panel.pay_button.isEnabled() and "Held until the interim financial report" in panel.four_eyes.text()
    as_user(admin)

    def report_action(label, button):
        panel.tabs.setCurrentIndex(1)
        assert select_where(panel.report_table, lambda r: r.label == label)
        click(qtbot, button)
        submit(qtbot, panel.dialog)

    def report(label):
        return next(r for r in rows(panel.reports) if r.label == label)

    report_action("Interim financial report", panel.receive_button)
    qtbot.waitUntil(lambda: report("Interim financial report").received_on is not None, timeout=10000)
    report_action("Interim financial report", panel.approve_report_button)
    qtbot.waitUntil(lambda: report("Interim financial report").approved_on is not None, timeout=10000)
    as_user(finance)
    pick(2)
    click(qtbot, panel.pay_button)
    submit(qtbot, panel.dialog)
    qtbot.waitUntil(lambda: instalment(2).status == "paid", timeout=10000)
    as_user(admin)

    # -- final reports, victims assisted -------------------------------------------------------
    for label in ("Final narrative report", "Final financial report"):
        report_action(label, panel.receive_button)
        qtbot.waitUntil(lambda label=label: report(label).received_on is not None, timeout=10000)
        report_action(label, panel.approve_report_button)
        qtbot.waitUntil(lambda label=label: report(label).approved_on is not None, timeout=10000)
    assert select_where(panel.report_table, lambda r: r.label == "Final narrative report")
    click(qtbot, panel.victims_button)
    d = panel.dialog
    d.spins[("shelter", "women")].setValue(40)
    d.spins[("shelter", "girls")].setValue(12)
    d.spins[("legal", "women")].setValue(25)
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(panel.victims)) == 2, timeout=10000)
    assert "77 victims" in panel.victims_total.text()

    # -- refund of the unspent balance, then closure --------------------------------------------
    today = date.today()
    before = PositionService(db, admin).position(today)
    panel.tabs.setCurrentIndex(3)
    click(qtbot, panel.refund_button)
    d = panel.dialog
    d.amount.setText("1,000.00")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(rows(panel.refunds)) == 1, timeout=10000)
    after = PositionService(db, admin).position(today)
    assert before.disbursed.minor - after.disbursed.minor == 100_000
    assert before.psc.minor - after.psc.minor == 13_000
    click(qtbot, panel.close_button)
    submit(qtbot, panel.dialog)
    qtbot.waitUntil(lambda: panel.detail.grant.status == "closed", timeout=10000)
    assert not panel.close_button.isEnabled() and not panel.schedule_button.isEnabled()
    qtbot.waitUntil(lambda: rows(grants.model) and rows(grants.model)[0].status == "closed", timeout=10000)
    final = PositionService(db, admin).position(today)
    assert final.commitments.minor == 0 and final.disbursed.minor == 4_900_000
    assert final.balance == final.received - final.disbursed - final.psc

    # the overdue list has nothing to chase on a closed grant
    overdue = main_window.show_screen("overdue")
    qtbot.waitUntil(lambda: "No report is overdue" in overdue.summary.text(), timeout=10000)


def test_the_board_overrides_the_envelope_only_with_a_recorded_reason(qtbot, main_window, db, admin):
    from decimal import Decimal

    from trustfund_app.core.services.grants import ApplicationService, CycleService, GranteeService

    cycle = CycleService(db, admin).create(3, 2026, "Third cycle", Decimal("30000"), board_meeting="9th meeting",
                                           board_meeting_date=date(2026, 4, 20))
    sgp1 = CycleService(db, admin).add_sub_programme(cycle, "SGP1", "Emergency", Decimal("20000"), 9)
    org = GranteeService(db, admin).create("New Hope", "NGA", registration_number="R-1",
                                           registration_date=date.today() - timedelta(days=100))
    service = ApplicationService(db, admin)
    for title in ("First", "Second"):
        app = service.submit(cycle, sgp1, org, title, "NGA", Decimal("20000"), 8)
        service.advance(app)
        service.advance(app)
    grants = main_window.show_screen("grants")
    apps = grants.applications
    grants.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(rows(apps.model)) == 2, timeout=10000)
    for number, (title, reason) in enumerate((("First", ""), ("Second", "Board used savings of cycle 2"))):
        assert select_where(apps.table, lambda a, title=title: a.title == title)
        click(qtbot, apps.approve_button)
        d = apps.dialog
        assert "registered less than one year" in d.warnings.text()  # the Board sees the warnings
        if number == 1:
            click(qtbot, d.ok_button)  # 40,000 in a 30,000 envelope: refused beside the override
            qtbot.waitUntil(lambda: "exceed the envelope" in d.errors["envelope_override"].text(), timeout=10000)
            assert d.isVisible()
            d.override.setText(reason)
        submit(qtbot, d)
        qtbot.waitUntil(lambda title=title: grants.detail.detail is not None
                        and grants.detail.detail.grant.title == title, timeout=10000)
        grants.tabs.setCurrentIndex(1)
    header = grants.detail.header.text()
    assert "Envelope override: admin: Board used savings of cycle 2" in header
