"""Dashboard: the live fund position of the open database, with its figures as text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_money
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

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.position = None
        self.as_of = QDateEdit(date.today())
        self.as_of.setObjectName("dashboard_as_of")
        self.as_of.setCalendarPopup(True)
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.as_of_label = QLabel()
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.group = QGroupBox()
        self.form = QFormLayout(self.group)
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
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        self.body = QVBoxLayout(self)
        self.body.addLayout(top)
        self.body.addWidget(self.group)
        self.body.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Fund position"))
        self.as_of_label.setText(_("As of"))
        self.group.setTitle(_("United States dollars"))
        for key, msgid in POSITION_ROWS:
            self.labels[key].setText(_(msgid))
        self._show_position()

    def reload(self) -> None:
        db, at = self.ctx.db, self.as_of.date().toPython()

        def work(_job):
            from trustfund_app.core.services.position import PositionService

            return PositionService(db).position(at)

        self.run(work, self._loaded_position)

    def _loaded_position(self, position) -> None:
        self.position = position
        self._show_position()

    def _show_position(self) -> None:
        if self.position is None:
            return
        for key, _msgid in POSITION_ROWS:
            self.values[key].setText(format_money(getattr(self.position, key)))
