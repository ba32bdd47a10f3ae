"""QtCharts helpers for the dashboard: bar (stacked or not, vertical or horizontal) and pie charts
that follow the UI language's direction and fonts.

Right-to-left: time runs from right to left (the categories are drawn in reverse order and the
value axis sits on the right); horizontal bars grow leftwards from a value axis on the right. Amounts are
drawn in USD, thousands or millions (the axis title says which); the exact figures are always
shown as text beside each chart by the screen — the chart is only a picture of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QHorizontalStackedBarSeries,
    QPieSeries, QStackedBarSeries, QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QSizePolicy

from trustfund_app.core.i18n import _, is_rtl

# colour-blind-safe qualitative palette (Okabe–Ito), then a few extra
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#332288")


@dataclass(frozen=True)
class Scale:
    divisor: Decimal
    title: str  # already translated, e.g. "USD millions"


def amount_scale(largest: Decimal) -> Scale:
    """USD, thousands or millions so that the axis labels stay short."""
    if largest >= 1_000_000:
        return Scale(Decimal(1_000_000), _("USD millions"))
    if largest >= 10_000:
        return Scale(Decimal(1_000), _("USD thousands"))
    return Scale(Decimal(1), _("USD"))


def _plot_value(value, scale: Scale | None) -> float:
    """Geometry only: the chart API takes floats. Money is never computed from these."""
    number = value.amount if hasattr(value, "amount") else Decimal(value)
    return float(number / scale.divisor) if scale else float(number)


def _font(point_delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(7, font.pointSize() + point_delta))
    font.setBold(bold)
    return font


def chart_view(name: str, min_height: int = 240) -> QChartView:
    chart = QChart()
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setFont(_font(-1))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(min_height)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view


def short_label(text: str, limit: int = 26) -> str:
    """Category labels Qt would otherwise elide to "..." when space is short."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reset(view: QChartView) -> QChart:
    chart = view.chart()
    chart.removeAllSeries()
    for axis in list(chart.axes()):
        chart.removeAxis(axis)
    rtl = is_rtl()
    chart.setLocalizeNumbers(True)
    chart.setLocale(QLocale())
    chart.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    chart.legend().setFont(_font(-1))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setReverseMarkers(rtl)  # the first series is read first, from the right
    return chart


def show_bars(view: QChartView, categories: list[str], series: list[tuple[str, list]], *, stacked: bool = False,
              horizontal: bool = False, money: bool = True, value_title: str | None = None) -> Scale | None:
    """Draw ``series`` [(label, values per category)] over ``categories`` (in reading order: the
    first category comes first in the language's direction). ``money``: values are Money (or
    Decimal USD) and the axis is scaled; otherwise they are counts."""
    chart = _reset(view)
    rtl = is_rtl()
    largest = Decimal(0)
    for _label, values in series:
        amounts = [v.amount if hasattr(v, "amount") else Decimal(v) for v in values]
        largest = max([largest, *amounts]) if not stacked else largest
    if stacked:
        for i in range(len(categories)):
            total = sum((v[i].amount if hasattr(v[i], "amount") else Decimal(v[i]) for _l, v in series), Decimal(0))
            largest = max(largest, total)
    scale = amount_scale(largest) if money else None
    kinds = {(False, False): QBarSeries, (True, False): QStackedBarSeries,
             (False, True): QHorizontalBarSeries, (True, True): QHorizontalStackedBarSeries}
    bars = kinds[(stacked, horizontal)]()
    if horizontal or rtl:
        # horizontal: the top of the list at the top (Qt draws the first category at the bottom);
        # right to left: the first category on the right (QBarCategoryAxis ignores setReverse)
        categories = list(reversed(categories))
        series = [(label, list(reversed(values))) for label, values in series]
    for i, (label, values) in enumerate(series):
        bar_set = QBarSet(label)
        bar_set.setColor(QColor(PALETTE[i % len(PALETTE)]))
        bar_set.setBorderColor(QColor(PALETTE[i % len(PALETTE)]))
        for value in values:
            bar_set.append(_plot_value(value, scale))
        bars.append(bar_set)
    chart.addSeries(bars)
    category_axis = QBarCategoryAxis()
    category_axis.append(categories)
    category_axis.setLabelsFont(_font(-1))
    category_axis.setTruncateLabels(False)  # short_label() keeps them short; Qt would show "..."
    if not horizontal and len(categories) > 8:
        category_axis.setLabelsAngle(-90)  # years stay readable however many there are
    value_axis = QValueAxis()
    value_axis.setLabelsFont(_font(-1))
    value_axis.setLabelFormat("%.0f" if largest / (scale.divisor if scale else 1) >= 10 else "%.1f")
    value_axis.setMin(0)
    value_axis.setMax(max(float(largest / (scale.divisor if scale else 1)) * 1.05, 1.0))
    value_axis.applyNiceNumbers()
    title = value_title or (scale.title if scale else "")
    if title:
        value_axis.setTitleText(title)
        value_axis.setTitleFont(_font(-1))
    if horizontal:
        value_axis.setReverse(rtl)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(category_axis)
    bars.attachAxis(value_axis)
    chart.legend().setVisible(len(series) > 1)
    return scale


def show_pie(view: QChartView, slices: list[tuple[str, object]]) -> None:
    """A pie of (label, Money or number) slices; each slice is labelled with its share."""
    chart = _reset(view)
    pie = QPieSeries()
    total = sum((v.amount if hasattr(v, "amount") else Decimal(v) for _l, v in slices), Decimal(0))
    for i, (label, value) in enumerate(slices):
        amount = value.amount if hasattr(value, "amount") else Decimal(value)
        if amount <= 0:
            continue
        piece = pie.append(label, float(amount))
        piece.setColor(QColor(PALETTE[i % len(PALETTE)]))
        piece.setLabelFont(_font(-1))
        if total:
            share = QLocale().toString(float(amount / total * 100), "f", 0)
            piece.setLabel(_("{label}: {share} %").format(label=label, share=share))
        piece.setLabelVisible(True)
    pie.setPieSize(0.6)
    chart.addSeries(pie)
    chart.legend().setVisible(False)


def show_message(view: QChartView, text: str) -> None:
    """An empty chart that says why it is empty."""
    chart = _reset(view)
    chart.setTitle(text)
    chart.setTitleFont(_font())
    chart.legend().setVisible(False)


def clear_message(view: QChartView) -> None:
    view.chart().setTitle("")
