"""The contributions list for 100,000+ rows: filters, sorting and paging done in SQL, returning only
the rows on screen, plus the count and USD total of everything the filter matches."""

from __future__ import annotations

import uuid
import weakref
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    String,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)

from trustfund_app.core.i18n import N_
from trustfund_app.core.ledger import deducted_per_pledge, pledge_settlement
from trustfund_app.core.models import Contribution, ContributionKind, Donor
from trustfund_app.core.money import Money, cents_to_usd
from trustfund_app.core.services.base import Service

# pledge status, from the ledger's deductions (core/ledger: payments allocated, approved write-offs and
# cancellations): nothing left and something written off is "written off", whatever was paid before
OUTSTANDING, PARTLY_PAID, PAID, WRITTEN_OFF = "outstanding", "partly_paid", "paid", "written_off"
STATUS_LABELS = {OUTSTANDING: N_("Outstanding"), PARTLY_PAID: N_("Partly paid"), PAID: N_("Paid"),
                 WRITTEN_OFF: N_("Written off or cancelled")}
# the trigram indexes (migrations 0004 for SQLite, 0011 for PostgreSQL) find pieces of three characters or more; a search matching
# fewer rows than this is read from the index, one matching more by scanning in the list's order
TEXT_INDEX_MIN_CHARS = 3
FEW_MATCHES = 5000
MANY_DONORS = 1000  # PostgreSQL: donors matching the text listed by id up to this many
SORT_KEYS = ("date", "donor", "kind", "currency", "amount", "rate", "usd", "reference", "receipt", "status")


@dataclass(frozen=True)
class ContributionFilter:
    donor_id: str | None = None
    year: int | None = None
    kind: str | None = None
    currency: str | None = None
    status: str | None = None  # pledges only
    text: str = ""  # reference, receipt number, earmark or donor name


@dataclass(frozen=True)
class ContributionRow:
    id: str
    date: date
    kind: str
    donor_id: str
    donor: str
    currency: str
    amount: Decimal
    rate: Decimal
    usd: Decimal
    reference: str | None
    receipt_number: str | None
    earmark: str | None
    status: str | None  # pledges: outstanding / partly_paid / paid / written_off
    paid: Decimal | None  # pledges: allocated so far, in the pledge currency
    reversed: bool
    is_reversal: bool
    note: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ContributionSummary:
    count: int
    usd_total: Decimal  # payments minus reversals, USD, of the filtered rows
    pledged_usd: Decimal  # pledges of the filtered rows, USD at their own rates


def _paid_expr():
    """Allocated so far to each pledge: a correlated subquery, so it is computed only for the rows
    a page shows (or a status filter looks at), using the allocation.pledge_id index."""
    return deducted_per_pledge()["paid"]


def _status_expr(_paid_minor=None):
    """The pledge's status from the ledger's deductions (one rule: ``core/ledger``)."""
    return case((Contribution.kind != ContributionKind.PLEDGE, None),
                else_=pledge_settlement(PAID, WRITTEN_OFF, OUTSTANDING, PARTLY_PAID))


def _contains(column, text: str, dialect: str):
    """Case-insensitive "contains", the user's text taken literally (% and _ are not wildcards).
    SQLite's LIKE already ignores case (ASCII, as its lower() does): plain LIKE there is twice as
    fast as ILIKE's lower() on both sides; PostgreSQL has a real ILIKE."""
    if dialect == "sqlite":
        return column.contains(text, autoescape=True)
    return column.icontains(text, autoescape=True)


