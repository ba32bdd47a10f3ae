"""HQ and field offices for the exchange tests: HQ with a fund (cycle, grantees and grants in
several countries, reports), offices registered both ways, and helpers to pass packages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from trustfund_app.core.db import Database
from trustfund_app.core.offices.apply import apply_package
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.services.grants import ApplicationService, CycleService, GranteeService, ReportService
from trustfund_app.core.services.users import UserService
from trustfund_app.core.services.base import APP_ITSELF, NOT_LOGGED_IN  # noqa: E402


@dataclass
class Side:
    code: str
    db: Database
    admin: object
    grants: dict = field(default_factory=dict)  # country -> grant id (HQ)


def new_side(url: str) -> tuple[Database, object]:
    db = Database.open(url)
    return db, UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")


def hq_fund(db, admin, countries=("NGA", "GHA", "KEN")) -> dict[str, str]:
    cycles = CycleService(db, admin)
    cycle = cycles.create(9, 2026, "Cycle 9", Decimal("1000000"), call_open=date(2026, 1, 5),
                          call_close=date(2026, 2, 28), board_meeting="15th meeting", board_meeting_date=date(2026, 4, 20))
    sgp2 = cycles.add_sub_programme(cycle, "SGP2", "Medium term", Decimal("60000"), 24)
    grants = {}
    for country in countries:
        grantee = GranteeService(db, admin).create(f"Shelter {country}", country, registration_number="R-1",
                                                   registration_date=date(2015, 3, 1), contact_person="Amina",
                                                   email=f"amina@{country.lower()}.example.org")
        apps = ApplicationService(db, admin)
        app = apps.submit(cycle, sgp2, grantee, f"Legal aid {country}", country, Decimal("50000"), 24)
        apps.advance(app)
        apps.advance(app)
        grants[country] = apps.approve(app, None, date(2026, 4, 20), date(2026, 5, 1))
    return grants


def connect(hq: Side, office_code: str, regions: str, url: str) -> Side:
    """A new office database, its identity, and the keys registered both ways."""
    db, admin = new_side(url)
    OfficeService(db, admin).init(False, office_code, regions)
    OfficeService(hq.db, hq.admin).add(office_code, OfficeService(db, admin).export_key(), regions)
    OfficeService(db, admin).add("HQ", OfficeService(hq.db, hq.admin).export_key())
    return Side(office_code, db, admin)


def send(sender: Side, recipient: Side, dry_run: bool = False):
    data, _info = export_package(sender.db, sender.admin.name, recipient.code)
    return data, apply_package(recipient.db, recipient.admin.name, data, dry_run=dry_run)


def reports_of(db, grant_id: str):
    return ReportService(db, APP_ITSELF).for_grant(grant_id)


def table_rows(db, table: str) -> dict:
    """Every row of ``table`` as plain values (time stamps aside), keyed by id."""
    from trustfund_app.core.models import metadata
    from trustfund_app.core.offices.values import STAMPS, plain_row

    t = metadata.tables[table]
    with db.reading() as s:
        return {str(r["id"]): {k: v for k, v in plain_row(r).items() if k not in STAMPS}
                for r in s.execute(select(t)).mappings()}


def hq_and_two_nigeria_offices(db, admin, tmp_path, url_of=lambda folder: str(folder / "office.sqlite3")):
    """HQ (this ``db``) with a Nigerian grant, and offices ROWA and ROLAG both covering Nigeria,
    each having received HQ's first package: the set-up of every conflict test."""
    from trustfund_app.core.offices.identity import OfficeService

    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    hq.grants = hq_fund(db, admin, countries=("NGA",))
    offices = []
    for code in ("ROWA", "ROLAG"):
        (tmp_path / code).mkdir()
        office = connect(hq, code, "NGA", url_of(tmp_path / code))
        send(hq, office)
        offices.append(office)
    return hq, offices
