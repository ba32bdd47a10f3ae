"""A whole month's UNORE list in one go: an effective date and one row per currency, prefilled
with the currencies of the month before (and their rates there, to compare). Every row is checked
before anything is saved; a row with a problem says so in its own "Problem" cell, and the whole
list is saved in one transaction (RateService.add_month) or not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _, format_date, format_number, format_rate, ngettext
from trustfund_app.core.money import USD, check_currency
from trustfund_app.core.services.rate_table import RateTableService
from trustfund_app.core.services.rates import RateService
from trustfund_app.gui.grant_widgets import ERROR_STYLE, WARNING_STYLE, FormDialog, date_edit
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.rate_dialog import LARGE_CHANGE, change_text, parse_rate, percent_change

CURRENCY, PREVIOUS, RATE, CHANGE, PROBLEM = range(5)
HEADERS = (N_("Currency"), N_("Previous rate"), N_("New rate"), N_("Change"), N_("Problem"))


@dataclass
class MonthRow:
    currency: str = ""
    previous: Decimal | None = None
    previous_date: date | None = None
    rate_text: str = ""
    problem: str = ""


class MonthRatesModel(QAbstractTableModel):
    """Editable rows: currency and new rate; previous rate and problem are read-only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[MonthRow] = []

    def set_rows(self, rows: list[MonthRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def add_row(self) -> int:
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(MonthRow())
        self.endInsertRows()
        return at

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    def set_problem(self, row: int, text: str) -> None:
        self.rows[row].problem = text
        index = self.index(row, PROBLEM)
        self.dataChanged.emit(index, index)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and index.column() in (CURRENCY, RATE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == CURRENCY:
                return row.currency
            if column == PREVIOUS:
                if row.previous is None:
                    return ""
                return _("{rate} (from {date})").format(rate=format_rate(row.previous), date=format_date(row.previous_date))
            if column == RATE:
                return row.rate_text
            if column == CHANGE:
                return change_text(row_change(row))
            return row.problem
        if role == Qt.ItemDataRole.ToolTipRole and column == PROBLEM and row.problem:
            return row.problem
        if role == Qt.ItemDataRole.ForegroundRole and column == CHANGE:
            change = row_change(row)
            if change is not None and abs(change) >= LARGE_CHANGE:
                return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ForegroundRole and column == PROBLEM and row.problem:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PREVIOUS, RATE, CHANGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() not in (CURRENCY, RATE):
            return False
        row = self.rows[index.row()]
        text = str(value or "").strip()
        if index.column() == CURRENCY:
            row.currency = text.upper()
        else:
            row.rate_text = text
        row.problem = ""
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        return True

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return _(HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None


_CODE = re.compile(r"\b([A-Za-z]{3})\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d[\d\s\u00a0\u202f,.]*\d|\d)(?![\w])")


def parse_pasted_rates(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Rates copied from a table (a web page, a spreadsheet, an e-mail): each line with an ISO
    4217 code and a number gives (code, rate text); the rate is the last number on the line
    (UNORE tables show the country and currency name first). Lines that have a number but no
    known currency code are returned apart, to be named to the user."""
    rates, skipped = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        codes = [c.upper() for c in _CODE.findall(line) if _is_currency(c)]
        numbers = _NUMBER.findall(line)
        if codes and numbers:
            rates.append((codes[-1], numbers[-1].strip()))
        elif numbers:
            skipped.append(line.strip())
    return rates, skipped


def _is_currency(code: str) -> bool:
    try:
        check_currency(code)
        return True
    except ValidationError:
        return False


def row_change(row: MonthRow) -> Decimal | None:
    """The change from the previous rate, once the typed rate reads as a valid rate."""
    if row.previous is None or not row.rate_text.strip():
        return None
    try:
        return percent_change(parse_rate(row.rate_text), row.previous)
    except ValidationError:
        return None


def checked_rates(model: MonthRatesModel) -> dict[str, Decimal]:
    """The rates to save; marks each bad row and raises a ValidationError naming how many."""
    rates: dict[str, Decimal] = {}
    bad = 0
    for i, row in enumerate(model.rows):
        if not row.rate_text.strip():  # no new rate: the previous one stays in force
            model.set_problem(i, "")
            continue
        try:
            code = check_currency(row.currency)
            if code == USD:
                raise ValidationError(_("USD is the base currency; its rate is always 1"), "currency")
            if code in rates:
                raise ValidationError(_("{currency} is listed twice").format(currency=code), "currency")
            rates[code] = parse_rate(row.rate_text)
            model.set_problem(i, "")
        except ValidationError as exc:
            model.set_problem(i, str(exc))
            bad += 1
    if bad:
        raise ValidationError(ngettext("{count} row has a problem (see the Problem column)",
                                       "{count} rows have a problem (see the Problem column)", bad)
                              .format(count=format_number(bad)), "rows")
    if not rates:
        raise ValidationError(_("enter at least one rate"), "rows")
    return rates


class MonthRatesDialog(FormDialog):
    def __init__(self, ctx, effective: date, parent=None):
        super().__init__(ctx, _("Add a month's exchange rates"), "rate_month", parent)
        self.accept_jumps = False  # set by the rate-jump confirmation for the next save
        self.effective = date_edit(effective, "rate_month_date")
        self.effective.dateChanged.connect(lambda _d: self.load_template())
        self.add_field("effective_date", _("Effective from"), self.effective)
        self.model = MonthRatesModel(self)
        self.table = QTableView()
        self.table.setObjectName("rate_month_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((CURRENCY, 80), (PREVIOUS, 230), (RATE, 110), (CHANGE, 90)):
            self.table.setColumnWidth(column, width)
        self.rows_error = QLabel()
        self.rows_error.setObjectName("rate_month_error_rows")
        self.rows_error.setStyleSheet(ERROR_STYLE)
        self.rows_error.setWordWrap(True)
        self.rows_error.hide()
        self.errors["rows"] = self.errors["rate"] = self.errors["currency"] = self.rows_error
        self.existing_note = QLabel()
        self.existing_note.setObjectName("rate_month_existing")
        self.existing_note.setWordWrap(True)
        self.existing_note.setStyleSheet(WARNING_STYLE)
        self.existing_note.hide()
        self.hint = QLabel(_("Rows without a new rate are left out: the previous rate stays in force."))
        self.hint.setWordWrap(True)
        self.add_button = QPushButton(_("Add a currency"))
        self.add_button.setObjectName("rate_month_add_row")
        self.add_button.clicked.connect(self._add_row)
        self.remove_button = QPushButton(_("Remove the row"))
        self.remove_button.setObjectName("rate_month_remove_row")
        self.remove_button.clicked.connect(self._remove_row)
        self.paste_button = QPushButton(_("Paste rates"))
        self.paste_button.setObjectName("rate_month_paste")
        self.paste_button.setToolTip(_("Lines copied from a table, each with a currency code and its rate"))
        self.paste_button.clicked.connect(lambda: self.paste_rates(QApplication.clipboard().text()))
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addWidget(self.paste_button)
        row_buttons.addStretch()
        for i, widget in enumerate((self.existing_note, self.table, self.rows_error, self.hint)):
            self.body.insertWidget(1 + i, widget, 1 if widget is self.table else 0)
        self.body.insertLayout(5, row_buttons)
        self.resize(800, 560)
        self.load_template()

    def load_template(self) -> None:
        service, on = self.ctx.service(RateTableService), self.effective.date().toPython()
        start_job(lambda _job: (on, service.month_template(on), service.rates_on(on)),
                  on_done=self._show_template, on_error=self.show_error)

    def _show_template(self, result) -> None:
        on, template, existing = result
        if on != self.effective.date().toPython():
            return  # the date changed meanwhile; its own job follows
        typed = {r.currency: r.rate_text for r in self.model.rows if r.rate_text}
        rows = [MonthRow(t.currency, t.previous_rate, t.previous_date,
                         typed.get(t.currency) or (format_rate(existing[t.currency]) if t.currency in existing else ""))
                for t in template]
        listed = {r.currency for r in rows}
        rows += [MonthRow(code, None, None, format_rate(rate)) for code, rate in sorted(existing.items())
                 if code not in listed]
        self.model.set_rows(rows)
        if existing:
            self.existing_note.setText(ngettext(
                "{count} rate is already effective on {date}: it is shown and will be replaced by what you save.",
                "{count} rates are already effective on {date}: they are shown and will be replaced by what you save.",
                len(existing)).format(count=format_number(len(existing)), date=format_date(on)))
            self.existing_note.show()
        else:
            self.existing_note.hide()

    def paste_rates(self, text: str) -> None:
        """Fill the rows from pasted lines: a listed currency gets the rate, another is added."""
        rates, skipped = parse_pasted_rates(text)
        rows = {r.currency: i for i, r in enumerate(self.model.rows)}
        for code, rate_text in rates:
            if code == USD:
                continue
            row = rows.get(code)
            if row is None:
                row = rows[code] = self.model.add_row()
                self.model.setData(self.model.index(row, CURRENCY), code)
            self.model.setData(self.model.index(row, RATE), rate_text)
        if skipped:
            self.rows_error.setText(ngettext("{count} pasted line has no currency code: {line}",
                                             "{count} pasted lines have no currency code, e.g. {line}", len(skipped))
                                    .format(count=format_number(len(skipped)), line=skipped[0]))
            self.rows_error.show()
        elif not rates:
            self.rows_error.setText(_("Nothing to paste: copy lines with a currency code and a rate."))
            self.rows_error.show()
        else:
            self.rows_error.hide()

    def _add_row(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, CURRENCY)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def _remove_row(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())

    def save(self):
        on = self.effective.date().toPython()
        rates = checked_rates(self.model)
        service = self.ctx.service(RateService)
        accept, self.accept_jumps = self.accept_jumps, False  # a confirmation covers one save
        return lambda: service.add_month(on, rates, accept_jumps=accept)

    def show_error(self, exc: Exception) -> None:
        from trustfund_app.gui.rate_jump_dialog import ask_to_accept_jumps

        if not ask_to_accept_jumps(self, exc):
            super().show_error(exc)
