"""Domain errors. Each carries data (field, values) so the GUI can show it beside the field and the
command line can print it, both in the user's language. The bottom of the core: imports nothing of
it (``i18n`` raises these; an error with a translated message of its own, like
``rate_in_force.MissingRateError``, lives with the rule that raises it)."""

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


class PermissionDenied(TrustFundError):
    pass


class AuthenticationError(TrustFundError):
    pass
