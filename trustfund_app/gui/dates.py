"""Date pickers in the language's one date style (core/i18n.py ``date_pattern``), that also take a
date typed as ISO 8601 (2026-12-04), the form people copy from spreadsheets and e-mails."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDateEdit

from trustfund_app.core.i18n import current_language, date_pattern

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ISO_PREFIX = re.compile(r"^\s*\d{1,4}(-\d{0,2}(-\d{0,2})?)?\s*$")


def qt_date_format(lang: str | None = None, mirrored: bool = False) -> str:
    """The CLDR pattern as a Qt display format: same letters for d/M, four-digit year, quoted text
    kept (Qt quotes literals the same way). ``mirrored``: sections in reverse order, for an edit laid
    out right-to-left, which Qt mirrors back (so its text is the language's date again)."""
    tokens = [("yyyy" if token.startswith("y") else token)
              for token in re.findall(r"'[^']*'|y+|M+|d+|[^'yMd]+", date_pattern(lang))]
    if mirrored:
        fields = [t for t in tokens if t[0] in "yMd"]
        # fields swap places, the separators between them stay where they are
        fields.reverse()
        tokens = [fields.pop(0) if t[0] in "yMd" else t for t in tokens]
    return "".join(tokens)


class DateEdit(QDateEdit):
    def __init__(self, value: date | QDate | None = None, name: str | None = None, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.relocalize()
        if name:
            self.setObjectName(name)
        self.set_value(value or date.today())

    def set_value(self, value: date | QDate) -> None:
        self.setDate(value if isinstance(value, QDate) else QDate(value.year, value.month, value.day))

    def value(self) -> date:
        return self.date().toPython()

    def relocalize(self) -> None:
        value = self.date()
        self.setDisplayFormat(qt_date_format(current_language(),
                                             self.layoutDirection() == Qt.LayoutDirection.RightToLeft))
        self.setDate(value)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.LocaleChange, QEvent.Type.LayoutDirectionChange):
            # Qt mirrors a date edit's sections for right-to-left: put the language's format back
            self.relocalize()

    # typed ISO dates: accepted as they are typed, taken on Enter or leaving the field
    def validate(self, text: str, pos: int):
        if _ISO.match(text):
            return QValidator.State.Acceptable, text, pos
        if _ISO_PREFIX.match(text) and "-" in text:
            return QValidator.State.Intermediate, text, pos
        return super().validate(text, pos)

    def dateTimeFromText(self, text: str) -> QDateTime:
        match = _ISO.match(text)
        if match:
            parsed = QDate(int(match[1]), int(match[2]), int(match[3]))
            if parsed.isValid():
                return QDateTime(parsed, QTime(0, 0))
        return super().dateTimeFromText(text)

    def fixup(self, text: str) -> str:
        match = _ISO.match(text)
        if match:
            parsed = QDate(int(match[1]), int(match[2]), int(match[3]))
            if parsed.isValid():
                return parsed.toString(self.displayFormat())
        return super().fixup(text)
