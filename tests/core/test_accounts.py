"""Issue 15, points 11-15: failed logins counted under another instance's writer lock, NIST
password rules, administrators managing accounts (service and command line, all audited), four
eyes that a second account of the preparer cannot satisfy, backups only for who may restore."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.core.resilience_helpers import cli, sqlite_only
from trustfund_app.core.db import Database
from trustfund_app.core.errors import AuthenticationError, PermissionDenied, ValidationError
from trustfund_app.core.models import AuditEvent, User
from trustfund_app.core.services.users import MAX_FAILED_LOGINS, UserService

GOOD = "Quiet-River-42"
PAID_ON = date(2026, 5, 12)


# -- point 11 --------------------------------------------------------------------------------
@sqlite_only
def test_wrong_passwords_are_counted_while_another_instance_holds_the_writer_lock(tmp_path):
    path = tmp_path / "fund.sqlite3"
    setup = Database.open(path)
    UserService(setup).create_first_admin("admin", GOOD)
    setup.dispose()
    window = Database.open(path, single_writer=True)
    command = Database.open(path, single_writer=True, holder="command")
    try:
        assert command.read_only and not window.read_only
        for _ in range(MAX_FAILED_LOGINS):
            with pytest.raises(AuthenticationError, match="wrong"):
                UserService(command).login("admin", "not-the-password")
        with pytest.raises(AuthenticationError, match="locked"):
            UserService(command).login("admin", GOOD)  # locked now, even with the right password
        with window.reading() as s:
            assert s.scalar(select(User.locked_until).where(User.name == "admin")) is not None
            assert s.scalar(select(AuditEvent).where(AuditEvent.entity == "app_user", AuditEvent.action == "update"))
    finally:
        command.dispose()
        window.dispose()


# -- point 12 --------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["1234", "    ", "        ", "Passw0r", "password", "iloveyou", "12345678",
                                      "abcdefgh", "zzzzzzzzzz", "fiona-2026"])
def test_short_common_repetitive_or_name_based_passwords_are_refused(db, admin, password):
    with pytest.raises(ValidationError) as refused:
        UserService(db, admin).add("fiona", "finance", password)
    assert refused.value.field == "password"
    assert "fiona" not in [u["name"] for u in UserService(db).list()]


@pytest.mark.parametrize("password", ["correct horse battery", "lowercaseonly", "Ünïcödé-pässwörd", "日本語のパスワードです"])
def test_long_passwords_need_no_digits_or_symbols(db, admin, password):
    UserService(db, admin).add("fiona", "finance", password)
    assert UserService(db).login("fiona", password).name == "fiona"


def test_the_command_line_refuses_1234_for_a_new_user(db, admin, capsys, monkeypatch):
    code, _out, err = cli(["--db", db.url, "users", "add", "eve", "--role", "finance"], capsys, monkeypatch,
                          new_password="1234")
    assert code == 2 and "at least 8 characters" in err


def test_demo_users_each_have_their_own_salt(tmp_path):
    from trustfund_app.core.demo import build_demo_fund

    db = Database.open(tmp_path / "demo.sqlite3")
    try:
        build_demo_fund(db, seed=1)
        with db.reading() as s:
            hashes = list(s.scalars(select(User.password_hash)))
        assert len(hashes) == 4 and len(set(hashes)) == 4
        assert len({h.rsplit("$", 2)[-2] for h in hashes}) == 4  # the salts differ
        assert UserService(db).login("viewer", "demo").name == "viewer"
    finally:
        db.dispose()


# -- point 13 --------------------------------------------------------------------------------
def test_administrators_disable_enable_change_roles_and_reset_passwords_all_audited(db, admin):
    users = UserService(db, admin)
    users.add("fiona", "finance", GOOD)
    users.disable("fiona")
    with pytest.raises(AuthenticationError):
        UserService(db).login("fiona", GOOD)
    users.enable("fiona")
    users.set_role("fiona", "programme")
    assert UserService(db).login("fiona", GOOD).role == "programme"
    users.reset_password("fiona", "New-Meadow-77")
    with pytest.raises(AuthenticationError):
        UserService(db).login("fiona", GOOD)
    assert UserService(db).login("fiona", "New-Meadow-77").name == "fiona"
    with db.reading() as s:
        changes = [json.loads(e.after) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "app_user", AuditEvent.action == "update", AuditEvent.user == "admin"))]
    assert [c["active"] for c in changes[:2]] == [False, True]
    assert changes[1]["enabled_by"] == "admin"
    assert changes[2]["role"] == "programme"
    assert "password_hash" in changes[3] and "$argon2" not in changes[3]["password_hash"]  # changed, not shown


def test_a_user_changes_their_own_password_only_with_the_current_one(db, admin):
    UserService(db, admin).add("fiona", "finance", GOOD)
    fiona = UserService(db).login("fiona", GOOD)
    with pytest.raises(AuthenticationError, match="current password"):
        UserService(db, fiona).change_own_password("a-wrong-guess", "Silver-Birch-31")
    UserService(db, fiona).change_own_password(GOOD, "Silver-Birch-31")
    assert UserService(db).login("fiona", "Silver-Birch-31").name == "fiona"
    with pytest.raises(PermissionDenied):  # but not anyone else's
        UserService(db, fiona).reset_password("admin", "Silver-Birch-31")


def test_the_last_administrator_cannot_be_disabled_or_demoted(db, admin):
    users = UserService(db, admin)
    users.add("fiona", "finance", GOOD)
    with pytest.raises(ValidationError, match="your own account"):
        users.disable("admin")
    with pytest.raises(ValidationError, match="last active administrator"):
        users.set_role("admin", "finance")


def test_users_disable_enable_role_passwd_on_the_command_line(db, admin, capsys, monkeypatch):
    UserService(db, admin).add("fiona", "finance", GOOD)
    base = ["--db", db.url, "users"]
    assert cli([*base, "disable", "fiona"], capsys, monkeypatch)[0] == 0
    code, _out, err = cli(["--db", db.url, "position"], capsys, monkeypatch, user="fiona")
    assert code == 2 and "wrong user name or password" in err
    assert cli([*base, "enable", "fiona"], capsys, monkeypatch)[0] == 0
    assert cli([*base, "role", "fiona", "read-only"], capsys, monkeypatch)[0] == 0
    code, out, _err = cli([*base, "list", "--json"], capsys, monkeypatch)
    assert {"name": "fiona", "role": "read-only", "active": True, "locked": False} in json.loads(out)
    code, _out, err = cli([*base, "passwd", "fiona"], capsys, monkeypatch, new_password="1234")
    assert code == 2 and "at least 8" in err
    assert cli([*base, "passwd", "fiona"], capsys, monkeypatch, new_password="Amber-Harbour-5")[0] == 0
    # fiona, read-only now, changes her own password with her current one, but nobody else's
    code, _out, err = cli([*base, "passwd", "fiona"], capsys, monkeypatch, user="fiona",
                          password="Amber-Harbour-5", new_password="Granite-Moss-18")
    assert code == 0, err
    code, _out, err = cli([*base, "passwd", "admin"], capsys, monkeypatch, user="fiona",
                          password="Granite-Moss-18", new_password="Granite-Moss-19")
    assert code == 2 and "may not change users" in err
    code, _out, err = cli([*base, "disable", "admin"], capsys, monkeypatch, user="fiona", password="Granite-Moss-18")
    assert code == 2
    with db.reading() as s:
        users = list(s.scalars(select(AuditEvent.user).where(AuditEvent.entity == "app_user",
                                                              AuditEvent.action == "update").order_by(AuditEvent.seq)))
    assert users[-5:] == ["admin", "admin", "admin", "admin", "fiona"]


# -- point 14 --------------------------------------------------------------------------------
def _prepared_instalment(db, preparer):
    from tests.core.grants_setup import approved_grant, make_cycle, two_instalments
    from trustfund_app.core.services.grants.instalments import InstalmentService

    grant = approved_grant(db, preparer, make_cycle(db, preparer))
    first, _second = two_instalments(db, preparer, grant, held=False)
    InstalmentService(db, preparer).prepare(first)
    return first


@pytest.mark.parametrize("how", ["created", "re-enabled", "role", "password"])
def test_an_account_the_preparer_vouched_for_cannot_approve(db, admin, how):
    from trustfund_app.core.services.grants.instalments import InstalmentService

    other = UserService(db).add("ada", "administrator", GOOD)  # made by the system: independent
    users = UserService(db, admin)
    if how == "created":
        UserService(db, admin).add("bob", "finance", GOOD)
    else:
        UserService(db, other).add("bob", "finance" if how != "role" else "read-only", GOOD)
        if how == "re-enabled":
            UserService(db, other).disable("bob")
            users.enable("bob")
        elif how == "role":
            users.set_role("bob", "finance")
        else:
            users.reset_password("bob", "Hidden-Valley-64")
    bob = UserService(db).login("bob", "Hidden-Valley-64" if how == "password" else GOOD)
    instalment_id = _prepared_instalment(db, admin)
    with pytest.raises(PermissionDenied, match="four eyes"):
        InstalmentService(db, bob).approve(instalment_id, PAID_ON)
    InstalmentService(db, other).approve(instalment_id, PAID_ON)  # an independent approver may


def test_the_preparer_may_not_approve_with_an_account_whose_password_they_set_either_way(db, admin):
    from trustfund_app.core.services.grants.instalments import InstalmentService

    ada = UserService(db).add("ada", "administrator", GOOD)
    instalment_id = _prepared_instalment(db, admin)
    UserService(db, ada).reset_password("admin", "Copper-Kettle-12")  # ada now knows admin's password
    with pytest.raises(PermissionDenied, match="four eyes"):
        InstalmentService(db, ada).approve(instalment_id, PAID_ON)


# -- point 15 --------------------------------------------------------------------------------
@sqlite_only
def test_only_who_may_restore_may_back_up(db, admin, capsys, monkeypatch, tmp_path):
    UserService(db, admin).add("vera", "read-only", GOOD)
    UserService(db, admin).add("fiona", "finance", GOOD)
    for user in ("vera", "fiona"):
        code, _out, err = cli(["--db", db.url, "backup", str(tmp_path / f"{user}.sqlite3")], capsys, monkeypatch,
                              user=user)
        assert code == 2 and "may not" in err
        assert not (tmp_path / f"{user}.sqlite3").exists()
    code, _out, err = cli(["--db", db.url, "backup", str(tmp_path / "admin.sqlite3")], capsys, monkeypatch)
    assert code == 0, err
