"""Grant cycles (numbered calls for proposals) and their sub-programmes (SGP1 emergency, SGP2
medium term...), each with a ceiling per grant, a maximum duration and, for the cycle, an envelope.

What counts against a cycle's envelope: the amounts of its grants that are not cancelled. A refund
goes back to the fund (the position), not to the cycle: the cycle's decisions stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import Application, Grant, GrantCycle, GrantStatus, SubProgramme
from trustfund_app.core.money import Money
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import money_text, as_uuid, fetch, optional_text, required_text, to_cents, usd

CYCLE_FIELDS = ("number", "year", "name", "call_open", "call_close", "board_meeting", "board_meeting_date", "envelope")


@dataclass(frozen=True)
class SubProgrammeRow:
    id: str
    cycle_id: str
    code: str
    name: str
    ceiling: Money
    max_months: int


@dataclass(frozen=True)
class CycleRow:
    id: str
    number: int
    year: int
    name: str
    call_open: date | None
    call_close: date | None
    board_meeting: str | None
    board_meeting_date: date | None
    envelope: Money
    committed: Money  # grants of the cycle, not cancelled
    applications: int
    grants: int
    sub_programmes: tuple[SubProgrammeRow, ...]

    @property
    def remaining(self) -> Money:
        return self.envelope - self.committed


def committed_cents(session, cycle_id, excluding_grant=None) -> int:
    """What the cycle's grants take from its envelope (cancelled grants give it back)."""
    query = select(func.coalesce(func.sum(Grant.amount_usd_cents), 0)).where(
        Grant.cycle_id == as_uuid(cycle_id), Grant.status != GrantStatus.CANCELLED)
    if excluding_grant is not None:
        query = query.where(Grant.id != as_uuid(excluding_grant))
    return int(session.scalar(query))


