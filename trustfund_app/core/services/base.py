"""What every service shares: the acting user, role checks and publishing changes."""

from __future__ import annotations

from dataclasses import dataclass

from trustfund_app.core.changes import ChangeSet, publish
from trustfund_app.core.db import Database
from trustfund_app.core.errors import PermissionDenied
from trustfund_app.core.i18n import _
from trustfund_app.core.models import Role
from trustfund_app.core import ownership  # noqa: F401  (its flush check guards every write below)

# What each role may change. Everyone may read. Four-eyes on disbursements is checked separately
# and binds every role, administrators included.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset({
        "donors", "contributions", "rates", "grants", "grantees", "disbursements.prepare",
        "disbursements.approve", "users", "settings", "backups.restore", "exchange",
    }),
    Role.FINANCE: frozenset({"donors", "contributions", "rates", "disbursements.prepare", "disbursements.approve",
                             "exchange"}),
    Role.PROGRAMME: frozenset({"grants", "grantees", "disbursements.prepare", "exchange"}),
    Role.READ_ONLY: frozenset(),
}


@dataclass(frozen=True)
class Actor:
    """Who acts. Passed to services as a plain value (safe across threads)."""

    name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                _("user {user} ({role}) may not change {what}").format(
                    user=self.name, role=self.role, what=permission
                )
            )


# The app itself acting, where no user does: building the demo fund, creating the first
# administrator of a new database. Never a default: every service is given its actor explicitly,
# so a forgotten actor is a TypeError rather than silent administrator rights.
APP_ITSELF = Actor("system", Role.ADMINISTRATOR)
# Before anyone has logged in (the login form, counting users): may read, may change nothing.
NOT_LOGGED_IN = Actor("(not logged in)", Role.READ_ONLY)


class Service:
    def __init__(self, db: Database, actor: Actor):
        self.db = db
        self.actor = actor

    def _write(self, permission: str | None):
        if permission:
            self.actor.require(permission)
        return self.db.writing(self.actor.name)

    @staticmethod
    def _changed(entity: str, action: str, *ids) -> ChangeSet:
        return publish(ChangeSet(entity, action, tuple(str(i) for i in ids)))
