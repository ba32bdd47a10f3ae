"""Grant cycles: each call for proposals with its envelope, what its grants already take from it,
and its sub-programmes (ceiling per grant, maximum duration)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from trustfund_app.core.i18n import N_, _, format_number
from trustfund_app.core.services.grants import CycleService
from trustfund_app.gui.grant_widgets import date_cell, make_table, money_cell, select_where, selected_row, select_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel

def _board_cell(c) -> str:
    if c.board_meeting and c.board_meeting_date:
        return _("{meeting} ({date})").format(meeting=c.board_meeting, date=date_cell(c.board_meeting_date))
    return c.board_meeting or date_cell(c.board_meeting_date)


CYCLE_COLUMNS = (
    Column(N_("Cycle"), lambda c: c.number, numeric=True),
    Column(N_("Year"), lambda c: c.year),
    Column(N_("Name"), lambda c: c.name),
    Column(N_("Call opens"), lambda c: c.call_open, lambda c: date_cell(c.call_open)),
    Column(N_("Call closes"), lambda c: c.call_close, lambda c: date_cell(c.call_close)),
    Column(N_("Board meeting"), lambda c: c.board_meeting or "",
           _board_cell),
    Column(N_("Envelope"), lambda c: c.envelope.amount, lambda c: money_cell(c.envelope), numeric=True),
    Column(N_("Approved grants"), lambda c: c.committed.amount, lambda c: money_cell(c.committed), numeric=True),
    Column(N_("Remaining"), lambda c: c.remaining.amount, lambda c: money_cell(c.remaining), numeric=True),
    Column(N_("Applications"), lambda c: c.applications, lambda c: format_number(c.applications), numeric=True),
    Column(N_("Grants"), lambda c: c.grants, lambda c: format_number(c.grants), numeric=True),
)
SUB_COLUMNS = (
    Column(N_("Code"), lambda s: s.code),
    Column(N_("Name"), lambda s: s.name),
    Column(N_("Ceiling per grant"), lambda s: s.ceiling.amount, lambda s: money_cell(s.ceiling), numeric=True),
    Column(N_("Maximum duration (months)"), lambda s: s.max_months, lambda s: format_number(s.max_months), numeric=True),
)


class CyclesScreen(Screen):
    watches = frozenset({"cycle", "grant", "application"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.pending_select: str | None = None  # a new cycle, selected once the list reloads
        self.dialog = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.model = RowsTableModel(CYCLE_COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "cycles_table", self, 0, Qt.SortOrder.DescendingOrder, small=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_subs())
        self.sub_model = RowsTableModel(SUB_COLUMNS, self)
        self.sub_table, self.sub_proxy = make_table(self.sub_model, "sub_programmes_table", self, small=True)
        self.sub_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_cycle")
        self.new_button.clicked.connect(self.new_cycle)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_cycle")
        self.edit_button.clicked.connect(self.edit_cycle)
        self.new_sub_button = QPushButton()
        self.new_sub_button.setObjectName("new_sub_programme")
        self.new_sub_button.clicked.connect(self.new_sub)
        self.edit_sub_button = QPushButton()
        self.edit_sub_button.setObjectName("edit_sub_programme")
        self.edit_sub_button.clicked.connect(self.edit_sub)
        self.empty = QLabel()
        self.empty.setObjectName("cycles_empty")
        self.empty.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        self.sub_group = QGroupBox()
        sub_layout = QVBoxLayout(self.sub_group)
        sub_buttons = QHBoxLayout()
        sub_buttons.addStretch()
        sub_buttons.addWidget(self.new_sub_button)
        sub_buttons.addWidget(self.edit_sub_button)
        sub_layout.addLayout(sub_buttons)
        sub_layout.addWidget(self.sub_table)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table)
        upper_layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.sub_group)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.title.setText(_("Grant cycles"))
        self.new_button.setText(_("New cycle…"))
        self.edit_button.setText(_("Edit cycle…"))
        self.new_sub_button.setText(_("New sub-programme…"))
        self.edit_sub_button.setText(_("Edit sub-programme…"))
        self.empty.setText(_("No grant cycle yet. A cycle is one call for proposals: create it, then its "
                             "sub-programmes (for example SGP1 emergency grants and SGP2 medium-term grants)."))
        self.model.retranslate()
        self.sub_model.retranslate()
        self._update_sub_title()

    def reload(self) -> None:
        service = self.ctx.service(CycleService)
        self.run(lambda _job: service.list(), self._show_cycles)

    def _show_cycles(self, cycles) -> None:
        current = selected_row(self.table)
        wanted = self.pending_select or (current.id if current else None)
        self.pending_select = None
        self.model.set_rows(cycles)
        self.empty.setVisible(not cycles)
        if not (wanted and select_where(self.table, lambda c: c.id == wanted)) and cycles:
            select_row(self.table, 0)
        self._show_subs()

    def current_cycle(self):
        return selected_row(self.table)

    def _show_subs(self) -> None:
        cycle = self.current_cycle()
        self.sub_model.set_rows(list(cycle.sub_programmes) if cycle else [])
        self._update_sub_title()
        self._update_buttons()

    def _update_sub_title(self) -> None:
        cycle = self.current_cycle()
        self.sub_group.setTitle(_("Sub-programmes of cycle {number}").format(number=cycle.number) if cycle
                                else _("Sub-programmes"))

    def _update_buttons(self) -> None:
        can = bool(self.ctx.actor and self.ctx.actor.can("grants"))
        has = self.current_cycle() is not None
        self.new_button.setEnabled(can)
        self.edit_button.setEnabled(can and has)
        self.new_sub_button.setEnabled(can and has)
        self.edit_sub_button.setEnabled(can and selected_row(self.sub_table) is not None)

    # -- actions -----------------------------------------------------------------------------
    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.open()

    def _saved(self, dialog) -> None:
        from trustfund_app.gui.grant_cycle_dialog import CycleDialog

        window = self.window()
        created = isinstance(dialog, CycleDialog) and dialog.cycle is None
        if created:
            # the new cycle is selected and scrolled to once the list has reloaded
            self.pending_select = dialog.result_value
        if hasattr(window, "show_message"):
            window.show_message(_("Cycle {number} created.").format(number=dialog.number.value()) if created
                                else _("Saved."))

    def new_cycle(self) -> None:
        from trustfund_app.gui.grant_cycle_dialog import CycleDialog

        self._open(CycleDialog(self.ctx, None, self, existing=list(self.model.rows)))

    def edit_cycle(self) -> None:
        from trustfund_app.gui.grant_cycle_dialog import CycleDialog

        if self.current_cycle():
            self._open(CycleDialog(self.ctx, self.current_cycle(), self))

    def new_sub(self) -> None:
        from trustfund_app.gui.grant_cycle_dialog import SubProgrammeDialog

        if self.current_cycle():
            self._open(SubProgrammeDialog(self.ctx, self.current_cycle(), None, self))

    def edit_sub(self) -> None:
        from trustfund_app.gui.grant_cycle_dialog import SubProgrammeDialog

        sub = selected_row(self.sub_table)
        if self.current_cycle() and sub:
            self._open(SubProgrammeDialog(self.ctx, self.current_cycle(), sub, self))
