"""The demo fund as headquarters, and a demo field office beside it, so that a new user can try an
exchange: the office gets the demo users, an identity covering the three countries with the
most demo grants (one of them with monitoring visits, so that the office's grant file has visits,
follow-up actions and documents from HQ), keys registered both ways, and HQ's first package
already applied."""

from __future__ import annotations

from sqlalchemy import func, select

from trustfund_app.core.demo import DEMO_PASSWORD, DEMO_USERS, is_empty
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import Grant, MonitoringVisit, Role, Setting, User
from trustfund_app.core.offices.apply import ApplyResult, apply_package
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeInfo, OfficeService, self_office
from trustfund_app.core.services.base import Actor
from trustfund_app.core.services.users import PASSWORD_HASHER, check_role

DEMO_OFFICE = "DEMOFO"
ADMIN = Actor("admin", Role.ADMINISTRATOR)


def demo_as_hq(hq_db) -> OfficeInfo:
    """The demo fund's identity as HQ (given once; an existing identity is kept)."""
    with hq_db.reading() as s:
        me = self_office(s)
    return me if me is not None else OfficeService(hq_db, ADMIN).init(True)


def demo_office(office_db, hq_db, code: str = DEMO_OFFICE) -> tuple[OfficeInfo, ApplyResult]:
    """Make ``office_db`` (empty) a demo field office of the demo fund in ``hq_db``."""
    if not is_empty(office_db):
        raise ValidationError(_("the demo office is only made in an empty or new database; nothing was changed"), "db")
    with hq_db.reading() as s:
        is_demo = s.get(Setting, "demo") is not None
        top = [c for c, _n in s.execute(select(Grant.country, func.count()).group_by(Grant.country)
                                        .order_by(func.count().desc(), Grant.country).limit(3))]
        visited = [c for c, _n in s.execute(
            select(Grant.country, func.count()).join(MonitoringVisit, MonitoringVisit.grant_id == Grant.id)
            .group_by(Grant.country).order_by(func.count().desc(), Grant.country))]
        if top and visited and not set(top) & set(visited):
            top[-1] = visited[0]  # the office then has visits, actions and documents to show
    if not is_demo or not top:
        raise ValidationError(_("a demo office is made beside the demo fund: run demo in that database first"), "db")
    hq_me = demo_as_hq(hq_db)
    # the demo users with the published demo password, as the demo fund itself has them (the
    # password rules are for real accounts); a hash of its own for each
    with office_db.writing("admin") as s:
        for name, role in DEMO_USERS:
            s.add(User(name=name, role=check_role(role), password_hash=PASSWORD_HASHER.hash(DEMO_PASSWORD)))
        s.merge(Setting(key="demo", value="1"))
    office = OfficeService(office_db, ADMIN)
    info = office.init(False, code, top)
    hq = OfficeService(hq_db, ADMIN)
    if hq_me.code and code not in {o.code for o in hq.show()[1]}:
        hq.add(code, office.export_key(), top)
    office.add("HQ", hq.export_key())
    data, _info = export_package(hq_db, "admin", code)
    result = apply_package(office_db, "admin", data)
    _office_visit(office_db)
    return info, result


def _office_visit(office_db) -> None:
    """A visit of the office's own, not yet sent: the office's first package to HQ carries it
    (and HQ sees it read-only)."""
    from datetime import date, timedelta

    from trustfund_app.core.services.visits import VisitService

    today = date.today()
    with office_db.reading() as s:
        grant = s.execute(select(Grant.id, Grant.approved_on).where(Grant.approved_on <= today - timedelta(days=30))
                          .order_by(Grant.approved_on.desc(), Grant.reference).limit(1)).first()
    if grant is None:
        return
    visits = VisitService(office_db, Actor("programme", Role.PROGRAMME))
    visit = visits.record(str(grant.id), today - timedelta(days=7), "Demo field office",
                          "Case files complete; the shelter's new safe room is in use.")
    visits.add_action(visit, "Send the updated beneficiary register", today + timedelta(days=21), "programme")
