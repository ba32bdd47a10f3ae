"""The instalment schedule of a grant: planned dates, amounts that must add up exactly to the
grant, and for each an optional "held until this report is approved". A fixed grid of at most
twelve lines (a form, not a growing list)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_money
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.grants import InstalmentService, PlannedInstalment, split_cents
from trustfund_app.core.services.grants.common import spread_dates
from trustfund_app.gui.grant_widgets import ERROR_STYLE, FormDialog, date_edit, parse_usd, plain_amount, set_date

MAX_LINES = 12


class ScheduleDialog(FormDialog):
    """``detail``: the GrantDetail of the grant."""

    def __init__(self, ctx, detail, parent=None):
        grant = detail.grant
        super().__init__(ctx, _("Instalment schedule of {reference}").format(reference=grant.reference),
                         "schedule_dialog", parent)
        self.detail, self.grant = detail, grant
        self.count = QSpinBox()
        self.count.setObjectName("schedule_count")
        self.count.setRange(1, MAX_LINES)
        self.split_button = QPushButton(_("Split evenly"))
        self.split_button.setObjectName("schedule_split")
        self.split_button.clicked.connect(self.split_evenly)
        head = QHBoxLayout()
        head.addWidget(self.count)
        head.addWidget(self.split_button)
        head.addStretch()
        self.form.addRow(_("Number of instalments"), head)
        self.form.addRow(_("Grant amount"), QLabel(format_money(grant.amount)))
        self.grid = QGridLayout()
        for col, text in enumerate((_("No."), _("Planned date"), _("Amount (USD)"), _("Held until approved"))):
            self.grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.lines = []
        for i in range(MAX_LINES):
            number = QLabel(str(i + 1))
            when = date_edit(grant.start, f"schedule_date_{i}")
            amount = QLineEdit()
            amount.setObjectName(f"schedule_amount_{i}")
            amount.textChanged.connect(lambda _t: self._show_total())
            held = QComboBox()
            held.setObjectName(f"schedule_held_{i}")
            held.addItem(_("— not held —"), None)
            for report in detail.reports:
                held.addItem(report.label, report.id)
            for col, widget in enumerate((number, when, amount, held)):
                self.grid.addWidget(widget, i + 1, col)
            self.lines.append((number, when, amount, held))
        self.body.insertLayout(1, self.grid)
        self.total = QLabel()
        self.total.setObjectName("schedule_total")
        self.body.insertWidget(2, self.total)
        self.errors["schedule"] = self.general_error
        existing = detail.instalments
        if existing:
            self.count.setValue(len(existing))
            for (_n, when, amount, held), inst in zip(self.lines, existing):
                set_date(when, inst.planned_date)
                amount.setText(plain_amount(inst.amount))
                held.setCurrentIndex(max(0, held.findData(inst.held_until_report_id)))
        else:
            self.count.setValue(2)
            self.split_evenly()
        self.count.valueChanged.connect(lambda _v: self._show_lines())
        self._show_lines()

    def _show_lines(self) -> None:
        for i, widgets in enumerate(self.lines):
            for w in widgets:
                w.setVisible(i < self.count.value())
        self._show_total()
        # fewer lines: the dialog shrinks back (adjustSize alone keeps the height of hidden rows)
        self.layout().invalidate()
        self.layout().activate()
        self.resize(self.width(), self.minimumSizeHint().height())

    def split_evenly(self) -> None:
        """Equal amounts to the cent and dates spread over the grant period."""
        count = self.count.value()
        shares = split_cents(self.grant.amount.minor, count)
        dates = spread_dates(self.grant.start, self.grant.end, count)
        for (_n, when, amount, _h), cents, day in zip(self.lines, shares, dates):
            amount.setText(plain_amount(Money.from_minor(cents, USD)))
            set_date(when, day)
        self._show_total()

    def planned(self) -> list[PlannedInstalment]:
        result = []
        for i, (_n, when, amount, held) in enumerate(self.lines[: self.count.value()]):
            value = parse_usd(amount.text(), "schedule")
            result.append(PlannedInstalment(when.date().toPython(), value, held.currentData()))
        return result

    def _show_total(self) -> None:
        try:
            total = sum((Money(p.amount, USD) for p in self.planned()), Money.zero(USD))
        except (ValidationError, ValueError):
            self.total.setText(_("Enter an amount on every line."))
            self.total.setStyleSheet(ERROR_STYLE)
            return
        difference = self.grant.amount - total
        if difference.amount == 0:
            self.total.setText(_("Total {total}: matches the grant.").format(total=format_money(total)))
            self.total.setStyleSheet("")
        else:
            self.total.setText(_("Total {total}: {difference} still to distribute.").format(
                total=format_money(total), difference=format_money(difference)))
            self.total.setStyleSheet(ERROR_STYLE)

    def save(self):
        lines, service, gid = self.planned(), self.ctx.service(InstalmentService), self.grant.id
        return lambda: service.set_schedule(gid, lines)
