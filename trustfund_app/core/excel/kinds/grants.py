"""Grants import. The cycle must exist (a grant row naming an unknown cycle number is an error:
cycles carry envelopes and Board meetings that a spreadsheet cannot invent). An unknown grantee is
created with the row's country, and the preview says so. A grant already recorded under the same
reference is unchanged when identical and an error when it differs (change it in the Grants
screen, where its instalments and reports are checked) — except the open-data columns: "Sensitive"
(with its reason, required when yes) flags or unflags an existing grant, and "Grantee organisation
identifier" (org-id, e.g. NP-SWC-1234) is given to a grantee that has none; a grantee that has a
different one is an error (change it in the Grantees screen)."""

from __future__ import annotations

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V
from trustfund_app.core.excel.commit import new_row
from trustfund_app.core.excel.kinds.base import INSERTED, UNCHANGED, UPDATED, KindImporter
from trustfund_app.core.i18n import _
from trustfund_app.core.money import check_plausible
from trustfund_app.core.models import Grant, GrantCycle, Grantee, SubProgramme
from trustfund_app.core.org_identifiers import check_org_id
from trustfund_app.core.services.donors import match_key

COMPARED = ("cycle_id", "sub_programme_id", "grantee_id", "country", "title", "amount_usd_cents", "start", "end",
            "approved_on", "status")


