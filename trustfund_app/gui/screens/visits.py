"""Monitoring visits of every grant, newest first, with each visit's follow-up actions; a year
filter and export to Excel."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from trustfund_app.core.i18n import _
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.visits_view import VisitsView


class VisitsScreen(Screen):
    watches = frozenset({"visit", "grant"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.year_label = QLabel()
        self.year = QComboBox(objectName="visits_year")
        self.year.addItem("", None)
        for year in range(date.today().year, date.today().year - 15, -1):
            self.year.addItem(str(year), year)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.view = VisitsView(ctx, per_grant=False, parent=self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Monitoring visits"))
        self.year_label.setText(_("Year"))
        self.year.setItemText(0, _("All years"))
        self.view.retranslate()

    def reload(self) -> None:
        self.view.year = self.year.currentData()
        self.view.reload()
