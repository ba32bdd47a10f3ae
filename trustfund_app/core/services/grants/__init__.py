"""The programme side of the fund: cycles and sub-programmes, grantees, applications and Board
decisions, grants, instalments (four eyes), grantee reports, victims assisted and refunds.

One module per responsibility; import the services from here."""

from trustfund_app.core.services.grants.applications import ApplicationRow, ApplicationService
from trustfund_app.core.services.grants.budget import BudgetRow, BudgetService, GrantBudget
from trustfund_app.core.services.grants.cycles import CycleRow, CycleService, SubProgrammeRow
from trustfund_app.core.services.grants.grantees import EligibilityWarning, GranteeRecord, GranteeService
from trustfund_app.core.services.grants.grants import GrantDetail, GrantRow, GrantService, RefundRow
from trustfund_app.core.services.grants.instalments import (
    InstalmentRow, InstalmentService, PlannedInstalment, split_cents,
)
from trustfund_app.core.services.grants.reports import DueReport, ReportRow, ReportService, report_label
from trustfund_app.core.services.grants.victims import VictimsRow, VictimsService

__all__ = [
    "ApplicationRow", "ApplicationService", "BudgetRow", "BudgetService", "GrantBudget", "CycleRow", "CycleService", "SubProgrammeRow", "EligibilityWarning",
    "GranteeRecord", "GranteeService", "GrantDetail", "GrantRow", "GrantService", "RefundRow", "InstalmentRow",
    "InstalmentService", "PlannedInstalment", "split_cents", "DueReport", "ReportRow", "ReportService",
    "report_label", "VictimsRow", "VictimsService",
]
