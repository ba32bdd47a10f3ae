"""Exchange rates import, with RateService semantics: a new (currency, date) is added, a different
rate for an existing one corrects it (recorded in the audit), the same rate is unchanged. USD is
the base currency and never has a rate."""

from __future__ import annotations

import bisect

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V
from trustfund_app.core.excel.commit import new_row
from trustfund_app.core.excel.kinds.base import INSERTED, UNCHANGED, UPDATED, KindImporter
from trustfund_app.core.i18n import N_, _
from trustfund_app.core.models import ExchangeRate
from trustfund_app.core.money import USD
from trustfund_app.core.services.rates import RateJump, check_rate_value, is_jump


class RatesImporter(KindImporter):
    kind = "rates"
    permissions = ("rates",)
    models = (ExchangeRate,)
    reads = ("exchange_rate",)

    def __init__(self, session, writer, batch):
        super().__init__(session, writer, batch)
        self.existing = {(r.currency, r.effective_date): (r.id, r.rate) for r in session.execute(
            select(ExchangeRate.id, ExchangeRate.currency, ExchangeRate.effective_date, ExchangeRate.rate))}
        self.seen: dict[tuple, int] = {}
        # every rate per currency, sorted by date: the file's rows join them as they are read, so a
        # jump is judged against the rate just before, from the database or from the file
        self.by_currency: dict[str, list[tuple]] = {}
        for (currency, on), (_id, rate) in self.existing.items():
            self.by_currency.setdefault(currency, []).append((on, rate))
        for dated in self.by_currency.values():
            dated.sort()

    def check(self, number: int, values: dict, prepared=None) -> str:
        currency = V.currency_value(values.get("currency"))
        raw_currency = values.get("currency")
        if isinstance(raw_currency, str) and raw_currency.strip().upper() != currency:
            self.note_normalised(number, N_("Currency"), raw_currency, currency)
        if currency == USD:
            raise ValidationError(_("USD is the base currency; its rate is always 1"), "currency")
        on = V.date_value(values.get("effective_date"), "effective_date")
        raw = V.decimal_value(values.get("rate"), "rate")
        rate = check_rate_value(raw)
        key = (currency, on)
        if key in self.seen:
            raise ValidationError(_("{currency} already has a rate for {date} on row {row}").format(
                currency=currency, date=on.isoformat(), row=self.seen[key]), "effective_date")
        self.seen[key] = number
        self._check_jump(currency, on, rate)
        if key in self.existing:
            rate_id, old = self.existing[key]
            if old == rate:
                return UNCHANGED
            self.writer.update(ExchangeRate, rate_id, {"rate": old}, {"rate": rate})
            return UPDATED
        self.writer.insert(ExchangeRate, new_row(currency=currency, effective_date=on, rate=rate))
        return INSERTED

    def _check_jump(self, currency: str, on, rate) -> None:
        dated = self.by_currency.setdefault(currency, [])
        at = bisect.bisect_left(dated, (on,))
        replaces = at < len(dated) and dated[at][0] == on
        if at > 0:
            previous = dated[at - 1]
        else:  # put before every other rate: judged against the first one after it
            after = at + 1 if replaces else at
            previous = dated[after] if after < len(dated) else None
        accept = bool(self.options and self.options.accept_rate_jumps)
        if previous is not None and not accept and is_jump(previous[1], rate):
            raise ValidationError(_("{jump}; check it, or import with --accept-rate-jumps").format(
                jump=RateJump(currency, on, rate, previous[1], previous[0]).text()), "rate")
        if replaces:
            dated[at] = (on, rate)
        else:
            dated.insert(at, (on, rate))
