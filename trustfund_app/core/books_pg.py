"""The books check's fast path on PostgreSQL: one table compared with the trail inside the server.

The plain path (``books``) parses every event and every imported row in Python; at a million rows
that is most of ``audit verify``. Here PostgreSQL reads the trail itself: each row an insert event
or an import chunk holds is cast, column by column, to the type the table stores (the same reading
the column's own bind processing gives the plain values: UUIDs, UTC timestamps without their
offset, dates, integers, booleans, exact decimals kept as text, JSON with JSON null as SQL null),
and the two sides are compared as multisets (as many rows on each side, and ``EXCEPT ALL`` finds
none of one side missing from the other): exact, no hashing. Tables under ``MIN_ROWS`` rows are
left to the plain path, which reads them as fast.

Rows some event updates or deletes (few) are left out of that comparison and checked one by one:
their history is replayed in Python from their own events only (``books_trail``'s rules), and
compared with their rows in the table. ``None`` (use the plain path) for what this does not know:
a table with a redacted column, a column type not listed here, an import chunk written in another
database's stored form. When the two sides differ, ``books`` finds the first differing record
and field the plain way, so what the user reads is the same on both paths.
"""

from __future__ import annotations

import json

from sqlalchemy.exc import DBAPIError
from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Session

from trustfund_app.core.audit import plain_value
from trustfund_app.core.books_trail import TableForm, replay

__all__ = ["fast_equal", "tables_equal"]

MIN_ROWS = 5_000  # smaller tables: the plain path reads them as fast, updated rows included
HEAD = 4000  # characters of an import event that hold its columns (they come before the rows)


def _cast(column):
    """SQL turning the trail's text ``{}`` into what ``column`` stores, and the column as read for
    the comparison; None for a type this module does not know."""
    kind = column.type
    impl = getattr(kind, "impl_instance", kind)
    if isinstance(impl, JSON):
        return "NULLIF(({})::jsonb, 'null'::jsonb)", f'"{column.name}"::jsonb'
    if isinstance(kind, Uuid):
        return "({})::uuid", f'"{column.name}"'
    if isinstance(impl, DateTime):
        return "({})::timestamp", f'"{column.name}"'  # the trail's UTC offset dropped, as the bind does
    if isinstance(kind, Date):
        return "({})::date", f'"{column.name}"'
    if isinstance(kind, Boolean):
        return "({})::boolean", f'"{column.name}"'
    if isinstance(kind, (Integer, BigInteger)):
        return "({})::bigint", f'"{column.name}"::bigint'
    if isinstance(impl, (String, Text)):
        return "({})::text", f'"{column.name}"::text'
    return None


def _default_text(column) -> str | None:
    default = column.default
    if default is None or not default.is_scalar or default.arg is None:
        return None
    value = plain_value(default.arg)
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def fast_equal(session: Session, table) -> bool:
    """True when this path shows ``table`` equal to the trail; False when it is not PostgreSQL,
    cannot tell, or finds a difference (the plain path then checks and names it)."""
    return session.get_bind().dialect.name == "postgresql" and tables_equal(session, table) is True


