"""A database server that went away (stopped, restarted, the network down), told apart from every
other database error, so that the user reads one line about the connection and nothing else.

Whatever was being written when the connection broke was one transaction: the server rolled it
back, nothing half-done is left. The engine pings a pooled connection before handing it out
(``pool_pre_ping``), so the first session after the server is back simply works again.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from trustfund_app.core.errors import TrustFundError

# SQLSTATE classes and codes that mean "the connection is gone", not "the statement was wrong":
# 08 connection exception; 57P01-57P03 the server is shutting down or cannot take connections now
_LOST_STATES = ("08", "57P01", "57P02", "57P03")
_LOST_WORDS = ("connection refused", "connection failed", "server closed the connection", "terminating connection",
               "could not connect", "connection is closed", "connection timed out", "no route to host",
               "the connection is lost", "consuming input failed", "server conn crashed")


class ConnectionLost(TrustFundError):
    """The database server cannot be reached; nothing of the interrupted work was kept."""


def is_connection_lost(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionLost):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig if exc.orig is not None else exc
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if state and any(state.startswith(prefix) for prefix in _LOST_STATES):
        return True
    module = type(exc).__module__ or ""
    if not module.startswith(("psycopg", "sqlalchemy")):
        return False  # SQLite has no server to lose
    message = str(exc).lower()
    return any(words in message for words in _LOST_WORDS)


def connection_lost_message(where: str | None = None) -> str:
    from trustfund_app.core.i18n import _

    if where:
        return _("cannot reach the database server of {database} (stopped, restarting or the network is down); "
                 "nothing was changed").format(database=where)
    return _("cannot reach the database server (stopped, restarting or the network is down); nothing was changed")


def ping(db) -> None:
    """A round trip to the server; raises when it cannot be reached."""
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
