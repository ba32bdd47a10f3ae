"""Statements for every donor that pledged or paid in a year, each in the donor's preferred
language (unless one language is forced), written one file at a time with progress reports and
a cancel check between donors. Each file is written whole or not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from trustfund_app.core.i18n import check_language
from trustfund_app.core.reports.common import atomic_write
from trustfund_app.core.reports.data import DonorInfo, donors_active_in, statement_data
from trustfund_app.core.reports.statement import statement_pdf


@dataclass
class BatchResult:
    year: int
    total: int
    written: list[Path] = field(default_factory=list)
    cancelled: bool = False


def statement_filename(year: int, donor: DonorInfo, lang: str) -> str:
    """``2026-Norway-en-1a2b3c4d.pdf``: readable, safe on every file system, never colliding."""
    stem = re.sub(r"[^\w]+", "-", donor.name, flags=re.UNICODE).strip("-")[:60] or "donor"
    return f"{year}-{stem}-{lang}-{donor.id[:8]}.pdf"


def write_statements(db, year: int, out_dir, lang: str | None = None, issued: date | None = None,
                     progress: Callable[[int, int, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> BatchResult:
    forced = check_language(lang) if lang else None
    issued = issued or date.today()
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with db.reading() as session:
        donors = donors_active_in(session, year)
    result = BatchResult(year, len(donors))
    for done, donor in enumerate(donors):
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        if progress is not None:
            progress(done, len(donors), donor.name)
        with db.reading() as session:
            data = statement_data(session, donor.id, start, end)
        doc_lang = forced or donor.language
        result.written.append(atomic_write(out / statement_filename(year, donor, doc_lang),
                                           statement_pdf(data, doc_lang, issued)))
    if progress is not None and not result.cancelled:
        progress(len(donors), len(donors), "")
    return result
