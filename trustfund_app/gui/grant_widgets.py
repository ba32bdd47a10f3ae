"""Pieces the grant screens and dialogs share: sortable tables, date and country pickers, USD
amount parsing, and a form dialog that runs its save in a background job and shows errors beside
the field they belong to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel,
    QTableView, QVBoxLayout, QWidget,
)

from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.i18n import _, babel_locale, format_date, format_money, format_number
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import SORT_ROLE, RowsTableModel

ERROR_STYLE = "color:#b00020;"
WARNING_STYLE = "background:#fff3cd;color:#664d03;padding:4px;border:1px solid #ffe69c;"


def money_cell(value) -> str:
    return format_money(value) if value is not None else ""


def plain_amount(money) -> str:
    """An amount as the user would type it in the current language (no currency sign)."""
    return format_number(money.amount, digits=2) if money is not None else ""


def date_cell(value) -> str:
    return format_date(value) if value else ""


def make_table(model: RowsTableModel, name: str, parent=None, sort_column: int = 0,
               order=Qt.SortOrder.AscendingOrder, small: bool = False) -> tuple[QTableView, QSortFilterProxyModel]:
    """A read-only, sortable table view with fixed row heights over ``model``. ``small`` lists
    (a few dozen rows at most) size their columns to the contents."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(
        QHeaderView.ResizeMode.ResizeToContents if small else QHeaderView.ResizeMode.Interactive)
    view.sortByColumn(sort_column, order)
    return view, proxy


def selected_row(view: QTableView):
    """The plain row behind the view's current selection, or None."""
    indexes = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not indexes:
        return None
    proxy = view.model()
    source = proxy.mapToSource(indexes[0])
    return proxy.sourceModel().row_at(source.row())


def visible_rows(view: QTableView) -> list:
    """The plain rows the view shows, after its proxy's text filter."""
    proxy = view.model()
    model = proxy.sourceModel()
    return [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]


def select_where(view: QTableView, predicate) -> bool:
    """Select the first row for which ``predicate(row)`` is true."""
    proxy = view.model()
    model = proxy.sourceModel()
    for r in range(model.rowCount()):
        if predicate(model.row_at(r)):
            select_row(view, proxy.mapFromSource(model.index(r, 0)).row())
            return True
    return False


def select_row(view: QTableView, row: int) -> None:
    """Select a whole row through the selection model (``QTableView.selectRow`` does nothing in
    some states, e.g. right after a reset in a right-to-left layout)."""
    from PySide6.QtCore import QItemSelectionModel

    index = view.model().index(row, 0)
    if index.isValid():
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        view.selectionModel().setCurrentIndex(index, flags)
        view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)


def fit_columns(view: QTableView, widths: dict[int, int]) -> None:
    """Columns at least as wide as asked and as their header needs (never "tatement language")."""
    header = view.horizontalHeader()
    for column, width in widths.items():
        view.setColumnWidth(column, max(width, header.sectionSizeHint(column)))


def date_edit(value: date | None = None, name: str | None = None) -> QDateEdit:
    from trustfund_app.gui.dates import DateEdit

    return DateEdit(value or date.today(), name)


def set_date(edit: QDateEdit, value: date | None) -> None:
    if value:
        edit.setDate(QDate(value.year, value.month, value.day))


def country_combo(name: str | None = None, blank: str | None = None) -> QComboBox:
    """All ISO 3166 countries by their name in the UI language; data = alpha-3."""
    import pycountry

    from trustfund_app.core.countries import country_label

    combo = QComboBox()
    if name:
        combo.setObjectName(name)
    if blank is not None:
        combo.addItem(blank, None)
    for label, code in sorted((country_label(c.alpha_3), c.alpha_3) for c in pycountry.countries):
        combo.addItem(label, code)
    combo.setEditable(False)
    return combo


def set_combo_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def parse_usd(text: str, field: str) -> Decimal:
    """An amount typed the way the UI language writes numbers ("50,000.00", "50 000,00", "50000")."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = (text or "").strip().replace("$", "").replace("USD", "").strip()
    if not cleaned:
        raise ValidationError(_("enter an amount"), field)
    try:
        return parse_decimal(cleaned, locale=babel_locale(), strict=True)
    except NumberFormatError:
        try:
            return Decimal(cleaned.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_('"{text}" is not an amount').format(text=text), field) from None


class FormDialog(QDialog):
    """A form whose OK button runs ``save()`` (returning a function run in a job). Errors appear
    beside their field (``ValidationError.field``) or above the buttons."""

    def __init__(self, ctx, title: str, name: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.result_value = None
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.general_error.setObjectName(f"{name}_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName(f"{name}_ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.general_error)
        self.body.addWidget(self.buttons)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def showEvent(self, event) -> None:  # noqa: N802
        """Tab order set once every row is in place (subclasses add theirs after this constructor)."""
        if not getattr(self, "_tab_chained", False):
            self._tab_chained = True
            from trustfund_app.gui.form_fit import chain_dialog

            chain_dialog(self, self.buttons)
        super().showEvent(event)

    def add_field(self, key: str, label: str, widget: QWidget, *aliases: str) -> QWidget:
        """A row with the widget and, under it, room for its error message. ``aliases``: other
        error field names shown here too."""
        error = QLabel()
        error.setObjectName(f"{self.objectName()}_error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        cell = QVBoxLayout()
        cell.setSpacing(1)
        cell.addWidget(widget)
        cell.addWidget(error)
        self.form.addRow(label, cell)
        for k in (key, *aliases):
            self.errors[k] = error
        return widget

    # -- to implement ------------------------------------------------------------------------
    def save(self):
        """Check the form on the GUI thread (raise ValidationError) and return ``fn()`` to run in
        the background; its result becomes ``result_value``."""
        raise NotImplementedError

    # -- behaviour -------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for label in {*self.errors.values(), self.general_error}:
            label.hide()
            label.clear()

    def show_error(self, exc: Exception) -> None:
        self.ok_button.setEnabled(True)
        field = getattr(exc, "field", None)
        text = str(exc) if isinstance(exc, TrustFundError) else _("Something went wrong: {error}").format(error=exc)
        label = self.errors.get(field, self.general_error)
        label.setText(text)
        label.show()

    def _ok(self) -> None:
        self.clear_errors()
        try:
            work = self.save()
        except (ValidationError, TrustFundError) as exc:
            self.show_error(exc)
            return
        self.ok_button.setEnabled(False)
        start_job(lambda _job: work(), on_done=self._saved, on_error=self.show_error)

    def _saved(self, value) -> None:
        self.result_value = value
        self.accept()
