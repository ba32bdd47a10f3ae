"""Users, roles and logins. Passwords are hashed with argon2 (salted, slow); never stored clear.

Every account change (add, disable, enable, role, password) goes through the ORM in
``Database.writing``, so the audit trail records it like any other change. Each account keeps who
created it, re-enabled it, gave its role and set its password: the four-eyes rule refuses an
approval by an account one of those users vouched for (see ``instalments.approve``)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from trustfund_app.core.errors import AuthenticationError, NotFoundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.passwords import check_password
from trustfund_app.core.models import Role, User
from trustfund_app.core.services.base import Actor, Service

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): slow enough against
# guessing, and a login on a field laptop takes tens of milliseconds rather than a third of a second.
PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_hasher = PASSWORD_HASHER


def check_role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise ValidationError(
            _('unknown role "{role}"; use one of {choices}').format(role=role, choices=", ".join(r.value for r in Role)),
            "role",
        )
    return role


class UserService(Service):
    def count(self) -> int:
        with self.db.reading() as s:
            return s.scalar(select(func.count()).select_from(User))

    def create_first_admin(self, name: str, password: str) -> Actor:
        """``init``: only on a database without users."""
        if self.count():
            raise ValidationError(_("this database already has users"))
        return self._create(name, Role.ADMINISTRATOR, password, as_user=name)

    def add(self, name: str, role: str, password: str) -> Actor:
        self.actor.require("users")
        return self._create(name, role, password, as_user=self.actor.name)

    def _create(self, name: str, role: str, password: str, as_user: str) -> Actor:
        from trustfund_app.core.names import clean_name

        name = clean_name(name or "", "name") if (name or "").strip() else ""
        if not name:
            raise ValidationError(_("a user name is required"), "name")
        check_role(role)
        password = check_password(password, name)
        with self.db.writing(as_user) as s:
            if s.scalar(select(User).where(User.name == name)):
                raise ValidationError(_('user "{name}" already exists').format(name=name), "name")
            s.add(User(name=name, role=role, password_hash=_hasher.hash(password), created_by=as_user,
                       role_set_by=as_user, password_set_by=as_user))
        self._changed("user", "insert", name)
        return Actor(name, role)

    # -- administrators manage accounts ------------------------------------------------------
    def disable(self, name: str) -> None:
        """The account can no longer log in; its history stays."""
        with self._write("users") as s:
            user = self._get(s, name)
            if user.name == self.actor.name:
                raise ValidationError(_("you cannot disable your own account"), "name")
            if user.active:
                self._keep_an_administrator(s, user)
                user.active = False
        self._changed("user", "update", name)

    def enable(self, name: str) -> None:
        with self._write("users") as s:
            user = self._get(s, name)
            if not user.active:
                user.active, user.enabled_by = True, self.actor.name
                user.failed_logins, user.locked_until = 0, None
        self._changed("user", "update", name)

    def set_role(self, name: str, role: str) -> None:
        check_role(role)
        with self._write("users") as s:
            user = self._get(s, name)
            if user.role != role:
                if user.role == Role.ADMINISTRATOR:
                    self._keep_an_administrator(s, user)
                user.role, user.role_set_by = role, self.actor.name
        self._changed("user", "update", name)

    def reset_password(self, name: str, new_password: str) -> None:
        """An administrator sets someone's password (e.g. forgotten); it also lifts a lock-out."""
        self.actor.require("users")
        new_password = check_password(new_password, name)
        new_hash = _hasher.hash(new_password)
        with self._write("users") as s:
            user = self._get(s, name)
            user.password_hash, user.password_set_by = new_hash, self.actor.name
            user.failed_logins, user.locked_until = 0, None
        self._changed("user", "update", name)

    def change_own_password(self, current: str, new_password: str) -> None:
        """Anyone, for their own account, with their current password."""
        with self.db.reading() as s:
            user = self._get(s, self.actor.name)
            if not _verifies(user.password_hash, current):
                raise AuthenticationError(_("the current password is wrong"))
        new_password = check_password(new_password, self.actor.name)
        if new_password == unicodedata.normalize("NFC", current or ""):
            raise ValidationError(_("the new password is the same as the current one"), "password")
        new_hash = _hasher.hash(new_password)
        with self.db.writing(self.actor.name) as s:
            user = self._get(s, self.actor.name)
            user.password_hash, user.password_set_by = new_hash, self.actor.name
        self._changed("user", "update", self.actor.name)

    def vouchers(self, name: str) -> set[str]:
        """Who created, re-enabled, gave the role of or set the password of ``name``."""
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.name == name))
            return user.vouched_by() if user else set()

    @staticmethod
    def _get(s, name: str) -> User:
        user = s.scalar(select(User).where(User.name == (name or "").strip()))
        if user is None:
            raise NotFoundError(_('there is no user "{name}"').format(name=name))
        return user

    @staticmethod
    def _keep_an_administrator(s, user: User) -> None:
        others = s.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMINISTRATOR, User.active.is_(True), User.id != user.id))
        if user.role == Role.ADMINISTRATOR and user.active and not others:
            raise ValidationError(_("{user} is the last active administrator; make another one first")
                                  .format(user=user.name), "role")

    def list(self) -> list[dict]:
        with self.db.reading() as s:
            return [
                {"name": u.name, "role": u.role, "active": u.active,
                 "locked": bool(u.locked_until and u.locked_until > datetime.now(timezone.utc))}
                for u in s.scalars(select(User).order_by(User.name))
            ]

    def login(self, name: str, password: str) -> Actor:
        """Check a password; lock the account for a while after repeated failures.

        The password is checked in a read; only a failure (or the first success after failures)
        writes. When another instance holds the writer lock the failure is still counted, through
        a short write of its own (``Database.lockout_writer``): otherwise a guesser would only
        have to keep a window open to guess without limit."""
        name = (name or "").strip()
        now = datetime.now(timezone.utc)
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.name == name))
            if user is None or not user.active:
                _hasher_dummy_verify(password)  # same time whether or not the user exists
                raise AuthenticationError(_("wrong user name or password"))
            self._refuse_if_locked(user, now)
            ok = _verifies(user.password_hash, password)
            actor = Actor(user.name, user.role)
            needs_reset = bool(user.failed_logins or user.locked_until)
        if ok and not needs_reset:
            return actor
        if self.db.read_only and ok:
            return actor  # a reset of the counter can wait for a login that may write
        with self.db.lockout_writer() as writer:
            if writer is None:  # a database on a read-only medium: nothing can change anyway
                if ok:
                    return actor
                raise AuthenticationError(_("wrong user name or password"))
            with writer.writing(name) as s:
                user = s.scalar(select(User).where(User.name == name))
                if ok:
                    user.failed_logins, user.locked_until = 0, None
                else:
                    user.failed_logins += 1
                    if user.failed_logins >= MAX_FAILED_LOGINS:
                        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                        user.failed_logins = 0
        if not ok:
            raise AuthenticationError(_("wrong user name or password"))
        return actor

    @staticmethod
    def _refuse_if_locked(user: User, now: datetime) -> None:
        if user.locked_until and user.locked_until > now:
            raise AuthenticationError(
                _("account {user} is locked after too many wrong passwords; try again after {time} UTC").format(
                    user=user.name, time=user.locked_until.strftime("%H:%M")))


def _verifies(password_hash: str, password: str | None) -> bool:
    for candidate in dict.fromkeys((unicodedata.normalize("NFC", password or ""), password or "")):
        try:
            if _hasher.verify(password_hash, candidate):
                return True
        except (VerificationError, InvalidHashError):
            pass
    return False


_DUMMY_HASH = None


def _hasher_dummy_verify(password: str | None) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not a password")
    try:
        _hasher.verify(_DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        pass


def has_users(db) -> bool:
    """Whether anyone can log in: a database without users (a first start that failed half way)
    is offered the first-start choice again, not a login no one can pass."""
    with db.reading() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))
