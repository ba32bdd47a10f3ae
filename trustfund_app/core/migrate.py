"""Schema migrations with alembic. Opening an older database upgrades it, after a backup."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from trustfund_app.core.paths import package_dir


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir() / "core" / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db) -> bool:
    """Bring the schema to the newest revision; True when something was upgraded."""
    current = current_revision(db)
    if current == head_revision():
        return False
    if current is not None and db.is_sqlite:
        from trustfund_app.core.backup import automatic_backup

        automatic_backup(db, reason=f"before-upgrade-{current}")
    with db.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
    return True
