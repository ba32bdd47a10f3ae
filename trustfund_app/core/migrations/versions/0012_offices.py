"""office identity, ownership and change packages (issue 16)

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import trustfund_app.core.models.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_utc = trustfund_app.core.models.base.UTCDateTime


def _stamped():
    return [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("created_at", _utc(), nullable=False),
            sa.Column("updated_at", _utc(), nullable=False)]


def upgrade() -> None:
    op.create_table("office", *_stamped(),
                    sa.Column("code", _text(length=20), nullable=False),
                    sa.Column("is_hq", sa.Boolean(), nullable=False),
                    sa.Column("regions", _text(length=2000), nullable=False),
                    sa.Column("is_self", sa.Boolean(), nullable=False),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("code"))
    op.create_table("office_key", *_stamped(),
                    sa.Column("office_code", _text(length=20), nullable=False),
                    sa.Column("public_key", _text(length=200), nullable=False),
                    sa.Column("key_id", _text(length=16), nullable=False),
                    sa.Column("revoked_at", _utc(), nullable=True),
                    sa.Column("revoked_by", _text(length=100), nullable=True),
                    sa.PrimaryKeyConstraint("id"))
    with op.batch_alter_table("office_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_key_office_code"), ["office_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_office_key_key_id"), ["key_id"], unique=False)
    op.create_table("sync_peer", *_stamped(),
                    sa.Column("code", _text(length=20), nullable=False),
                    sa.Column("sent_to", sa.Integer(), nullable=False),
                    sa.Column("acked", sa.Integer(), nullable=False),
                    sa.Column("received_to", sa.Integer(), nullable=False),
                    sa.Column("received_head", _text(length=64), nullable=True),
                    sa.Column("last_sent_at", _utc(), nullable=True),
                    sa.Column("last_received_at", _utc(), nullable=True),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("code"))
    op.create_table("sync_package", *_stamped(),
                    sa.Column("package_id", _text(length=64), nullable=False),
                    sa.Column("direction", _text(length=3), nullable=False),
                    sa.Column("peer", _text(length=20), nullable=False),
                    sa.Column("first_seq", sa.Integer(), nullable=False),
                    sa.Column("last_seq", sa.Integer(), nullable=False),
                    sa.Column("head_start", _text(length=64), nullable=False),
                    sa.Column("head_end", _text(length=64), nullable=False),
                    sa.Column("state", _text(length=10), nullable=False),
                    sa.Column("changes", sa.Integer(), nullable=False),
                    sa.Column("applied", sa.Integer(), nullable=False),
                    sa.Column("unchanged", sa.Integer(), nullable=False),
                    sa.Column("conflicts", sa.Integer(), nullable=False),
                    sa.Column("content", sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("package_id", "direction", name="uq_sync_package_dir"))
    with op.batch_alter_table("sync_package", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_package_package_id"), ["package_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_package_peer"), ["peer"], unique=False)
    op.create_table("sync_conflict", *_stamped(),
                    sa.Column("peer", _text(length=20), nullable=False),
                    sa.Column("package_id", _text(length=64), nullable=False),
                    sa.Column("entity", _text(length=50), nullable=False),
                    sa.Column("entity_id", _text(length=64), nullable=False),
                    sa.Column("action", _text(length=10), nullable=False),
                    sa.Column("base", sa.Text(), nullable=True),
                    sa.Column("theirs", sa.Text(), nullable=True),
                    sa.Column("ours", sa.Text(), nullable=True),
                    sa.Column("their_user", _text(length=100), nullable=True),
                    sa.Column("state", _text(length=10), nullable=False),
                    sa.Column("resolution", _text(length=10), nullable=True),
                    sa.Column("note", _text(length=2000), nullable=True),
                    sa.Column("resolved_by", _text(length=100), nullable=True),
                    sa.Column("resolved_at", _utc(), nullable=True),
                    sa.PrimaryKeyConstraint("id"))
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_peer"), ["peer"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_state"), ["state"], unique=False)
    with op.batch_alter_table("victims_assisted", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", _text(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("victims_assisted", schema=None) as batch_op:
        batch_op.drop_column("office")
    for table in ("sync_conflict", "sync_package", "sync_peer", "office_key", "office"):
        op.drop_table(table)
