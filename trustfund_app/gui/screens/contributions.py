"""Contributions: every pledge and payment, filtered and sorted in SQL (fast at 100,000+ rows),
with the USD totals of what the filter shows; entry, reversal and correction with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QTableView, QVBoxLayout,
)

from trustfund_app.core.i18n import _, format_amount, ngettext
from trustfund_app.core.models import KIND_LABELS, ContributionKind
from trustfund_app.core.services.contribution_queries import STATUS_LABELS
from trustfund_app.gui.grant_widgets import fit_columns
from trustfund_app.gui.contributions_model import ContributionsModel
from trustfund_app.gui.filter_combo import fill_filter_combo
from trustfund_app.gui.flow_layout import FlowLayout, pair
from trustfund_app.gui.screens.base import Screen


class ContributionsScreen(Screen):
    watches = frozenset({"contribution", "donor"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.model = ContributionsModel(ctx, self)
        self.model.loaded.connect(self._show_summary)
        self.model.failed.connect(self.show_error)
        self.search = QLineEdit(objectName="contributions_search", clearButtonEnabled=True)
        self.donor = QComboBox(objectName="contributions_donor")
        self.year = QComboBox(objectName="contributions_year")
        self.kind = QComboBox(objectName="contributions_kind")
        self.currency = QComboBox(objectName="contributions_currency")
        self.status = QComboBox(objectName="contributions_status")
        self.table = QTableView(objectName="contributions_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        fit_columns(self.table, dict(enumerate((110, 120, 220, 90, 70, 140, 90, 130, 100, 150, 140))))
        self.summary = QLabel(objectName="contributions_summary")
        self.new_button = QPushButton(objectName="contributions_new")
        self.new_button.clicked.connect(self.new_entry)
        self.reverse_button = QPushButton(objectName="contributions_reverse")
        self.reverse_button.clicked.connect(self.reverse_selected)
        self.correct_button = QPushButton(objectName="contributions_correct")
        self.correct_button.clicked.connect(self.correct_selected)
        self.history_button = QPushButton(objectName="contributions_history")
        self.history_button.clicked.connect(self.show_history)
        self.letter_button = QPushButton(objectName="contributions_letter")
        self.letter_button.clicked.connect(self.letter_for_selected)
        self.export_button = QPushButton(objectName="contributions_export")
        self.export_button.clicked.connect(self.export_current)
        self.write_off_button = QPushButton(objectName="contributions_write_off")
        self.write_off_button.clicked.connect(self.write_off_selected)
        self.write_offs_button = QPushButton(objectName="contributions_write_offs")
        self.write_offs_button.clicked.connect(self.show_write_offs)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda *_a: self._debounce.start())
        for combo in (self.donor, self.year, self.kind, self.currency, self.status):
            combo.currentIndexChanged.connect(lambda *_a: self._debounce.start())
            # a long donor name must not widen the window past 1200 px: the list shows it whole
            combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.summary.setWordWrap(True)
        # filters and buttons wrap onto a second line where the language's labels are long
        filters = FlowLayout()
        self.filter_labels = []
        for widget in (self.search, self.donor, self.year, self.kind, self.currency, self.status):
            label = QLabel()
            self.filter_labels.append(label)
            filters.addWidget(pair(label, widget))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        button_flow = FlowLayout(align_end=True)
        for button in (self.export_button, self.history_button, self.letter_button, self.write_offs_button,
                       self.new_button, self.reverse_button, self.correct_button, self.write_off_button):
            button_flow.addWidget(button)
        buttons.addLayout(button_flow, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._last_summary = None
        self._choices_loaded = False
        self.retranslate()

    def retranslate(self) -> None:
        for label, text in zip(self.filter_labels, (_("Search"), _("Donor"), _("Year"), _("Kind"), _("Currency"),
                                                     _("Status"))):
            label.setText(text)
        self.search.setPlaceholderText(_("reference, receipt, earmark or donor"))
        self.new_button.setText(_("New pledge or payment…"))
        self.reverse_button.setText(_("Reverse…"))
        self.correct_button.setText(_("Correct…"))
        self.export_button.setText(_("Export to Excel…"))
        self.history_button.setText(_("History…"))
        self.letter_button.setText(_("Letter to the donor…"))
        self.letter_button.setToolTip(_("Acknowledgement of the selected pledge or receipt for the selected payment, "
                                        "in the donor's language"))
        self.write_off_button.setText(_("Write off…"))
        self.write_offs_button.setText(_("Write-offs…"))
        self._fill_fixed_choices()
        self.model.retranslate()
        if self._last_summary is not None:
            self._show_summary(self._last_summary)
        writable = self.ctx.actor is not None and self.ctx.actor.can("contributions") and not self.ctx.read_only_reason
        for button in (self.new_button, self.reverse_button, self.correct_button, self.write_off_button):
            button.setEnabled(writable)

    def _fill_fixed_choices(self) -> None:
        fill_filter_combo(self.kind, [(_(KIND_LABELS[k]), k.value) for k in ContributionKind], _("All"))
        fill_filter_combo(self.status, [(_(label), key) for key, label in STATUS_LABELS.items()], _("All"))
        for combo in (self.donor, self.year, self.currency):
            if combo.count():
                combo.setItemText(0, _("All"))

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load_choices()
        self.model.reload()

    def _load_choices(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.contribution_queries import ContributionListService
            from trustfund_app.core.services.donors import DonorService

            donors = [(d.name, d.id) for d in DonorService(db, actor).list()]
            return donors, *ContributionListService(db, actor).choices()

        self.run(work, self._choices_arrived)

    def _choices_arrived(self, result) -> None:
        donors, years, currencies = result
        for combo, items in ((self.donor, donors), (self.year, [(str(y), y) for y in years]),
                             (self.currency, [(c, c) for c in currencies])):
            fill_filter_combo(combo, items, _("All"))

    def _apply_filter(self) -> None:
        self.model.set_filter(donor_id=self.donor.currentData(), year=self.year.currentData(),
                              kind=self.kind.currentData(), currency=self.currency.currentData(),
                              status=self.status.currentData(), text=self.search.text())

    def _show_summary(self, summary) -> None:
        self._last_summary = summary
        self.summary.setText(ngettext("{count} entry", "{count} entries", summary.count).format(count=summary.count)
                             + " · " + _("paid {paid} · pledged {pledged} (USD equivalents)").format(
                                 paid=format_amount(summary.usd_total, "USD"),
                                 pledged=format_amount(summary.pledged_usd, "USD")))

    # -- actions ---------------------------------------------------------------------------
    def selected_row(self):
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def new_entry(self) -> None:
        from trustfund_app.gui.contribution_form import ContributionForm

        self.form = ContributionForm(self.ctx, self, donor_id=self.donor.currentData())
        self.form.accepted.connect(self._entry_saved)
        self.form.open()

    def _entry_saved(self) -> None:
        """The receipt/acknowledgement number the user writes on the donor's letter."""
        receipt = self.form.saved_receipt
        if receipt:
            self.window().show_message(_("Recorded with receipt number {receipt}.").format(receipt=receipt))

    def reverse_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, _("Reverse an entry"), _(
            "A reversing entry cancels {receipt} with the same rate; the original stays in the books.\n"
            "Reason:").format(receipt=row.receipt_number or row.reference or ""))
        if not ok:
            return
        ctx, entry_id = self.ctx, row.id

        def work(_job):
            from trustfund_app.core.services.contributions import ContributionService

            return ctx.service(ContributionService).reverse(entry_id, reason)

        self.run(work, lambda _id: self.window().show_message(_("Entry reversed.")),
                 on_error=lambda exc: QMessageBox.warning(self, _("Reverse an entry"), str(exc)))

    def letter_for_selected(self) -> None:
        """Acknowledgement of a pledge, or receipt and thanks for a payment."""
        from trustfund_app.gui.letter_actions import produce_letter

        row = self.selected_row()
        if row is None or row.reversed or row.is_reversal:
            self.window().show_message(_("Select a pledge or payment that was not reversed."))
            return
        kind = "acknowledgement" if row.kind == "pledge" else "receipt"
        self.letter_job = produce_letter(self, self.ctx, kind, row.id, row.receipt_number or row.donor)

    def write_off_selected(self) -> None:
        """Ask to write off the unpaid part of the selected pledge (a second finance user approves)."""
        from trustfund_app.gui.write_off_dialogs import WriteOffDialog

        row = self.selected_row()
        if row is None or row.kind != "pledge" or row.reversed or row.is_reversal:
            self.window().show_message(_("Choose a pledge that is not fully paid."))
            return
        self.write_off = WriteOffDialog(self.ctx, row, self)
        self.write_off.open()

    def show_write_offs(self) -> None:
        from trustfund_app.gui.write_off_dialogs import WriteOffsDialog

        self.write_offs = WriteOffsDialog(self.ctx, self)
        self.write_offs.open()

    def correct_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from trustfund_app.gui.contribution_correction import CorrectionDialog

        self.correction = CorrectionDialog(self.ctx, row, self)
        self.correction.open()

    def export_current(self) -> None:
        """The rows the filter shows, in the order shown, with real types (dates, amounts)."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(self, _("Export to Excel"), _("contributions") + ".xlsx",
                                                    "Excel (*.xlsx)")
        if not path:
            return
        db, actor, flt, key, desc = self.ctx.db, self.ctx.actor, self.model.filter, self.model.sort_key, self.model.descending
        from trustfund_app.gui.contributions_model import COLUMNS

        headers = [_(h) for h, _key in COLUMNS]

        def work(_job):
            from trustfund_app.core.excel.export import ExportColumn, write_table
            from trustfund_app.core.money import Money
            from trustfund_app.core.services.contribution_queries import ContributionListService
            from trustfund_app.gui.contributions_model import _display

            rows = ContributionListService(db, actor).page(flt, key, desc, 0, 10_000_000)
            table = [(r.date, r.receipt_number, r.donor, _display(r, 3), r.currency, Money(r.amount, r.currency),
                      r.rate, Money(r.usd, "USD"), _display(r, 8), r.reference, r.earmark) for r in rows]
            write_table(path, _("Contributions"), [ExportColumn(h, 16) for h in headers], table)
            return len(table)

        self.run(work, lambda n: self.window().show_message(
            ngettext("{count} row exported to {file}.", "{count} rows exported to {file}.", n).format(count=n, file=path)))

    def show_history(self) -> None:
        from trustfund_app.gui.history_dialog import HistoryDialog

        row = self.selected_row()
        if row is not None:
            self.history = HistoryDialog(self.ctx, "contribution", row.id, row.receipt_number or row.id, self)
            self.history.open()
