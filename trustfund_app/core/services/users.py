"""Users, roles and logins. Passwords are hashed with argon2 (salted, slow); never stored clear."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from trustfund_app.core.errors import AuthenticationError, ValidationError
from trustfund_app.core.i18n import _
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
        name = (name or "").strip()
        if not name:
            raise ValidationError(_("a user name is required"), "name")
        check_role(role)
        if len(password or "") < 4:
            raise ValidationError(_("the password must have at least 4 characters"), "password")
        with self.db.writing(as_user) as s:
            if s.scalar(select(User).where(User.name == name)):
                raise ValidationError(_('user "{name}" already exists').format(name=name), "name")
            s.add(User(name=name, role=role, password_hash=_hasher.hash(password)))
        self._changed("user", "insert", name)
        return Actor(name, role)

    def list(self) -> list[dict]:
        with self.db.reading() as s:
            return [
                {"name": u.name, "role": u.role, "active": u.active}
                for u in s.scalars(select(User).order_by(User.name))
            ]

    def login(self, name: str, password: str) -> Actor:
        """Check a password; lock the account for a while after repeated failures.

        The password is checked in a read; only a failure (or the first success after failures)
        writes, so a read-only instance can still log in. There, failures cannot be counted."""
        name = (name or "").strip()
        now = datetime.now(timezone.utc)
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.name == name))
            if user is None or not user.active:
                _hasher_dummy_verify(password)  # same time whether or not the user exists
                raise AuthenticationError(_("wrong user name or password"))
            self._refuse_if_locked(user, now)
            try:
                _hasher.verify(user.password_hash, password or "")
                ok = True
            except (VerificationError, InvalidHashError):
                ok = False
            actor = Actor(user.name, user.role)
            needs_reset = bool(user.failed_logins or user.locked_until)
        if ok and not needs_reset:
            return actor
        if self.db.read_only:
            if ok:
                return actor
            raise AuthenticationError(_("wrong user name or password"))
        with self.db.writing(name) as s:
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
