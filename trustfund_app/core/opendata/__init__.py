"""Open data: the Fund's grants and contributions as IATI 2.03 and 360Giving 1.4, checked against
the standards' own schemas (shipped in ``resources/opendata``) before a file is written."""

from trustfund_app.core.opendata.checks import OpenDataRefused, Problem
from trustfund_app.core.opendata.export import STANDARDS, ExportSummary, check_target, export_open_data

__all__ = ["OpenDataRefused", "Problem", "STANDARDS", "ExportSummary", "check_target", "export_open_data"]
