"""Domain errors. Each carries data (field, values) so the GUI can show it beside the field and the
command line can print it, both in the user's language."""

from __future__ import annotations


class TrustFundError(Exception):
    """Base class of every error the core raises on purpose."""


class ValidationError(TrustFundError):
    """Input rejected. ``field`` names the form field or column it belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(TrustFundError):
    pass


class MissingRateError(ValidationError):
    """No UNORE rate on or before the date for that currency."""

    def __init__(self, currency: str, on_date):
        from trustfund_app.core.i18n import _

        super().__init__(
            _("no exchange rate for {currency} on or before {date}").format(
                currency=currency, date=on_date.isoformat()
            ),
            field="currency",
        )
        self.currency = currency
        self.on_date = on_date


class PermissionDenied(TrustFundError):
    pass


class AuthenticationError(TrustFundError):
    pass
