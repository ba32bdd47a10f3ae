"""The columns of the tables under a grant (instalments, reports, victims assisted, refunds) and
the words their states are shown in."""

from __future__ import annotations

from datetime import date

from trustfund_app.core.i18n import N_, _, format_number, format_rate, ngettext, pN_, pgettext
from trustfund_app.core.models import GrantStatus
from trustfund_app.core.services.grants.instalments import STATUS_LABELS as INSTALMENT_LABELS
from trustfund_app.gui.grant_widgets import date_cell, money_cell
from trustfund_app.gui.table_model import Column

OPEN = (GrantStatus.APPROVED, GrantStatus.ACTIVE)


def report_state(r) -> str:
    if r.approved_on:
        return _("Approved")
    if r.received_on:
        return _("Received, to approve")
    days = (date.today() - r.due_date).days
    if days > 0:
        return ngettext("Overdue by {days} day", "Overdue by {days} days", days).format(days=format_number(days))
    return pgettext("status", "Due")


def instalment_state(i) -> str:
    text = _(INSTALMENT_LABELS[i.status])
    return _("{status} — held").format(status=text) if i.is_held and i.status != "paid" else text


INSTALMENT_COLUMNS = (
    Column(N_("No."), lambda i: i.seq, numeric=True),
    Column(N_("Planned date"), lambda i: i.planned_date, lambda i: date_cell(i.planned_date)),
    Column(N_("Amount"), lambda i: i.amount.amount, lambda i: money_cell(i.amount), numeric=True),
    Column(N_("Status"), lambda i: i.status, instalment_state),
    Column(N_("Held until approved"), lambda i: i.held_until or ""),
    Column(N_("Prepared by"), lambda i: i.prepared_by or ""),
    Column(N_("Approved by"), lambda i: i.approved_by or ""),
    Column(N_("Paid on"), lambda i: i.paid_on, lambda i: date_cell(i.paid_on)),
    Column(N_("PSC rate"), lambda i: i.psc_rate, lambda i: f"{format_rate(i.psc_rate)} %" if i.psc_rate is not None else "", numeric=True),
    Column(N_("PSC"), lambda i: i.psc.amount if i.psc else None, lambda i: money_cell(i.psc), numeric=True),
)
REPORT_COLUMNS = (
    Column(N_("Report"), lambda r: r.label),
    Column(pN_("date", "Due"), lambda r: r.due_date, lambda r: date_cell(r.due_date), context="date"),
    Column(N_("Received"), lambda r: r.received_on, lambda r: date_cell(r.received_on)),
    Column(pN_("date", "Approved"), lambda r: r.approved_on, lambda r: date_cell(r.approved_on), context="date"),
    Column(N_("Approved by"), lambda r: r.approved_by or ""),
    Column(N_("Status"), lambda r: r.state, report_state),
)
REFUND_COLUMNS = (
    Column(N_("Date"), lambda r: r.date, lambda r: date_cell(r.date)),
    Column(N_("Amount"), lambda r: r.amount.amount, lambda r: money_cell(r.amount), numeric=True),
    Column(N_("PSC given back"), lambda r: r.psc.amount, lambda r: money_cell(r.psc), numeric=True),
    Column(N_("Note"), lambda r: r.note or ""),
)


def victims_columns(panel) -> tuple[Column, ...]:
    from trustfund_app.gui.grant_action_dialogs import GROUP_LABELS

    def count(group):
        return Column(GROUP_LABELS[group], lambda v: getattr(v, group), lambda v: format_number(getattr(v, group)), numeric=True)

    return (
        Column(N_("Report"), lambda v: panel.report_labels.get(v.report_id, "")),
        Column(N_("Assistance"), lambda v: v.label),
        count("women"), count("girls"), count("men"), count("boys"),
        Column(N_("Total"), lambda v: v.total, lambda v: format_number(v.total), numeric=True),
    )
