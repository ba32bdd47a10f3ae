"""The books match the trail: every audited table compared with what the audit trail says each of
its rows holds, so a row changed, added or deleted around the app (the ``sqlite3`` tool, psql, a
script) is named by table, record and field.

Both sides are compared in the form the database stores (hex UUIDs, text timestamps, 0/1 on
SQLite): the table is read as the driver returns it, with no conversion, and the trail's values are
brought to that form once per event. A table is first checked as a whole — the sum of a hash of
every row, counted, on each side — and only when the sums differ is it read again to find the
first record and field that differ. Python's string hashes are keyed per process (a random key;
a keyed BLAKE2b when PYTHONHASHSEED fixes that key), so nobody can prepare an edit whose sum
agrees without knowing this run's key.

Password hashes never enter the trail; it keeps a SHA-256 digest of each (``audit.secret_digest``),
and the table side is digested the same way before comparing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from trustfund_app.core.books_pg import fast_equal
from trustfund_app.core.books_trail import (BATCH, MISSING, TableForm, audited_tables, expected_rows, raw_cursor,
                                            replay, row_digest, table_events, table_rows,
                                            touched_keys)
from trustfund_app.core.i18n import _

__all__ = ["BooksProblem", "audited_tables", "check_books", "check_table", "describe"]


@dataclass(frozen=True)
class BooksProblem:
    table: str
    record: str
    field: str | None  # None when the whole row was added or deleted
    kind: str  # "changed", "added" (no event created it) or "deleted" (the trail says it exists)
    expected: object = None
    found: object = None

    def as_json(self) -> dict:
        return {"table": self.table, "record": self.record, "field": self.field, "kind": self.kind}


# --- the comparison ------------------------------------------------------------------------------


def check_table(session: Session, table) -> BooksProblem | None:
    if fast_equal(session, table):  # PostgreSQL compares inside the server (books_pg)
        return None
    form = TableForm(table, session.get_bind().dialect)
    touched = touched_keys(session, form)
    sums = _text_sums(session, form, touched) if form.raw and not form.secret else None
    if sums is None:
        sums = _tuple_sums(session, form, touched)
    if sums[0] == sums[1]:
        return None
    return _locate(session, form, touched)


def _tuple_sums(session: Session, form: TableForm, touched: set) -> tuple:
    expected_sum = expected_count = 0
    for _key, row in expected_rows(session, form, touched):
        expected_sum += row_digest(row)
        expected_count += 1
    found_sum = found_count = 0
    for row in table_rows(session, form):
        found_sum += row_digest(row)
        found_count += 1
    return (expected_sum, expected_count), (found_sum, found_count)


def _text_sums(session: Session, form: TableForm, touched: set) -> tuple | None:
    """The SQLite fast path: each row as SQLite's own JSON text of its stored values, on both
    sides — the table's rows through ``json_array``, an import chunk's rows as ``json_each`` gives
    them back — so no row is parsed in Python. None when a chunk does not name every column of
    the table in one order (the tuple path then checks the table)."""
    order = None
    expected_sum = expected_count = 0
    state: dict = {}
    key_name = form.names[form.key]
    for action, entity_id, after in table_events(session, form.table.name):
        if action == "import":
            cut = after.find(',"rows":')
            head = json.loads(after[:cut] + "}") if cut > 0 else {}
            columns = head.get("columns")
            if head.get("form") != "sqlite" or columns is None or sorted(columns) != sorted(form.names):
                return None
            if order is None:
                order = columns
            elif columns != order:
                return None
            key_at = columns.index(key_name)
            cursor = raw_cursor(session, f"SELECT value, value->>{key_at} FROM json_each(?, '$.rows')"
                                 if touched or state else "SELECT value, NULL FROM json_each(?, '$.rows')", (after,))
            while batch := cursor.fetchmany(BATCH):
                for text, key in batch:
                    if key is not None and (key in touched or key in state):
                        values = dict(zip(columns, json.loads(text)))
                        state[key] = tuple(values[n] for n in form.names)
                    else:
                        expected_sum += row_digest(text)
                        expected_count += 1
            continue
        replay(state, form, action, entity_id, after)
    order = order or form.names
    at = [form.names.index(n) for n in order]
    render = f"SELECT json_array({', '.join('?' for _ in order)})"
    for row in state.values():
        if row is None:
            continue
        if any(v is MISSING for v in row):
            return None
        expected_sum += row_digest(raw_cursor(session, render, tuple(row[i] for i in at)).fetchone()[0])
        expected_count += 1
    found_sum = found_count = 0
    columns = ", ".join(f'"{n}"' for n in order)
    cursor = raw_cursor(session, f'SELECT json_array({columns}) FROM "{form.table.name}"')
    while batch := cursor.fetchmany(BATCH):
        found_sum += sum(map(row_digest, (text for (text,) in batch)))
        found_count += len(batch)
    return (expected_sum, expected_count), (found_sum, found_count)


def _locate(session: Session, form: TableForm, touched: set) -> BooksProblem | None:
    """The first record that differs (sums differed): by key, then field by field."""
    digests = {key: row_digest(row) for key, row in expected_rows(session, form, touched)}
    odd, kind = None, None
    for row in table_rows(session, form):
        key = row[form.key]
        digest = digests.pop(key, None)
        if digest is None:
            odd, kind = row, "added"
            break
        if digest != row_digest(row):
            odd, kind = row, "changed"
            break
    if odd is None:
        if not digests:
            return None  # equal after all (a hash collision between two sums)
        key = next(iter(digests))
        return BooksProblem(form.table.name, form.shown_key(key), None, "deleted")
    if kind == "added":
        return BooksProblem(form.table.name, form.shown_key(odd[form.key]), None, "added")
    key = odd[form.key]
    want = next(row for k, row in expected_rows(session, form, touched) if k == key)
    # a field a person reads before the stamps that change with it
    order = sorted(range(len(form.names)), key=lambda i: form.names[i] in ("created_at", "updated_at"))
    for i in order:
        name = form.names[i]
        if want[i] != odd[i]:
            secret = i in form.secret
            return BooksProblem(form.table.name, form.shown_key(key), name, "changed",
                                None if secret or want[i] is MISSING else want[i], None if secret else odd[i])
    return None


def check_books(session: Session) -> BooksProblem | None:
    """The first table whose rows differ from what the trail says, or None. A row no event
    created is named before any other difference: it is the sign of events cut off the end
    (which also undo later changes of older rows)."""
    first = None
    for table in audited_tables():
        problem = check_table(session, table)
        if problem is not None and problem.kind == "added":
            return problem
        first = first or problem
    return first


def describe(mismatch: BooksProblem) -> str:
    """One line naming the table, record and field that differ from the trail."""
    if mismatch.kind == "deleted":
        return _("The books do not match the audit trail: {table} {record} was deleted outside TrustFund Desk "
                 "(the trail says it exists).").format(table=mismatch.table, record=mismatch.record)
    if mismatch.kind == "added":
        return _("The books do not match the audit trail: {table} {record} was added outside TrustFund Desk "
                 "(no event records its creation).").format(table=mismatch.table, record=mismatch.record)
    if mismatch.expected is None and mismatch.found is None:
        return _("The books do not match the audit trail: {table} {record}, field {field}, was changed outside "
                 "TrustFund Desk.").format(table=mismatch.table, record=mismatch.record, field=mismatch.field)
    return _("The books do not match the audit trail: {table} {record}, field {field}, holds {found} where the "
             "trail says {expected}; it was changed outside TrustFund Desk.").format(
        table=mismatch.table, record=mismatch.record, field=mismatch.field,
        found=_short(mismatch.found), expected=_short(mismatch.expected))


def _short(value) -> str:
    text = "NULL" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
