"""This database's office identity and the registry of the other offices and their keys.

``office init`` happens once: HQ, or a field office with a code and a region (ISO 3166 alpha-3
countries). HQ registers each office's public key; an office registers HQ's. A lost laptop: HQ
revokes the office's key and registers the new one; packages signed with a revoked key are
refused, and the office's sequence (its audit event numbers) simply continues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import select

from trustfund_app.core.countries import check_country
from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import HQ_CODE, Office, OfficeKey
from trustfund_app.core.offices import keys
from trustfund_app.core.services.base import Service

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    is_hq: bool
    regions: tuple[str, ...]
    is_self: bool
    public_key: str | None = None
    key_id: str | None = None
    revoked_keys: tuple[str, ...] = field(default=())

    def as_json(self) -> dict:
        return {"code": self.code, "hq": self.is_hq, "regions": list(self.regions), "key_id": self.key_id,
                "revoked_keys": list(self.revoked_keys)}


def parse_regions(text: str | list | None) -> tuple[str, ...]:
    items = text if isinstance(text, (list, tuple)) else (text or "").split(",")
    codes = [check_country(item.strip().upper(), "region") for item in items if item and item.strip()]
    if not codes:
        raise ValidationError(_("give the office's region as ISO 3166 country codes, e.g. --region NGA,GHA"), "region")
    return tuple(sorted(set(codes)))


def _info(session, office: Office) -> OfficeInfo:
    rows = session.scalars(select(OfficeKey).where(OfficeKey.office_code == office.code)
                           .order_by(OfficeKey.created_at)).all()
    active = next((k for k in rows if k.revoked_at is None), None)
    regions = tuple(r for r in office.regions.split(",") if r)
    return OfficeInfo(office.code, office.is_hq, regions, office.is_self, active.public_key if active else None,
                      active.key_id if active else None, tuple(k.key_id for k in rows if k.revoked_at is not None))


def self_office(session) -> OfficeInfo | None:
    """This database's identity, or None when it has none (a fund with no offices)."""
    office = session.scalars(select(Office).where(Office.is_self.is_(True))).first()
    return _info(session, office) if office else None


def office(session, code: str) -> OfficeInfo | None:
    row = session.scalars(select(Office).where(Office.code == code)).first()
    return _info(session, row) if row else None


def offices(session) -> list[OfficeInfo]:
    return [_info(session, o) for o in session.scalars(select(Office).order_by(Office.is_hq.desc(), Office.code))]


def key_for(session, code: str, key_id: str) -> OfficeKey | None:
    return session.scalars(select(OfficeKey).where(OfficeKey.office_code == code, OfficeKey.key_id == key_id)).first()


def check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if code == HQ_CODE or not _CODE.match(code):
        raise ValidationError(_('"{code}" is not an office code: 2 to 12 letters and digits, starting with a letter, '
                                'not HQ').format(code=code), "code")
    return code


