"""Roles are enforced in the services, not by hidden buttons: a read-only user cannot change
anything through any service or command, programme cannot record contributions, finance cannot
add users; wrong passwords lock the account for a while; passwords are never stored in clear."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.resilience_helpers import audit_events, cli, seed_fund
from trustfund_app.core.errors import AuthenticationError, PermissionDenied
from trustfund_app.core.models import Role, User
from trustfund_app.core.services.base import PERMISSIONS, Actor
from trustfund_app.core.services.users import LOCK_MINUTES, MAX_FAILED_LOGINS, UserService

SERVICES = Path(__file__).resolve().parents[2] / "trustfund_app" / "core" / "services"
# Writes that do not go through Service._write, each guarded in its own way.
DIRECT_WRITERS = {
    ("users.py", "_create"),  # add() requires "users" first; create_first_admin only on an empty database
    ("users.py", "login"),  # counts failed logins of the user logging in
    ("users.py", "change_own_password"),  # anyone, for their own account, with the current password
}
READ_ONLY = Actor("viewer", Role.READ_ONLY)


def _service_write_calls():
    """(file, method, permission argument node) for every write a service opens."""
    for path in sorted(SERVICES.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    if node.func.attr in ("_write", "writing"):
                        yield path.relative_to(SERVICES).as_posix(), func.name, node


def test_every_service_write_names_a_permission_the_read_only_role_lacks():
    calls = list(_service_write_calls())
    assert len(calls) >= 10  # the scan sees the services
    for file, method, node in calls:
        if file == "base.py" and method == "_write":
            continue
        if node.func.attr == "writing":
            assert (file, method) in DIRECT_WRITERS, f"{file}:{method} opens a write without a permission check"
            continue
        assert node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str), \
            f"{file}:{method} writes without naming a permission"
        permission = node.args[0].value
        assert any(permission in granted for granted in PERMISSIONS.values()), f"unknown permission {permission}"
        assert not READ_ONLY.can(permission)


def test_a_read_only_user_cannot_write_through_any_service(db, admin):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService
    from trustfund_app.core.services.settings import SettingsService

    fund = seed_fund(db, admin)
    pledge = ContributionService(db, admin).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "100", "EUR")
    before = audit_events(db)
    attempts = [
        lambda: DonorService(db, READ_ONLY).create("Chile", "member_state", "CHL"),
        lambda: DonorService(db, READ_ONLY).update(fund.donor_ids[0], notes="x"),
        lambda: DonorService(db, READ_ONLY).set_active(fund.donor_ids[0], False),
        lambda: DonorService(db, READ_ONLY).merge(fund.donor_ids[0], fund.donor_ids[1]),
        lambda: RateService(db, READ_ONLY).set_rate("EUR", date(2025, 6, 15), "0.9"),
        lambda: RateService(db, READ_ONLY).add_month(date(2026, 1, 1), {"EUR": "0.9"}),
        lambda: ContributionService(db, READ_ONLY).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "1", "EUR"),
        lambda: ContributionService(db, READ_ONLY).record_payment(fund.donor_ids[0], date(2025, 2, 1), "1", "EUR"),
        lambda: ContributionService(db, READ_ONLY).reverse(pledge, "no"),
        lambda: ContributionService(db, READ_ONLY).correct_note(pledge, None, None, "x", "why"),
        lambda: SettingsService(db, READ_ONLY).set("psc_rate_percent", "7"),
        lambda: UserService(db, READ_ONLY).add("eve", "administrator", "Quiet-River-42"),
    ]
    attempts += _grant_attempts(db)
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert audit_events(db) == before


def _grant_attempts(db):
    """The grants services, as far as they exist in this checkout."""
    found = []
    try:
        from trustfund_app.core.services.grants.grantees import GranteeService

        found.append(lambda: GranteeService(db, READ_ONLY).create("Aid NGO", "NGA"))
    except ModuleNotFoundError:
        pass
    try:
        from trustfund_app.core.services.grants.cycles import CycleService

        found.append(lambda: CycleService(db, READ_ONLY).create(99, 2025, "Cycle", "1000"))
    except ModuleNotFoundError:
        pass
    try:
        from trustfund_app.core.services.grants import ApplicationService, GrantService, InstalmentService

        some_id = "00000000-0000-0000-0000-000000000001"
        found += [
            lambda: ApplicationService(db, READ_ONLY).advance(some_id),
            lambda: GrantService(db, READ_ONLY).close(some_id, date(2026, 1, 1)),
            lambda: GrantService(db, READ_ONLY).refund(some_id, date(2026, 1, 1), "10"),
            lambda: InstalmentService(db, READ_ONLY).prepare(some_id),
            lambda: InstalmentService(db, READ_ONLY).approve(some_id, date(2026, 1, 1)),
        ]
    except (ModuleNotFoundError, ImportError):
        pass
    return found


def test_programme_cannot_record_contributions_and_finance_cannot_add_users(db, admin, finance):
    from trustfund_app.core.services.contributions import ContributionService

    fund = seed_fund(db, admin)
    programme = UserService(db, admin).add("pat", "programme", "Quiet-River-42")
    with pytest.raises(PermissionDenied):
        ContributionService(db, programme).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "100", "EUR")
    with pytest.raises(PermissionDenied):
        UserService(db, finance).add("eve", "administrator", "Quiet-River-42")
    # and what each role may do, it can
    ContributionService(db, finance).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "100", "EUR")
    assert [u["name"] for u in UserService(db, admin).list()] == ["admin", "fiona", "pat"]


def test_on_the_command_line_a_missing_right_exits_2_and_changes_nothing(db, admin, capsys, monkeypatch):
    UserService(db, admin).add("viewer", "read-only", "Quiet-River-42")
    UserService(db, admin).add("fiona", "finance", "Quiet-River-42")
    before = audit_events(db)
    for user in ("viewer", "fiona"):
        code, _out, err = cli(["--db", db.url, "users", "add", "eve", "--role", "administrator"], capsys,
                              monkeypatch, user=user, new_password="Blue-Lantern-9")
        assert code == 2 and "may not change users" in err
    code, _out, err = cli(["--db", db.url, "users", "list"], capsys, monkeypatch, user="viewer")
    assert code == 2
    code, out, err = cli(["--db", db.url, "position", "--json", "--at", "2025-12-31"], capsys, monkeypatch,
                         user="viewer")
    assert code == 0, err  # reading is everyone's right
    assert audit_events(db) == before
    code, out, err = cli(["--db", db.url, "users", "add", "eve", "--role", "programme"], capsys, monkeypatch,
                         new_password="Blue-Lantern-9")
    assert code == 0, err
    assert "eve" in [u["name"] for u in UserService(db, admin).list()]


def test_wrong_passwords_lock_the_account_for_a_while(db, admin):
    users = UserService(db)
    UserService(db, admin).add("fiona", "finance", "right-password")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError, match="wrong user name or password"):
            users.login("fiona", "wrong")
    with pytest.raises(AuthenticationError, match="locked"):
        users.login("fiona", "right-password")  # even the right password, while locked
    with db.reading() as s:
        locked_until = s.scalar(select(User.locked_until).where(User.name == "fiona"))
    assert timedelta(minutes=LOCK_MINUTES - 1) < locked_until - datetime.now(timezone.utc) <= timedelta(minutes=LOCK_MINUTES)
    # the lock lapses
    with db.writing("admin") as s:
        s.scalar(select(User).where(User.name == "fiona")).locked_until = datetime.now(timezone.utc) - timedelta(seconds=1)
    assert users.login("fiona", "right-password") == Actor("fiona", "finance")
    with db.reading() as s:
        user = s.scalar(select(User).where(User.name == "fiona"))
        assert user.failed_logins == 0 and user.locked_until is None
    # a few failures then a success start the count again
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationError):
            users.login("fiona", "wrong")
    users.login("fiona", "right-password")
    with pytest.raises(AuthenticationError, match="wrong"):
        users.login("fiona", "wrong")
    users.login("fiona", "right-password")


def test_an_unknown_user_and_a_wrong_password_read_the_same(db, admin):
    with pytest.raises(AuthenticationError) as unknown:
        UserService(db).login("nobody", "Quiet-River-42")
    with pytest.raises(AuthenticationError) as wrong:
        UserService(db).login("admin", "not-it")
    assert str(unknown.value) == str(wrong.value)


def test_passwords_are_never_stored_in_clear(db, admin):
    secret = "Corr3ct-Horse-Battery"
    UserService(db, admin).add("fiona", "finance", secret)
    with db.reading() as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "fiona"))
    assert stored.startswith("$argon2") and secret not in stored
    if db.is_sqlite:
        db.dispose()
        for path in db.sqlite_path.parent.glob(db.sqlite_path.name + "*"):
            assert secret.encode() not in path.read_bytes()


def test_four_eyes_bind_administrators_too_and_the_trail_names_both_pairs_of_eyes(db, admin):
    import json

    grants_setup = pytest.importorskip("tests.core.grants_setup")
    from trustfund_app.core.models import AuditEvent
    from trustfund_app.core.services.grants import InstalmentService

    fund = grants_setup.make_cycle(db, admin)
    grant = grants_setup.approved_grant(db, admin, fund)
    first, _second = grants_setup.two_instalments(db, admin, grant, held=False)
    second_admin = UserService(db).add("ada", "administrator", "Quiet-River-42")  # by the system: an account admin created may not approve what admin prepared
    programme = UserService(db, admin).add("pat", "programme", "Quiet-River-42")

    with pytest.raises(PermissionDenied):
        InstalmentService(db, READ_ONLY).prepare(first)
    InstalmentService(db, admin).prepare(first)
    for outsider in (admin, READ_ONLY, programme):  # the preparer, and roles without the right
        with pytest.raises(PermissionDenied):
            InstalmentService(db, outsider).approve(first, date(2026, 5, 12))
    InstalmentService(db, second_admin).approve(first, date(2026, 5, 12))

    with db.reading() as s:
        updates = s.scalars(select(AuditEvent).where(AuditEvent.entity == "instalment", AuditEvent.entity_id == first,
                                                     AuditEvent.action == "update").order_by(AuditEvent.seq)).all()
    assert [(e.user, json.loads(e.after).get("status")) for e in updates] == [("admin", "prepared"), ("ada", "paid")]
