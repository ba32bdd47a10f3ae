"""Ten yearly grant cycles, each with sub-programmes SGP1 (emergency, up to USD 20,000, 9 months)
and SGP2 (medium term, up to USD 60,000, 24 months), its applications and the Board's decisions.

The call opens in January and closes in March; the Board meets in May. A cycle whose Board has not
met by ``today`` still has its applications under review. Every grantee of the funded list gets
grants in turn, so every country of implementation has some. The envelope of a cycle is what its
grants take plus a margin, rounded up to USD 50,000.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from trustfund_app.core.demo.grantee_data import GROUPS, REJECTION_NOTES, SERVICES
from trustfund_app.core.demo.grantees import DemoGrantee, english_country
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.models import Application, ApplicationStatus, GrantCycle, SubProgramme
from trustfund_app.core.services.grants.common import add_months, months_between

CYCLES = 10
SUB_PROGRAMMES = (
    # code, name, ceiling (USD cents), max months, share of grants, amount range in USD, step
    ("SGP1", "Emergency assistance", 20_000_00, 9, 0.45, (8_000, 20_000), 500),
    ("SGP2", "Medium-term projects", 60_000_00, 24, 1.0, (25_000, 60_000), 1_000),
)
ENVELOPE_STEP = 50_000_00


@dataclass
class PlannedGrant:
    id: uuid.UUID
    reference: str
    application_id: uuid.UUID
    cycle_id: uuid.UUID
    cycle_year: int
    sub_programme_id: uuid.UUID
    code: str  # SGP1 / SGP2
    grantee: DemoGrantee
    title: str
    amount_cents: int
    start: date
    end: date
    approved_on: date


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _title(rng: random.Random, country: str) -> str:
    return f"{rng.choice(SERVICES)} for {rng.choice(GROUPS)} in {english_country(country)}"


class CyclePlanner:
    def __init__(self, writer: BulkWriter, rng: random.Random, today: date, prefix: str):
        self.writer, self.rng, self.today, self.prefix = writer, rng, today, prefix
        self.grants: list[PlannedGrant] = []
        self.applications: list[dict] = []
        self._turn = 0

    def plan(self, funded: list[DemoGrantee], others: list[DemoGrantee], user: str) -> list[PlannedGrant]:
        order = list(funded)
        self.rng.shuffle(order)
        cycle_rows, sp_rows = [], []
        for number in range(1, CYCLES + 1):
            year = self.today.year - CYCLES + number
            cycle_id = self.writer.new_id()
            board = date(year, 5, self.rng.randint(12, 28))
            sps = []
            for code, name, ceiling, max_months, *_rest in SUB_PROGRAMMES:
                sp_id = self.writer.new_id()
                sps.append((sp_id, code))
                sp_rows.append(dict(id=sp_id, cycle_id=cycle_id, code=code, name=name,
                                    ceiling_usd_cents=ceiling, max_months=max_months))
            cycle = dict(id=cycle_id, number=number, year=year, name=f"Call for proposals {year}",
                         call_open=date(year, 1, 15), call_close=date(year, 3, 31),
                         board_meeting=f"{ordinal(number + 4)} meeting", board_meeting_date=board)
            if board <= self.today:
                committed = self._decided_cycle(cycle, sps, order, others)
                margin = self.rng.uniform(1.03, 1.15)
                cycle["envelope_usd_cents"] = -(-int(committed * margin) // ENVELOPE_STEP) * ENVELOPE_STEP
            else:
                self._open_cycle(cycle, sps, funded + others)
                cycle["envelope_usd_cents"] = self.rng.randint(20, 28) * ENVELOPE_STEP
            cycle_rows.append(cycle)
        self.writer.insert(GrantCycle, cycle_rows, user)
        self.writer.insert(SubProgramme, sp_rows, user)
        self.writer.insert(Application, self.applications, user)
        return self.grants

    # -- a cycle the Board has decided -----------------------------------------------------
    def _decided_cycle(self, cycle: dict, sps, order: list[DemoGrantee], others: list[DemoGrantee]) -> int:
        number, board = cycle["number"], cycle["board_meeting_date"]
        count = self.rng.randint(25, 32)
        funded_now = [order[(self._turn + k) % len(order)] for k in range(count)]
        self._turn += count
        rejected = [g for g in order + others if g not in funded_now]
        self.rng.shuffle(rejected)
        applicants = [(g, True) for g in funded_now] + [(g, False) for g in rejected[:self.rng.randint(15, 30)]]
        self.rng.shuffle(applicants)
        committed = granted = 0
        for n, (grantee, approved) in enumerate(applicants, start=1):
            (sp_id, code), (_c, _n, ceiling, max_months, _share, (low, high), step) = self._sub_programme(sps)
            months = self.rng.randint(6, max_months) if code == "SGP1" else self.rng.choice((12, 18, 24))
            requested = self.rng.randrange(low, high + 1, step) * 100
            title = _title(self.rng, grantee.country)
            app_id = self.writer.new_id()
            app = dict(id=app_id, cycle_id=cycle["id"], sub_programme_id=sp_id, grantee_id=grantee.id,
                       number=f"C{number}-A{n:03d}", title=title, country=grantee.country,
                       requested_usd_cents=requested, months=months, board_meeting=cycle["board_meeting"],
                       decided_on=board)
            self.applications.append(app)
            if not approved:
                app.update(status=ApplicationStatus.REJECTED, decision_note=self.rng.choice(REJECTION_NOTES))
                continue
            app["status"] = ApplicationStatus.APPROVED
            amount = requested
            if self.rng.random() < 0.2:  # the Board sometimes grants less than asked
                amount = max(requested - self.rng.randint(1, 4) * step * 100, low * 100)
                app["decision_note"] = "Approved at a reduced amount"
            start = add_months(date(board.year, board.month, 1), self.rng.randint(1, 2))
            end = add_months(start, months) - timedelta(days=1)
            assert amount <= ceiling and months_between(start, end) <= max_months
            granted += 1
            self.grants.append(PlannedGrant(
                self.writer.new_id(), f"{self.prefix}-C{number}-G{granted:03d}", app_id, cycle["id"], cycle["year"],
                sp_id, code, grantee, title, amount, start, end, board))
            committed += amount
        return committed

    # -- the current cycle, before the Board meets -----------------------------------------
    def _open_cycle(self, cycle: dict, sps, candidates: list[DemoGrantee]) -> None:
        if self.today < cycle["call_open"]:
            return
        reviewing = self.today > cycle["call_close"]
        picked = self.rng.sample(candidates, min(len(candidates), self.rng.randint(30, 45)))
        for n, grantee in enumerate(picked, start=1):
            (sp_id, code), (_c, _n, _ceiling, max_months, _share, (low, high), step) = self._sub_programme(sps)
            status = ApplicationStatus.SUBMITTED
            if reviewing:
                status = self.rng.choice((ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENED,
                                          ApplicationStatus.SCREENED, ApplicationStatus.RECOMMENDED))
            self.applications.append(dict(
                id=self.writer.new_id(), cycle_id=cycle["id"], sub_programme_id=sp_id, grantee_id=grantee.id,
                number=f"C{cycle['number']}-A{n:03d}", title=_title(self.rng, grantee.country), country=grantee.country,
                requested_usd_cents=self.rng.randrange(low, high + 1, step) * 100,
                months=self.rng.randint(6, max_months) if code == "SGP1" else self.rng.choice((12, 18, 24)),
                status=status))

    def _sub_programme(self, sps):
        index = 0 if self.rng.random() < SUB_PROGRAMMES[0][4] else 1
        return sps[index], SUB_PROGRAMMES[index]
