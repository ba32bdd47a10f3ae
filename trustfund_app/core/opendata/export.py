"""One export from start to file: read, check each grant, build, validate against the shipped
schema, and only then write (to a temporary file moved into place, so a refused or failed export
leaves no file and never half a file)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.opendata import checks
from trustfund_app.core.opendata.publisher import read_publisher
from trustfund_app.core.opendata.source import read_open_data

STANDARDS = ("iati", "360giving")
SUFFIXES = {"iati": (".xml",), "360giving": (".json", ".xlsx")}


@dataclass
class ExportSummary:
    standard: str
    path: str
    grants: int
    contributions: int
    withheld: list[tuple[str, str]] = field(default_factory=list)  # (agreement number, reason)


def check_target(standard: str, path: str | os.PathLike) -> Path:
    if standard not in STANDARDS:
        raise ValidationError(_('unknown open-data standard "{name}"; use iati or 360giving').format(name=standard),
                              "standard")
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES[standard]:
        raise ValidationError(_("{file}: a {standard} file ends in {suffixes}").format(
            file=target, standard=standard, suffixes=" / ".join(SUFFIXES[standard])), "file")
    return target


def export_open_data(db, standard: str, path, year: int | None = None, progress=None,
                     today: date | None = None) -> ExportSummary:
    """Write the file or raise (OpenDataRefused names the grants and what they lack).
    ``progress(done, total, label)`` is called as grants are built; it may raise to cancel."""
    target = check_target(standard, path)
    step = (lambda done, total: progress(done, total, "")) if progress else None
    with db.reading() as s:
        publisher = read_publisher(s, today)
        data = read_open_data(s, year)
    if not data.grants:
        raise ValidationError(_("there are no grants to publish for {year}").format(year=year) if year
                              else _("there are no grants to publish"), "year")
    problems = checks.grant_problems(data.grants)
    name = "IATI 2.03" if standard == "iati" else "360Giving 1.4"
    if problems:
        raise checks.OpenDataRefused(problems, name)
    withheld = [(g.reference, g.sensitive_reason or "") for g in data.grants if g.sensitive]
    summary = ExportSummary(standard, str(target), len(data.grants), len(data.contributions), withheld)
    if standard == "iati":
        from trustfund_app.core.opendata.iati import activity_reference, build_iati, iati_bytes

        root = build_iati(data, publisher, step)
        payload = iati_bytes(root)
        # validated as it will be read: parsed back from the bytes (line numbers name the grant)
        from lxml import etree

        checks.check_iati(etree.fromstring(payload, etree.XMLParser(no_network=True, resolve_entities=False)),
                          lambda ident: activity_reference(ident, publisher))
        _write_atomically(target, payload)
        return summary
    from trustfund_app.core.opendata import giving360

    if not publisher.giving360_prefix:
        raise ValidationError(_("set the 360Giving prefix registered for the Fund in Settings (e.g. 360G-UNVTF) "
                                "before publishing 360Giving data"), "giving360_prefix")
    package = giving360.build_360(data, publisher, step)
    import json

    payload = giving360.package_json(package)
    checks.check_360(json.loads(payload), lambda ident: giving360.grant_reference(publisher, ident))
    if target.suffix.lower() == ".json":
        _write_atomically(target, payload)
        return summary
    with tempfile.TemporaryDirectory(prefix="trustfund-360-") as work:
        work_path = Path(work)
        json_path = work_path / "grants.json"
        json_path.write_bytes(payload)
        xlsx = work_path / "grants.xlsx"
        giving360.write_xlsx(json_path, xlsx, work_path)
        _write_atomically(target, xlsx.read_bytes())
    return summary


def _write_atomically(target: Path, payload: bytes) -> None:
    folder = target.resolve().parent
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
