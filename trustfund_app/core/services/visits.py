"""Monitoring visits (a field office's main record about a grant): when, who visited, what they
found, and the follow-up actions agreed, each with a due date, who is responsible and its status.
Open actions appear in the Due list (``services/due.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_date
from trustfund_app.core.models import ActionStatus, FollowUpAction, Grant, Grantee, MonitoringVisit
from trustfund_app.core.ownership import owned_here
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import as_uuid, fetch, optional_text, required_text


@dataclass(frozen=True)
class ActionRow:
    id: str
    visit_id: str
    description: str
    due_date: date
    responsible: str | None
    status: str
    done_on: date | None


@dataclass(frozen=True)
class VisitRow:
    id: str
    grant_id: str
    reference: str
    grantee: str
    country: str
    visit_date: date
    visitors: str
    findings: str
    actions: tuple[ActionRow, ...]
    owner: str | None = None  # the field office that recorded it (None: headquarters)
    editable: bool = True  # this database may change it and its actions (core/ownership.py)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if a.status == ActionStatus.OPEN)


def _action_row(a: FollowUpAction) -> ActionRow:
    return ActionRow(str(a.id), str(a.visit_id), a.description, a.due_date, a.responsible, a.status, a.done_on)


class VisitService(Service):
    def record(self, grant_id: str, visit_date: date, visitors: str, findings: str = "") -> str:
        visitors = required_text(visitors, "visitors", _("say who visited"))
        with self._write("grants") as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            if visit_date < grant.approved_on:
                raise ValidationError(_("a visit cannot be before the grant was approved ({date})").format(
                    date=format_date(grant.approved_on)), "visit_date")
            if visit_date > date.today():
                raise ValidationError(_("a visit cannot be in the future"), "visit_date")
            visit = MonitoringVisit(grant_id=grant.id, visit_date=visit_date, visitors=visitors[:300],
                                    findings=(findings or "").strip()[:8000])
            s.add(visit)
            s.flush()
            visit_id, gid = str(visit.id), str(grant.id)
        self._changed("visit", "insert", visit_id, gid)
        return visit_id

    def update(self, visit_id: str, visit_date: date, visitors: str, findings: str) -> None:
        visitors = required_text(visitors, "visitors", _("say who visited"))
        with self._write("grants") as s:
            visit = fetch(s, MonitoringVisit, visit_id, _("visit"))
            visit.visit_date, visit.visitors, visit.findings = visit_date, visitors[:300], (findings or "").strip()[:8000]
        self._changed("visit", "update", visit_id)

    def add_action(self, visit_id: str, description: str, due_date: date, responsible: str | None = None) -> str:
        description = required_text(description, "description", _("describe the action"))
        with self._write("grants") as s:
            visit = fetch(s, MonitoringVisit, visit_id, _("visit"))
            if due_date < visit.visit_date:
                raise ValidationError(_("an action cannot be due before the visit ({date})").format(
                    date=format_date(visit.visit_date)), "due_date")
            action = FollowUpAction(visit_id=visit.id, description=description[:1000], due_date=due_date,
                                    responsible=(optional_text(responsible) or None))
            s.add(action)
            s.flush()
            action_id = str(action.id)
        self._changed("visit", "update", visit_id)
        return action_id

    def set_status(self, action_id: str, status: str, on: date | None = None) -> None:
        status = ActionStatus(status)
        with self._write("grants") as s:
            action = fetch(s, FollowUpAction, action_id, _("action"))
            action.status = status
            action.done_on = (on or date.today()) if status == ActionStatus.DONE else None
            visit_id = str(action.visit_id)
        self._changed("visit", "update", visit_id)

    def for_grant(self, grant_id: str) -> list[VisitRow]:
        return self.list(grant_id=grant_id)

    def list(self, grant_id: str | None = None, year: int | None = None) -> list[VisitRow]:
        """Visits, newest first, each with its actions."""
        with self.db.reading() as s:
            query = (select(MonitoringVisit, Grant.reference, Grantee.name, Grant.country)
                     .join(Grant, Grant.id == MonitoringVisit.grant_id).join(Grantee, Grantee.id == Grant.grantee_id))
            if grant_id:
                query = query.where(MonitoringVisit.grant_id == as_uuid(grant_id))
            if year:
                query = query.where(MonitoringVisit.visit_date >= date(year, 1, 1),
                                    MonitoringVisit.visit_date <= date(year, 12, 31))
            rows = s.execute(query.order_by(MonitoringVisit.visit_date.desc(), Grant.reference)).all()
            ids = [v.id for v, *_rest in rows]
            actions: dict[str, list[ActionRow]] = {}
            if ids:
                for a in s.scalars(select(FollowUpAction).where(FollowUpAction.visit_id.in_(ids))
                                   .order_by(FollowUpAction.due_date)):
                    actions.setdefault(str(a.visit_id), []).append(_action_row(a))
            return [VisitRow(str(v.id), str(v.grant_id), ref, grantee, country, v.visit_date, v.visitors, v.findings,
                             tuple(actions.get(str(v.id), ())), v.office, owned_here(s, v.office))
                    for v, ref, grantee, country in rows]

    def open_action_count(self) -> int:
        with self.db.reading() as s:
            return s.scalar(select(func.count()).select_from(FollowUpAction)
                            .where(FollowUpAction.status == ActionStatus.OPEN)) or 0
