"""Shared fixtures. ``db`` is a fresh, migrated fund database (SQLite in a temp folder; PostgreSQL
when TRUSTFUND_TEST_PG_URL names a server — see tests/pg.py) with an administrator."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Backups and settings files go to a temp folder, never the developer's real data folder."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setattr("trustfund_app.core.paths.user_data_dir", lambda: home)
    monkeypatch.delenv("TRUSTFUND_DB", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path):
    from tests.pg import fresh_database_url

    return fresh_database_url(tmp_path)


@pytest.fixture
def db(db_url):
    from trustfund_app.core.db import Database

    database = Database.open(db_url)
    yield database
    database.dispose()


@pytest.fixture
def admin(db):
    from trustfund_app.core.services.users import UserService

    return UserService(db).create_first_admin("admin", "Quiet-River-42")


@pytest.fixture
def finance(db, admin):
    from trustfund_app.core.services.users import UserService

    # created by the system, not by ``admin``: an account admin created may not approve what admin
    # prepared (four eyes), and tests let the two approve each other's payments
    return UserService(db).add("fiona", "finance", "Quiet-River-42")


@pytest.fixture
def eur_rates(db, admin):
    """Monthly EUR and JPY rates for 2025–2026."""
    from trustfund_app.core.services.rates import RateService

    rates = RateService(db, admin)
    for year in (2025, 2026):
        for month in range(1, 13):
            rates.add_month(date(year, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5"), "KWD": Decimal("0.307")})
    return rates
