"""Builders shared by the grant tests: a cycle with SGP1/SGP2, a grantee, a funded fund."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.actors import READER
from trustfund_app.core.services.grants import (
    ApplicationService, CycleService, GranteeService, GrantService, InstalmentService, PlannedInstalment,
    ReportService,
)


@dataclass
class Fund:
    cycle: str
    sgp1: str
    sgp2: str
    grantee: str


def make_cycle(db, actor, envelope="100000", number=9) -> Fund:
    cycles = CycleService(db, actor)
    cycle = cycles.create(number, 2026, f"Cycle {number}", Decimal(envelope), call_open=date(2026, 1, 5),
                          call_close=date(2026, 2, 28), board_meeting="15th meeting",
                          board_meeting_date=date(2026, 4, 20))
    sgp1 = cycles.add_sub_programme(cycle, "SGP1", "Emergency", Decimal("20000"), 9)
    sgp2 = cycles.add_sub_programme(cycle, "SGP2", "Medium term", Decimal("60000"), 24)
    grantee = GranteeService(db, actor).find("Casa Esperanza") or GranteeService(db, actor).create(
        "Casa Esperanza", "COL", registration_number="NIT 900-1", registration_date=date(2015, 3, 1),
        partner_portal_id="CSO-1234", psea_attested=True, own_bank_account=True, contact_person="Ana Pérez",
        email="ana@example.org")
    return Fund(cycle, sgp1, sgp2, grantee)


def approved_grant(db, actor, fund: Fund, amount="50000", months=24, sub=None, start=date(2026, 5, 1), **approve) -> str:
    apps = ApplicationService(db, actor)
    app = apps.submit(fund.cycle, sub or fund.sgp2, fund.grantee, "Shelter and legal aid", "COL", Decimal(amount), months)
    apps.advance(app)
    apps.advance(app)
    return apps.approve(app, None, date(2026, 4, 20), start, **approve)


def interim(db, grant_id: str, type_: str = "financial") -> str:
    return next(r.id for r in ReportService(db, READER).for_grant(grant_id) if r.kind == "interim" and r.type == type_)


def pay(db, preparer, approver, instalment_id: str, on: date) -> None:
    InstalmentService(db, preparer).prepare(instalment_id)
    InstalmentService(db, approver).approve(instalment_id, on)


def two_instalments(db, actor, grant_id: str, first="30000", second="20000", held=True) -> list[str]:
    report = interim(db, grant_id) if held else None
    return InstalmentService(db, actor).set_schedule(grant_id, [
        PlannedInstalment(date(2026, 5, 10), Decimal(first)),
        PlannedInstalment(date(2027, 6, 1), Decimal(second), report),
    ])


__all__ = ["Fund", "make_cycle", "approved_grant", "interim", "pay", "two_instalments", "GrantService"]
