"""A country picked from a searchable list (its name in the UI language, typed in part anywhere) or
typed as an ISO 3166 code or English name: the donor dialog's country, like the grant dialogs'."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from trustfund_app.core.countries import country_label


class CountryField(QComboBox):
    def __init__(self, name: str | None = None, parent=None):
        super().__init__(parent)
        import pycountry

        if name:
            self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._by_text: dict[str, str] = {}
        self.addItem("", None)
        for label, code in sorted((country_label(c.alpha_3), c.alpha_3) for c in pycountry.countries):
            self.addItem(label, code)
        for country in pycountry.countries:
            for text in (country.alpha_2, country.alpha_3, country.name, getattr(country, "common_name", None),
                         country_label(country.alpha_3)):
                if text:
                    self._by_text.setdefault(text.casefold(), country.alpha_3)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentIndex(0)

    # the dialog reads and fills it like the text field it replaced
    def text(self) -> str:
        """The alpha-3 code of what is chosen or typed ("Norway", "no", "NOR"), else the typed text
        (the service then says what is wrong with it)."""
        typed = self.currentText().strip()
        return self._by_text.get(typed.casefold(), typed)

    def setText(self, value: str) -> None:  # noqa: N802 (QLineEdit's name)
        code = self._by_text.get((value or "").strip().casefold())
        index = self.findData(code) if code and (value or "").upper() == code else -1
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(value or "")
