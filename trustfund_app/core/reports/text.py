"""Logical strings -> things reportlab can draw in one document's language.

``DocText`` knows the document's language, base font family and direction. It gives paragraphs
(font runs as ``<font>`` markup; right-to-left text wrapped logically, then reordered per line),
table cells (a plain string when one font draws it all — fast — else a paragraph), and strings
drawn directly on the canvas (footer, watermark).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from trustfund_app.core.i18n import format_number, is_rtl
from trustfund_app.core.reports import bidi, fonts
from trustfund_app.core.reports.numbers import amount_text, date_text, rate_text


PARSED_KEPT = 20000  # paragraphs and cells a reusing DocText keeps (then it starts again)


class DocText:
    def __init__(self, lang: str):
        self.lang = lang
        self.rtl = is_rtl(lang)
        self.family = fonts.register_family(fonts.family_for(lang))
        for family in fonts.FALLBACK_ORDER:  # registered up front: fallbacks may be needed anywhere
            fonts.register_family(family)
        self._parsed: dict | None = None

    def reuse_parsed(self) -> "DocText":
        """Keep each paragraph's parsed markup, and each table cell's plain string, for the next
        documents laid out with this DocText and the same style objects (statements in bulk:
        headings, table headers, the fund-use labels, dates and rates recur in every statement).
        reportlab treats the parsed fragments as read-only; the same bytes come out
        (tests/core/test_statement_batch.py)."""
        self._parsed = {}
        return self

    # -- fonts -----------------------------------------------------------------------------
    def font(self, bold: bool = False) -> str:
        return self.family.bold if bold else self.family.regular

    def width(self, drawn: str, size: float, bold: bool = False) -> float:
        return fonts.text_width(drawn, self.font(bold), size, bold)

    # -- values formatted for the locale (amounts isolated inside right-to-left text) --------
    def amount(self, money) -> str:
        text = amount_text(money.amount, money.currency, self.lang)
        # babel's Arabic marks (U+200F) would pull the minus sign to the wrong end of an isolate
        return bidi.isolate_ltr(bidi.strip_controls(text)) if self.rtl else text

    def number(self, value, digits: int | None = None) -> str:
        text = format_number(value, self.lang, digits)
        return bidi.isolate_ltr(bidi.strip_controls(text)) if self.rtl else text

    def rate(self, value) -> str:
        return rate_text(value, self.lang)

    def date(self, value, _style: str | None = None) -> str:
        """The language's one date style (core/i18n.py); a style asked for ("long") is not honoured."""
        return date_text(value, self.lang)

    def ltr(self, text: str) -> str:
        """A reference or code that must read left to right even inside Arabic."""
        return bidi.isolate_ltr(text) if self.rtl else text

    # -- drawing ---------------------------------------------------------------------------
    def needs_bidi(self, text: str) -> bool:
        return self.rtl or bidi.has_rtl(text)

    def visual(self, line: str) -> str:
        return bidi.visual(line, self.rtl)

    def markup(self, drawn: str, bold: bool = False) -> str:
        """Paragraph markup for drawn (visual) text: runs the base font lacks get their own font."""
        base = self.font(bold)
        parts = []
        for name, run in fonts.segments(drawn, base, bold):
            run = escape(run)
            parts.append(run if name == base else f'<font name="{name}">{run}</font>')
        return "".join(parts)

    def single_font(self, drawn: str, bold: bool = False) -> bool:
        runs = fonts.segments(drawn, self.font(bold), bold)
        return len(runs) <= 1 and (not runs or runs[0][0] == self.font(bold))

    def para(self, text: str, style, bold: bool = False) -> Flowable:
        if self.needs_bidi(text):
            return BidiParagraph(self, text, style, bold)
        if self._parsed is None:
            return Paragraph(self._para_markup(text, bold), style)
        key = (text, bold, id(style))
        parsed = self._parsed.get(key)
        if parsed is None:
            para = Paragraph(self._para_markup(text, bold), style)
            if len(self._parsed) > PARSED_KEPT:
                self._parsed.clear()
            self._parsed[key] = (para.text, para.style, para.frags, style)  # style kept: its id stays its own
            return para
        return Paragraph(parsed[0], parsed[1], frags=parsed[2])

    def _para_markup(self, text: str, bold: bool) -> str:
        return "<br/>".join(self.markup(bidi.strip_controls(line), bold) for line in text.split("\n"))

    def cell(self, text: str, style, bold: bool = False, max_width: float | None = None):
        """A table cell: a plain string when one font draws it and it fits ``max_width``, else a
        paragraph that wraps. (Plain strings are several times faster for reportlab to lay out.)"""
        text = text or ""
        if self._parsed is not None:  # a reusing DocText: the plain strings it decided on before
            key = ("cell", text, bold, style.fontSize, max_width)
            plain = self._parsed.get(key)
            if plain is None:
                plain = self._cell(text, style, bold, max_width)
                if isinstance(plain, str):
                    if len(self._parsed) > PARSED_KEPT:
                        self._parsed.clear()
                    self._parsed[key] = plain
            return plain
        return self._cell(text, style, bold, max_width)

    def _cell(self, text: str, style, bold: bool, max_width: float | None):
        if "\n" not in text:
            drawn = self._drawn(text)
            if self._one_font(drawn, bold) and (
                    max_width is None or len(drawn) * style.fontSize <= max_width  # no glyph is wider than 1 em
                    or fonts.single_font_width(drawn, self.font(bold), style.fontSize) <= max_width):
                return drawn
        return self.para(text, style, bold)

    def _drawn(self, text: str) -> str:
        if text.startswith(bidi.LRI) and text.endswith(bidi.PDI) and not bidi.has_rtl(text):
            return bidi.strip_controls(text)  # an isolated amount: left to right as it stands
        return self.visual(text) if self.needs_bidi(text) else bidi.strip_controls(text)

    def _one_font(self, drawn: str, bold: bool) -> bool:
        # a set test first: the per-character font walk is only needed for mixed scripts
        return fonts.coverage_chars(self.font(bold)).issuperset(drawn) or self.single_font(drawn, bold)

    def draw(self, canv, x: float, y: float, text: str, size: float, bold: bool = False, anchor: str = "start") -> float:
        """Draw one line on the canvas; ``anchor`` is start/end (mirrored for RTL) or centre."""
        drawn = self.visual(text)
        runs = fonts.segments(drawn, self.font(bold), bold)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        total = sum(stringWidth(run, name, size) for name, run in runs)
        side = anchor
        if self.rtl and anchor in ("start", "end"):
            side = "end" if anchor == "start" else "start"
        left = x - total if side == "end" else x - total / 2 if side == "centre" else x
        for name, run in runs:
            canv.setFont(name, size)
            canv.drawString(left, y, run)
            left += stringWidth(run, name, size)
        return total


