"""The programme side: cycles, sub-programmes, grantees, applications, grants, instalments,
grantee reports, victims assisted and refunds. Grants are in USD."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field

from trustfund_app.core.i18n import N_
from trustfund_app.core.models.base import DecimalText, Stamped, UTCDateTime


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    SCREENED = "screened"
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    REJECTED = "rejected"


class GrantStatus(StrEnum):
    APPROVED = "approved"
    ACTIVE = "active"
    CLOSED = "closed"
    CANCELLED = "cancelled"


GRANT_STATUS_LABELS = {
    GrantStatus.APPROVED: N_("Approved"),
    GrantStatus.ACTIVE: N_("Active"),
    GrantStatus.CLOSED: N_("Closed"),
    GrantStatus.CANCELLED: N_("Cancelled"),
}


class InstalmentStatus(StrEnum):
    PLANNED = "planned"
    PREPARED = "prepared"  # first pair of eyes
    PAID = "paid"  # approved by a second user with the finance role


class ReportKind(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ReportType(StrEnum):
    NARRATIVE = "narrative"
    FINANCIAL = "financial"


class AssistanceType(StrEnum):
    SHELTER = "shelter"
    MEDICAL = "medical"
    LEGAL = "legal"
    PSYCHOSOCIAL = "psychosocial"
    REINTEGRATION = "reintegration"
    OTHER = "other"


# what people call each stored value (the services, lists and record histories use these)
APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: N_("Submitted"),
    ApplicationStatus.SCREENED: N_("Screened"),
    ApplicationStatus.RECOMMENDED: N_("Recommended"),
    ApplicationStatus.APPROVED: N_("Approved"),
    ApplicationStatus.REJECTED: N_("Rejected"),
}
INSTALMENT_STATUS_LABELS = {
    InstalmentStatus.PLANNED: N_("Planned"),
    InstalmentStatus.PREPARED: N_("Prepared, awaiting approval"),
    InstalmentStatus.PAID: N_("Paid"),
}
REPORT_KIND_LABELS = {ReportKind.INTERIM: N_("Interim"), ReportKind.FINAL: N_("Final")}
REPORT_TYPE_LABELS = {ReportType.NARRATIVE: N_("Narrative"), ReportType.FINANCIAL: N_("Financial")}
# whole phrases, not "{kind} {type} report": word order and agreement differ by language
REPORT_LABELS = {
    (ReportKind.INTERIM, ReportType.NARRATIVE): N_("Interim narrative report"),
    (ReportKind.INTERIM, ReportType.FINANCIAL): N_("Interim financial report"),
    (ReportKind.FINAL, ReportType.NARRATIVE): N_("Final narrative report"),
    (ReportKind.FINAL, ReportType.FINANCIAL): N_("Final financial report"),
}
ASSISTANCE_LABELS = {
    AssistanceType.SHELTER: N_("Shelter"),
    AssistanceType.MEDICAL: N_("Medical"),
    AssistanceType.LEGAL: N_("Legal"),
    AssistanceType.PSYCHOSOCIAL: N_("Psychosocial"),
    AssistanceType.REINTEGRATION: N_("Reintegration"),
    AssistanceType.OTHER: N_("Other"),
}


class GrantCycle(Stamped, table=True):
    __tablename__ = "grant_cycle"

    number: int = Field(unique=True)
    year: int
    name: str = Field(max_length=200)
    call_open: date | None = None
    call_close: date | None = None
    board_meeting: str | None = Field(default=None, max_length=100)  # e.g. "14th meeting"
    board_meeting_date: date | None = None
    envelope_usd_cents: int = Field(sa_type=BigInteger)


class SubProgramme(Stamped, table=True):
    __tablename__ = "sub_programme"
    __table_args__ = (UniqueConstraint("cycle_id", "code", name="uq_subprogramme_cycle_code"),)

    cycle_id: uuid.UUID = Field(foreign_key="grant_cycle.id", index=True)
    code: str = Field(max_length=20)  # SGP1, SGP2
    name: str = Field(max_length=200)
    ceiling_usd_cents: int = Field(sa_type=BigInteger)
    max_months: int


class Grantee(Stamped, table=True):
    __tablename__ = "grantee"

    name: str = Field(max_length=300, unique=True, index=True)
    country: str = Field(max_length=3, index=True)
    registration_number: str | None = Field(default=None, max_length=100)
    registration_date: date | None = None
    partner_portal_id: str | None = Field(default=None, max_length=40)  # UN Partner Portal
    psea_attested: bool = False
    own_bank_account: bool = False
    non_profit: bool = True
    contact_person: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    address: str | None = Field(default=None, max_length=500)
    # org-id.guide identifier (registration agency prefix + number, e.g. "NP-SWC-1234"): open data
    org_id: str | None = Field(default=None, max_length=100)
    # letters to the grantee (award, reminders) are written in this UN language (migration 0009)
    language: str = Field(default="en", max_length=2)


class Application(Stamped, table=True):
    __tablename__ = "application"

    cycle_id: uuid.UUID = Field(foreign_key="grant_cycle.id", index=True)
    sub_programme_id: uuid.UUID = Field(foreign_key="sub_programme.id")
    grantee_id: uuid.UUID = Field(foreign_key="grantee.id", index=True)
    number: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=500)
    country: str = Field(max_length=3)
    requested_usd_cents: int = Field(sa_type=BigInteger)
    months: int
    status: str = Field(default=ApplicationStatus.SUBMITTED, max_length=16, index=True)
    board_meeting: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None
    decision_note: str | None = Field(default=None, max_length=2000)


class Grant(Stamped, table=True):
    __tablename__ = "grant"

    reference: str = Field(max_length=40, unique=True)  # agreement number
    application_id: uuid.UUID | None = Field(default=None, foreign_key="application.id")
    cycle_id: uuid.UUID = Field(foreign_key="grant_cycle.id", index=True)
    sub_programme_id: uuid.UUID | None = Field(default=None, foreign_key="sub_programme.id")
    grantee_id: uuid.UUID = Field(foreign_key="grantee.id", index=True)
    country: str = Field(max_length=3, index=True)  # country of implementation
    title: str = Field(max_length=500)
    amount_usd_cents: int = Field(sa_type=BigInteger)
    start: date
    end: date
    approved_on: date
    status: str = Field(default=GrantStatus.APPROVED, max_length=16, index=True)
    closed_on: date | None = None
    # a recorded, explicit override of the cycle envelope (who and why)
    envelope_override: str | None = Field(default=None, max_length=500)
    # open data: a sensitive grant (a shelter's location, a grantee at risk) is published without
    # its location and grantee, per IATI's exclusion policy; the reason is published with it
    sensitive: bool = False
    sensitive_reason: str | None = Field(default=None, max_length=500)


class Instalment(Stamped, table=True):
    __tablename__ = "instalment"
    __table_args__ = (UniqueConstraint("grant_id", "seq", name="uq_instalment_grant_seq"),)

    grant_id: uuid.UUID = Field(foreign_key="grant.id", index=True)
    seq: int
    planned_date: date
    amount_usd_cents: int = Field(sa_type=BigInteger)
    held_until_report_id: uuid.UUID | None = Field(default=None, foreign_key="grantee_report.id")
    status: str = Field(default=InstalmentStatus.PLANNED, max_length=16, index=True)
    prepared_by: str | None = Field(default=None, max_length=100)
    prepared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_by: str | None = Field(default=None, max_length=100)
    paid_on: date | None = Field(default=None, index=True)
    psc_rate: Decimal | None = Field(default=None, sa_type=DecimalText)  # % in force when paid
    psc_cents: int | None = Field(default=None, sa_type=BigInteger)  # PSC charged on this payment


class GranteeReport(Stamped, table=True):
    __tablename__ = "grantee_report"

    grant_id: uuid.UUID = Field(foreign_key="grant.id", index=True)
    kind: str = Field(max_length=10)  # interim / final
    type: str = Field(max_length=10)  # narrative / financial
    due_date: date = Field(index=True)
    received_on: date | None = None
    approved_on: date | None = None
    approved_by: str | None = Field(default=None, max_length=100)


class VictimsAssisted(Stamped, table=True):
    __tablename__ = "victims_assisted"

    report_id: uuid.UUID = Field(foreign_key="grantee_report.id", index=True)
    assistance: str = Field(max_length=16)
    women: int = 0
    girls: int = 0
    men: int = 0
    boys: int = 0
    office: str | None = Field(default=None, max_length=20)  # the field office that recorded it (None: HQ)


class Refund(Stamped, table=True):
    """Unspent balance returned by a grantee at closure; reduces net expenditure and its PSC."""

    __tablename__ = "refund"

    grant_id: uuid.UUID = Field(foreign_key="grant.id", index=True)
    date: date
    amount_usd_cents: int = Field(sa_type=BigInteger)
    psc_cents: int = Field(sa_type=BigInteger)  # PSC given back with it
    note: str | None = Field(default=None, max_length=1000)
