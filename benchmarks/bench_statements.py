"""Benchmark: 200 three-page donor statements through the app vs bare reportlab building the same
tables, in the same run.

    python benchmarks/bench_statements.py [--statements 200] [--rows 95]

"app" = read the donor's data from SQLite, format every label, date and amount with babel, lay out
the whole statement (letterhead, tables, chart, fund use, footer with page x of y) and produce
the PDF bytes. "bare" = reportlab alone laying out the same tables from strings formatted
beforehand (untimed) plus the same bar chart, same page size and embedded TrueType font; no
letterhead, no fund-use section, no footer.
"batch" = ``write_statements`` for the same 200 donors, as ``trustfund statements --year`` runs
it: spread over worker processes (one per core), each statement written to a file.
Goal: app <= 1.5 x bare.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START, END, ISSUED = date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31)


def build_database(path: Path, donors: int, rows: int):
    from trustfund_app.core.db import Database
    from trustfund_app.core.models import Contribution, Donor
    from trustfund_app.core.services.rates import RateService
    from trustfund_app.core.services.users import UserService

    db = Database.open(path)
    admin = UserService(db).create_first_admin("admin", "bench-password")
    rates = RateService(db, admin)
    for month in range(1, 13):
        rates.add_month(date(2026, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5"), "GBP": Decimal("0.79")})
    rnd = random.Random(7)
    now = datetime.now(timezone.utc)
    donor_rows, contrib_rows, ids = [], [], []
    counter = 0
    for d in range(donors):
        did = uuid.uuid4()
        ids.append(str(did))
        donor_rows.append(dict(id=did, created_at=now, updated_at=now, name=f"Donor {d:03d} Foundation",
                               type="foundation", country="NOR", language="en", active=True,
                               address="Street 1\n0150 Oslo"))
        for i in range(rows):
            cur = rnd.choice(["USD", "EUR", "JPY", "GBP"])
            rate = {"USD": Decimal(1), "EUR": Decimal("0.92"), "JPY": Decimal("150.5"), "GBP": Decimal("0.79")}[cur]
            digits = 0 if cur == "JPY" else 2
            minor = rnd.randint(1000, 5_000_000) * (1 if digits == 0 else 100)
            amount = Decimal(minor).scaleb(-digits)
            usd = (amount / rate).quantize(Decimal("0.01"))
            day = date(2026, rnd.randint(1, 12), rnd.randint(1, 28))
            counter += 1
            contrib_rows.append(dict(
                id=uuid.uuid4(), created_at=now, updated_at=now, donor_id=did, kind=rnd.choice(["pledge", "payment"]),
                date=day, currency=cur, amount_minor=minor, rate=str(rate), rate_date=day.replace(day=1),
                usd_cents=int(usd * 100), reference=f"REF-{counter:06d}", receipt_number=f"VTF-2026-{counter:06d}",
                reversed=False))
    with db.writing("bench") as s:  # bulk data for timing only; not part of the audit trail
        s.execute(Donor.__table__.insert(), donor_rows)
        s.execute(Contribution.__table__.insert(), contrib_rows)
    return db, ids


def bare_chart(font: str, years: list[str], pledged: list[float], received: list[float]):
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(495, 150)
    drawing.initialFontName = font
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 62, 30, 415, 98
    chart.data = [pledged, received]
    chart.categoryAxis.categoryNames = years
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    drawing.add(chart)
    return drawing


def bare_tables(font: str, tables: list[tuple[list[str], list[list[str]], list[float]]], chart=None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, invariant=1, initialFontName=font)
    style = ParagraphStyle("h", fontName=font, fontSize=11)
    story = []
    for header, rows, widths in tables:
        story.append(Paragraph("Table", style))
        t = Table([header] + rows, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
                               ("ALIGN", (3, 1), (-1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, "blue")]))
        story += [t, Spacer(1, 8)]
    if chart is not None:
        story.append(bare_chart(font, *chart))
    doc.build(story)
    return buf.getvalue()


def same_document_jobs(db, ids: list[str], lang: str = "en") -> list:
    """The fair floor's input: each statement's own flowables, page decoration and text setup,
    made beforehand (untimed) by the app's code from data already read. ``same_document`` then
    has reportlab lay out and draw exactly the document the app produces — so ours/floor is what
    the app adds: its queries, formatting, shaping and layout choices."""
    from trustfund_app.core.i18n import _, use_language
    from trustfund_app.core.reports import data as rdata
    from trustfund_app.core.reports.layout import PageDecor
    from trustfund_app.core.reports.statement import _story
    from trustfund_app.core.reports.styles import make_styles
    from trustfund_app.core.reports.text import DocText

    jobs = []
    with db.reading() as session, use_language(lang):
        for donor_id in ids:
            d = rdata.statement_data(session, donor_id, START, END)
            dt = DocText(lang)
            decor = PageDecor(title=_("Donor statement — {donor}").format(donor=d.donor.name),
                              number_label=_("Statement No. {number}").format(number=dt.ltr(d.number)),
                              issued=ISSUED, audit_head=d.letterhead.audit_head, demo=d.letterhead.demo,
                              fund_name=d.letterhead.fund_name)
            jobs.append((dt, _story(dt, make_styles(dt), d, ISSUED), decor, d.letterhead.fund_name))
    return jobs


def same_document(jobs: list) -> list[bytes]:
    """reportlab's BaseDocTemplate.build of the prepared flowables, on the same page template."""
    from trustfund_app.core.reports.layout import build_pdf

    return [build_pdf(dt, story, decor, title=decor.title, subject=subject) for dt, story, decor, subject in jobs]


