"""tamper evidence: audited accounts, settings and lockout state (issue 15, part 1)

The trail used to record a changed password hash as "[redacted]", so an outside edit of a hash
could not be told from an audited one. It now records a SHA-256 digest of the hash (never the
hash). This upgrade appends, for every existing user, one event recording the digest of the hash
the user has now, so ``audit verify`` can compare every account from here on.

Revision ID: 0005
Revises: 0004
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from trustfund_app.core import audit

    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, password_hash FROM app_user ORDER BY name")).fetchall()
    if not users:
        return
    session = Session(bind=bind)
    changes = []
    for user_id, password_hash in users:
        key = str(user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)))
        changes.append(audit.Change("app_user", key, "update", {"password_hash": audit.REDACTED},
                                    {"password_hash": audit.secret_digest(password_hash)}))
    audit.record(session, changes, user="system")
    session.flush()


def downgrade() -> None:
    pass  # the events stay: the trail is append-only
