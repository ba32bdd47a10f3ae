"""Add one exchange rate, or correct an existing one. A correction only changes the rate for
transactions recorded from now on: the USD equivalents already recorded keep the rate they used,
and the dialog says how many transactions that is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, babel_locale, format_date, format_number, format_rate, is_rtl, ngettext
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
            value = Decimal(plain_number(cleaned))
        except InvalidOperation:
            raise ValidationError(_('"{value}" is not a valid exchange rate').format(value=text), field) from None
    try:
        return check_rate_value(value)
    except ValidationError as exc:
        raise ValidationError(str(exc), field) from None


LARGE_CHANGE = Decimal(25)  # percent from the previous rate: worth a second look (often a typing error)


def change_text(change: Decimal | None) -> str:
    """"+5.38%" in the UI language's digits, kept left-to-right in right-to-left layouts."""
    from babel.numbers import format_percent

    if change is None:
        return ""
    text = format_percent(change / 100, format="+#,##0.00%;-#,##0.00%", locale=babel_locale())
    return f"\u200e{text}\u200e" if is_rtl() else text


def percent_change(new: Decimal, previous: Decimal | None) -> Decimal | None:
    return None if not previous else (new - previous) / previous * 100


def plain_number(text: str) -> str:
    """A number written another locale's way, as Decimal text: spaces go; with both separators
    the last one is the decimal point; a lone comma followed by other than three digits is a
    decimal comma ("0,3071"), followed by three it groups thousands ("16,234")."""
    cleaned = "".join(ch for ch in text if not ch.isspace())
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        return cleaned.replace(group_mark, "").replace(decimal_mark, ".")
    if cleaned.count(",") == 1 and len(cleaned.split(",")[1]) != 3:
        return cleaned.replace(",", ".")
    return cleaned.replace(",", "")


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
        self.accept_jumps = False  # set by the rate-jump confirmation for the next save
        self.existing = existing
        self.currency = currency_combo(currencies, "rate_dialog_currency")
        self.effective = date_edit(date.today().replace(day=1), "rate_dialog_date")
        self.rate = QLineEdit()
        self.rate.setObjectName("rate_dialog_rate")
        self.rate.setPlaceholderText(_("units of the currency per 1 USD"))
        self.add_field("currency", _("Currency"), self.currency)
        self.add_field("effective_date", _("Effective from"), self.effective)
        self.add_field("rate", _("Rate"), self.rate, "amount")
        self.previous = QLabel()
        self.previous.setObjectName("rate_dialog_previous")
        self.previous.setWordWrap(True)
        self.previous.setMinimumHeight(self.previous.fontMetrics().lineSpacing() * 3 + 8)  # room for the warning
        self.form.addRow("", self.previous)
        self.previous_rate = None  # (currency, date asked for, RateFound or None)
        self.currency.currentTextChanged.connect(lambda _t: self._look_up_previous())
        self.effective.dateChanged.connect(lambda _d: self._look_up_previous())
        self.rate.textChanged.connect(lambda _t: self._show_previous())
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
        self.setMinimumWidth(480)
        self._look_up_previous()

    def _look_up_previous(self) -> None:
        """The rate in force the day before (what this one replaces), looked up off the GUI thread."""
        from datetime import timedelta

        from trustfund_app.core.errors import MissingRateError, ValidationError as Invalid
        from trustfund_app.gui.jobs import start_job

        try:
            code = check_currency(self.currency.currentText())
        except Invalid:
            self.previous_rate = None
            self._show_previous()
            return
        day = self.effective.date().toPython()
        service = self.ctx.service(RateService)

        def work(_job):
            try:
                return code, day, service.rate_for(code, day - timedelta(days=1))
            except MissingRateError:
                return code, day, None

        self._lookup = start_job(work, on_done=self._found_previous)

    def _found_previous(self, result) -> None:
        code, day, _found = result
        try:
            current = check_currency(self.currency.currentText())
        except ValidationError:
            return
        if (code, day) == (current, self.effective.date().toPython()):
            self.previous_rate = result
            self._show_previous()

    def _show_previous(self) -> None:
        found = self.previous_rate[2] if self.previous_rate else None
        if found is None or found.currency == "USD":
            self.previous.setText(_("No earlier rate for this currency.") if self.previous_rate else "")
            self.previous.setStyleSheet("")
            return
        text = _("Previous rate: {rate} from {date}").format(rate=format_rate(found.rate),
                                                             date=format_date(found.effective_date))
        try:
            change = percent_change(parse_rate(self.rate.text()), found.rate)
        except ValidationError:
            change = None
        large = change is not None and abs(change) >= LARGE_CHANGE
        if change is not None:
            text += " · " + _("change {change}").format(change=change_text(change))
        if large:
            text += " · " + _("a large change: please check the figure")
        self.previous.setText(text)
        self.previous.setStyleSheet(WARNING_STYLE if large else "")

    def save(self):
        code = check_currency(self.currency.currentText())
        on = self.effective.date().toPython()
        value = parse_rate(self.rate.text())
        service = self.ctx.service(RateService)
        accept, self.accept_jumps = self.accept_jumps, False  # a confirmation covers one save
        return lambda: service.set_rate(code, on, value, accept_jump=accept)

    def show_error(self, exc: Exception) -> None:
        from trustfund_app.gui.rate_jump_dialog import ask_to_accept_jumps

        if not ask_to_accept_jumps(self, exc):
            super().show_error(exc)