def tables_of(data, lang: str) -> list:
    """The statement's tables as strings (formatted outside the timed part, for the bare run)."""
    from trustfund_app.core.i18n import format_amount, format_date, format_rate
    from trustfund_app.core.reports.styles import scale_widths

    amt = lambda m: format_amount(m.amount, m.currency, lang)  # noqa: E731
    entries = [[format_date(e.date, lang), e.kind, f"{e.receipt_number} · {e.reference}", amt(e.amount),
                format_rate(e.rate, lang), amt(e.usd)] for e in data.entries]
    return [
        # the chart's data, then the tables
        ([str(g.year) for g in data.by_year], [float(g.pledged.amount) for g in data.by_year],
         [float(g.received.amount) for g in data.by_year]),
        (["Item", "In the period", "Since inception"],
         [["Pledged", amt(data.pledged_period), amt(data.pledged_total)],
          ["Received", amt(data.received_period), amt(data.received_total)]], scale_widths([0.5, 0.25, 0.25])),
        (["Date", "Type", "Receipt", "Amount", "Rate", "USD"], entries, scale_widths([0.12, 0.12, 0.29, 0.18, 0.11, 0.18])),
        (["Date", "Reference", "Pledged", "Paid", "Outstanding", "USD"],
         [[format_date(p.date, lang), p.receipt_number or "", amt(p.pledged), amt(p.paid), amt(p.outstanding),
           amt(p.usd)] for p in data.outstanding], scale_widths([0.13, 0.22, 0.17, 0.16, 0.16, 0.16])),
        (["Year", "Pledged", "Received"], [[str(g.year), amt(g.pledged), amt(g.received)] for g in data.by_year],
         scale_widths([0.3, 0.35, 0.35])),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--rows", type=int, default=50, help="entries per donor in the period (50 = 3 pages)")
    args = parser.parse_args()
    from pypdf import PdfReader

    from trustfund_app.core.reports.data import statement_data
    from trustfund_app.core.reports.statement import render_statement, statement_pdf
    from trustfund_app.core.reports.text import DocText

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db, ids = build_database(Path(tmp) / "bench.sqlite3", args.statements, args.rows)
        print(f"setup: {args.statements} donors x {args.rows} entries in {time.perf_counter() - t0:.1f} s")
        font = DocText("en").font()  # registers the fonts (both runs share them)
        render_statement(db, ids[0], START, END, "en", ISSUED)  # warm-up (imports, font parsing)
        with db.reading() as s:
            prepared = [tables_of(statement_data(s, did, START, END), "en") for did in ids]
        bare_tables(font, prepared[0][1:], prepared[0][0])

        t0 = time.perf_counter()
        app_pdfs = [render_statement(db, did, START, END, "en", ISSUED) for did in ids]
        app = time.perf_counter() - t0
        t0 = time.perf_counter()
        bare_pdfs = [bare_tables(font, tables[1:], tables[0]) for tables in prepared]
        bare = time.perf_counter() - t0
        from trustfund_app.core.reports.batch import default_workers, write_statements

        workers = default_workers(len(ids))
        t0 = time.perf_counter()
        batch = write_statements(db, START.year, Path(tmp) / "batch", lang="en", issued=ISSUED)
        batch_s = time.perf_counter() - t0
        assert len(batch.written) == len(ids)
        with db.reading() as s:
            read = [statement_data(s, did, START, END) for did in ids]
        t0 = time.perf_counter()
        for data in read:
            statement_pdf(data, "en", ISSUED)
        layout = time.perf_counter() - t0

        pages = [len(PdfReader(io.BytesIO(p)).pages) for p in app_pdfs]
        bare_pages = [len(PdfReader(io.BytesIO(p)).pages) for p in bare_pdfs]
        n = len(ids)
        print(f"app statements : {n} in {app:.2f} s = {1000 * app / n:.1f} ms each; pages min/max {min(pages)}/{max(pages)}")
        print(f"bare reportlab : {n} in {bare:.2f} s = {1000 * bare / n:.1f} ms each; pages min/max "
              f"{min(bare_pages)}/{max(bare_pages)}")
        print(f"app from read data (format + lay out, no database): {1000 * layout / n:.1f} ms each")
        print(f"app batch (what `trustfund statements --year` does: {workers} worker processes, files written): "
              f"{n} in {batch_s:.2f} s; ratio batch/bare: {batch_s / bare:.2f} x (goal <= 1.5)")
        print(f"ratio app/bare : {app / bare:.2f} x (goal <= 1.5); without the database read {layout / bare:.2f} x")

        per_lang = {}
        for lang in ("ar", "zh", "en", "fr", "ru", "es"):
            t0 = time.perf_counter()
            for did in ids[:20]:
                render_statement(db, did, START, END, lang, ISSUED)
            per_lang[lang] = 1000 * (time.perf_counter() - t0) / 20
        print("per language, ms per statement: " + ", ".join(f"{k} {v:.1f}" for k, v in per_lang.items()))
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
