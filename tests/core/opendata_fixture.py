"""The demo fund with one grant marked sensitive, exported once for a test module in both
standards (whole history), and the schemas loaded straight from resources/ (not through the
export's own checker, so the tests check the files independently)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trustfund_app.core.db import Database
from trustfund_app.core.demo import build_demo_fund
from trustfund_app.core.models import Grant, Grantee
from trustfund_app.core.services.grants import GrantService

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources" / "opendata"
TODAY = date(2026, 11, 30)
REASON = "Shelter address known to traffickers; staff threatened"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from tests.pg import fresh_database_url
    from trustfund_app.core.opendata import export_open_data

    folder = tmp_path_factory.mktemp("opendata")
    db = Database.open(fresh_database_url(folder))
    build_demo_fund(db, seed=1, today=TODAY)
    with db.reading() as s:
        # a grantee at risk: every grant of it sensitive, so its name must vanish from both files;
        # the one with the fewest grants whose titles no other grant shares
        grants = list(s.scalars(select(Grant).order_by(Grant.reference)))
        titles = defaultdict(int)
        for g in grants:
            titles[g.title] += 1
        by_grantee = defaultdict(list)
        for g in grants:
            by_grantee[g.grantee_id].append(g)
        chosen = min((gs for gs in by_grantee.values() if all(titles[g.title] == 1 for g in gs)
                      and any(g.status == "closed" for g in gs)), key=lambda gs: (len(gs), gs[0].reference))
        sensitive = dict(ids=[str(g.id) for g in chosen], references=[g.reference for g in chosen],
                         titles=[g.title for g in chosen], grantee=s.get(Grantee, chosen[0].grantee_id).name)
    for grant_id in sensitive["ids"]:
        GrantService(db).set_sensitive(grant_id, True, REASON)
    files = {"iati": folder / "fund.xml", "json": folder / "fund.json", "xlsx": folder / "fund.xlsx"}
    summaries = {"iati": export_open_data(db, "iati", files["iati"], today=TODAY),
                 "json": export_open_data(db, "360giving", files["json"], today=TODAY),
                 "xlsx": export_open_data(db, "360giving", files["xlsx"], today=TODAY)}
    yield db, files, summaries, sensitive, folder
    db.dispose()


def iati_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(RESOURCES / "iati-2.03" / "iati-activities-schema.xsd"),
                                       etree.XMLParser(no_network=True)))


def giving360_validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package = json.loads((RESOURCES / "360giving-1.4" / "360-giving-package-schema.json").read_text())
    grant = json.loads((RESOURCES / "360giving-1.4" / "360-giving-schema.json").read_text())
    registry = Registry().with_resource(grant["$id"], DRAFT202012.create_resource(grant))
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
