"""Contributions import: pledges and payments with the UNORE rate of their date, receipt numbers
allocated in bulk (one counter read and one update per year), and payments allocated to pledges
— the one named by ``pledge_reference`` (several separated by ";"), else the donor's open pledges
oldest first — with the same arithmetic as ContributionService.record_payment."""

from __future__ import annotations

import bisect
import difflib
import uuid
from datetime import date

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V
from trustfund_app.core.excel.commit import new_row
from trustfund_app.core.excel.kinds.base import (
    INSERTED,
    UNCHANGED,
    KindImporter,
    parse_cells,
)
from trustfund_app.core.excel.kinds.contribution_cells import (
    ContributionCellParser,
    ContributionCells,
)
from trustfund_app.core.i18n import N_, _
from trustfund_app.core.models import (
    KIND_LABELS,
    Allocation,
    Contribution,
    ContributionKind,
    Donor,
    DonorAlias,
    ReceiptCounter,
)
from trustfund_app.core.money import Money, check_plausible
from trustfund_app.core.names import match_key
from trustfund_app.core.rate_in_force import MissingRateError, RateTable
from trustfund_app.core.services.contributions import (
    OpenPledge,
    open_pledges,
    plan_allocation,
    receipt_number_text,
)
from trustfund_app.core.services.settings import read_setting


class DonorNames:
    """Donor ids by name and alias (case/accent-insensitive), with suggestions for near misses."""

    def __init__(self, session):
        self.ids: dict[str, uuid.UUID] = {}
        self.names: dict[str, str] = {}
        for key, donor_id, alias in session.execute(select(DonorAlias.match_key, DonorAlias.donor_id, DonorAlias.alias)):
            self.ids[key], self.names[key] = donor_id, alias
        for donor_id, name in session.execute(select(Donor.id, Donor.name).where(Donor.merged_into_id.is_(None))):
            key = match_key(name)
            self.ids.setdefault(key, donor_id)
            self.names.setdefault(key, name)
        self._misses: dict[str, str] = {}
        self._raw: dict[str, uuid.UUID] = {}  # the spellings met so far (names repeat on every row)

    def find(self, raw, field: str = "donor") -> uuid.UUID:
        if isinstance(raw, str) and raw in self._raw:
            return self._raw[raw]
        name = str(V.required(raw, field)).strip()
        key = match_key(name)
        if not key:  # "-", "?", "—" or invisible characters name no donor, whatever the database holds
            raise ValidationError(_('"{name}" is not a donor name').format(name=name[:40]), field)
        if key in self.ids and isinstance(raw, str):
            self._raw[raw] = self.ids[key]
        if key in self.ids:
            return self.ids[key]
        if key not in self._misses:
            close = difflib.get_close_matches(key, list(self.names), n=3, cutoff=0.75)
            hint = ", ".join(f'"{self.names[k]}"' for k in close)
            self._misses[key] = (_('unknown donor "{name}"; did you mean {names}?').format(name=name, names=hint)
                                 if hint else _('unknown donor "{name}"; add the donor or an alias first').format(name=name))
        raise ValidationError(self._misses[key], field)


def _pledge_date(pledge: OpenPledge) -> date:
    return pledge.date


