"""Charts drawn with reportlab graphics (vector, in the document's embedded fonts)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing

from trustfund_app.core.reports import bidi
from trustfund_app.core.reports.styles import GREY, RULE, UN_BLUE, colors

PLEDGE_COLOUR = colors.HexColor("#a7d8f0")


def _axis_label(dt, value: float) -> str:
    # axis ticks are whole dollars; chart values are floats only for drawing (never for money)
    return bidi.strip_controls(dt.number(Decimal(int(round(value))), 0))


def giving_chart(dt, years: list[int], pledged: list[Decimal], received: list[Decimal], width: float,
                 labels: tuple[str, str], height: float = 150) -> Drawing:
    """Pledged and received per year, USD, grouped bars; years read left to right in every
    language (a time axis), legend and tick labels in the document font."""
    drawing = Drawing(width, height)
    # the renderer starts from Helvetica unless told otherwise (it would be named, unembedded)
    drawing.initialFontName = dt.font()
    chart = VerticalBarChart()
    chart.x, chart.y = 62, 30
    chart.width, chart.height = width - 80, height - 52
    chart.data = [[float(v) for v in pledged], [float(v) for v in received]]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.labels.fontName = dt.font()
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.strokeColor = GREY
    chart.valueAxis.labels.fontName = dt.font()
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: _axis_label(dt, v)
    chart.valueAxis.strokeColor = GREY
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars[0].fillColor = PLEDGE_COLOUR
    chart.bars[1].fillColor = UN_BLUE
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 8
    if max(chart.data[0] + chart.data[1] + [0.0]) == 0:
        chart.valueAxis.valueMax = 1
    drawing.add(chart)
    legend = Legend()
    legend.fontName = dt.font()
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 110
    legend.x, legend.y = 62, height - 6
    legend.colorNamePairs = [(PLEDGE_COLOUR, dt.visual(labels[0])), (UN_BLUE, dt.visual(labels[1]))]
    drawing.add(legend)
    return drawing
