"""The exchange dialog as a user sees it while a package is applied: a bar counting the changes
done of the total, a Cancel button that leaves the database exactly as it was (and says so), and
at the end a summary of what changed per kind of record."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.core.offices_setup import Side, connect, hq_and_two_nigeria_offices, hq_fund, reports_of, send, table_rows
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.offices.service import ExchangeService
from trustfund_app.core.services.grants import GranteeService, ReportService


@pytest.fixture
def office_package(db, admin, tmp_path):
    """A package from office ROWA to HQ: a grantee's new contact and a report received."""
    from trustfund_app.core.offices.export import export_package

    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    hq.grants = hq_fund(db, admin, countries=("NGA",))
    (tmp_path / "w").mkdir()
    west = connect(hq, "ROWA", "NGA", str(tmp_path / "w" / "west.sqlite3"))
    send(hq, west)
    grantee = next(iter(table_rows(db, "grantee")))
    GranteeService(west.db, west.admin).update(grantee, email="amina@rowa.example.org", phone="+234 1 555")
    report = next(r.id for r in reports_of(west.db, hq.grants["NGA"]) if r.kind == "interim")
    ReportService(west.db, west.admin).receive(report, date(2026, 9, 1))
    path = tmp_path / "from-ROWA.tfsync"
    data, made = export_package(west.db, "admin", "HQ")
    path.write_bytes(data)
    yield path, made.changes
    west.db.dispose()


def _state(db) -> dict:
    from trustfund_app.core.models import AuditEvent

    with db.reading() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    return {"events": events, **{t: table_rows(db, t) for t in ("grantee", "grantee_report", "sync_package", "sync_peer")}}


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_cancel_leaves_the_database_as_it_was_then_apply_counts_and_summarises(
        qtbot, main_window, db, office_package, monkeypatch, lang):
    from tests.gui.test_exchange_screens import _shot
    from trustfund_app.core.i18n import _, format_number, ngettext
    from trustfund_app.gui.exchange_dialog import ExchangeDialog

    path, changes = office_package
    assert changes == 2
    real_apply = ExchangeService.apply_file
    gate = threading.Event()

    def held_at_first_count(self, file, dry_run=False, progress=None):
        """The real apply, waiting after its first count until the test has pressed Cancel."""
        first = [True]

        def counting(done, total):
            progress(done, total)
            if first[0]:
                first[0] = False
                gate.wait(30)

        return real_apply(self, file, dry_run, counting)

    monkeypatch.setattr(ExchangeService, "apply_file", held_at_first_count)
    before = _state(db)
    main_window.ctx.apply_language(lang)
    dialog = ExchangeDialog(main_window.ctx, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=5000)
    dialog._apply(str(path))
    # determinate: the bar's maximum is the package's number of changes, not a busy bar
    qtbot.waitUntil(lambda: dialog.progress.maximum() == changes, timeout=10000)
    assert dialog.stage.text() == ngettext("Applying the package: {done} of {total} change",
                                           "Applying the package: {done} of {total} changes", changes).format(
        done=format_number(0), total=format_number(changes))
    assert dialog.cancel_button.isEnabled() and not dialog.apply_button.isEnabled()
    _shot(dialog, f"exchange-progress-{lang}")
    dialog.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=10000)
    assert dialog.summary.toPlainText() == _("Cancelled: nothing of the package was applied; "
                                             "the database is as it was before.")
    assert not dialog.cancel_button.isEnabled() and dialog.counts.isHidden()
    assert dialog.progress.value() == 0  # not a full bar after a cancel
    assert _state(db) == before
    _shot(dialog, f"exchange-cancelled-{lang}")

    monkeypatch.setattr(ExchangeService, "apply_file", real_apply)
    dialog._apply(str(path))
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled() and "ROWA" in dialog.summary.toPlainText(), timeout=10000)
    assert (dialog.progress.value(), dialog.progress.maximum()) == (1, 1)  # idle again
    assert dialog.summary.toPlainText().startswith(ngettext(
        "Package from {sender}: {count} change applied.", "Package from {sender}: {count} changes applied.",
        changes).format(sender="ROWA", count=changes))
    counts = {dialog.counts.item(r, 0).text(): [dialog.counts.item(r, c).text() for c in (1, 2, 3)]
              for r in range(dialog.counts.rowCount())}
    one, none = format_number(1), format_number(0)
    assert counts == {_("Grantee"): [one, none, none], _("Grantee report"): [one, none, none]}
    assert not dialog.counts.isHidden()
    _shot(dialog, f"exchange-applied-{lang}")
    after = _state(db)
    assert after["grantee"] != before["grantee"] and after["events"] > before["events"]
    main_window.ctx.apply_language("en")


@pytest.fixture
def two_conflicts(db, admin, tmp_path):
    """Two offices changed the same grantee's contact and received the same report on different days."""
    hq, offices = hq_and_two_nigeria_offices(db, admin, tmp_path)
    grantee = next(iter(table_rows(db, "grantee")))
    report = next(r.id for r in reports_of(db, hq.grants["NGA"]) if r.kind == "interim" and r.type == "financial")
    for office, person, day in zip(offices, ("Ngozi Okafor", "Bola Adeyemi"), (1, 3)):
        GranteeService(office.db, office.admin).update(grantee, contact_person=person)
        ReportService(office.db, office.admin).receive(report, date(2026, 9, day))
        send(office, hq)
    yield
    for office in offices:
        office.db.dispose()


@pytest.mark.parametrize("lang, received", [("en", ("Sep 1, 2026", "Sep 3, 2026")),
                                            ("zh", ("2026年9月1日", "2026年9月3日")),
                                            ("ar", None)])
def test_the_conflicts_screen_shows_labels_and_formatted_values(qtbot, main_window, two_conflicts, lang, received):
    from tests.gui.test_exchange_screens import _shot
    from trustfund_app.gui.grant_widgets import select_row
    from trustfund_app.core.i18n import _

    window = main_window
    window.ctx.apply_language(lang)
    window.resize(1200, 760)
    screen = window.show_screen("conflicts")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10000)
    shown = {}
    for row in range(2):
        select_row(screen.table, row)
        for line in range(screen.versions.rowCount()):
            label, ours, theirs = (screen.versions.item(line, c).text() for c in range(3))
            shown[label] = (ours, theirs)
        if _("Received on") in shown:
            _shot(window, f"conflicts-dates-{lang}")
    assert shown[_("Contact person")] == ("Ngozi Okafor", "Bola Adeyemi")
    ours, theirs = shown[_("Received on")]
    if received:
        assert (ours, theirs) == received
    assert "2026" in ours and "2026-09" not in ours and "received_on" not in shown
    window.ctx.apply_language("en")
