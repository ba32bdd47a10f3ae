"""All tables of the fund. Import from here so every table is registered with the metadata."""

from trustfund_app.core.models.admin import ROLE_LABELS, AuditEvent, Role, Setting, User
from trustfund_app.core.models.base import Stamped, utcnow
from trustfund_app.core.models.budget import BudgetExpenditure, BudgetLine
from trustfund_app.core.models.contributions import (
    KIND_LABELS, Allocation, Contribution, ContributionKind, ExchangeRate, ReceiptCounter,
)
from trustfund_app.core.models.donors import DONOR_TYPE_LABELS, Donor, DonorAlias, DonorType
from trustfund_app.core.models.grants import (
    APPLICATION_STATUS_LABELS, ASSISTANCE_LABELS, GRANT_STATUS_LABELS, INSTALMENT_STATUS_LABELS,
    REPORT_KIND_LABELS, REPORT_LABELS, REPORT_TYPE_LABELS, Application, ApplicationStatus, AssistanceType, Grant, GrantCycle, Grantee,
    GranteeReport, GrantStatus, Instalment, InstalmentStatus, Refund, ReportKind, ReportType,
    SubProgramme, VictimsAssisted,
)
from trustfund_app.core.models.records import (
    WRITE_OFF_KIND_LABELS, ActionStatus, Document, DocumentContent,
    DocumentKind, FollowUpAction, MonitoringVisit, PledgeWriteOff, WriteOffKind, WriteOffStatus,
)
from trustfund_app.core.models.offices import HQ_CODE, Office, OfficeKey, SyncConflict, SyncPackage, SyncPeer
from sqlmodel import SQLModel

metadata = SQLModel.metadata

__all__ = [
    "BudgetExpenditure", "BudgetLine", "ROLE_LABELS", "AuditEvent", "Role", "Setting", "User", "Stamped", "utcnow", "KIND_LABELS",
    "Allocation", "Contribution", "ContributionKind", "ExchangeRate", "ReceiptCounter",
    "APPLICATION_STATUS_LABELS", "ASSISTANCE_LABELS", "INSTALMENT_STATUS_LABELS", "REPORT_KIND_LABELS", "REPORT_LABELS",
    "REPORT_TYPE_LABELS", "DONOR_TYPE_LABELS", "Donor", "DonorAlias", "DonorType", "GRANT_STATUS_LABELS", "Application",
    "ApplicationStatus", "AssistanceType", "Grant", "GrantCycle", "Grantee", "GranteeReport",
    "GrantStatus", "Instalment", "InstalmentStatus", "Refund", "ReportKind", "ReportType",
    "SubProgramme", "VictimsAssisted", "metadata", "WRITE_OFF_KIND_LABELS", "ActionStatus", "Document", "DocumentContent", "DocumentKind", "FollowUpAction",
    "MonitoringVisit", "PledgeWriteOff", "WriteOffKind", "WriteOffStatus",
    "SubProgramme", "VictimsAssisted", "metadata", "HQ_CODE", "Office", "OfficeKey", "SyncConflict",
    "SyncPackage", "SyncPeer",
]