def tables_equal(session: Session, table, min_rows: int | None = None) -> bool | None:
    """Whether ``table`` holds exactly what the trail says (None: this path cannot tell, or the
    table has fewer than ``min_rows`` rows, default MIN_ROWS: the plain path is quicker there)."""
    min_rows = MIN_ROWS if min_rows is None else min_rows
    if min_rows and (session.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar() or 0) < min_rows:
        return None
    form = TableForm(table, session.get_bind().dialect)
    if form.secret:
        return None
    casts = [_cast(c) for c in table.columns]
    if any(c is None for c in casts):
        return None
    names = form.names
    key_name = names[form.key]
    touched_ids = set(session.execute(text(
        "SELECT DISTINCT entity_id FROM audit_event WHERE entity = :entity AND action IN ('update', 'delete')"),
        {"entity": table.name}).scalars())
    params: dict = {"entity": table.name, "touched": sorted(touched_ids)}
    defaults = []
    for i, column in enumerate(table.columns):
        params[f"d{i}"] = _default_text(column)
        defaults.append(f"CAST(:d{i} AS text)")

    def json_value(source: str, i: int) -> str:
        # JSON columns keep their JSON; every other value as the text the trail wrote
        return f"({source}->'{names[i]}')::text" if casts[i][0].startswith("NULLIF") else f"{source}->>'{names[i]}'"

    orm = ", ".join(
        casts[i][0].format(f"CASE WHEN e.a ? '{n}' THEN {json_value('e.a', i)} ELSE {defaults[i]} END")
        for i, n in enumerate(names))
    selects = [f"""SELECT {orm} FROM (SELECT after::jsonb AS a FROM audit_event
                   WHERE entity = :entity AND action = 'insert' AND entity_id NOT IN (SELECT k FROM touched)
                   OFFSET 0) e"""]  # OFFSET 0: each event parsed once, not once per column named
    groups: dict[tuple, list[int]] = {}
    heads = session.execute(text(
        "SELECT seq, left(after, :head) FROM audit_event WHERE entity = :entity AND action = 'import'"),
        {"entity": table.name, "head": HEAD})
    for seq, head in heads:
        cut = head.find(',"rows":')
        if cut < 0:
            return None
        data = json.loads(head[:cut] + "}")
        if "form" in data or key_name not in data["columns"]:
            return None  # values in another database's stored form: the plain path reads them
        groups.setdefault(tuple(data["columns"]), []).append(seq)
    for g, (columns, seqs) in enumerate(groups.items()):
        params[f"seqs{g}"] = seqs
        exprs = []
        for i, n in enumerate(names):
            if n in columns:
                at = columns.index(n)
                exprs.append(casts[i][0].format(f"(r.v->{at})::text" if casts[i][0].startswith("NULLIF") else f"r.v->>{at}"))
            else:
                exprs.append(casts[i][0].format(defaults[i]))
        selects.append(f"""SELECT {', '.join(exprs)} FROM audit_event ev,
                           jsonb_array_elements(ev.after::jsonb->'rows') AS r(v)
                           WHERE ev.seq = ANY(CAST(:seqs{g} AS bigint[]))
                           AND (r.v->>{columns.index(key_name)}) NOT IN (SELECT k FROM touched)""")
    expected = " UNION ALL ".join(selects)
    found = (f"SELECT {', '.join(c[1] for c in casts)} FROM \"{table.name}\" "
             f"WHERE \"{key_name}\"::text NOT IN (SELECT k FROM touched)")
    # equal as multisets: as many rows on each side, and none of one side missing from the other
    sql = f"""WITH touched AS (SELECT unnest(CAST(:touched AS text[])) AS k),
              e AS MATERIALIZED ({expected}), f AS MATERIALIZED ({found})
              SELECT (SELECT count(*) FROM e) = (SELECT count(*) FROM f)
                     AND NOT EXISTS (SELECT * FROM e EXCEPT ALL SELECT * FROM f)"""
    try:
        with session.begin_nested():  # a value the casts cannot read fails this statement only
            equal = session.execute(text(sql), params).scalar()
    except DBAPIError:
        return None  # the plain path reads it (and names what it finds)
    if not equal:
        return False
    return _touched_equal(session, form, touched_ids, groups)


def _touched_equal(session: Session, form: TableForm, touched_ids: set[str], groups: dict) -> bool:
    """The rows some event updates or deletes: their history replayed from their own events."""
    if not touched_ids:
        return True
    name, key_name = form.table.name, form.names[form.key]
    keys = sorted(touched_ids)
    history = [tuple(row) for row in session.execute(text("SELECT seq, action, entity_id, after FROM audit_event WHERE entity = :entity "
                                    "AND action <> 'import' AND entity_id = ANY(CAST(:keys AS text[]))"), {"entity": name, "keys": keys})]
    for g, (columns, seqs) in enumerate(groups.items()):
        at = columns.index(key_name)
        for seq, row in session.execute(text(
                f"SELECT ev.seq, r.v FROM audit_event ev, json_array_elements(ev.after::json->'rows') AS r(v) "
                f"WHERE ev.seq = ANY(CAST(:seqs AS bigint[])) AND (r.v->>{at}) IN (SELECT unnest(CAST(:keys AS text[])))"), {"seqs": seqs, "keys": keys}):
            history.append((seq, "insert", str(row[at]), json.dumps(dict(zip(columns, row)))))  # as an insert event
    state: dict = {}
    for _seq, action, entity_id, after in sorted(history, key=lambda h: h[0]):
        replay(state, form, action, entity_id, after)
    expected = {k: row for k, row in state.items() if row is not None}
    columns = ", ".join(f'"{n}"' for n in form.names)
    found = {}
    for row in session.execute(text(f'SELECT {columns} FROM "{name}" WHERE "{key_name}"::text IN (SELECT unnest(CAST(:keys AS text[])))'),
                               {"keys": keys}):
        row = form.table_row(tuple(row))
        found[row[form.key]] = row
    return expected == found
