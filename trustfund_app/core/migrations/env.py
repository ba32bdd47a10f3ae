"""Alembic environment: run with a connection handed in by trustfund_app.core.migrate."""

from alembic import context

from trustfund_app.core.models import metadata

config = context.config
connection = config.attributes.get("connection")


def run() -> None:
    if connection is None:
        raise RuntimeError("run migrations through trustfund_app.core.migrate")
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
