"""Dialogs of the Grant cycles screen: a cycle (number, year, call dates, Board meeting, envelope)
and a sub-programme (code, name, ceiling per grant, maximum duration)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox

from trustfund_app.core.i18n import _
from trustfund_app.core.services.grants import CycleService
from trustfund_app.gui.grant_widgets import FormDialog, date_edit, parse_usd, plain_amount, set_date


def _shifted(day: date | None, years: int, default: date) -> date:
    if day is None:
        return default
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def new_cycle_defaults(existing: list) -> dict:
    """A new cycle follows the latest one: next number, next year, its call and Board dates a year
    on (or, for the first cycle, a call from February to March and a Board in June) — never today."""
    latest = max(existing, key=lambda c: c.number, default=None)
    year = latest.year + 1 if latest else date.today().year
    years = year - latest.year if latest else 0
    return {
        "number": latest.number + 1 if latest else 1,
        "year": year,
        "call_open": _shifted(latest and latest.call_open, years, date(year, 2, 1)),
        "call_close": _shifted(latest and latest.call_close, years, date(year, 3, 31)),
        "board_meeting_date": _shifted(latest and latest.board_meeting_date, years, date(year, 6, 30)),
    }


class CycleDialog(FormDialog):
    def __init__(self, ctx, cycle=None, parent=None, existing: list | None = None):
        super().__init__(ctx, _("Edit grant cycle") if cycle else _("New grant cycle"), "cycle_dialog", parent)
        self.cycle = cycle
        self.number = QSpinBox()
        self.number.setObjectName("cycle_number")
        self.number.setRange(1, 999)
        self.year = QSpinBox()
        self.year.setObjectName("cycle_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.name = QLineEdit()
        self.name.setObjectName("cycle_name")
        self.envelope = QLineEdit()
        self.envelope.setObjectName("cycle_envelope")
        self.has_call = QCheckBox(_("The call for proposals has dates"))
        self.call_open = date_edit(name="cycle_call_open")
        self.call_close = date_edit(name="cycle_call_close")
        self.board_meeting = QLineEdit()
        self.board_meeting.setObjectName("cycle_board_meeting")
        self.board_meeting.setPlaceholderText(_("e.g. 15th meeting"))
        self.has_board_date = QCheckBox(_("The Board meeting has a date"))
        self.board_date = date_edit(name="cycle_board_date")
        self.add_field("number", _("Cycle number"), self.number)
        self.add_field("year", _("Year"), self.year)
        self.add_field("name", _("Name"), self.name)
        self.add_field("envelope", _("Envelope (USD)"), self.envelope)
        self.form.addRow("", self.has_call)
        self.add_field("call_open", _("Call opens"), self.call_open)
        self.add_field("call_close", _("Call closes"), self.call_close)
        self.add_field("board_meeting", _("Board meeting"), self.board_meeting)
        self.form.addRow("", self.has_board_date)
        self.add_field("board_meeting_date", _("Board meeting date"), self.board_date)
        self.has_call.toggled.connect(lambda on: (self.call_open.setEnabled(on), self.call_close.setEnabled(on)))
        self.has_board_date.toggled.connect(self.board_date.setEnabled)
        if cycle:
            self.number.setValue(cycle.number)
            self.year.setValue(cycle.year)
            self.name.setText(cycle.name)
            self.envelope.setText(plain_amount(cycle.envelope))
            self.has_call.setChecked(bool(cycle.call_open))
            set_date(self.call_open, cycle.call_open)
            set_date(self.call_close, cycle.call_close)
            self.board_meeting.setText(cycle.board_meeting or "")
            self.has_board_date.setChecked(bool(cycle.board_meeting_date))
            set_date(self.board_date, cycle.board_meeting_date)
        else:
            defaults = new_cycle_defaults(existing or [])
            self.number.setValue(defaults["number"])
            self.year.setValue(defaults["year"])
            set_date(self.call_open, defaults["call_open"])
            set_date(self.call_close, defaults["call_close"])
            set_date(self.board_date, defaults["board_meeting_date"])
            self.has_call.setChecked(True)
            self.has_board_date.setChecked(True)

    def save(self):
        fields = dict(
            number=self.number.value(), year=self.year.value(), name=self.name.text(),
            envelope=parse_usd(self.envelope.text(), "envelope"),
            call_open=self.call_open.date().toPython() if self.has_call.isChecked() else None,
            call_close=self.call_close.date().toPython() if self.has_call.isChecked() else None,
            board_meeting=self.board_meeting.text(),
            board_meeting_date=self.board_date.date().toPython() if self.has_board_date.isChecked() else None,
        )
        service, cycle = self.ctx.service(CycleService), self.cycle
        if cycle:
            return lambda: service.update(cycle.id, **fields) or cycle.id
        return lambda: service.create(**fields)


class SubProgrammeDialog(FormDialog):
    def __init__(self, ctx, cycle, sub=None, parent=None):
        title = _("Edit sub-programme") if sub else _("New sub-programme of cycle {number}").format(number=cycle.number)
        super().__init__(ctx, title, "sub_programme_dialog", parent)
        self.cycle, self.sub = cycle, sub
        self.code = QLineEdit()
        self.code.setObjectName("sub_code")
        self.code.setPlaceholderText("SGP1")
        self.name = QLineEdit()
        self.name.setObjectName("sub_name")
        self.ceiling = QLineEdit()
        self.ceiling.setObjectName("sub_ceiling")
        self.max_months = QSpinBox()
        self.max_months.setObjectName("sub_max_months")
        self.max_months.setRange(1, 120)
        self.max_months.setValue(24)
        self.add_field("code", _("Code"), self.code)
        self.add_field("name", _("Name"), self.name)
        self.add_field("ceiling", _("Ceiling per grant (USD)"), self.ceiling)
        self.add_field("max_months", _("Maximum duration (months)"), self.max_months)
        if sub:
            self.code.setText(sub.code)
            self.name.setText(sub.name)
            self.ceiling.setText(plain_amount(sub.ceiling))
            self.max_months.setValue(sub.max_months)

    def save(self):
        values = (self.code.text(), self.name.text(), parse_usd(self.ceiling.text(), "ceiling"), self.max_months.value())
        service = self.ctx.service(CycleService)
        if self.sub:
            sid = self.sub.id
            return lambda: service.update_sub_programme(sid, *values) or sid
        cid = self.cycle.id
        return lambda: service.add_sub_programme(cid, *values)