class BidiParagraph(Flowable):
    """A paragraph containing right-to-left text: wrapped on the logical text at the width it is
    given, each line reordered for drawing, the lines joined with <br/> into a Paragraph."""

    def __init__(self, dt: DocText, text: str, style, bold: bool = False):
        super().__init__()
        self.dt, self.text, self.style, self.bold = dt, text, style, bold
        self._para: Paragraph | None = None
        self._width = None
        self.keepWithNext = style.keepWithNext  # headings stay with what follows

    def _measure(self, piece: str) -> float:
        return self.dt.width(bidi.strip_controls(bidi.shape(piece)), self.style.fontSize, self.bold)

    def _build(self, avail_width: float) -> Paragraph:
        if self._para is None or self._width != avail_width:
            inner = avail_width - self.style.leftIndent - self.style.rightIndent - 1
            lines = bidi.wrap_logical(self.text, max(inner, 10), self._measure)
            markup = "<br/>".join(self.dt.markup(self.dt.visual(line), self.bold) for line in lines)
            self._para, self._width = Paragraph(markup, self.style), avail_width
        return self._para

    def wrap(self, avail_width, avail_height):
        para = self._build(avail_width)
        self.width, self.height = para.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return self._build(avail_width).split(avail_width, avail_height)

    def getSpaceBefore(self):  # noqa: N802 (reportlab API)
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802
        return self.style.spaceAfter

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)
