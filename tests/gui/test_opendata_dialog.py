"""File ▸ Export ▸ Open data…: the dialog runs the export as a job, shows what was published or
which grants lack what (and writes nothing then); the grant's Sensitive… dialog and the grantee's
organisation identifier reach the file."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import update

from tests.core.grants_setup import approved_grant, make_cycle
from trustfund_app.core.models import Grant
from trustfund_app.core.services.grants import GranteeService, GrantService
from trustfund_app.core.services.settings import SettingsService


def _fund(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="20000", months=9, sub=fund.sgp1)
    SettingsService(db, admin).set("giving360_prefix", "360G-UNVTF")
    return fund, grant


def _open_dialog(qtbot, window):
    window.file_menu.actions()  # the menu exists
    assert window.open_data_action.isEnabled()
    window.open_data_action.trigger()
    dialog = window.open_data
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def test_the_dialog_exports_a_valid_file_in_the_background(qtbot, main_window, db, admin, tmp_path):
    _fund(db, admin)
    dialog = _open_dialog(qtbot, main_window)
    dialog.format.setCurrentIndex(1)  # 360Giving JSON
    dialog.year.setCurrentIndex(dialog.year.findData(2026))
    assert dialog.file.text().endswith("360giving-2026.json")
    target = tmp_path / "grants.json"
    dialog.file.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "1 grant published" in dialog.status.text(), timeout=15000)
    assert json.loads(target.read_text())["grants"][0]["id"] == "360G-UNVTF-VTF-C9-G001"
    qtbot.waitUntil(dialog.export_button.isEnabled, timeout=5000)  # the job has finished
    assert dialog.close_button.text() == "Close" and dialog.progress.isHidden()


def test_a_refusal_lists_the_grants_and_what_they_lack(qtbot, main_window, db, admin, tmp_path):
    _cycle, grant = _fund(db, admin)
    with db.writing("admin") as s:
        s.execute(update(Grant).where(Grant.id == uuid.UUID(grant)).values(title=""))
    dialog = _open_dialog(qtbot, main_window)
    target = tmp_path / "fund.xml"
    dialog.file.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.problems.count() > 0, timeout=15000)
    assert "Not written" in dialog.status.text()
    assert dialog.problems.item(0).text() == "grant VTF-C9-G001 lacks a title"
    assert not target.exists()


def test_a_wrong_file_name_is_refused_at_once(qtbot, main_window, db, admin, tmp_path):
    _fund(db, admin)
    dialog = _open_dialog(qtbot, main_window)
    dialog.file.setText(str(tmp_path / "fund.csv"))
    dialog.export_button.click()
    assert "ends in .xml" in dialog.status.text()


def test_sensitive_dialog_and_grantee_org_id_reach_the_export(qtbot, main_window, db, admin, tmp_path):
    from trustfund_app.gui.grant_action_dialogs import SensitiveDialog
    from trustfund_app.gui.grant_grantee_dialog import GranteeDialog

    fund, grant = _fund(db, admin)
    row = GrantService(db).get(grant)
    dialog = SensitiveDialog(main_window.ctx, row, main_window)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.reason.isEnabled()
    dialog.sensitive.setChecked(True)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.errors["sensitive_reason"].isVisible(), timeout=5000)
    assert "needs the reason" in dialog.errors["sensitive_reason"].text()
    dialog.reason.setText("shelter address")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: GrantService(db).get(grant).sensitive, timeout=5000)
    grantee = GranteeDialog(main_window.ctx, GranteeService(db).get(fund.grantee), main_window)
    qtbot.addWidget(grantee)
    grantee.open()
    grantee.org_id.setText("CO-CCB-12345")
    grantee.ok_button.click()
    qtbot.waitUntil(lambda: GranteeService(db).get(fund.grantee).org_id == "CO-CCB-12345", timeout=5000)
    export = _open_dialog(qtbot, main_window)
    export.file.setText(str(tmp_path / "fund.xml"))
    export.export_button.click()
    qtbot.waitUntil(lambda: "published" in export.status.text(), timeout=15000)
    assert "VTF-C9-G001: sensitive" in export.problems.item(0).text()
    text = (tmp_path / "fund.xml").read_text()
    assert "Casa Esperanza" not in text and "recipient-country" not in text and date.today().year > 2000


def test_open_data_settings_are_checked_as_the_standards_want():
    import pytest

    from trustfund_app.core.errors import ValidationError
    from trustfund_app.gui.settings_fields import FIELDS_BY_KEY, stored_value

    assert stored_value(FIELDS_BY_KEY["iati_reporting_org"], " xm-dac-41128 ") == "XM-DAC-41128"
    assert stored_value(FIELDS_BY_KEY["iati_reporting_org_type"], "40") == "40"
    assert stored_value(FIELDS_BY_KEY["giving360_prefix"], "") == ""  # until the Fund registers
    assert stored_value(FIELDS_BY_KEY["giving360_prefix"], "360G-UNVTF") == "360G-UNVTF"
    assert stored_value(FIELDS_BY_KEY["open_data_language"], "FR") == "fr"
    for key, value, message in (("iati_reporting_org", "41128", "not an organisation identifier"),
                                ("iati_reporting_org_type", "41", "not an IATI organisation type"),
                                ("giving360_prefix", "UNVTF", "starts with 360G-"),
                                ("open_data_language", "de", "use one of")):
        with pytest.raises(ValidationError, match=message):
            stored_value(FIELDS_BY_KEY[key], value)
