"""The pledge/payment entry form. As the user types it shows the UNORE rate found and the USD
equivalent; it refuses bad input with a message beside the field it concerns."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget,
)

from trustfund_app.core.errors import ValidationError
from trustfund_app.gui.form_fit import dialog_buttons, prefer_width, tab_chain
from trustfund_app.gui.dates import DateEdit
from trustfund_app.core.i18n import _, babel_locale, format_amount, format_date, format_rate
from trustfund_app.core.models import KIND_LABELS, ContributionKind
from trustfund_app.gui.bidi_text import isolate
from trustfund_app.gui.jobs import start_job

FIELDS = ("donor", "kind", "date", "currency", "amount", "pledge", "reference", "earmark", "note")


def positive_amount(text: str):
    """``parse_amount``, refusing zero and negative amounts."""
    amount = parse_amount(text)
    if amount <= 0:
        raise ValidationError(_("the amount must be greater than zero"), "amount")
    return amount


def parse_amount(text: str):
    """An amount typed in the user's locale ("1 234,50", "1,234.50") as an exact Decimal."""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import NumberFormatError, parse_decimal

    raw = (text or "").strip()
    if not raw:
        raise ValidationError(_("enter the amount"), "amount")
    try:
        return parse_decimal(raw, locale=babel_locale(), strict=True)
    except NumberFormatError:
        try:
            return Decimal(raw.replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            raise ValidationError(_('"{value}" is not a number').format(value=raw), "amount")


class ContributionForm(QDialog):
    def __init__(self, ctx, parent=None, donor_id: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: str | None = None
        self.donor_ids: dict[str, str] = {}  # shown text (name or alias) → donor id
        self.open_pledges: dict[str, object] = {}  # pledge id → OpenPledge of the chosen donor
        self.saved_receipt: str | None = None
        self.setWindowTitle(_("New pledge or payment"))
        self.donor = QComboBox(objectName="form_donor", editable=True)
        self.donor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind = QComboBox(objectName="form_kind")
        for kind in ContributionKind:
            self.kind.addItem(_(KIND_LABELS[kind]), kind.value)
        self.date = DateEdit(None, "form_date")
        self.currency = QComboBox(objectName="form_currency", editable=True)
        self.amount = QLineEdit(objectName="form_amount")
        self.pledge = QComboBox(objectName="form_pledge")
        # its first choice is a whole sentence ("Earliest outstanding pledges first"): shown whole
        self.pledge.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pledge.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.reference = QLineEdit(objectName="form_reference")
        self.earmark = QLineEdit(objectName="form_earmark")
        self.note = QPlainTextEdit(objectName="form_note")
        self.note.setFixedHeight(60)
        self.quote = QLabel(objectName="form_quote")
        self.quote.setWordWrap(True)
        self.errors = {name: self._error_label(name) for name in FIELDS}
        self.form_error = self._error_label("form")
        form = QFormLayout()
        for name, widget, label in (
            ("donor", self.donor, _("Donor")), ("kind", self.kind, _("Kind")), ("date", self.date, _("Date")),
            ("currency", self.currency, _("Currency")), ("amount", self.amount, _("Amount")),
            ("pledge", self.pledge, _("Pays the pledge")), ("reference", self.reference, _("Donor's reference")),
            ("earmark", self.earmark, _("Earmark")), ("note", self.note, _("Note")),
        ):
            form.addRow(label, _with_error(widget, self.errors[name]))
        form.addRow(_("Rate and USD equivalent"), self.quote)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("form_save")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)
        # Tab in reading order, the note included (Tab leaves it rather than typing a tab), then Save
        self.note.setTabChangesFocus(True)
        tab_chain(self.donor, self.kind, self.date, self.currency, self.amount, self.pledge, self.reference,
                  self.earmark, self.note, *dialog_buttons(buttons))
        prefer_width(self, 560)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._update_quote)
        for signal in (self.amount.textChanged, self.currency.currentTextChanged, self.date.dateChanged,
                       self.pledge.currentIndexChanged):
            signal.connect(lambda *_a: self._debounce.start())
        self.donor.currentTextChanged.connect(lambda *_a: self._load_pledges())
        self.kind.currentIndexChanged.connect(lambda *_a: self._load_pledges())
        self._quote_generation = 0
        self._preset_donor = donor_id
        self._load_choices()
        self._load_pledges()

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _error_label(name: str) -> QLabel:
        label = QLabel(objectName=f"error_{name}")
        label.setStyleSheet("color:#b02a37;")
        label.setWordWrap(True)
        label.hide()
        return label

    def show_field_error(self, field: str | None, message: str) -> None:
        label = self.errors.get(field or "", self.form_error)
        label.setText(message)
        label.show()
        # a message of two lines must not squeeze the fields: the dialog grows to show it whole
        QTimer.singleShot(0, self, self._fit_height)  # dropped if the dialog is gone by then

    def _fit_height(self) -> None:
        self.layout().activate()
        wanted = self.layout().totalHeightForWidth(self.width()) if self.layout().hasHeightForWidth() \
            else self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def clear_errors(self, *fields: str) -> None:
        for name in fields or (*FIELDS, "form"):
            label = self.errors.get(name, self.form_error) if name != "form" else self.form_error
            label.clear()
            label.hide()

    def _is_payment(self) -> bool:
        return self.kind.currentData() == ContributionKind.PAYMENT

    def selected_donor_id(self) -> str | None:
        return self.donor_ids.get(self.donor.currentText().strip())

    # -- data for the choices ----------------------------------------------------------------
    def _load_choices(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.rates import RateService
            from trustfund_app.core.services.donors import DonorService

            return DonorService(db, actor).list(include_inactive=False), RateService(db, actor).currencies()

        start_job(work, on_done=self._choices_loaded, on_error=lambda e: self.show_field_error(None, str(e)))

    def _choices_loaded(self, result) -> None:
        donors, currencies = result
        names = []
        for donor in donors:
            self.donor_ids[donor.name] = donor.id
            names.append(donor.name)
            for alias in donor.aliases:
                self.donor_ids.setdefault(alias, donor.id)
        self.donor.blockSignals(True)
        self.donor.addItems(names)
        self.donor.setCurrentIndex(-1)
        self.donor.blockSignals(False)
        completer = QCompleter(sorted(self.donor_ids), self.donor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.donor.setCompleter(completer)
        self.currency.addItems(["USD"] + [c for c in currencies if c != "USD"])
        if self._preset_donor:
            for name, did in self.donor_ids.items():
                if did == self._preset_donor:
                    self.donor.setCurrentText(name)
                    break

    def _load_pledges(self) -> None:
        self.open_pledges = {}
        self.pledge.clear()
        self.pledge.addItem(_("Oldest open pledges first"), None)
        donor_id = self.selected_donor_id()
        is_payment = self.kind.currentData() == ContributionKind.PAYMENT
        self.pledge.setEnabled(is_payment and donor_id is not None)
        if not (is_payment and donor_id):
            return
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.contributions import ContributionService

            return ContributionService(db, actor).open_pledges(donor_id)

        def done(pledges):
            if donor_id != self.selected_donor_id():
                return
            self.open_pledges = {p.id: p for p in pledges}
            for p in pledges:
                text = _("{date} {ref}: {left} outstanding").format(
                    date=isolate(format_date(p.date)), ref=isolate(p.reference),
                    left=isolate(format_amount(p.outstanding.amount, p.currency)))
                self.pledge.addItem(text, p.id)

        start_job(work, on_done=done)

    # -- the quote as you type -----------------------------------------------------------------
    def _update_quote(self) -> None:
        self.clear_errors("amount", "currency")
        self._quote_generation += 1
        generation = self._quote_generation
        try:
            amount = positive_amount(self.amount.text())
        except ValidationError as exc:
            if self.amount.text().strip():
                self.show_field_error(exc.field, exc.message)
            self.quote.clear()
            return
        currency, on, ctx = self.currency.currentText().strip(), self.date.date().toPython(), self.ctx
        pledge = self.open_pledges.get(self.pledge.currentData()) if self._is_payment() else None

        def work(_job):
            from trustfund_app.core.services.contributions import ContributionService

            return ctx.service(ContributionService).quote_payment(amount, currency, on, pledge)

        def done(result):
            q, left_over = result
            if generation != self._quote_generation:
                return
            self.quote.setText(_("{rate} {currency} per USD (in force since {since}) → {usd}").format(
                rate=isolate(format_rate(q.rate)), currency=isolate(q.amount.currency),
                since=isolate(format_date(q.rate_date)), usd=isolate(format_amount(q.usd.amount, "USD"))))
            if left_over is not None and left_over.is_positive():
                self.show_field_error("amount", _(
                    "the payment is larger than what remains on the chosen pledge ({left} left)").format(
                        left=isolate(format_amount(pledge.outstanding.amount, pledge.currency))))

        def failed(exc):
            if generation == self._quote_generation:
                self.quote.clear()
                if isinstance(exc, ValidationError):
                    self.show_field_error(exc.field, exc.message)

        start_job(work, on_done=done, on_error=failed)

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        from trustfund_app.core.money import check_currency

        self.clear_errors()
        donor_id, amount, refused = self.selected_donor_id(), None, False
        if donor_id is None:
            self.show_field_error("donor", _("choose a donor from the list (name or alias)"))
            refused = True
        for field, check in (("amount", lambda: positive_amount(self.amount.text())),
                             ("currency", lambda: check_currency(self.currency.currentText()))):
            try:
                value = check()
            except ValidationError as exc:
                self.show_field_error(exc.field or field, exc.message)
                refused = True
            else:
                amount = value if field == "amount" else amount
        if refused:
            return
        kind = self.kind.currentData()
        values = dict(donor_id=donor_id, on=self.date.date().toPython(), amount=amount,
                      currency=self.currency.currentText().strip(), reference=self.reference.text(),
                      earmark=self.earmark.text(), note=self.note.toPlainText())
        pledge_id = self.pledge.currentData() if kind == ContributionKind.PAYMENT else None
        ctx = self.ctx

        def work(_job):
            from trustfund_app.core.services.contributions import ContributionService

            service = ctx.service(ContributionService)
            if kind == ContributionKind.PLEDGE:
                new_id = service.record_pledge(**values)
            else:
                new_id = service.record_payment(**values, pledge_ids=[pledge_id] if pledge_id else None)
            return new_id, service.receipt_number(new_id)

        def failed(exc):
            self.save_button.setEnabled(True)
            field = exc.field if isinstance(exc, ValidationError) else None
            if field == "pledge" or (field == "amount" and pledge_id):
                field = "pledge" if field == "pledge" else "amount"
            self.show_field_error(field, str(exc))

        def done(result):
            self.saved_id, self.saved_receipt = result
            self.accept()

        self.save_button.setEnabled(False)
        start_job(work, on_done=done, on_error=failed)


def _with_error(widget, error: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box
