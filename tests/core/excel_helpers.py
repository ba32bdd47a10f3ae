"""Small workbooks written by the Excel tests, and a fund to import into."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl

CONTRIB_HEADER = ["date", "donor", "kind", "currency", "amount", "reference", "pledge_reference"]


def book(path, rows, sheet: str = "Sheet1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def seed(db, admin):
    """Two donors (Germany with an alias, Japan) and monthly EUR/JPY rates for 2026."""
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService

    donors = DonorService(db, admin)
    donors.create("Germany", "member_state", "DEU", "de" if False else "en", aliases=["Federal Republic of Germany"])
    donors.create("Japan", "member_state", "JPN", "en")
    rates = RateService(db, admin)
    for month in range(1, 13):
        rates.add_month(date(2026, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5")})


def run(db, actor, kind, path, **options):
    from trustfund_app.core.excel.importer import ImportOptions, run_import

    return run_import(db, actor, kind, path, ImportOptions(**options))


def contributions(db):
    from sqlalchemy import select

    from trustfund_app.core.models import Contribution

    with db.reading() as s:
        return list(s.scalars(select(Contribution).order_by(Contribution.created_at)))