class OfficeService(Service):
    def init(self, hq: bool, code: str | None = None, regions=None) -> OfficeInfo:
        """Give this database its identity and signing key pair (once)."""
        code = HQ_CODE if hq else check_code(code)
        region_codes = () if hq else parse_regions(regions)
        with self._write("settings") as s:
            existing = self_office(s)
            if existing is not None:
                raise ValidationError(_("this database already is office {code}").format(code=existing.code), "code")
            if s.scalars(select(Office).where(Office.code == code)).first() is not None:
                raise ValidationError(_("office {code} is already registered here").format(code=code), "code")
            public, key_id = keys.generate(code)
            s.add(Office(code=code, is_hq=hq, regions=",".join(region_codes), is_self=True))
            s.add(OfficeKey(office_code=code, public_key=public, key_id=key_id))
            s.flush()
            info = self_office(s)
        self._changed("office", "insert", code)
        return info

    def add(self, code: str, key_text: str, regions=None) -> OfficeInfo:
        """Register the other side's public key: HQ registers an office (with its region), an office
        registers HQ. A new key for an office whose old key was revoked continues its sequence."""
        code = (code or "").strip().upper()
        try:
            public = keys.public_from_text(key_text)
        except Exception:
            raise ValidationError(_("this is not a minisign public key file"), "key")
        public_b64, key_id = public.to_base64().decode("ascii"), keys.key_id_of(public)
        with self._write("settings") as s:
            me = self_office(s)
            if me is None:
                raise ValidationError(_("this database has no office identity yet: run office init first"), "code")
            if code == me.code:
                raise ValidationError(_("office {code} is this database itself").format(code=code), "code")
            if me.is_hq == (code == HQ_CODE):
                raise ValidationError(_("headquarters registers field offices and a field office registers HQ"), "code")
            if code != HQ_CODE:
                check_code(code)
            row = s.scalars(select(Office).where(Office.code == code)).first()
            region_codes = parse_regions(regions) if regions else None
            if row is None:
                row = Office(code=code, is_hq=code == HQ_CODE, regions=",".join(region_codes or ()), is_self=False)
                s.add(row)
            elif region_codes:
                row.regions = ",".join(region_codes)
            known = s.scalars(select(OfficeKey).where(OfficeKey.office_code == code)).all()
            if any(k.key_id == key_id for k in known):
                raise ValidationError(_("this key of office {code} is already registered").format(code=code), "key")
            if any(k.revoked_at is None for k in known):
                raise ValidationError(_("office {code} already has a key: revoke it before registering another")
                                      .format(code=code), "key")
            s.add(OfficeKey(office_code=code, public_key=public_b64, key_id=key_id))
            s.flush()
            info = office(s, code)
        self._changed("office", "update", code)
        return info

    def revoke(self, code: str) -> OfficeInfo:
        code = (code or "").strip().upper()
        with self._write("settings") as s:
            active = s.scalars(select(OfficeKey).where(OfficeKey.office_code == code,
                                                       OfficeKey.revoked_at.is_(None))).first()
            if active is None:
                raise NotFoundError(_("office {code} has no key to revoke").format(code=code))
            me = self_office(s)
            if me is not None and me.code == code:
                raise ValidationError(_("a database cannot revoke its own key: make a new one with office new-key"),
                                      "code")
            active.revoked_at = datetime.now(timezone.utc)
            active.revoked_by = self.actor.name
            s.flush()
            info = office(s, code)
        self._changed("office", "update", code)
        return info

    def new_key(self) -> OfficeInfo:
        """A new key pair for this office (its laptop was lost and HQ revoked the old key): the old
        key is retired here too; the sequence of events simply continues."""
        with self._write("settings") as s:
            me = self_office(s)
            if me is None:
                raise ValidationError(_("this database has no office identity yet: run office init first"), "code")
            now = datetime.now(timezone.utc)
            for old in s.scalars(select(OfficeKey).where(OfficeKey.office_code == me.code,
                                                         OfficeKey.revoked_at.is_(None))):
                old.revoked_at, old.revoked_by = now, self.actor.name
            public, key_id = keys.generate(me.code)
            s.add(OfficeKey(office_code=me.code, public_key=public, key_id=key_id))
            s.flush()
            info = self_office(s)
        self._changed("office", "update", info.code)
        return info

    def export_key(self) -> str:
        with self.db.reading() as s:
            me = self_office(s)
        if me is None or me.public_key is None:
            raise ValidationError(_("this database has no office identity yet: run office init first"), "code")
        return keys.public_file_text(me.public_key, me.code)

    def show(self) -> tuple[OfficeInfo | None, list[OfficeInfo]]:
        with self.db.reading() as s:
            return self_office(s), [o for o in offices(s) if not o.is_self]

    def backup_keys(self, backup_file) -> list:
        """Copy this office's secret key(s) beside a backup file (see ``keys.backup_private_keys``)."""
        with self.db.reading() as s:
            me = self_office(s)
            if me is None:
                return []
            ids = [(k.office_code, k.key_id) for k in s.scalars(select(OfficeKey).where(OfficeKey.office_code == me.code))]
        return keys.backup_private_keys(ids, backup_file)
