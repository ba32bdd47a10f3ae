"""Every form and dialog of the app, built as its screen builds it, with plain stand-in records
(the dialogs only read attributes of what they are given). Used by the size and tab-order tests.

The exchange dialog is left out while another branch reworks it (issue 16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace as Rec

from trustfund_app.core.money import Money

USD = lambda amount: Money(Decimal(amount), "USD")  # noqa: E731

GRANT = Rec(id="g1", reference="VTF/2026/C12/017", amount=USD("60000"), paid=USD("40000"), refunded=USD("0"),
            start=date(2026, 1, 1), end=date(2027, 12, 31), country="NGA", sensitive=True,
            sensitive_reason="Shelter location")
REPORT = Rec(id="r1", label="Interim report 1 (30 June 2026)")
DETAIL = Rec(grant=GRANT, reports=[REPORT], instalments=[], budget=None)
CYCLE = Rec(id="c1", number=12, year=2026, sub_programmes=[], call_open=date(2026, 1, 5), call_close=date(2026, 2, 28),
            board_meeting="Board, 31st session", board_meeting_date=date(2026, 4, 20), envelope=USD("1000000"),
            committed=USD("400000"), remaining=USD("600000"), notes="")
APPLICATION = Rec(id="a1", number="A-17", months=24, requested=USD("60000"), country="NGA", warnings=[],
                  grantee="Women's Shelter Network Lagos", title="Shelter and legal aid for survivors")
PLEDGE_ROW = Rec(id="p1", amount=Decimal("250000"), paid=Decimal("100000"), currency="EUR", reference="NOR-2026-4",
                 receipt_number="R-2026-0042", date=date(2026, 3, 1), donor="Norway", earmark="", note="")
BUDGET = Rec(reference="VTF/2026/C12/017", currency="EUR", rows=[
    Rec(line_id="l1", category="Shelter", budget=USD("30000")),
    Rec(line_id="l2", category="Legal aid", budget=USD("20000"))])


def _donor_form(ctx, parent):
    from trustfund_app.gui.donor_form import DonorForm

    return DonorForm(ctx, parent)


def _contribution_form(ctx, parent):
    from trustfund_app.gui.contribution_form import ContributionForm

    return ContributionForm(ctx, parent)


def _correction(ctx, parent):
    from trustfund_app.gui.contribution_correction import CorrectionDialog

    return CorrectionDialog(ctx, PLEDGE_ROW, parent)


def _write_off(ctx, parent):
    from trustfund_app.gui.write_off_dialogs import WriteOffDialog

    return WriteOffDialog(ctx, PLEDGE_ROW, parent)


def _rate(ctx, parent):
    from trustfund_app.gui.rate_dialog import RateDialog

    return RateDialog(ctx, ["EUR", "GBP", "JPY"], parent=parent)


def _month_rates(ctx, parent):
    from trustfund_app.gui.rate_month_dialog import MonthRatesDialog

    return MonthRatesDialog(ctx, date(2026, 12, 1), parent)


def _cycle(ctx, parent):
    from trustfund_app.gui.grant_cycle_dialog import CycleDialog

    return CycleDialog(ctx, parent=parent, existing=[])


def _sub_programme(ctx, parent):
    from trustfund_app.gui.grant_cycle_dialog import SubProgrammeDialog

    return SubProgrammeDialog(ctx, CYCLE, parent=parent)


def _grantee(ctx, parent):
    from trustfund_app.gui.grant_grantee_dialog import GranteeDialog

    return GranteeDialog(ctx, parent=parent)


def _application(ctx, parent):
    from trustfund_app.gui.grant_application_dialog import ApplicationDialog

    return ApplicationDialog(ctx, [CYCLE], [], parent)


def _approve(ctx, parent):
    from trustfund_app.gui.grant_application_dialog import ApproveDialog

    return ApproveDialog(ctx, APPLICATION, CYCLE, parent)


def _reject(ctx, parent):
    from trustfund_app.gui.grant_application_dialog import RejectDialog

    return RejectDialog(ctx, APPLICATION, CYCLE, parent)


def _refund(ctx, parent):
    from trustfund_app.gui.grant_action_dialogs import RefundDialog

    return RefundDialog(ctx, DETAIL, parent)


def _close_grant(ctx, parent):
    from trustfund_app.core.i18n import _
    from trustfund_app.gui.grant_action_dialogs import DateDialog

    return DateDialog(ctx, _("Close grant {reference}").format(reference=GRANT.reference), "close_dialog",
                      _("The grant is closed on this date."), _("Closed on"), lambda d: None, "date", parent=parent)


def _victims(ctx, parent):
    from trustfund_app.gui.grant_action_dialogs import VictimsDialog

    return VictimsDialog(ctx, REPORT, [], parent)


def _schedule(ctx, parent):
    from trustfund_app.gui.grant_schedule_dialog import ScheduleDialog

    return ScheduleDialog(ctx, DETAIL, parent)


def _budget(ctx, parent):
    from trustfund_app.gui.budget_dialogs import SetBudgetDialog

    return SetBudgetDialog(ctx, GRANT, BUDGET, parent)


def _expenditure(ctx, parent):
    from trustfund_app.gui.budget_dialogs import ExpenditureDialog

    return ExpenditureDialog(ctx, BUDGET, [REPORT], {}, parent)


def _visit(ctx, parent):
    from trustfund_app.gui.visit_dialogs import VisitDialog

    return VisitDialog(ctx, parent=parent)


def _opendata(ctx, parent):
    from trustfund_app.gui.opendata_dialog import OpenDataDialog

    return OpenDataDialog(ctx, parent, today=date(2026, 12, 5))


def _password(ctx, parent):
    from trustfund_app.gui.user_dialogs import PasswordDialog

    return PasswordDialog(parent, "finance", lambda *a: None, own=True)


def _role(ctx, parent):
    from trustfund_app.gui.user_dialogs import RoleDialog

    return RoleDialog(parent, "finance", "finance", lambda *a: None)


def _login(ctx, parent):
    from trustfund_app.gui.login import LoginDialog

    return LoginDialog(parent, lambda *a: None, demo=True)


def _welcome(ctx, parent):
    from trustfund_app.gui.login import WelcomeDialog

    return WelcomeDialog(parent)


def _sensitive(ctx, parent):
    from trustfund_app.gui.grant_action_dialogs import SensitiveDialog

    return SensitiveDialog(ctx, GRANT, parent)


def _action(ctx, parent):
    from trustfund_app.gui.visit_dialogs import ActionDialog

    return ActionDialog(ctx, "v1", parent)


def _merge(ctx, parent):
    from trustfund_app.gui.donor_merge import MergeDialog

    keep = Rec(id="d1", name="Norway")
    return MergeDialog(ctx, keep, [keep, Rec(id="d2", name="Kingdom of Norway")], parent)


def _rate_jump(ctx, parent):
    from trustfund_app.gui.rate_jump_dialog import RateJumpDialog

    jump = Rec(currency="GBP", rate=Decimal("8.02"), previous=Decimal("0.802"), previous_date=date(2026, 11, 1),
               change_percent=Decimal("900"))
    return RateJumpDialog(parent, [jump])


#: name -> factory(ctx, parent) for the forms a user fills in (tab order matters)
FORMS = {
    "donor": _donor_form, "contribution": _contribution_form, "correction": _correction, "write_off": _write_off,
    "rate": _rate, "month_rates": _month_rates, "cycle": _cycle, "sub_programme": _sub_programme,
    "grantee": _grantee, "application": _application, "approve": _approve, "reject": _reject, "refund": _refund,
    "close_grant": _close_grant, "victims": _victims, "schedule": _schedule, "budget": _budget,
    "expenditure": _expenditure, "visit": _visit, "opendata": _opendata, "password": _password, "role": _role,
    "login": _login, "welcome": _welcome, "sensitive": _sensitive, "action": _action, "merge": _merge,
    "rate_jump": _rate_jump,
}
