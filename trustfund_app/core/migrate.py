"""Schema migrations with alembic. Opening an older database upgrades it, after a backup."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from trustfund_app.core.paths import package_dir

# The newest revision, kept here so opening an up-to-date database needs no alembic import
# (start-up time); a test checks it matches alembic's own head.
HEAD_REVISION = "0013"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir() / "core" / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db) -> str | None:
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError:
        return None  # a new, empty database


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def refuse_newer(db, current: str | None) -> None:
    """A schema revision this program does not know was written by a newer TrustFund Desk: say
    so before anything is written (no backup, no upgrade)."""
    if current is None or current == HEAD_REVISION or current in known_revisions():
        return
    from trustfund_app.core.errors import ValidationError
    from trustfund_app.core.i18n import _

    where = db.sqlite_path or db.engine.url.render_as_string(hide_password=True)
    raise ValidationError(_("{db} was written by a newer version of TrustFund Desk (schema {found}); this version "
                            "knows up to {head} and changes nothing in it").format(
        db=where, found=current, head=HEAD_REVISION), "db")


def upgrade_to_head(db) -> bool:
    """Bring the schema to the newest revision; True when something was upgraded."""
    current = current_revision(db)
    if current == HEAD_REVISION:
        return False
    refuse_newer(db, current)
    from alembic import command

    if current is not None and db.is_sqlite:
        from trustfund_app.core.backup import automatic_backup

        automatic_backup(db, reason=f"before-upgrade-{current}")
    with db.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
    return True
