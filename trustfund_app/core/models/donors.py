"""Donors and the aliases used to recognise them in spreadsheets."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from trustfund_app.core.i18n import N_
from trustfund_app.core.models.base import Stamped


class DonorType(StrEnum):
    MEMBER_STATE = "member_state"
    INTERGOVERNMENTAL = "intergovernmental"
    UN_ENTITY = "un_entity"
    PRIVATE_SECTOR = "private_sector"
    FOUNDATION = "foundation"
    INDIVIDUAL = "individual"
    OTHER = "other"


DONOR_TYPE_LABELS = {
    DonorType.MEMBER_STATE: N_("Member State"),
    DonorType.INTERGOVERNMENTAL: N_("Intergovernmental organization"),
    DonorType.UN_ENTITY: N_("United Nations entity"),
    DonorType.PRIVATE_SECTOR: N_("Private sector"),
    DonorType.FOUNDATION: N_("Foundation"),
    DonorType.INDIVIDUAL: N_("Individual"),
    DonorType.OTHER: N_("Other"),
}


class Donor(Stamped, table=True):
    __tablename__ = "donor"

    name: str = Field(max_length=200, unique=True, index=True)
    type: str = Field(max_length=32, index=True)
    country: str | None = Field(default=None, max_length=3, index=True)  # ISO 3166 alpha-3
    language: str = Field(default="en", max_length=2)  # preferred statement language
    contact_person: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    address: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=2000)
    active: bool = Field(default=True)
    merged_into_id: uuid.UUID | None = Field(default=None, foreign_key="donor.id")
    # the donor's name in other UN languages, {"ar": "مصر"}; see core/donor_names.py
    names: dict | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))


class DonorAlias(Stamped, table=True):
    __tablename__ = "donor_alias"
    __table_args__ = (UniqueConstraint("match_key", name="uq_donor_alias_match_key"),)

    donor_id: uuid.UUID = Field(foreign_key="donor.id", index=True)
    alias: str = Field(max_length=200)
    # case- and accent-folded form used for matching spreadsheet names
    match_key: str = Field(max_length=200)