class ContributionsImporter(KindImporter):
    kind = "contributions"
    permissions = ("contributions",)
    models = (Contribution, Allocation, ReceiptCounter)
    grouped = (Contribution, Allocation)  # files of 100,000 rows
    # a contribution, allocation or receipt counter written meanwhile is judged row by row (stale)
    reads = ("donor", "donor_alias", "exchange_rate")

    def __init__(self, session, writer, batch):
        super().__init__(session, writer, batch)
        self.rates = RateTable(session)
        self.donors = DonorNames(session)
        self.existing_refs: dict[str, tuple] = {}
        self.existing_keys: set[tuple] = set()
        self.receipts: set[str] = set()
        for row in session.execute(select(Contribution.reference, Contribution.donor_id, Contribution.date,
                                          Contribution.kind, Contribution.currency, Contribution.amount_minor,
                                          Contribution.receipt_number).where(Contribution.reverses_id.is_(None))):
            key = (row.donor_id, row.date, row.kind, row.currency, row.amount_minor)
            self.existing_keys.add(key)
            if row.reference:
                self.existing_refs[row.reference] = key
            if row.receipt_number:
                self.receipts.add(row.receipt_number)
        self.seen_refs: dict[str, int] = {}
        self.seen_keys: dict[tuple, int] = {}
        self.pledges: dict[uuid.UUID, list[OpenPledge]] = {}  # donor -> open pledges in allocation order
        self.file_pledges: dict[uuid.UUID, list[OpenPledge]] = {}  # created by this file, per donor
        self.counters: dict[int, list] = {}  # year -> [counter id or None, last in db, last now]
        self.prefix = read_setting(session, "receipt_prefix")
        self.auto_receipts: list[dict] = []  # rows whose receipt number this import chose (deferred writer)
        # in file order: a row numbered by the import, or (year, number) of our series the file names
        self.numbering: list = []
        self.considered: set[str] = set()  # pledges the allocations were planned over
        self.cells = ContributionCellParser()

    # -- one row ------------------------------------------------------------------------------
    def check(self, number: int, values: dict, prepared: ContributionCells | None = None) -> str:
        try:  # the fast path; on any problem the slow path below names every bad cell of the row
            if prepared is None:
                prepared = self.cells.parse(values)
            donor_id = self.donors.find(values.get("donor"))
        except ValidationError:
            self._all_problems(values)
            raise
        on, kind, currency, reference, pledge_refs, earmark, note, receipt, exact = prepared
        amount = Money(exact, currency)
        raw_currency = values.get("currency")
        if isinstance(raw_currency, str) and raw_currency.strip().upper() != currency:
            self.note_normalised(number, N_("Currency"), raw_currency, currency)
        raw_kind = values.get("kind")
        if isinstance(raw_kind, str) and raw_kind.strip().casefold() != kind:
            self.note_normalised(number, N_("Kind"), raw_kind, _(KIND_LABELS[ContributionKind(kind)]))
        if pledge_refs and kind != "payment":
            raise ValidationError(_("only a payment can name the pledge it pays"), "pledge_reference")
        key = (donor_id, on, kind, currency, amount.minor)
        if reference in self.seen_refs:
            raise ValidationError(_('the reference "{ref}" is also used on row {row}').format(
                ref=reference, row=self.seen_refs[reference]), "reference")
        if key in self.seen_keys:
            raise ValidationError(_("same donor, date, kind, amount and currency as row {row}").format(
                row=self.seen_keys[key]), "amount")
        if reference and reference in self.existing_refs:
            if self.existing_refs[reference] != key:
                raise ValidationError(_('the reference "{ref}" is already used by a different contribution')
                                      .format(ref=reference), "reference")
            self._seen(number, reference, key)
            return UNCHANGED
        if key in self.existing_keys:
            self._seen(number, reference, key)
            return UNCHANGED
        found = self.rates.find(currency, on)
        rate, rate_date = found.rate, found.effective_date
        usd = amount.to_usd(rate)
        check_plausible(amount, usd)
        allocations = self._allocation(donor_id, on, amount, rate, pledge_refs) if kind == "payment" else []
        if receipt and receipt in self.receipts:
            raise ValidationError(_('the receipt number "{number}" is already used').format(number=receipt),
                                  "receipt_number")
        # the row is good: stage it
        self._seen(number, reference, key)
        row = new_row(donor_id=donor_id, kind=kind, date=on, currency=currency, amount_minor=amount.minor,
                      rate=rate, rate_date=rate_date, usd_cents=usd.minor, reference=reference,
                      receipt_number=receipt or self._next_receipt(on.year), earmark=earmark, note=note,
                      reverses_id=None, reversed=False, import_batch=self.batch)
        self.receipts.add(row["receipt_number"])
        if receipt:
            self._note_receipt(receipt)
        elif self.writer.deferred:  # kept for ``rebase`` (a serial import of 1M rows keeps nothing)
            self.auto_receipts.append(row)
            self.numbering.append(row)
        self.writer.insert(Contribution, row)
        if kind == "pledge":
            pledge = OpenPledge(str(row["id"]), on, reference, currency, amount, Money.zero(currency))
            self.file_pledges.setdefault(donor_id, []).append(pledge)
            if donor_id in self.pledges:
                self._insert_open(donor_id, pledge)
        for pledge, take in allocations:
            self.writer.insert(Allocation, new_row(payment_id=row["id"], pledge_id=uuid.UUID(pledge.id),
                                                   amount_minor=take.minor))
            self._paid(donor_id, pledge, take)
        return INSERTED

    def _all_problems(self, values: dict) -> None:
        get = values.get
        cells = parse_cells({
            "date": lambda: V.date_value(get("date"), "date"),
            "donor": lambda: self.donors.find(get("donor")),
            "kind": lambda: self.cells.kind(get("kind")),
            "currency": lambda: self.cells.currency(get("currency")),
            "reference": lambda: V.text(get("reference"), "reference", 100),
            "pledge_reference": lambda: V.text(get("pledge_reference"), "pledge_reference", 400),
            "earmark": lambda: V.text(get("earmark"), "earmark", 200),
            "note": lambda: V.text(get("note"), "note", 2000),
            "receipt_number": lambda: V.text(get("receipt_number"), "receipt_number", 20),
            "amount": lambda: self.cells.amount(get("amount"), get("currency")),
        })
        del cells

    def _seen(self, number, reference, key) -> None:
        if reference:
            self.seen_refs[reference] = number
        self.seen_keys[key] = number

    # -- allocation ---------------------------------------------------------------------------
    def _open(self, donor_id) -> list[OpenPledge]:
        if donor_id not in self.pledges:
            known = open_pledges(self.session, donor_id)
            ids = {p.id for p in known}
            self.considered.update(str(i) for i in ids)
            self.pledges[donor_id] = known
            for pledge in self.file_pledges.get(donor_id, []):
                if pledge.id not in ids and pledge.outstanding.is_positive():
                    self._insert_open(donor_id, pledge)
        return self.pledges[donor_id]

    def _insert_open(self, donor_id, pledge: OpenPledge) -> None:
        # open_pledges' order: by date, then creation (pledges of this file come after older ones)
        pledges = self.pledges[donor_id]
        pledges.insert(bisect.bisect_right(pledges, pledge.date, key=_pledge_date), pledge)

    def _allocation(self, donor_id, on, amount: Money, rate, pledge_refs: str | None):
        open_list = self._open(donor_id)
        if pledge_refs:
            chosen = []
            for ref in (r.strip() for r in pledge_refs.replace("；", ";").split(";")):
                found = next((p for p in open_list if p.reference == ref), None)
                if found is None:
                    raise ValidationError(_('"{ref}" is not an open pledge of this donor').format(ref=ref),
                                          "pledge_reference")
                chosen.append(found)
        else:
            chosen = open_list  # only read (and left as it is) by plan_allocation
        try:
            plan, remaining = plan_allocation(amount, rate, chosen, lambda cur: self.rates.find(cur, on).rate)
        except MissingRateError as exc:
            raise ValidationError(exc.message, "pledge_reference")
        if pledge_refs and remaining.is_positive():
            left = sum((p.outstanding.amount for p in chosen), 0)
            raise ValidationError(_("the payment is larger than what remains on the chosen pledge ({left} left)")
                                  .format(left=str(left)), "amount")
        return plan

    def _paid(self, donor_id, pledge: OpenPledge, take: Money) -> None:
        pledges = self.pledges[donor_id]
        i = next(i for i, p in enumerate(pledges) if p.id == pledge.id)
        updated = OpenPledge(pledge.id, pledge.date, pledge.reference, pledge.currency, pledge.pledged,
                             pledge.paid + take)
        if updated.outstanding.is_positive():
            pledges[i] = updated
        else:
            del pledges[i]

    # -- receipt numbers ----------------------------------------------------------------------
    def _counter(self, year: int) -> list:
        if year not in self.counters:
            row = self.session.execute(select(ReceiptCounter.id, ReceiptCounter.last)
                                       .where(ReceiptCounter.year == year)).first()
            self.counters[year] = [row.id, row.last, row.last] if row else [None, 0, 0]
        return self.counters[year]

    def _next_receipt(self, year: int) -> str:
        counter = self._counter(year)
        while True:
            counter[2] += 1
            text = receipt_number_text(self.prefix, year, counter[2])
            if text not in self.receipts:
                return text

    def _note_receipt(self, receipt: str) -> None:
        """An imported receipt number of our own series moves the counter past it."""
        parts = receipt.rsplit("-", 2)
        if len(parts) == 3 and parts[0] == self.prefix and parts[1].isdigit() and parts[2].isdigit():
            year, number = int(parts[1]), int(parts[2])
            counter = self._counter(year)
            counter[2] = max(counter[2], number)
            if self.writer.deferred:
                self.numbering.append((year, number))

    def finish(self) -> None:
        from trustfund_app.core.services.contributions import check_totals_fit

        self.writer.flush()
        if self.writer.enabled:
            check_totals_fit(self.session)
        self._write_counters()
        self.writer.flush()

    def _write_counters(self) -> None:
        for year, (counter_id, before, after) in sorted(self.counters.items()):
            if after == before:
                continue
            if counter_id is None:
                self.writer.insert(ReceiptCounter, new_row(year=year, last=after))
            else:
                self.writer.update(ReceiptCounter, counter_id, {"last": before}, {"last": after})

    # -- checked before the chain lock (excel/prepared.py) ---------------------------------------
    def stale(self, changes: list) -> bool:
        """Contributions recorded meanwhile make the check stale only when they collide with a
        row of the file (same reference or same donor, date, kind, amount and currency, a receipt
        number the file names) or change the open pledges a payment of the file was allocated to;
        a corrected or reversed contribution always does. Receipt numbers taken meanwhile do not
        (``rebase``)."""
        if super().stale(changes):
            return True
        donors = {str(d) for d in self.pledges}
        keys = {(str(d), on.isoformat(), kind, cur, minor) for d, on, kind, cur, minor in self.seen_keys}
        named = {e[1]["receipt_number"] for e in self.writer.log if len(e) == 2 and e[0] is Contribution} \
            - {r["receipt_number"] for r in self.auto_receipts}
        for change in changes:
            after = change.after or {}
            if change.entity == "contribution":
                if change.action != "insert" or after.get("donor_id") in donors \
                        or after.get("reference") in self.seen_refs or after.get("receipt_number") in named:
                    return True
                key = (after.get("donor_id"), after.get("date"), str(after.get("kind")), after.get("currency"),
                       after.get("amount_minor"))
                if after.get("reverses_id") is None and key in keys:
                    return True
            elif change.entity == "allocation":
                if change.action != "insert" or str(after.get("pledge_id")) in self.considered:
                    return True
        return False

    def rebase(self, session, changes: list) -> None:
        """Receipt numbers taken since the file was checked: this file's own come after them,
        numbered again in file order exactly as ``check`` numbered them."""
        taken = {c.after.get("receipt_number") for c in changes if c.entity == "contribution" and c.after}
        mine = {r["receipt_number"] for r in self.auto_receipts}
        now = {}
        for year in self.counters:
            row = session.execute(select(ReceiptCounter.id, ReceiptCounter.last)
                                  .where(ReceiptCounter.year == year)).first()
            now[year] = [row.id, row.last] if row else [None, 0]
        if all(now[y] == c[:2] for y, c in self.counters.items()) and not taken & mine:
            return
        for year, (counter_id, last) in now.items():
            self.counters[year][:] = [counter_id, last, last]
        self.receipts = (self.receipts - mine) | (taken - {None})
        for entry in self.numbering:
            if isinstance(entry, tuple):
                counter = self.counters[entry[0]]
                counter[2] = max(counter[2], entry[1])
            else:
                entry["receipt_number"] = self._next_receipt(entry["date"].year)
                self.receipts.add(entry["receipt_number"])
        self.writer.log[:] = [entry for entry in self.writer.log if entry[0] is not ReceiptCounter]
        self._write_counters()
