"""The cells of a contributions row that need no database — date, kind, currency, amount and the
texts — parsed into domain values. Pure and light (no SQLAlchemy), so the process that reads the
sheet can run it too: while the importer checks one row against the database, the reading
process is already parsing the next rows' cells on the other core."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V

# (date, kind, currency, reference, pledge_reference, earmark, note, receipt_number, amount): a plain
# tuple with the amount as a Decimal in the currency's minor unit, because these travel between
# processes and a named tuple or a Money costs several times as much to pickle and unpickle
ContributionCells = tuple[date, str, str, str | None, str | None, str | None, str | None, str | None, Decimal]


class ContributionCellParser:
    def __init__(self):
        self._kinds: dict[str, str] = {}  # the spellings met so far: they repeat on every row
        self._currencies: dict[str, str] = {}

    def parse(self, values: dict) -> ContributionCells:
        """Raises ValidationError at the first bad cell (the importer then names them all)."""
        get = values.get
        on = V.date_value(get("date"), "date")
        kind = self.kind(get("kind"))
        currency = self.currency(get("currency"))
        return (on, kind, currency,
                V.text(get("reference"), "reference", 100),
                V.text(get("pledge_reference"), "pledge_reference", 400),
                V.text(get("earmark"), "earmark", 200),
                V.text(get("note"), "note", 2000),
                V.text(get("receipt_number"), "receipt_number", 20),
                V.money_value(get("amount"), currency).amount)

    def prepare(self, values: dict) -> ContributionCells | None:
        """``parse``, or None when a cell is wrong (the importer reports it in the user's words)."""
        try:
            return self.parse(values)
        except ValidationError:
            return None

    def kind(self, raw) -> str:
        found = self._kinds.get(raw) if isinstance(raw, str) else None
        if found is None:
            found = V.enum_value(raw, "kind", "kind")
            if isinstance(raw, str):
                self._kinds[raw] = found
        return found

    def currency(self, raw) -> str:
        found = self._currencies.get(raw) if isinstance(raw, str) else None
        if found is None:
            found = V.currency_value(raw)
            if isinstance(raw, str):
                self._currencies[raw] = found
        return found

    def amount(self, raw, currency_raw):
        try:
            currency = self.currency(currency_raw)
        except ValidationError:
            return V.decimal_value(raw, "amount")  # the currency is reported on its own
        return V.money_value(raw, currency)


def cell_preparer(kind: str):
    """A fresh ``prepare(values) -> parsed cells | None`` for ``kind``, or None when the kind's
    rows are checked whole by its importer (donors, grants and rates files are small)."""
    return ContributionCellParser().prepare if kind == "contributions" else None
