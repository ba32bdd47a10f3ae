"""One importer per kind: each validates a row into domain values against the database and the
rows before it, then stages its insert or update on a BulkWriter."""

from __future__ import annotations


def importer_class(kind: str):
    from trustfund_app.core.excel.kinds.contributions import ContributionsImporter
    from trustfund_app.core.excel.kinds.donors import DonorsImporter
    from trustfund_app.core.excel.kinds.grants import GrantsImporter
    from trustfund_app.core.excel.kinds.rates import RatesImporter

    return {"contributions": ContributionsImporter, "donors": DonorsImporter, "grants": GrantsImporter,
            "rates": RatesImporter}[kind]
