"""Dashboard: the fund position at a date, then the figures behind it as charts, each with its
figures as a table beside it: contributions by year and donor type, top donors, outstanding
pledges by age, commitments, disbursements by year, grants by region and victims assisted.
Everything is loaded in one background job (one read transaction, so the panels agree)."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from trustfund_app.gui.dates import DateEdit
from trustfund_app.core.i18n import N_, _, format_money, format_number, ngettext
from trustfund_app.gui.dashboard_panels import PANELS
from trustfund_app.gui.grant_widgets import ERROR_STYLE
from trustfund_app.gui.screens.base import Screen

POSITION_ROWS = (
    ("received", N_("Contributions received")),
    ("disbursed", N_("Disbursements")),
    ("psc", N_("Programme support costs")),
    ("balance", N_("Cash balance")),
    ("commitments", N_("Commitments (approved grants not yet paid)")),
    ("available", N_("Available for new grants")),
    ("pledged_outstanding", N_("Outstanding pledges")),
)


class DashboardScreen(Screen):
    watches = frozenset({"*"})
    position_ready = Signal(object)  # FundPosition, before the charts' figures

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.position_ready.connect(self._position_arrived)
        self.position = None
        self.data = None
        self._loading = False
        self._again = False
        self.as_of = DateEdit(date.today(), "dashboard_as_of")
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.as_of_label = QLabel()
        self.loading = QLabel()  # a load takes seconds on a very large fund: say so
        self.loading.setObjectName("dashboard_loading")
        self.loading.hide()
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        # what waits for the user, with a link to the My work screen
        self.work = QLabel(objectName="dashboard_work")
        self.work.setTextFormat(Qt.TextFormat.RichText)
        self.work.linkActivated.connect(lambda _link: self._open_work())
        self.work.hide()
        self.work_count = 0
        ctx.work_count.connect(self._show_work_count)
        self.group = QGroupBox()
        self.form = QFormLayout(self.group)
        # a long label (Russian, French) puts its amount under it rather than squeezing the deadlines
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key, _msgid in POSITION_ROWS:
            label, value = QLabel(), QLabel("…")
            value.setObjectName(f"position_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key in ("balance", "available"):
                value.setStyleSheet("font-weight:bold;")
            self.form.addRow(label, value)
            self.labels[key], self.values[key] = label, value
        self.position_error = QLabel()
        self.position_error.setObjectName("dashboard_position_error")
        self.position_error.setStyleSheet(ERROR_STYLE)
        self.position_error.setWordWrap(True)
        self.position_error.hide()
        self.form.addRow(self.position_error)
        self.panels = [cls() for cls in PANELS]
        content = QWidget()
        column = QVBoxLayout(content)
        # the exchange with HQ / offices: open conflicts and packages not yet acknowledged
        self.exchange_group = QGroupBox()
        self.exchange_group.setObjectName("dashboard_exchange")
        exchange_form = QFormLayout(self.exchange_group)
        self.conflicts_label, self.conflicts_value = QLabel(), QLabel("…")
        self.unacked_label, self.unacked_value = QLabel(), QLabel("…")
        self.conflicts_value.setObjectName("dashboard_open_conflicts")
        self.unacked_value.setObjectName("dashboard_unacknowledged")
        exchange_form.addRow(self.conflicts_label, self.conflicts_value)
        exchange_form.addRow(self.unacked_label, self.unacked_value)
        self.exchange_group.hide()
        top_row = QHBoxLayout()
        from trustfund_app.gui.due_panel import DuePanel

        self.due_panel = DuePanel(ctx)  # deadlines: overdue and the next 30 days (issue 18)
        top_row.addWidget(self.group, 2)
        top_row.addWidget(self.due_panel, 3)
        top_row.addWidget(self.exchange_group, 1, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top_row)
        for panel in self.panels:
            column.addWidget(panel)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dashboard_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.loading)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        self.body = QVBoxLayout(self)
        self.body.addLayout(top)
        self.body.addWidget(self.work)
        self.body.addWidget(self.scroll, 1)
        self.retranslate()

    def panel(self, name: str):
        """The panel whose objectName is ``dashboard_<name>`` (for tests and links)."""
        return next(p for p in self.panels if p.objectName() == f"dashboard_{name}")

    def retranslate(self) -> None:
        self.title.setText(_("Fund position"))
        self.as_of_label.setText(_("As of"))
        self.loading.setText(_("Updating…"))
        self.group.setTitle(_("United States dollars"))
        self.exchange_group.setTitle(_("Exchange with other offices"))
        self.conflicts_label.setText(_("Open conflicts"))
        self.unacked_label.setText(_("Packages not yet acknowledged"))
        for key, msgid in POSITION_ROWS:
            self.labels[key].setText(_(msgid))
        for panel in self.panels:
            panel.retranslate()
        self.due_panel.retranslate()
        self._show_work_count(self.work_count)
        self._show_data()

    def _show_work_count(self, count: int) -> None:
        self.work_count = count
        self.work.setVisible(bool(count))
        text = ngettext("{count} item waits for you.", "{count} items wait for you.", count).format(
            count=format_number(count))
        link = _("Open My work")
        self.work.setText(f'{escape(text)} <a href="my_work">{escape(link)}</a>')

    def _open_work(self) -> None:
        window = self.window()
        if hasattr(window, "show_screen"):
            window.show_screen("my_work")

    def reload(self) -> None:
        if self._loading:  # one job at a time; the newest request runs when it ends
            self._again = True
            return
        self._loading = True
        self.loading.show()
        db, actor, at = self.ctx.db, self.ctx.actor, self.as_of.date().toPython()
        self.due_panel.reload(at)

        def work(_job):
            from trustfund_app.core.services.dashboard import DashboardService

            # the position is emitted as soon as it is known (queued to the GUI thread)
            return DashboardService(db, actor).load(at, on_position=self.position_ready.emit)

        self.run(work, self._loaded, on_finished=self._finished)
        self.run(lambda _job: _exchange_counts(db), self._show_exchange)

    def _show_exchange(self, counts) -> None:
        from trustfund_app.core.i18n import format_number

        self.exchange_group.setVisible(counts is not None)
        if counts is not None:
            self.conflicts_value.setText(format_number(counts[0]))
            self.unacked_value.setText(format_number(counts[1]))
            self.conflicts_value.setStyleSheet("font-weight:bold;color:#b02a37;" if counts[0] else "")

    def _position_arrived(self, position) -> None:
        if not self._again:
            self.position = position
            for key, _msgid in POSITION_ROWS:
                self._set_value(key, format_money(getattr(position, key)))

    def _set_value(self, key: str, text: str) -> None:
        """An amount is never cut: its width is a minimum the wrapping rows must leave it."""
        value = self.values[key]
        value.setText(text)
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance(text) + 2 * value.margin() + 4)

    def _finished(self) -> None:
        self._loading = False
        self.loading.hide()
        if self._again:
            self._again = False
            self.reload()

    def _loaded(self, data) -> None:
        if self._again:  # a newer date or change is waiting: show that one instead
            return
        self.data = data
        self.position = data.position
        self._show_data()

    def _show_data(self) -> None:
        if self.data is None:
            return
        self.position_error.setVisible(self.data.position_error is not None)
        self.position_error.setText(self.data.position_error or "")
        for key, _msgid in POSITION_ROWS:
            self._set_value(key, format_money(getattr(self.position, key)) if self.position else "—")
        for panel in self.panels:
            panel.show_data(self.data)


def _exchange_counts(db) -> tuple[int, int] | None:
    """(open conflicts, packages not acknowledged), or None for a fund without offices."""
    from trustfund_app.core.offices.identity import self_office
    from trustfund_app.core.offices.status import dashboard_counts

    with db.reading() as s:
        return dashboard_counts(s) if self_office(s) is not None else None
