"""Building the demo fund: fifteen years of a plausible trust fund, generated from a seed.

Everything is drawn from ``random.Random`` streams derived from the seed (one per part, so the
donors do not change when the grants are tuned), and ``today`` fixes the present: nothing is dated
after it. The same seed and ``today`` give the same fund, ids included.

The whole fund is written in ONE transaction: cancelling (``cancelled()`` returns True) or any
error leaves the database exactly as it was. It is made only in an empty database.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.db import Database
from trustfund_app.core.demo.contribution_plan import ContributionPlanner
from trustfund_app.core.demo.contributions import record_contributions
from trustfund_app.core.demo.cycles import CyclePlanner
from trustfund_app.core.demo.donors import write_donors
from trustfund_app.core.demo.grant_life import GrantLife
from trustfund_app.core.demo.grantees import write_grantees
from trustfund_app.core.demo.rates import generate_rates
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import (
    Contribution, Donor, ExchangeRate, Grant, GrantCycle, Grantee, Role, Setting, User,
)
from trustfund_app.core.money import to_decimal
from trustfund_app.core.services.settings import read_setting
from trustfund_app.core.services.users import PASSWORD_HASHER, check_role

YEARS = 15
DEMO_PASSWORD = "demo"
DEMO_USERS = (("admin", Role.ADMINISTRATOR), ("finance", Role.FINANCE), ("programme", Role.PROGRAMME),
              ("viewer", Role.READ_ONLY))
# who would have entered each part (the audit trail shows them)
FINANCE, PROGRAMME, ADMIN = "finance", "programme", "admin"
# tables that make a database "not empty"
CONTENT_TABLES = (User, Donor, Contribution, ExchangeRate, GrantCycle, Grantee, Grant)


class DemoCancelled(TrustFundError):
    """The user cancelled the build; nothing was written."""


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    today: date
    first_year: int
    donors: int
    aliases: int
    rates: int
    currencies: int
    pledges: int
    payments: int
    cycles: int
    applications: int
    grants: int
    grantees: int
    countries: int
    reports: int
    seconds: float


def is_empty(db: Database) -> bool:
    with db.reading() as s:
        return _empty(s)


def _empty(session) -> bool:
    return all(not session.scalar(select(func.count()).select_from(t)) for t in CONTENT_TABLES)


def is_demo(db: Database) -> bool:
    """True for a database made by ``build_demo_fund`` (documents and the title bar say DEMO)."""
    with db.reading() as s:
        return read_setting(s, "demo") == "1"


def shown_location(db: Database) -> str:
    """The database file's path, or its URL without the password (for messages)."""
    if db.sqlite_path is not None:
        return str(db.sqlite_path)
    from sqlalchemy.engine import make_url

    return make_url(db.url).render_as_string(hide_password=True)


def _not_empty_error(db: Database) -> ValidationError:
    return ValidationError(_("{db} is not empty: the demo fund is only made in an empty or new database; "
                             "nothing was changed").format(db=shown_location(db)), "db")


def build_demo_fund(db: Database, seed: int = 1, today: date | None = None, progress=None,
                    cancelled=None) -> DemoSummary:
    """Fill an empty database with the demo fund. ``progress(done, total, label)`` is called as
    the parts are made; ``cancelled()`` is checked between parts (raises DemoCancelled)."""
    started = time.perf_counter()
    today = today or date.today()
    first_year = today.year - YEARS + 1
    if not is_empty(db):
        raise _not_empty_error(db)
    steps = (
        _("Users and settings"), _("Exchange rates"), _("Donors"), _("Pledges and payments"),
        _("Grantees"), _("Grant cycles and applications"), _("Grants, instalments and reports"), _("Saving"),
    )

    def step(n: int) -> None:
        if cancelled is not None and cancelled():
            raise DemoCancelled(_("building the demo fund was cancelled; nothing was changed"))
        if progress is not None:
            progress(n, len(steps), steps[n] if n < len(steps) else "")

    def stream(part: str) -> random.Random:
        return random.Random(f"trustfund-demo:{seed}:{part}")

    with db.writing(ADMIN) as s:
        if not _empty(s):  # checked again under the writer's lock
            raise _not_empty_error(db)
        writer = BulkWriter(s, stream("ids"))
        step(0)
        _users_and_settings(s, writer)
        step(1)
        rates = generate_rates(stream("rates"), date(first_year, 1, 1), today)
        writer.insert(ExchangeRate, rates.rows(), FINANCE)
        step(2)
        donors = write_donors(writer, FINANCE)
        step(3)
        entries = ContributionPlanner(stream("contributions"), rates, first_year, today).plan(donors)
        ledger = record_contributions(writer, entries, FINANCE)
        step(4)
        funded, others = write_grantees(writer, stream("grantees"), PROGRAMME)
        step(5)
        grants = CyclePlanner(writer, stream("cycles"), today, read_setting(s, "receipt_prefix")).plan(
            funded, others, PROGRAMME)
        step(6)
        GrantLife(writer, stream("grants"), today, to_decimal(read_setting(s, "psc_rate_percent"))).write(
            grants, PROGRAMME)
        from trustfund_app.core.demo.visits import write_visits

        write_visits(writer, stream("visits"), grants, today, PROGRAMME)  # monitoring visits (issue 18)
        step(7)
    if progress is not None:
        progress(len(steps), len(steps), _("Done"))
    counts = writer.counts
    return DemoSummary(
        seed, today, first_year, counts.get("donor", 0), counts.get("donor_alias", 0), counts.get("exchange_rate", 0),
        len(rates.dates) + 1, ledger["pledges"], ledger["payments"], counts.get("grant_cycle", 0),
        counts.get("application", 0), counts.get("grant", 0), len({g.grantee.id for g in grants}),
        len({g.grantee.country for g in grants}), counts.get("grantee_report", 0),
        round(time.perf_counter() - started, 2))


def _users_and_settings(session, writer: BulkWriter) -> None:
    """The four demo users (password ``demo``) and the DEMO mark. Written with the rest so that a
    cancelled build leaves no half-made fund behind (the user service would commit on its own)."""
    # a hash (and so a salt) of its own for each: equal hashes would tell anyone reading a backup
    # which accounts share a password
    for name, role in DEMO_USERS:
        session.add(User(id=writer.new_id(), name=name, role=check_role(role),
                         password_hash=PASSWORD_HASHER.hash(DEMO_PASSWORD)))
    mark = session.get(Setting, "demo")  # an otherwise empty database may have settings already
    if mark is None:
        session.add(Setting(key="demo", value="1"))
    else:
        mark.value = "1"
    # a made-up 360Giving prefix, so the demo fund's open data can be tried (a real fund registers its own)
    if session.get(Setting, "giving360_prefix") is None:
        session.add(Setting(key="giving360_prefix", value="360G-DEMO-VTF"))
    session.flush()  # audited by the ORM hook, under "admin"


__all__ = ["build_demo_fund", "is_demo", "is_empty", "DemoCancelled", "DemoSummary", "DEMO_USERS", "DEMO_PASSWORD"]
