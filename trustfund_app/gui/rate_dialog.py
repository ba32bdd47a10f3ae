"""Add one exchange rate, or correct an existing one. A correction only changes the rate for
transactions recorded from now on: the USD equivalents already recorded keep the rate they used,
and the dialog says how many transactions that is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, babel_locale, format_number, format_rate, ngettext
from trustfund_app.core.money import check_currency
from trustfund_app.core.services.rates import RateService, check_rate_value
from trustfund_app.gui.grant_widgets import WARNING_STYLE, FormDialog, date_edit, set_date


def parse_rate(text: str, field: str = "rate") -> Decimal:
    """A rate typed the way the UI language writes numbers ("0.9215", "0,9215", "1,234.5")."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError(_("enter the rate (units of the currency per 1 USD)"), field)
    try:
        value = parse_decimal(cleaned, locale=babel_locale(), strict=True)
    except NumberFormatError:
        try:
            value = Decimal(cleaned.replace(",", "").replace("\u00a0", "").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError(_('"{value}" is not a valid exchange rate').format(value=text), field) from None
    try:
        return check_rate_value(value)
    except ValidationError as exc:
        raise ValidationError(str(exc), field) from None


def currency_combo(currencies: list[str], name: str) -> QComboBox:
    """Known currencies to pick from; any other ISO 4217 code may be typed."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.addItems(currencies)
    combo.setCurrentIndex(-1)
    return combo


class RateDialog(FormDialog):
    """``existing``: a RateRow to correct (currency and date fixed); None to add a rate."""

    def __init__(self, ctx, currencies: list[str], existing=None, parent=None):
        title = _("Correct an exchange rate") if existing else _("Add an exchange rate")
        super().__init__(ctx, title, "rate_dialog", parent)
        self.existing = existing
        self.currency = currency_combo(currencies, "rate_dialog_currency")
        self.effective = date_edit(date.today().replace(day=1), "rate_dialog_date")
        self.rate = QLineEdit()
        self.rate.setObjectName("rate_dialog_rate")
        self.rate.setPlaceholderText(_("units of the currency per 1 USD"))
        self.add_field("currency", _("Currency"), self.currency)
        self.add_field("effective_date", _("Effective from"), self.effective)
        self.add_field("rate", _("Rate"), self.rate, "amount")
        if existing is not None:
            self.currency.setEditText(existing.currency)
            self.currency.setEnabled(False)
            set_date(self.effective, existing.effective_date)
            self.effective.setEnabled(False)
            self.rate.setText(format_rate(existing.rate))
            notice = QLabel(ngettext(
                "{count} transaction was recorded with this rate; its USD equivalent will not change.",
                "{count} transactions were recorded with this rate; their USD equivalents will not change.",
                existing.used_by).format(count=format_number(existing.used_by)))
            notice.setObjectName("rate_dialog_notice")
            notice.setWordWrap(True)
            notice.setStyleSheet(WARNING_STYLE)
            self.body.insertWidget(1, notice)
        self.setMinimumWidth(420)

    def save(self):
        code = check_currency(self.currency.currentText())
        on = self.effective.date().toPython()
        value = parse_rate(self.rate.text())
        service = self.ctx.service(RateService)
        return lambda: service.set_rate(code, on, value)
