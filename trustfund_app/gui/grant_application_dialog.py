"""Dialogs for applications: a new application (with the eligibility warnings of the chosen
grantee for the chosen country), the Board's approval (which creates the grant) and a rejection."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_date, format_money, ngettext
from trustfund_app.core.services.grants import ApplicationService
from trustfund_app.core.services.grants.common import add_months
from trustfund_app.core.services.grants.grantees import eligibility_warnings
from trustfund_app.gui.grant_widgets import (
    ERROR_STYLE, WARNING_STYLE, FormDialog, country_combo, date_edit, parse_usd, plain_amount, set_combo_data,
    set_date,
)


def _warning_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(WARNING_STYLE)
    return label


class ApplicationDialog(FormDialog):
    """``cycles``: CycleRow list; ``grantees``: GranteeRecord list (loaded by the screen)."""

    def __init__(self, ctx, cycles, grantees, parent=None):
        super().__init__(ctx, _("New application"), "application_dialog", parent)
        self.cycles, self.grantees = cycles, {g.id: g for g in grantees}
        self.cycle = QComboBox()
        self.cycle.setObjectName("application_cycle")
        for c in cycles:
            self.cycle.addItem(_("Cycle {number} ({year})").format(number=c.number, year=c.year), c.id)
        self.sub = QComboBox()
        self.sub.setObjectName("application_sub_programme")
        self.grantee = QComboBox()
        self.grantee.setObjectName("application_grantee")
        for g in grantees:
            self.grantee.addItem(g.name, g.id)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("application_title")
        self.country = country_combo("application_country")
        self.requested = QLineEdit()
        self.requested.setObjectName("application_requested")
        self.months = QSpinBox()
        self.months.setObjectName("application_months")
        self.months.setRange(1, 120)
        self.months.setValue(12)
        self.limits = QLabel()
        self.limits.setObjectName("application_limits")
        self.warnings = _warning_label("application_warnings")
        self.add_field("cycle", _("Cycle"), self.cycle)
        self.add_field("sub_programme", _("Sub-programme"), self.sub)
        self.form.addRow("", self.limits)
        self.add_field("grantee", _("Grantee"), self.grantee)
        self.add_field("title", _("Project title"), self.title_edit)
        self.add_field("country", _("Country of implementation"), self.country)
        self.add_field("requested", _("Amount requested (USD)"), self.requested, "amount")
        self.add_field("months", _("Duration (months)"), self.months)
        self.body.insertWidget(1, self.warnings)
        self.cycle.currentIndexChanged.connect(lambda _i: self._fill_subs())
        self.sub.currentIndexChanged.connect(lambda _i: self._show_limits())
        self.grantee.currentIndexChanged.connect(lambda _i: self._grantee_picked())
        self.country.currentIndexChanged.connect(lambda _i: self._show_warnings())
        self._fill_subs()
        self._grantee_picked()

    def _current_cycle(self):
        return next((c for c in self.cycles if c.id == self.cycle.currentData()), None)

    def _fill_subs(self) -> None:
        self.sub.clear()
        cycle = self._current_cycle()
        for sp in (cycle.sub_programmes if cycle else ()):
            self.sub.addItem(f"{sp.code} — {sp.name}", sp.id)
        self._show_limits()

    def _show_limits(self) -> None:
        cycle = self._current_cycle()
        sp = next((s for s in (cycle.sub_programmes if cycle else ()) if s.id == self.sub.currentData()), None)
        self.limits.setText(ngettext("Up to {ceiling} and {months} month", "Up to {ceiling} and {months} months",
                                     sp.max_months if sp else 0).format(
            ceiling=format_money(sp.ceiling), months=sp.max_months) if sp else "")
        if sp:
            self.months.setValue(min(self.months.value(), sp.max_months))

    def _grantee_picked(self) -> None:
        grantee = self.grantees.get(self.grantee.currentData())
        if grantee:
            set_combo_data(self.country, grantee.country)
        self._show_warnings()

    def _show_warnings(self) -> None:
        grantee = self.grantees.get(self.grantee.currentData())
        cycle = self._current_cycle()
        found = eligibility_warnings(grantee, self.country.currentData(),
                                     (cycle.call_close if cycle else None) or date.today()) if grantee else []
        self.warnings.setVisible(bool(found))
        self.warnings.setText(_("Eligibility warnings: {warnings}").format(warnings="; ".join(w.text for w in found)))

    def save(self):
        from trustfund_app.core.errors import ValidationError

        if not self.cycle.currentData():
            raise ValidationError(_("create a grant cycle first"), "cycle")
        if not self.sub.currentData():
            raise ValidationError(_("the cycle has no sub-programme yet"), "sub_programme")
        if not self.grantee.currentData():
            raise ValidationError(_("register the grantee first"), "grantee")
        args = (self.cycle.currentData(), self.sub.currentData(), self.grantee.currentData(), self.title_edit.text(),
                self.country.currentData(), parse_usd(self.requested.text(), "requested"), self.months.value())
        service = self.ctx.service(ApplicationService)
        return lambda: service.submit(*args)


class FutureDecisionCheck:
    """A Board decision dated after today is most likely a typo (a year or month off): the first OK
    shows a warning beside the date; OK again with the same date keeps it."""

    def __init__(self, dialog: FormDialog, edit):
        self.dialog, self.edit, self.accepted_date = dialog, edit, None
        edit.dateChanged.connect(lambda _d: self._show())

    def _show(self) -> None:
        label = self.dialog.errors["decided_on"]
        day = self.edit.date().toPython()
        if day > date.today():
            label.setStyleSheet(WARNING_STYLE)
            label.setText(_("The decision date {date} is in the future. Press OK again to keep it.").format(
                date=format_date(day)))
            label.show()
        else:
            label.setStyleSheet(ERROR_STYLE)
            label.hide()

    def check(self) -> None:
        day = self.edit.date().toPython()
        if day > date.today() and day != self.accepted_date:
            self.accepted_date = day
            self._show()
            raise ValidationError(self.dialog.errors["decided_on"].text(), "decided_on")


class ApproveDialog(FormDialog):
    """The Board's approval of a recommended application (``app``: ApplicationRow)."""

    def __init__(self, ctx, app, cycle, parent=None):
        super().__init__(ctx, _("Approve application {number}").format(number=app.number), "approve_dialog", parent)
        self.app = app
        self.board_meeting = QLineEdit((cycle.board_meeting or "") if cycle else "")
        self.board_meeting.setObjectName("approve_board_meeting")
        self.decided_on = date_edit(cycle.board_meeting_date if cycle else None, "approve_decided_on")
        start = (cycle.board_meeting_date if cycle and cycle.board_meeting_date else date.today()) + timedelta(days=14)
        self.start = date_edit(start, "approve_start")
        self.end = date_edit(add_months(start, app.months) - timedelta(days=1), "approve_end")
        self.amount = QLineEdit(plain_amount(app.requested))
        self.amount.setObjectName("approve_amount")
        self.country = country_combo("approve_country")
        set_combo_data(self.country, app.country)
        self.reference = QLineEdit()
        self.reference.setObjectName("approve_reference")
        self.reference.setPlaceholderText(_("numbered automatically when left empty"))
        self.override = QLineEdit()
        self.override.setObjectName("approve_override")
        self.override.setPlaceholderText(_("only if the cycle's envelope would be exceeded"))
        self.envelope = QLabel()
        if cycle:
            self.envelope.setText(_("Envelope {envelope}, already approved {committed}, remaining {remaining}").format(
                envelope=format_money(cycle.envelope), committed=format_money(cycle.committed),
                remaining=format_money(cycle.remaining)))
        self.warnings = _warning_label("approve_warnings")
        self.warnings.setVisible(bool(app.warnings))
        self.warnings.setText(_("Eligibility warnings: {warnings}").format(warnings="; ".join(w.text for w in app.warnings)))
        self.body.insertWidget(0, self.warnings)
        self.form.addRow(_("Project"), QLabel(f"{app.grantee} — {app.title}"))
        self.add_field("board_meeting", _("Board meeting"), self.board_meeting)
        self.add_field("decided_on", _("Decided on"), self.decided_on)
        self.add_field("amount", _("Amount approved (USD)"), self.amount)
        self.add_field("start", _("Start"), self.start)
        self.add_field("end", _("End"), self.end)
        self.add_field("country", _("Country of implementation"), self.country)
        self.add_field("reference", _("Agreement number"), self.reference)
        self.form.addRow("", self.envelope)
        self.add_field("envelope_override", _("Envelope override: reason"), self.override)
        self.start.dateChanged.connect(self._start_moved)
        self.future = FutureDecisionCheck(self, self.decided_on)

    def _start_moved(self, qdate) -> None:
        start = qdate.toPython()
        set_date(self.end, add_months(start, self.app.months) - timedelta(days=1))

    def save(self):
        self.future.check()
        values = dict(
            board_meeting=self.board_meeting.text(), decided_on=self.decided_on.date().toPython(),
            start=self.start.date().toPython(), end=self.end.date().toPython(),
            amount=parse_usd(self.amount.text(), "amount"), country=self.country.currentData(),
            reference=self.reference.text(), envelope_override=self.override.text())
        service, aid = self.ctx.service(ApplicationService), self.app.id
        return lambda: service.approve(aid, **values)


class RejectDialog(FormDialog):
    def __init__(self, ctx, app, cycle, parent=None):
        super().__init__(ctx, _("Reject application {number}").format(number=app.number), "reject_dialog", parent)
        self.app = app
        self.board_meeting = QLineEdit((cycle.board_meeting or "") if cycle else "")
        self.board_meeting.setObjectName("reject_board_meeting")
        self.decided_on = date_edit(None, "reject_decided_on")
        self.note = QLineEdit()
        self.note.setObjectName("reject_note")
        self.form.addRow(_("Project"), QLabel(f"{app.grantee} — {app.title}"))
        self.add_field("board_meeting", _("Board meeting (if the Board decided)"), self.board_meeting)
        self.add_field("decided_on", _("Decided on"), self.decided_on)
        self.add_field("note", _("Reason"), self.note)
        self.future = FutureDecisionCheck(self, self.decided_on)

    def save(self):
        self.future.check()
        args = (self.decided_on.date().toPython(), self.board_meeting.text(), self.note.text())
        service, aid = self.ctx.service(ApplicationService), self.app.id
        return lambda: service.reject(aid, *args)