def _text_condition(session, text: str, for_page: bool):
    """The free-text filter through the engine's trigram index, or None where LIKE must do (no
    index, fewer than three characters or none).

    SQLite: a page of the list is read in its sort order and stops after its rows: when the text matches
    many contributions, LIKE on each row in that order finds a page's worth at once (reading all
    the index's matches first would cost more); when it matches few, they are fetched from the
    index and sorted. Totals need every match: always from the index."""
    if len(text) < TEXT_INDEX_MIN_CHARS:
        return None
    index_kind = text_index(session)
    if index_kind == "pg_trgm":
        # One condition the planner can read whole: the donors whose name matches are looked up
        # first (a small table), so every arm of the OR is an index condition (the three trigram
        # indexes and the donor index, one bitmap OR), and the planner itself chooses between
        # fetching the few matches from the indexes and reading in the page's order when they
        # are many. The pattern is sent as a literal: its trigrams decide the plan, and a
        # prepared statement's generic plan (one plan for any text) cannot estimate them.
        named = select(Donor.id).where(_pg_contains(Donor.name, text))
        donors = list(session.scalars(named.limit(MANY_DONORS + 1)))
        arms = [_pg_contains(searched, text) for searched in (
            Contribution.reference, Contribution.receipt_number, Contribution.earmark)]
        if donors:
            arms.append(Contribution.donor_id.in_(donors if len(donors) <= MANY_DONORS else named))
        return or_(*arms)
    elif index_kind == "fts5":
        key = literal_column("contribution.rowid")
        index = table("contribution_text", column("rowid"))
        phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 string: the user's text, literally
        in_text = select(index.c.rowid).where(literal_column("contribution_text").op("MATCH")(
            bindparam("text_phrase", phrase)))
        by_name = select(Donor.id).where(_contains(Donor.name, text, "sqlite"))
        matching = union_all(in_text, _rowids_of_donors(by_name))
    else:
        return None
    if for_page:
        if session.scalar(select(func.count()).select_from(matching.limit(FEW_MATCHES).subquery())) >= FEW_MATCHES:
            return None  # LIKE, row by row in the page's order: a page's worth comes at once
    return key.in_(matching)


def _pg_contains(column, text: str):
    """``column ILIKE '%text%'`` with the text taken literally and inlined in the SQL."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return column.ilike(bindparam(None, f"%{escaped}%", type_=String, literal_execute=True), escape="/")


def _rowids_of_donors(donor_ids):
    other = table("contribution", column("rowid"), column("donor_id")).alias("of_donor")
    return select(other.c.rowid).where(other.c.donor_id.in_(donor_ids))


_TEXT_INDEX: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> its text index


def text_index(session) -> str | None:
    """Which trigram index this database has: "fts5" (SQLite, migration 0004), "pg_trgm"
    (PostgreSQL with the extension, migration 0011), or None (the list uses LIKE). PostgreSQL's
    answer is kept per engine (its migrations run when the database is opened)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":  # SQLite's catalogue is read at no cost
        return _find_text_index(session, bind.dialect.name)
    engine = getattr(bind, "engine", bind)
    if engine not in _TEXT_INDEX:  # the catalogue view costs a few ms a query on a server
        _TEXT_INDEX[engine] = _find_text_index(session, bind.dialect.name)
    return _TEXT_INDEX[engine]


def _find_text_index(session, dialect: str) -> str | None:
    if dialect == "sqlite":
        catalog, name_column, name = "sqlite_master", "name", "contribution_text"
    elif dialect == "postgresql":
        catalog, name_column, name = "pg_indexes", "indexname", "ix_contribution_reference_trgm"
    else:
        return None
    found = session.execute(select(literal_column("1")).select_from(table(catalog, column(name_column)))
                            .where(column(name_column) == name)).first()
    return ("fts5" if dialect == "sqlite" else "pg_trgm") if found else None


def _filtered(query, flt: ContributionFilter, status, dialect: str = "sqlite", text_condition=None):
    if flt.donor_id:
        query = query.where(Contribution.donor_id == uuid.UUID(str(flt.donor_id)))
    if flt.year:
        query = query.where(Contribution.date >= date(flt.year, 1, 1), Contribution.date <= date(flt.year, 12, 31))
    if flt.kind:
        query = query.where(Contribution.kind == flt.kind)
    if flt.currency:
        query = query.where(Contribution.currency == flt.currency.upper())
    if flt.status:
        query = query.where(Contribution.kind == ContributionKind.PLEDGE, Contribution.reversed.is_(False),
                            status == flt.status)
    if text_condition is not None:
        query = query.where(text_condition)
    elif flt.text.strip():
        text = flt.text.strip()
        query = query.where(or_(*(_contains(searched, text, dialect) for searched in (
            Contribution.reference, Contribution.receipt_number, Contribution.earmark, Donor.name))))
    return query