def _clean_cycle(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if key not in CYCLE_FIELDS:
            raise ValidationError(_("unknown cycle field {field}").format(field=key), key)
        if key == "envelope":
            out["envelope_usd_cents"] = to_cents(value, "envelope")
        elif key in ("number", "year"):
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValidationError(_('"{value}" is not a whole number').format(value=value), key)
            if number <= 0 or (key == "year" and not 2000 <= number <= 2100):
                raise ValidationError(_("{value} is out of range").format(value=number), key)
            out[key] = number
        elif key in ("name", "board_meeting"):
            out[key] = optional_text(value)
        else:
            out[key] = value
    if "name" in out and not out["name"]:
        raise ValidationError(_("the cycle's name is required"), "name")
    return out


def _check_call_dates(cycle: GrantCycle) -> None:
    if cycle.call_open and cycle.call_close and cycle.call_close < cycle.call_open:
        raise ValidationError(_("the call closes before it opens"), "call_close")


def _sub_row(sp: SubProgramme) -> SubProgrammeRow:
    return SubProgrammeRow(str(sp.id), str(sp.cycle_id), sp.code, sp.name, usd(sp.ceiling_usd_cents), sp.max_months)


def _clean_sub(code, name, ceiling, max_months) -> dict:
    code = required_text(code, "code", _("the sub-programme's code is required (e.g. SGP1)")).upper()
    name = required_text(name, "name", _("the sub-programme's name is required"))
    try:
        months = int(max_months)
    except (TypeError, ValueError):
        raise ValidationError(_('"{value}" is not a whole number').format(value=max_months), "max_months")
    if not 1 <= months <= 120:
        raise ValidationError(_("the maximum duration must be between 1 and 120 months"), "max_months")
    return {"code": code, "name": name, "ceiling_usd_cents": to_cents(ceiling, "ceiling"), "max_months": months}


class CycleService(Service):
    def create(self, number: int, year: int, name: str, envelope, call_open: date | None = None,
               call_close: date | None = None, board_meeting: str | None = None,
               board_meeting_date: date | None = None) -> str:
        fields = _clean_cycle({"number": number, "year": year, "name": name, "envelope": envelope,
                               "call_open": call_open, "call_close": call_close, "board_meeting": board_meeting,
                               "board_meeting_date": board_meeting_date})
        with self._write("grants") as s:
            if s.scalar(select(GrantCycle.id).where(GrantCycle.number == fields["number"])):
                raise ValidationError(_("cycle {number} already exists").format(number=fields["number"]), "number")
            cycle = GrantCycle(**fields)
            _check_call_dates(cycle)
            s.add(cycle)
            s.flush()
            cid = str(cycle.id)
        self._changed("cycle", "insert", cid)
        return cid

    def update(self, cycle_id: str, **fields) -> None:
        fields = _clean_cycle(fields)
        with self._write("grants") as s:
            cycle = fetch(s, GrantCycle, cycle_id, _("cycle"))
            if "number" in fields and s.scalar(select(GrantCycle.id).where(
                    GrantCycle.number == fields["number"], GrantCycle.id != cycle.id)):
                raise ValidationError(_("cycle {number} already exists").format(number=fields["number"]), "number")
            for key, value in fields.items():
                setattr(cycle, key, value)
            _check_call_dates(cycle)
            if cycle.envelope_usd_cents < committed_cents(s, cycle.id):
                raise ValidationError(
                    _("the envelope cannot be smaller than the grants already approved in this cycle ({amount})")
                    .format(amount=money_text(committed_cents(s, cycle.id))), "envelope")
        self._changed("cycle", "update", cycle_id)

    def add_sub_programme(self, cycle_id: str, code: str, name: str, ceiling, max_months: int) -> str:
        fields = _clean_sub(code, name, ceiling, max_months)
        with self._write("grants") as s:
            cycle = fetch(s, GrantCycle, cycle_id, _("cycle"))
            if s.scalar(select(SubProgramme.id).where(SubProgramme.cycle_id == cycle.id,
                                                      SubProgramme.code == fields["code"])):
                raise ValidationError(_("sub-programme {code} already exists in this cycle").format(code=fields["code"]), "code")
            sp = SubProgramme(cycle_id=cycle.id, **fields)
            s.add(sp)
            s.flush()
            sid = str(sp.id)
        self._changed("cycle", "update", cycle_id)
        return sid

    def update_sub_programme(self, sub_programme_id: str, code: str, name: str, ceiling, max_months: int) -> None:
        """Changes apply to later decisions; grants already approved keep their amounts and dates."""
        fields = _clean_sub(code, name, ceiling, max_months)
        with self._write("grants") as s:
            sp = fetch(s, SubProgramme, sub_programme_id, _("sub-programme"))
            if s.scalar(select(SubProgramme.id).where(SubProgramme.cycle_id == sp.cycle_id,
                                                      SubProgramme.code == fields["code"], SubProgramme.id != sp.id)):
                raise ValidationError(_("sub-programme {code} already exists in this cycle").format(code=fields["code"]), "code")
            for key, value in fields.items():
                setattr(sp, key, value)
            cycle_id = str(sp.cycle_id)
        self._changed("cycle", "update", cycle_id)

    # -- queries -----------------------------------------------------------------------------
    def list(self) -> list[CycleRow]:
        with self.db.reading() as s:
            return [self._row(s, c) for c in s.scalars(select(GrantCycle).order_by(GrantCycle.number.desc()))]

    def get(self, cycle_id: str) -> CycleRow:
        with self.db.reading() as s:
            return self._row(s, fetch(s, GrantCycle, cycle_id, _("cycle")))

    def sub_programme(self, sub_programme_id: str) -> SubProgrammeRow:
        with self.db.reading() as s:
            return _sub_row(fetch(s, SubProgramme, sub_programme_id, _("sub-programme")))

    @staticmethod
    def _row(s, c: GrantCycle) -> CycleRow:
        subs = tuple(_sub_row(sp) for sp in s.scalars(
            select(SubProgramme).where(SubProgramme.cycle_id == c.id).order_by(SubProgramme.code)))
        applications = s.scalar(select(func.count()).select_from(Application).where(Application.cycle_id == c.id))
        grants = s.scalar(select(func.count()).select_from(Grant).where(
            Grant.cycle_id == c.id, Grant.status != GrantStatus.CANCELLED))
        return CycleRow(str(c.id), c.number, c.year, c.name, c.call_open, c.call_close, c.board_meeting,
                        c.board_meeting_date, usd(c.envelope_usd_cents), usd(committed_cents(s, c.id)),
                        int(applications), int(grants), subs)
