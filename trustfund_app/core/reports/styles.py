"""Page geometry, colours, paragraph styles and the table builder shared by every document.

Tables are described in logical column order; for a right-to-left document the builder mirrors
them (columns reversed, text right-aligned), so the first column is on the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.tables import CellStyle

PAGE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
UN_BLUE = colors.HexColor("#009edb")
DARK = colors.HexColor("#1d2b36")
GREY = colors.HexColor("#5b6770")
RULE = colors.HexColor("#c5ced6")
HEAD_BG = colors.HexColor("#e6f4fb")
ZEBRA = colors.HexColor("#f6f8fa")
TOTAL_BG = colors.HexColor("#eef1f4")
WATERMARK = colors.Color(0.85, 0.1, 0.1, alpha=0.12)


@dataclass
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle
    fund: ParagraphStyle
    cell: ParagraphStyle
    cell_num: ParagraphStyle
    head: ParagraphStyle


def make_styles(dt) -> Styles:
    """Styles in the document's base font; start-aligned (right for Arabic)."""
    start = TA_RIGHT if dt.rtl else TA_LEFT
    end = TA_LEFT if dt.rtl else TA_RIGHT
    wrap = "CJK" if dt.lang == "zh" else None
    # Amiri's Arabic needs more line height than Latin fonts at the same size
    lead = 1.45 if dt.rtl else 1.25

    def style(name, size, bold=False, color=DARK, align=start, before=0, after=0, keep=0):
        return ParagraphStyle(
            name, fontName=dt.font(bold), fontSize=size, leading=round(size * lead, 1), textColor=color,
            alignment=align, spaceBefore=before, spaceAfter=after, wordWrap=wrap, keepWithNext=keep,
        )

    return Styles(
        body=style("body", 9.5, after=4),
        small=style("small", 8, color=GREY),
        title=style("title", 15, bold=True, color=UN_BLUE, after=2),
        h2=style("h2", 11, bold=True, color=UN_BLUE, before=10, after=4),
        fund=style("fund", 10.5, bold=True),
        cell=style("cell", 8),
        cell_num=style("cell_num", 8, align=end),
        head=style("head", 7.5, bold=True, color=DARK, align=TA_CENTER),
    )


def make_table(dt, styles: Styles, header: list[str], rows: list[list], widths: list[float],
               numeric: set[int] = frozenset(), total_rows: int = 0, font_size: float = 8) -> Table:
    """A table in logical column order. ``rows`` hold strings (already formatted); ``numeric``
    columns are end-aligned; text too wide for its column wraps; the last ``total_rows`` rows are
    totals."""
    head_cells = [dt.para(h, styles.head, bold=True) for h in header]
    body = []
    n_body = len(rows)
    for r, row in enumerate(rows):
        bold = r >= n_body - total_rows
        body.append([
            dt.cell(value, styles.cell_num if c in numeric else styles.cell, bold=bold, max_width=widths[c] - 6.5)
            for c, value in enumerate(row)
        ])
    data = [head_cells] + body
    ncol = len(header)
    col = list(range(ncol))
    if dt.rtl:
        data = [list(reversed(row)) for row in data]
        widths = list(reversed(widths))
        col = list(reversed(col))  # col[physical] = logical index
    start_align, end_align = ("RIGHT", "LEFT") if dt.rtl else ("LEFT", "RIGHT")
    cmds = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, UN_BLUE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
    ]
    for physical, logical in enumerate(col):
        cmds.append(("ALIGN", (physical, 1), (physical, -1), end_align if logical in numeric else start_align))
    if len(data) - total_rows > 1:
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, len(data) - total_rows - 1), [None, ZEBRA]))
    if total_rows:
        first_total = len(data) - total_rows
        cmds += [
            ("FONTNAME", (0, first_total), (-1, -1), dt.font(bold=True)),
            ("BACKGROUND", (0, first_total), (-1, -1), TOTAL_BG),
            ("LINEABOVE", (0, first_total), (-1, first_total), 0.8, DARK),
        ]
    cell_style = _cell_style(dt.font(), font_size)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="RIGHT" if dt.rtl else "LEFT",
                  cellStyles=[[cell_style("cell") for _c in row] for row in data])
    table.setStyle(TableStyle(cmds))
    return table


@lru_cache(maxsize=32)
def _cell_style(font: str, size: float) -> type:
    """reportlab's cell style with our table defaults (font, size, colour, padding, vertical
    centring) as class attributes: each cell starts with them instead of receiving them from nine
    style commands, each of which walks every cell of the table."""
    return type("TableCellStyle", (CellStyle,), {
        "fontname": font, "fontsize": size, "leading": size * 1.25, "color": DARK, "valign": "MIDDLE",
        "topPadding": 2.2, "bottomPadding": 2.2, "leftPadding": 3, "rightPadding": 3,
    })


def scale_widths(fractions: list[float], total: float = FRAME_WIDTH) -> list[float]:
    whole = sum(fractions)
    return [total * f / whole for f in fractions]


__all__ = ["PAGE", "MARGIN", "FRAME_WIDTH", "Styles", "make_styles", "make_table", "scale_widths", "mm",
           "TA_CENTER", "colors"]