def _order(sort: str, status):
    return {
        "date": Contribution.date, "donor": Donor.name, "kind": Contribution.kind,
        "currency": Contribution.currency, "amount": Contribution.amount_minor, "rate": Contribution.rate_date,
        "usd": Contribution.usd_cents, "reference": Contribution.reference,
        "receipt": Contribution.receipt_number, "status": status,
    }[sort]


def list_page(session, flt: ContributionFilter, sort: str = "date", descending: bool = True,
              offset: int = 0, limit: int = 200) -> list[ContributionRow]:
    paid = _paid_expr()
    status = _status_expr(paid)
    query = (
        select(Contribution.id, Contribution.date, Contribution.kind, Contribution.donor_id, Donor.name,
               Contribution.currency, Contribution.amount_minor, Contribution.rate, Contribution.usd_cents,
               Contribution.reference, Contribution.receipt_number, Contribution.earmark, status,
               paid, Contribution.reversed, Contribution.reverses_id, Contribution.note)
        .join(Donor, Donor.id == Contribution.donor_id)
    )
    text_condition = _text_condition(session, flt.text.strip(), for_page=True)
    query = _filtered(query, flt, status, session.get_bind().dialect.name, text_condition)
    key = _order(sort if sort in SORT_KEYS else "date", status)
    query = query.order_by(key.desc() if descending else key.asc(),
                           Contribution.receipt_number.desc() if descending else Contribution.receipt_number.asc())
    rows = session.execute(query.offset(offset).limit(limit)).all()
    out = []
    for r in rows:
        amount = Money.from_minor(r[6], r[5]).amount
        out.append(ContributionRow(
            str(r[0]), r[1], r[2], str(r[3]), r[4], r[5], amount, r[7], cents_to_usd(r[8]), r[9], r[10], r[11],
            r[12], Money.from_minor(r[13], r[5]).amount if r[2] == ContributionKind.PLEDGE else None,
            bool(r[14]), r[15] is not None, r[16]))
    return out


def summary(session, flt: ContributionFilter) -> ContributionSummary:
    status = _status_expr(_paid_expr())
    query = (
        select(func.count(),
               func.sum(case((Contribution.kind == ContributionKind.PAYMENT, Contribution.usd_cents), else_=0)),
               func.sum(case((Contribution.kind == ContributionKind.PLEDGE, Contribution.usd_cents), else_=0)))
        .select_from(Contribution)
    )
    if flt.text.strip():  # the donor's name is searched too
        query = query.join(Donor, Donor.id == Contribution.donor_id)
    text_condition = _text_condition(session, flt.text.strip(), for_page=False)
    count, paid_cents, pledged_cents = session.execute(
        _filtered(query, flt, status, session.get_bind().dialect.name, text_condition)).one()
    return ContributionSummary(int(count or 0), cents_to_usd(int(paid_cents or 0)), cents_to_usd(int(pledged_cents or 0)))


def years(session) -> list[int]:
    first, last = session.execute(select(func.min(Contribution.date), func.max(Contribution.date))).one()
    return list(range(last.year, first.year - 1, -1)) if first else []


def currencies(session) -> list[str]:
    return sorted(session.scalars(select(Contribution.currency).distinct()))




class ContributionListService(Service):
    """What the contributions list and its filters read (the GUI's lists go through here)."""

    def first_page(self, flt: ContributionFilter, sort: str, descending: bool, size: int):
        """(summary, first rows) in one read."""
        with self.db.reading() as s:
            return summary(s, flt), list_page(s, flt, sort, descending, 0, size)

    def page(self, flt: ContributionFilter, sort: str, descending: bool, offset: int, size: int) -> list[ContributionRow]:
        with self.db.reading() as s:
            return list_page(s, flt, sort, descending, offset, size)

    def choices(self) -> tuple[list[int], list[str]]:
        """The years and currencies the filters offer."""
        with self.db.reading() as s:
            return years(s), currencies(s)
