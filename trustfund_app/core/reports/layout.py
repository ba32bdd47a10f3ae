"""The page frame every document shares: A4 with margins, a running header after the first page,
a DEMO watermark on every page of a demo fund, and the footer — "Page x of y", the issue date,
the document number and the audit-trail head hash. The total page count is known only at the end,
so pages are kept and their footers drawn on save (one layout pass, not two)."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from trustfund_app.core.i18n import _
from trustfund_app.core.reports.styles import DARK, GREY, MARGIN, PAGE, RULE, WATERMARK


@dataclass(frozen=True)
class PageDecor:
    title: str  # running header, e.g. "Donor statement — Norway"
    number_label: str  # e.g. "Statement No. VTF-S-2026-1A2B3C4D"
    issued: date
    audit_head: str
    demo: bool
    fund_name: str


def _canvas_class(dt, decor: PageDecor):
    class NumberedCanvas(Canvas):
        """Keeps each page's state and draws the decorations once the page count is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _decorate(self, dt, decor, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _decorate(canv: Canvas, dt, decor: PageDecor, page: int, total: int) -> None:
    width, height = PAGE
    left, right = MARGIN, width - MARGIN
    start_x, end_x = (right, left) if dt.rtl else (left, right)
    canv.saveState()
    if decor.demo:
        canv.saveState()
        canv.setFillColor(WATERMARK)
        canv.translate(width / 2, height / 2)
        canv.rotate(35)
        mark = _("DEMO")
        # as large as fits along the page's diagonal, whatever the word's length in the language
        size = min(110.0, 0.75 * (width ** 2 + height ** 2) ** 0.5 / max(dt.width(dt.visual(mark), 1, True), 0.1))
        dt.draw(canv, 0, 0, mark, size, bold=True, anchor="centre")
        canv.restoreState()
        canv.setFillColor(WATERMARK.clone(alpha=1))
        dt.draw(canv, width / 2, height - 10 * 2.835, _("DEMO fund — not real data"), 8, bold=True, anchor="centre")
    if page > 1:
        canv.setFillColor(GREY)
        dt.draw(canv, start_x, height - MARGIN + 12, decor.title, 8)
        canv.setStrokeColor(RULE)
        canv.line(left, height - MARGIN + 8, right, height - MARGIN + 8)
    # footer: rule, then page x of y / number / issued, then the audit hash
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(left, MARGIN - 6, right, MARGIN - 6)
    canv.setFillColor(DARK)
    dt.draw(canv, start_x, MARGIN - 16, decor.number_label, 7.5)
    dt.draw(canv, width / 2, MARGIN - 16, _("Page {page} of {pages}").format(
        page=dt.number(page), pages=dt.number(total)), 7.5, anchor="centre")
    dt.draw(canv, end_x, MARGIN - 16,
            _("Issued {date}").format(date=dt.date(decor.issued)), 7.5, anchor="end")
    canv.setFillColor(GREY)
    dt.draw(canv, start_x, MARGIN - 26, _("Audit trail: {hash}").format(hash=dt.ltr(decor.audit_head)), 6.5)
    canv.restoreState()


# reportlab keeps per-document state in shared font objects: one document is laid out at a time
# (a preview and a batch may run on two worker threads; the GIL would serialise them anyway)
_build_lock = threading.Lock()


def build_pdf(dt, story: list, decor: PageDecor, title: str, subject: str) -> bytes:
    """Lay out ``story`` on the shared page frame; deterministic bytes (reportlab invariant mode)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 14,
        title=title, subject=subject, author=decor.fund_name, creator="TrustFund Desk", invariant=1,
        lang={"zh": "zh-CN"}.get(dt.lang, dt.lang),
        # the page preamble would otherwise name Helvetica, an unembedded built-in font
        initialFontName=dt.font(), initialFontSize=10, initialLeading=12,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with _build_lock:
        doc.build(story, canvasmaker=_canvas_class(dt, decor))
    return buffer.getvalue()
