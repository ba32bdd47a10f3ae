"""The exchange as a user sees it: HQ makes a package for an office in the File menu's dialog,
the office's figures come back with a conflict, the Exchange and conflicts screen shows both
versions and resolves it; the dashboard counts open conflicts. Screenshots in English and Arabic
when TRUSTFUND_SCREENSHOTS names a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.core.offices_setup import Side, connect, hq_fund, send, table_rows
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.services.grants import GranteeService


def _shot(widget, name):
    folder = os.environ.get("TRUSTFUND_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def world(db, admin, tmp_path):
    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    hq.grants = hq_fund(db, admin, countries=("NGA", "KEN"))
    (tmp_path / "w").mkdir()
    (tmp_path / "l").mkdir()
    west = connect(hq, "ROWA", "NGA", str(tmp_path / "w" / "west.sqlite3"))
    lagos = connect(hq, "ROLAG", "NGA", str(tmp_path / "l" / "lagos.sqlite3"))
    send(hq, west)
    send(hq, lagos)
    grantee = next(k for k, v in table_rows(db, "grantee").items() if v["country"] == "NGA")
    GranteeService(west.db, west.admin).update(grantee, email="amina@rowa.example.org")
    GranteeService(lagos.db, lagos.admin).update(grantee, email="amina.lagos@example.org")
    yield hq, west, lagos, grantee
    west.db.dispose()
    lagos.db.dispose()


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_exchange_dialog_and_conflict_resolution(qtbot, main_window, world, tmp_path, lang):
    from trustfund_app.gui.exchange_dialog import ExchangeDialog
    from trustfund_app.core.offices.export import export_package
    from trustfund_app.gui.jobs import wait_for_all

    hq, west, lagos, grantee = world
    window = main_window
    window.ctx.apply_language(lang)
    qtbot.waitUntil(lambda: window.exchange_offices_action.isEnabled() and not window.exchange_hq_action.isVisible(),
                    timeout=5000)
    assert window.exchange_offices_action.isVisible()
    for office in (west, lagos):
        path = tmp_path / f"from-{office.code}-{lang}.tfsync"
        path.write_bytes(export_package(office.db, "admin", "HQ")[0])
    dialog = ExchangeDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.peer.count() == 2, timeout=5000)
    dialog._make(str(tmp_path / f"to-ROWA-{lang}.tfsync"))
    qtbot.waitUntil(lambda: "ROWA" in dialog.summary.toPlainText(), timeout=10000)
    assert (tmp_path / f"to-ROWA-{lang}.tfsync").stat().st_size > 0
    dialog._apply(str(tmp_path / f"from-ROWA-{lang}.tfsync"))
    qtbot.waitUntil(lambda: "ROWA" in dialog.summary.toPlainText() and dialog.make_button.isEnabled(), timeout=10000)
    dialog._apply(str(tmp_path / f"from-ROLAG-{lang}.tfsync"))
    qtbot.waitUntil(lambda: "ROLAG" in dialog.summary.toPlainText() and dialog.make_button.isEnabled(), timeout=10000)
    text = dialog.summary.toPlainText()
    assert "1" in text
    _shot(dialog, f"exchange-dialog-{lang}")
    dialog.close()
    screen = window.show_screen("conflicts")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    assert screen.versions.rowCount() == 1
    assert screen.versions.item(0, 1).text() == "amina@rowa.example.org"
    assert screen.versions.item(0, 2).text() == "amina.lagos@example.org"
    if lang == "en":  # the record screens' label and the record's name, not the stored column and table
        assert screen.versions.item(0, 0).text() == "E-mail"
        assert screen.model.data(screen.model.index(0, 2)) == "Grantee: Shelter NGA"
    assert screen.status_model.rowCount() == 2
    window.resize(1200, 760)
    _shot(window, f"conflicts-screen-{lang}")
    dashboard = window.show_screen("dashboard")
    qtbot.waitUntil(lambda: dashboard.conflicts_value.text() == "1", timeout=10000)
    window.show_screen("conflicts")
    screen._resolve("theirs")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0, timeout=10000)
    wait_for_all()
    assert table_rows(hq.db, "grantee")[grantee]["email"] == "amina.lagos@example.org"
    _shot(window, f"conflict-resolved-{lang}")
    window.ctx.apply_language("en")
