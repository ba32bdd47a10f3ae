"""Exports to .xlsx with real types: dates are dates, amounts are exact numbers (Decimals written
as their decimal text) formatted with the currency's decimals, plus USD columns. The headers are
the import headers, so an exported file imports back unchanged; export → import into an empty
database reproduces the data (reversal entries excepted: they are made in the app, not imported).
``write_table`` exports the current view of any list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from trustfund_app.core.excel.headers import check_kind, header_label
from trustfund_app.core.i18n import _, check_language
from trustfund_app.core.money import Money, minor_digits


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: int = 16
    number_format: str | None = None  # None: from the value (dates, amounts per row)


def _amount_format(currency: str) -> str:
    digits = minor_digits(currency)
    return "#,##0" + ("." + "0" * digits if digits else "")


# openpyxl writes any string starting with "=" as a formula, and spreadsheet programs run text
# starting with these as one when it is opened or edited (CSV/formula injection): a donor named
# '=HYPERLINK("http://…")' must come out as that text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws, value: str):
    """A cell that holds ``value`` as text whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True  # shown as typed, and stays text when the user edits the cell
    return cell


def write_table(path, title: str, columns: list[ExportColumn], rows, currency_of=None) -> Path:
    """Rows of plain values to one sheet. ``currency_of(row) -> code`` formats the Decimal cells of
    a row with that currency's decimals."""
    import openpyxl
    from openpyxl.styles import Font

    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet((title or "Sheet1")[:31])
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = column.width
    from openpyxl.cell import WriteOnlyCell

    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        currency = currency_of(row) if currency_of else None
        out = []
        for column, value in zip(columns, row):
            if isinstance(value, Money):  # a list view's amounts: the number, in its currency's format
                cell = WriteOnlyCell(ws, value=value.amount)
                cell.number_format = _amount_format(value.currency)
                out.append(cell)
                continue
            if isinstance(value, Decimal) or isinstance(value, date) or column.number_format:
                cell = WriteOnlyCell(ws, value=value)
                if column.number_format:
                    cell.number_format = column.number_format
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                else:
                    cell.number_format = _amount_format(currency) if currency else "#,##0.######"
                out.append(cell)
            elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                out.append(text_cell(ws, value))
            else:
                out.append(value)
        ws.append(out)
    # written whole or not at all: a crash or a full disk never leaves half a workbook
    partial = path.with_name(path.name + ".part")
    try:
        wb.save(partial)
        partial.replace(path)
    except OSError as exc:
        _discard(wb)
        raise OSError(exc.errno, exc.strerror, str(path)) from None  # the file the user named
    except BaseException:
        _discard(wb)
        raise
    finally:
        partial.unlink(missing_ok=True)
    return path


def _discard(wb) -> None:
    """Close a failed write-only workbook's sheet streams now and quietly: left to the garbage
    collector, openpyxl's half-run generators print tracebacks after the one-line message."""
    import gc
    import sys
    import types

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        for ws in list(getattr(wb, "_sheets", ())):
            for owner in (ws, getattr(ws, "_writer", None)):
                for value in list(vars(owner).values()) if owner is not None else ():
                    if isinstance(value, types.GeneratorType):
                        try:
                            value.close()
                        except Exception:
                            pass
        gc.collect()
    finally:
        sys.unraisablehook = hook


def export_kind(db, kind: str, path, lang: str = "en") -> int:
    """Export every donor, contribution, grant or rate; returns the number of rows."""
    check_kind(kind)
    lang = check_language(lang)
    with db.reading() as s:
        fields, extra, rows, currency_of = {"donors": _donors, "contributions": _contributions, "grants": _grants,
                                            "rates": _rates}[kind](s)
    columns = [ExportColumn(header_label(f, lang), 18) for f in fields] + extra
    write_table(path, kind, columns, rows, currency_of)
    return len(rows)


def _donors(s):
    from trustfund_app.core.models import Donor, DonorAlias

    aliases: dict = {}
    for donor_id, alias in s.execute(select(DonorAlias.donor_id, DonorAlias.alias).order_by(DonorAlias.created_at)):
        aliases.setdefault(donor_id, []).append(alias)
    fields = ("name", "type", "country", "language", "aliases", "email", "address", "contact_person", "phone", "note")
    rows = [(d.name, d.type, d.country, d.language, ";".join(aliases.get(d.id, [])) or None, d.email, d.address,
             d.contact_person, d.phone, d.notes)
            for d in s.scalars(select(Donor).where(Donor.merged_into_id.is_(None)).order_by(Donor.created_at))]
    return fields, [], rows, None


def _contributions(s):
    from trustfund_app.core.models import Allocation, Contribution, Donor

    names = dict(s.execute(select(Donor.id, Donor.name)).all())
    refs = dict(s.execute(select(Contribution.id, Contribution.reference)
                          .where(Contribution.kind == "pledge")).all())
    paid: dict = {}
    for payment_id, pledge_id in s.execute(select(Allocation.payment_id, Allocation.pledge_id)
                                           .order_by(Allocation.created_at)):
        paid.setdefault(payment_id, []).append(refs.get(pledge_id))
    fields = ("date", "donor", "kind", "currency", "amount", "reference", "pledge_reference", "earmark", "note",
              "receipt_number")
    extra = [ExportColumn(_("Rate used"), 12, "0.######"), ExportColumn(_("Rate date"), 12),
             ExportColumn(_("USD equivalent"), 16, "#,##0.00")]
    rows = []
    query = (select(Contribution).where(Contribution.reverses_id.is_(None), Contribution.reversed.is_(False))
             .order_by(Contribution.created_at))
    for c in s.scalars(query):
        pledges = paid.get(c.id, [])
        pledge_ref = ";".join(pledges) if pledges and all(pledges) else None
        rows.append((c.date, names.get(c.donor_id), c.kind, c.currency,
                     Money.from_minor(c.amount_minor, c.currency).amount, c.reference, pledge_ref, c.earmark, c.note,
                     c.receipt_number, c.rate, c.rate_date, Money.from_minor(c.usd_cents, "USD").amount))
    return fields, extra, rows, lambda row: row[3]


def _grants(s):
    from trustfund_app.core.models import Grant, GrantCycle, Grantee, SubProgramme

    cycles = dict(s.execute(select(GrantCycle.id, GrantCycle.number)).all())
    grantees = {gid: (name, org_id) for gid, name, org_id in s.execute(select(Grantee.id, Grantee.name,
                                                                             Grantee.org_id))}
    subs = dict(s.execute(select(SubProgramme.id, SubProgramme.code)).all())
    fields = ("reference", "cycle", "grantee", "country", "title", "amount_usd", "start", "end", "status",
              "approved_on", "sub_programme", "sensitive", "sensitive_reason", "grantee_org_id")
    rows = [(g.reference, cycles.get(g.cycle_id), grantees.get(g.grantee_id, ("", None))[0], g.country, g.title,
             Money.from_minor(g.amount_usd_cents, "USD").amount, g.start, g.end, g.status, g.approved_on,
             subs.get(g.sub_programme_id), bool(g.sensitive), g.sensitive_reason,
             grantees.get(g.grantee_id, ("", None))[1])
            for g in s.scalars(select(Grant).order_by(Grant.created_at))]
    return fields, [], rows, lambda row: "USD"


def _rates(s):
    from trustfund_app.core.models import ExchangeRate

    rows = [(r.currency, r.effective_date, r.rate) for r in
            s.scalars(select(ExchangeRate).order_by(ExchangeRate.currency, ExchangeRate.effective_date))]
    return ("currency", "effective_date", "rate"), [], rows, None
