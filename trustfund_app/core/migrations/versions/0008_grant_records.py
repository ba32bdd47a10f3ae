"""the grant file: documents, monitoring visits, follow-up actions, pledge write-offs (issue 18, part 1)

Document bytes go into ``document_content`` (BLOB on SQLite, bytea on PostgreSQL), one row per
SHA-256; see the README ("Documents") for why they live in the database.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import trustfund_app.core.models.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _stamped() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", trustfund_app.core.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", trustfund_app.core.models.base.UTCDateTime(), nullable=False),
    ]


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "document_content",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "document", *_stamped(),
        _text("owner_kind", 16), sa.Column("owner_id", sa.Uuid(), nullable=False), _text("file_name", 255),
        _text("media_type", 100), sa.Column("size", sa.BigInteger(), nullable=False), _text("sha256", 64),
        _text("note", 500, nullable=True), _text("attached_by", 100),
        sa.ForeignKeyConstraint(["sha256"], ["document_content.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("document", "owner_id", "owner_kind", "sha256")
    op.create_table(
        "pledge_write_off", *_stamped(),
        sa.Column("pledge_id", sa.Uuid(), nullable=False), _text("kind", 16),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False), _text("reason", 1000), _text("status", 10),
        _text("requested_by", 100), _text("decided_by", 100, nullable=True),
        sa.Column("decided_at", trustfund_app.core.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["pledge_id"], ["contribution.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("pledge_write_off", "pledge_id", "status")
    op.create_table(
        "monitoring_visit", *_stamped(),
        sa.Column("grant_id", sa.Uuid(), nullable=False), sa.Column("visit_date", sa.Date(), nullable=False),
        _text("visitors", 300), _text("findings", 8000),
        sa.ForeignKeyConstraint(["grant_id"], ["grant.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("monitoring_visit", "grant_id", "visit_date")
    op.create_table(
        "follow_up_action", *_stamped(),
        sa.Column("visit_id", sa.Uuid(), nullable=False), _text("description", 1000),
        sa.Column("due_date", sa.Date(), nullable=False), _text("responsible", 100, nullable=True),
        _text("status", 10), sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["monitoring_visit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("follow_up_action", "due_date", "status", "visit_id")


def downgrade() -> None:
    for table in ("follow_up_action", "monitoring_visit", "pledge_write_off", "document", "document_content"):
        op.drop_table(table)
