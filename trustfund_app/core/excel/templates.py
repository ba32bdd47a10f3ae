"""Empty import workbooks: headers in the chosen language, drop-down lists for currency, kind,
donor type, status, language and country, a frozen header row, date and number formats, and an
instructions sheet explaining every column."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.core.excel.headers import KIND_FIELDS, check_kind, header_label
from trustfund_app.core.i18n import LANGUAGES, N_, _, check_language, use_language

DATE_FORMAT = "yyyy-mm-dd"
TEMPLATE_ROWS = 5000  # rows that carry the validations and formats

HELP = {
    "date": N_("Date of the pledge or payment."),
    "donor": N_("The donor's name or one of its aliases, as registered."),
    "kind": N_("Pledge or payment."),
    "currency": N_("ISO 4217 currency code, e.g. EUR."),
    "amount": N_("Amount in that currency, greater than zero, with no more decimals than the currency has."),
    "reference": N_("The donor's reference (optional); importing the same reference again changes nothing."),
    "pledge_reference": N_("For a payment: the reference of the pledge it pays (several separated by ;). "
                           "Empty: the donor's oldest open pledges are paid first."),
    "earmark": N_("What the money is earmarked for (optional)."),
    "note": N_("A note (optional)."),
    "receipt_number": N_("Leave empty: a receipt number is given to each new row."),
    "name": N_("The donor's name."),
    "type": N_("Type of donor."),
    "country": N_("ISO 3166 country code, e.g. DEU or DE."),
    "language": N_("Language of the donor's statements: ar, zh, en, fr, ru or es."),
    "aliases": N_("Other names of the donor in spreadsheets, separated by ;."),
    "email": N_("E-mail address (optional)."),
    "address": N_("Postal address (optional)."),
    "contact_person": N_("Contact person (optional)."),
    "phone": N_("Telephone (optional)."),
    "effective_date": N_("First day the rate applies (UN operational rates of exchange)."),
    "rate": N_("Units of the currency per 1 US dollar."),
    "cycle": N_("Number of an existing grant cycle."),
    "grantee": N_("The grantee organisation; an unknown one is created with the row's country."),
    "title": N_("Title of the project."),
    "amount_usd": N_("Grant amount in US dollars."),
    "start": N_("Start date of the project."),
    "end": N_("End date of the project."),
    "status": N_("Approved, active, closed or cancelled (default: approved)."),
    "approved_on": N_("Date of approval (default: the cycle's Board meeting, else the start date)."),
    "sub_programme": N_("Code of the cycle's sub-programme, e.g. SGP1 (optional)."),
}
DATE_FIELDS = {"date", "effective_date", "start", "end", "approved_on"}
AMOUNT_FIELDS = {"amount", "amount_usd"}
LIST_FIELDS = {"currency": "A", "kind": "B", "type": "C", "status": "D", "language": "E", "country": "F"}


def _choices(lang: str) -> dict[str, list[str]]:
    import pycountry
    from babel.numbers import list_currencies

    from trustfund_app.core.excel.values import enum_labels

    with use_language(lang):
        labels = {enum: [_(msgid) for msgid in enum_labels(enum).values()] for enum in ("kind", "type", "status")}
    return {"currency": sorted(c for c in list_currencies() if len(c) == 3), **labels,
            "language": list(LANGUAGES), "country": sorted(c.alpha_3 for c in pycountry.countries)}


def write_template(kind: str, path, lang: str = "en") -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_kind(kind)
    lang = check_language(lang)
    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = kind[:31]
    fields = KIND_FIELDS[kind]
    lists = wb.create_sheet("lists")
    choices = _choices(lang)
    for name, letter in LIST_FIELDS.items():
        for row, value in enumerate(choices[name], start=1):
            lists[f"{letter}{row}"] = value
    lists.sheet_state = "hidden"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, (name, required) in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=col, value=header_label(name, lang))
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(14, len(cell.value) + 4)
        area = f"{letter}2:{letter}{TEMPLATE_ROWS}"
        list_name = "kind" if name == "kind" else name
        if list_name in LIST_FIELDS and (kind != "grants" or name != "kind"):
            source = LIST_FIELDS[list_name]
            dv = DataValidation(type="list", formula1=f"=lists!${source}$1:${source}${len(choices[list_name])}",
                                allow_blank=not required, showErrorMessage=True)
            dv.error = _("Choose a value from the list.")
            dv.add(area)
            ws.add_data_validation(dv)
        if name in DATE_FIELDS:
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=not required,
                                showErrorMessage=True)
            dv.error = _("Enter a date.")
            dv.add(area)
            ws.add_data_validation(dv)
        number_format = (DATE_FORMAT if name in DATE_FIELDS else "#,##0.00" if name in AMOUNT_FIELDS
                         else "0.######" if name == "rate" else "@" if name in ("reference", "pledge_reference") else None)
        if number_format:
            for row in range(2, TEMPLATE_ROWS + 1):
                ws.cell(row=row, column=col).number_format = number_format
    ws.freeze_panes = "A2"
    info = wb.create_sheet(_("Instructions")[:31], 1)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 28, 100
    info["A1"] = _("How to fill in this workbook")
    info["A1"].font = Font(bold=True, size=13)
    info["A2"] = _("One row per record below the header of the first sheet. Required columns are marked *. "
                   "Dates as dates (or YYYY-MM-DD); amounts as numbers. Importing the same rows twice changes nothing.")
    info["A2"].alignment = Alignment(wrap_text=True)
    info.merge_cells("A2:B2")
    info.row_dimensions[2].height = 45
    for row, (name, required) in enumerate(fields, start=4):
        info.cell(row=row, column=1, value=header_label(name, lang) + (" *" if required else "")).font = bold
        with use_language(lang):
            info.cell(row=row, column=2, value=_(HELP[name]))
    wb.active = 0
    wb.save(path)
    return path
