"""The demo fund: what a user exploring it would find (enough donors of every kind from every
region, fifteen years in many currencies, ten cycles of grants with schedules, reports and
victims), that it obeys the fund's rules, that the same seed gives the same fund, and the
``trustfund demo`` command of CLI.md. The fund is built once for the module."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trustfund_app.core import audit, audit_verify
from trustfund_app.core.countries import region_of
from trustfund_app.core.db import Database
from trustfund_app.core.demo import DemoCancelled, build_demo_fund, is_demo, is_empty
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.models import (
    Allocation, Application, Contribution, Donor, DonorAlias, DonorType, ExchangeRate, Grant, GrantCycle,
    GranteeReport, Instalment, Refund, SubProgramme, VictimsAssisted,
)
from trustfund_app.core.money import USD, Money, percent_of
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.grants import ReportService
from trustfund_app.core.services.position import fund_position
from trustfund_app.core.services.rates import find_rate
from trustfund_app.core.services.users import UserService
from tests.actors import READER

ROOT = Path(__file__).resolve().parents[2]
# everything the seed decides (users are left out: their password hashes are salted)
DIGEST_TABLES = (Donor, DonorAlias, ExchangeRate, Contribution, Allocation, GrantCycle, SubProgramme, Application,
                 Grant, Instalment, GranteeReport, VictimsAssisted, Refund)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.pg import fresh_database_url

    db = Database.open(fresh_database_url(tmp_path_factory.mktemp("demo")))
    summary = build_demo_fund(db, seed=1)
    yield db, summary
    db.dispose()


def digest(db: Database) -> str:
    h = hashlib.sha256()
    with db.reading() as s:
        for model in DIGEST_TABLES:
            columns = [c for c in model.__table__.c if c.name not in ("created_at", "updated_at")]
            for row in s.execute(select(*columns).order_by(model.__table__.c.id)):
                h.update(repr([str(v) for v in row]).encode())
    return h.hexdigest()


def digest_of(path) -> str:
    db = Database.open(path)
    try:
        return digest(db)
    finally:
        db.dispose()


def audit_events(path) -> int:
    db = Database.open(path)
    try:
        with db.reading() as s:
            return s.scalar(select(func.count()).select_from(audit.AuditEvent))
    finally:
        db.dispose()


def cli(*args, password: str | None = None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TRUSTFUND_DB", None)
    if password is not None:
        env["TRUSTFUND_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "trustfund_app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


# -- what a user finds ------------------------------------------------------------------------------
def test_donors_of_every_type_from_every_region_with_languages_and_aliases(demo):
    db, _summary = demo
    with db.reading() as s:
        donors = list(s.scalars(select(Donor)))
    assert len(donors) >= 60
    assert {d.type for d in donors} == {t.value for t in DonorType}
    states = {d.name: d for d in donors if d.type == DonorType.MEMBER_STATE}
    assert {region_of(d.country) for d in states.values()} == {"africa", "americas", "asia", "europe", "oceania"}
    assert {d.language for d in donors} == {"ar", "zh", "en", "fr", "ru", "es"}
    expected = {"Saudi Arabia": ("SAU", "ar"), "China": ("CHN", "zh"), "France": ("FRA", "fr"),
                "Russian Federation": ("RUS", "ru"), "Spain": ("ESP", "es"), "Mexico": ("MEX", "es"),
                "Germany": ("DEU", "en")}
    for name, (country, language) in expected.items():
        assert (states[name].country, states[name].language) == (country, language)
    service = DonorService(db, READER)
    for alias, name in (("Federal Republic of Germany", "Germany"), ("中华人民共和国", "China"),
                        ("المملكة العربية السعودية", "Saudi Arabia"), ("united kingdom", None)):
        found = service.find(alias)
        assert found is not None, alias
        if name:
            assert service.get(found).name == name


def test_fifteen_years_of_pledges_and_payments_in_many_currencies(demo):
    db, summary = demo
    today = summary.today
    with db.reading() as s:
        rows = s.execute(select(Contribution.kind, Contribution.date, Contribution.currency, Contribution.earmark)).all()
        allocated = dict(s.execute(select(Allocation.pledge_id, func.sum(Allocation.amount_minor))
                                   .group_by(Allocation.pledge_id)).all())
        pledges = {p.id: p.amount_minor for p in s.scalars(select(Contribution).where(Contribution.kind == "pledge"))}
        unallocated_payments = s.scalar(select(func.count()).select_from(Contribution).where(
            Contribution.kind == "payment", Contribution.id.not_in(select(Allocation.payment_id))))
    payment_years = {r.date.year for r in rows if r.kind == "payment"}
    assert payment_years == set(range(today.year - 14, today.year + 1))
    assert max(r.date for r in rows) <= today
    assert len({r.currency for r in rows}) >= 10
    assert {"USD", "EUR", "GBP", "JPY", "CHF", "KWD", "SAR", "CNY", "RUB"} <= {r.currency for r in rows}
    assert any(r.earmark for r in rows)
    assert unallocated_payments > 0  # payments without a pledge
    partly = [p for p, amount in pledges.items() if 0 < allocated.get(p, 0) < amount]
    unpaid = [p for p in pledges if p not in allocated]
    assert partly and unpaid
    assert all(allocated.get(p, 0) <= amount for p, amount in pledges.items())


@pytest.mark.parametrize("seed, today", [(1, date(2026, 6, 1)), (3, date(2026, 11, 28)), (21, date(2025, 1, 2))])
def test_every_donor_has_given_something_whatever_the_seed_and_day(seed, today):
    # these seeds and days once left a donor with no contribution at all (an empty statement)
    import random
    import uuid

    from trustfund_app.core.demo.contribution_plan import ContributionPlanner
    from trustfund_app.core.demo.data import ALL_DONORS
    from trustfund_app.core.demo.donors import DemoDonor
    from trustfund_app.core.demo.rates import generate_rates

    def stream(part):
        return random.Random(f"trustfund-demo:{seed}:{part}")

    donors = [DemoDonor(uuid.UUID(int=n + 1), s) for n, s in enumerate(ALL_DONORS)]
    rates = generate_rates(stream("rates"), date(today.year - 14, 1, 1), today)
    entries = ContributionPlanner(stream("contributions"), rates, today.year - 14, today).plan(donors)
    assert {e.donor.id for e in entries} == {d.id for d in donors}
    assert max(e.date for e in entries) <= today

def test_monthly_unore_rates_with_mid_month_revisions(demo):
    db, summary = demo
    with db.reading() as s:
        rates = s.execute(select(ExchangeRate.currency, ExchangeRate.effective_date, ExchangeRate.rate)).all()
    per_currency = defaultdict(set)
    for cur, day, _rate in rates:
        per_currency[cur].add(day)
    first = date(summary.today.year - 14, 1, 1)
    months = (summary.today.year - first.year) * 12 + summary.today.month
    for cur, days in per_currency.items():
        assert len([d for d in days if d.day == 1]) == months, cur
    assert any(d.day != 1 for _c, d, _r in rates)
    eur = [r for c, _d, r in rates if c == "EUR"]
    assert Decimal("0.6") < min(eur) and max(eur) < Decimal("1.2")
    assert {r for c, _d, r in rates if c == "SAR"} == {Decimal("3.750")}


def test_each_contribution_carries_its_unore_rate_usd_equivalent_and_receipt_number(demo):
    db, _summary = demo
    with db.reading() as s:
        rows = list(s.scalars(select(Contribution).order_by(Contribution.date)))
        for c in rows[::7]:
            found = find_rate(s, c.currency, c.date)
            assert (c.rate, c.rate_date) == (found.rate, found.effective_date)
            assert c.usd_cents == Money.from_minor(c.amount_minor, c.currency).to_usd(c.rate).minor
    numbers = defaultdict(list)
    for c in rows:
        assert c.receipt_number.startswith(f"VTF-{c.date.year}-")
        numbers[c.date.year].append((int(c.receipt_number.rsplit("-", 1)[1]), c.date))
    for year, issued in numbers.items():
        issued.sort()
        assert [n for n, _d in issued] == list(range(1, len(issued) + 1)), year  # no gaps
        assert [d for _n, d in issued] == sorted(d for _n, d in issued), year  # in date order


def test_ten_cycles_with_sub_programmes_and_over_200_grants_in_60_countries(demo):
    db, summary = demo
    with db.reading() as s:
        cycles = list(s.scalars(select(GrantCycle)))
        sps = list(s.scalars(select(SubProgramme)))
        grants = list(s.scalars(select(Grant)))
        apps = list(s.scalars(select(Application)))
    assert len(cycles) == 10 and {c.year for c in cycles} == set(range(summary.today.year - 9, summary.today.year + 1))
    assert {(sp.code, sp.ceiling_usd_cents, sp.max_months) for sp in sps} == {("SGP1", 2_000_000, 9), ("SGP2", 6_000_000, 24)}
    assert len(sps) == 20
    assert len(grants) >= 200 and len(apps) >= 200
    assert any(a.status == "rejected" for a in apps)
    assert len({g.grantee_id for g in grants}) >= 60 and len({g.country for g in grants}) >= 60
    ceilings = {sp.id: sp.ceiling_usd_cents for sp in sps}
    envelopes = {c.id: c.envelope_usd_cents for c in cycles}
    per_cycle = defaultdict(int)
    for g in grants:
        assert g.amount_usd_cents <= ceilings[g.sub_programme_id]
        per_cycle[g.cycle_id] += g.amount_usd_cents
    assert all(total <= envelopes[cycle] for cycle, total in per_cycle.items())
    assert {"closed", "active"} <= {g.status for g in grants}


def test_instalments_add_up_the_second_waits_for_the_interim_report_and_psc_is_13_percent(demo):
    db, _summary = demo
    with db.reading() as s:
        grants = {g.id: g for g in s.scalars(select(Grant))}
        reports = {r.id: r for r in s.scalars(select(GranteeReport))}
        schedule = defaultdict(list)
        for inst in s.scalars(select(Instalment).order_by(Instalment.seq)):
            schedule[inst.grant_id].append(inst)
    assert set(schedule) == set(grants)
    for grant_id, lines in schedule.items():
        assert sum(i.amount_usd_cents for i in lines) == grants[grant_id].amount_usd_cents
        second = reports[lines[1].held_until_report_id]
        assert (second.grant_id, second.kind) == (grant_id, "interim")
        for inst in lines:
            if inst.status == "paid":
                assert inst.paid_on >= grants[grant_id].approved_on and inst.approved_by != inst.prepared_by
                assert inst.psc_rate == Decimal(13)
                assert inst.psc_cents == percent_of(Money.from_minor(inst.amount_usd_cents, USD), Decimal(13)).minor
                held = reports.get(inst.held_until_report_id)
                assert held is None or (held.approved_on and held.approved_on <= inst.paid_on)


def test_reports_victims_closures_refunds_and_overdue_list(demo):
    db, summary = demo
    with db.reading() as s:
        grants = {g.id: g for g in s.scalars(select(Grant))}
        reports = list(s.scalars(select(GranteeReport)))
        victims = list(s.scalars(select(VictimsAssisted)))
        refunds = list(s.scalars(select(Refund)))
    by_id = {r.id: r for r in reports}
    assert victims and all(by_id[v.report_id].approved_on for v in victims)
    assert sum(v.women + v.girls for v in victims) > sum(v.men + v.boys for v in victims) > 0
    for r in reports:
        assert r.approved_on is None or r.received_on <= r.approved_on <= summary.today
    for g in grants.values():
        if g.status == "closed":
            assert all(r.approved_on for r in reports if r.grant_id == g.id and r.kind == "final")
    assert refunds and all(f.psc_cents == percent_of(Money.from_minor(f.amount_usd_cents, USD), Decimal(13)).minor
                           for f in refunds)
    overdue = ReportService(db, READER).overdue(summary.today)
    assert overdue and all(r.due_date < summary.today for r in overdue)


def test_position_identities_hold_and_the_fund_never_runs_dry(demo):
    db, summary = demo
    with db.reading() as s:
        for year in range(summary.today.year - 14, summary.today.year + 1):
            pos = fund_position(s, min(date(year, 12, 31), summary.today))
            assert pos.balance == pos.received - pos.disbursed - pos.psc
            assert pos.available == pos.balance - pos.commitments
            assert pos.available.amount >= 0, year
        assert pos.received.amount > (pos.disbursed + pos.psc).amount * Decimal("1.2")
        assert pos.pledged_outstanding.is_positive()


def test_demo_users_marked_fund_and_complete_audit_trail(demo):
    db, _summary = demo
    users = UserService(db, READER)
    assert {(u["name"], u["role"]) for u in users.list()} == {
        ("admin", "administrator"), ("finance", "finance"), ("programme", "programme"), ("viewer", "read-only")}
    assert users.login("viewer", "demo").role == "read-only"  # the CLI test logs in as admin
    assert is_demo(db) and not is_empty(db)
    with db.reading() as s:
        result = audit_verify.verify(s)
        assert result.ok, result.bad
        assert set(s.scalars(select(audit.AuditEvent.user).distinct())) >= {"admin", "finance", "programme"}
    with pytest.raises(ValidationError, match="not empty"):
        build_demo_fund(db, seed=1)


# -- determinism, cancelling ------------------------------------------------------------------------
def test_other_seed_gives_another_fund_and_cancel_leaves_nothing(demo, tmp_path):
    db, _summary = demo
    other = Database.open(tmp_path / "seed2.sqlite3")
    build_demo_fund(other, seed=2, today=date.today())
    assert digest(other) != digest(db)
    cancelled = Database.open(tmp_path / "cancelled.sqlite3")
    calls = []
    with pytest.raises(DemoCancelled):
        build_demo_fund(cancelled, seed=1, cancelled=lambda: calls.append(1) or len(calls) > 3,
                        progress=lambda done, total, label: None)
    assert is_empty(cancelled)
    with cancelled.reading() as s:
        assert s.scalar(select(func.count()).select_from(audit.AuditEvent)) == 0
    other.dispose()
    cancelled.dispose()


# -- the command line -------------------------------------------------------------------------------
def test_cli_demo_then_position_json_and_refusal_of_a_non_empty_database(demo, tmp_path):
    db, summary = demo
    path = tmp_path / "cli-demo.sqlite3"
    made = cli("--db", str(path), "demo")
    assert made.returncode == 0, made.stderr
    assert "Building the demo fund" in made.stderr and "Grants:" in made.stdout
    if summary.today == date.today():  # same seed, same day: the same fund, in another process
        assert digest_of(path) == digest(db)
    shown = cli("--db", str(path), "--user", "admin", "position", "--json", password="demo")
    assert shown.returncode == 0, shown.stderr
    pos = json.loads(shown.stdout)
    assert set(pos) == {"as_of", "currency", "received", "pledged_outstanding", "disbursed", "psc", "balance",
                        "commitments", "available"}
    assert pos["currency"] == "USD" and all("." in pos[k] and len(pos[k].split(".")[1]) == 2 for k in pos
                                            if k not in ("as_of", "currency"))
    money = {k: Decimal(v) for k, v in pos.items() if k not in ("as_of", "currency")}
    assert money["balance"] == money["received"] - money["disbursed"] - money["psc"]
    assert money["available"] == money["balance"] - money["commitments"]
    assert money["received"] > 0 and money["disbursed"] > 0 and money["psc"] > 0 and money["commitments"] > 0
    before = digest_of(path), audit_events(path)
    again = cli("--db", str(path), "demo", "--seed", "5")
    assert again.returncode == 2
    assert "not empty" in again.stderr and "Traceback" not in again.stderr
    assert (digest_of(path), audit_events(path)) == before