class GrantsImporter(KindImporter):
    kind = "grants"
    permissions = ("grants", "grantees")
    models = (Grantee, Grant)
    reads = ("grant_cycle", "sub_programme", "grantee", "grant")

    def __init__(self, session, writer, batch):
        super().__init__(session, writer, batch)
        self.cycles = {c.number: c for c in session.execute(
            select(GrantCycle.id, GrantCycle.number, GrantCycle.board_meeting_date))}
        self.subs = {(s.cycle_id, s.code.casefold()): s.id for s in session.execute(
            select(SubProgramme.id, SubProgramme.cycle_id, SubProgramme.code))}
        self.grantees = {}
        self.grantee_org_ids = {}
        for g in session.execute(select(Grantee.id, Grantee.name, Grantee.org_id)):
            self.grantees[match_key(g.name)] = g.id
            self.grantee_org_ids[g.id] = g.org_id
        self.grants = {g.reference: g for g in session.execute(
            select(Grant.id, Grant.reference, Grant.sensitive, Grant.sensitive_reason,
                   *[getattr(Grant, c) for c in COMPARED]))}
        self.seen: dict[str, int] = {}
        self.new_grantees: dict[str, str] = {}

    def check(self, number: int, values: dict, prepared=None) -> str:
        reference = V.text(V.required(values.get("reference"), "reference"), "reference", 40)
        cycle_number = V.integer_value(values.get("cycle"), "cycle")
        cycle = self.cycles.get(cycle_number)
        if cycle is None:
            raise ValidationError(_("there is no grant cycle number {number}; create the cycle first").format(
                number=cycle_number), "cycle")
        grantee = V.text(V.required(values.get("grantee"), "grantee"), "grantee", 300)
        country = V.country_value(values.get("country"))
        title = V.text(V.required(values.get("title"), "title"), "title", 500)
        amount = V.money_value(values.get("amount_usd"), "USD", "amount_usd")
        check_plausible(amount, amount, "amount_usd")
        start = V.date_value(values.get("start"), "start")
        end = V.date_value(values.get("end"), "end")
        if end < start:
            raise ValidationError(_("the end date is before the start date"), "end")
        status = V.enum_value(values["status"], "status", "status") if values.get("status") is not None else "approved"
        approved_on = (V.date_value(values["approved_on"], "approved_on") if values.get("approved_on") is not None
                       else cycle.board_meeting_date or start)
        sub_id = None
        if values.get("sub_programme") is not None:
            code = V.text(values["sub_programme"], "sub_programme", 20)
            sub_id = self.subs.get((cycle.id, code.casefold()))
            if sub_id is None:
                raise ValidationError(_('cycle {number} has no sub-programme "{code}"').format(
                    number=cycle_number, code=code), "sub_programme")
        sensitive = self._sensitive(values)
        org_id = check_org_id(V.text(values.get("grantee_org_id"), "grantee_org_id", 100), "grantee_org_id")
        if reference in self.seen:
            raise ValidationError(_('the grant "{ref}" is also on row {row}').format(ref=reference, row=self.seen[reference]),
                                  "reference")
        grantee_key = match_key(grantee)
        grantee_id = self.grantees.get(grantee_key)
        data = dict(cycle_id=cycle.id, sub_programme_id=sub_id, grantee_id=grantee_id, country=country, title=title,
                    amount_usd_cents=amount.minor, start=start, end=end, approved_on=approved_on, status=status)
        if reference in self.grants:
            old = self.grants[reference]
            if grantee_id is None or any(getattr(old, k) != v for k, v in data.items()):
                raise ValidationError(_('the grant "{ref}" already exists with different values; change it in the '
                                        'Grants screen').format(ref=reference), "reference")
            self.seen[reference] = number
            changed = self._grantee_org_id(grantee_id, grantee, org_id)
            if sensitive is not None and (old.sensitive, old.sensitive_reason) != sensitive:
                self.writer.update(Grant, old.id, {"sensitive": old.sensitive, "sensitive_reason": old.sensitive_reason},
                                   {"sensitive": sensitive[0], "sensitive_reason": sensitive[1]})
                changed = True
            return UPDATED if changed else UNCHANGED
        self.seen[reference] = number
        if grantee_id is not None:
            self._grantee_org_id(grantee_id, grantee, org_id)
        if grantee_id is None:
            row = new_row(name=grantee, country=country, registration_number=None, registration_date=None,
                          partner_portal_id=None, psea_attested=False, own_bank_account=False, non_profit=True,
                          contact_person=None, email=None, phone=None, address=None, org_id=org_id)
            self.writer.insert(Grantee, row)
            grantee_id = self.grantees[grantee_key] = row["id"]
            self.new_grantees[grantee] = country
            self.notes.append(_('a new grantee "{name}" ({country}) will be created (row {row})').format(
                name=grantee, country=country, row=number))
            data["grantee_id"] = grantee_id
            self.grantee_org_ids[grantee_id] = org_id
        flag, reason = sensitive or (False, None)
        self.writer.insert(Grant, new_row(reference=reference, application_id=None, closed_on=None,
                                          envelope_override=None, sensitive=flag, sensitive_reason=reason, **data))
        return INSERTED

    @staticmethod
    def _sensitive(values: dict) -> tuple[bool, str | None] | None:
        """(flag, reason) when the row says, else None (an existing grant keeps its flag)."""
        raw, reason = values.get("sensitive"), V.text(values.get("sensitive_reason"), "sensitive_reason", 500)
        if raw is None:
            if reason:
                raise ValidationError(_("a reason is given but the grant is not marked sensitive"), "sensitive")
            return None
        if isinstance(raw, bool):
            flag = raw
        elif isinstance(raw, (int, float)) and raw in (0, 1):
            flag = bool(raw)
        else:
            flag = V.enum_value(raw, "yes_no", "sensitive") == "yes"
        if flag and not reason:
            raise ValidationError(_("a sensitive grant needs the reason it is sensitive"), "sensitive_reason")
        return (True, reason) if flag else (False, None)

    def _grantee_org_id(self, grantee_id, name: str, org_id: str | None) -> bool:
        """Give the grantee the row's org-id when it has none; True when that changes it."""
        current = self.grantee_org_ids.get(grantee_id)
        if not org_id or current == org_id:
            return False
        if current:
            raise ValidationError(_('the grantee "{name}" already has the organisation identifier {current}; change '
                                    'it in the Grantees screen').format(name=name, current=current), "grantee_org_id")
        self.writer.update(Grantee, grantee_id, {"org_id": None}, {"org_id": org_id})
        self.grantee_org_ids[grantee_id] = org_id
        return True
