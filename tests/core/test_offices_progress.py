"""Applying or making a package reports its progress (changes done of the total) and can be
cancelled through the progress callback: a cancelled apply leaves the database exactly as it was
(one transaction), and the package applies in full afterwards; the result counts per table."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.offices_setup import Side, connect, hq_fund, table_rows
from tests.pg import fresh_database_url
from trustfund_app.core.offices.apply import apply_package
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeService


class Stop(Exception):
    pass


@pytest.fixture
def pair(db, admin, tmp_path):
    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    hq.grants = hq_fund(db, admin, countries=("NGA", "KEN"))
    (tmp_path / "w").mkdir()
    office = connect(hq, "ROWA", "NGA", fresh_database_url(tmp_path / "w"))
    yield hq, office
    office.db.dispose()


def _everything(db) -> dict:
    from trustfund_app.core.models import AuditEvent, metadata

    with db.reading() as s:
        events = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    return {"events": events, **{t: table_rows(db, t) for t in ("grantee", "grant", "grantee_report", "sync_peer",
                                                               "sync_package") if t in metadata.tables}}


def test_a_cancelled_apply_changes_nothing_and_the_package_applies_later(pair):
    hq, office = pair
    data, made = export_package(hq.db, hq.admin.name, "ROWA")
    before = _everything(office.db)
    calls = []

    def cancel_midway(done, total):
        calls.append((done, total))
        if done > 0:
            raise Stop()

    with pytest.raises(Stop):
        apply_package(office.db, office.admin.name, data, progress=cancel_midway)
    assert calls[0][0] == 0 and calls[0][1] == made.changes > 1
    assert _everything(office.db) == before  # not a row, not an event, not the package's record
    seen = []
    result = apply_package(office.db, office.admin.name, data, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, made.changes) and seen[-1] == (made.changes, made.changes)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert result.applied == made.changes and not result.replay
    assert result.tables["grantee"] == [1, 0, 0] and result.tables["grant"] == [1, 0, 0]
    assert sum(t[0] for t in result.tables.values()) == result.applied
    assert "KEN" not in {g["country"] for g in table_rows(office.db, "grant").values()}


def test_a_cancelled_export_records_no_package(pair):
    hq, office = pair
    before = _everything(hq.db)

    def cancel(done, total):
        if done:
            raise Stop()

    with pytest.raises(Stop):
        export_package(hq.db, hq.admin.name, "ROWA", progress=cancel)
    assert _everything(hq.db) == before
    seen = []
    _data, made = export_package(hq.db, hq.admin.name, "ROWA", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (made.last - made.first + 1,) * 2 and made.changes > 0
