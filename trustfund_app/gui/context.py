"""The GUI's shared state: the open database, who is logged in, the language, and the change
notifications from the core turned into a Qt signal delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSettings, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QWidget

from trustfund_app.core import changes
from trustfund_app.core.changes import ChangeSet
from trustfund_app.core.i18n import LANGUAGES, is_rtl, set_language

# Arabic: Modern Standard Arabic with the Latin digits babel uses for amounts (ar_EG would show ٠١٢)
QT_LOCALES = {"ar": "ar_001", "zh": "zh_CN", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


class AppContext(QObject):
    changed = Signal(object)  # ChangeSet, always on the GUI thread
    language_changed = Signal(str)
    database_opened = Signal()
    work_count = Signal(int)  # items waiting for the logged-in user (gui/screens/my_work.py)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.db = None  # trustfund_app.core.db.Database
        self.actor = None  # trustfund_app.core.services.base.Actor
        self.is_demo = False
        self.read_only_reason: str | None = None
        self.language = "en"
        self._qt_translator: QTranslator | None = None
        # core listeners may run on worker threads; a signal emitted there is queued to the GUI thread
        self._unsubscribe = changes.subscribe(self._on_core_change)

    def _on_core_change(self, change: ChangeSet) -> None:
        self.changed.emit(change)

    def close(self) -> None:
        self._unsubscribe()

    def service(self, cls):
        """A core service for the logged-in user (construct per call; services are cheap)."""
        return cls(self.db, self.actor)

    # -- language ---------------------------------------------------------------------------
    def settings(self) -> QSettings:
        return QSettings("TrustFundDesk", "TrustFundDesk")

    def saved_language(self) -> str | None:
        value = self.settings().value("language")
        return value if value in LANGUAGES else None

    def apply_language(self, lang: str, remember: bool = False) -> None:
        set_language(lang)
        self.language = lang
        app = QApplication.instance()
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if lang != "en":
            translator = QTranslator(app)
            path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{QT_LOCALES[lang]}", path):
                app.installTranslator(translator)
                self._qt_translator = translator
        previous = QLocale()
        QLocale.setDefault(QLocale(QT_LOCALES[lang]))
        date_formats = _date_edit_formats(app, previous, QLocale())
        # set explicitly: Qt would only infer it from a loaded translation
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(lang) else Qt.LayoutDirection.LeftToRight)
        _relocalize_widgets(app, QLocale(), date_formats)
        if remember:
            self.settings().setValue("language", lang)
        self.language_changed.emit(lang)


_FORMAT_PROPERTY = "tf_display_format"


def _date_edit_formats(app, previous: QLocale, locale: QLocale) -> dict:
    """The display format each date edit should have in the new language, read before the layout
    direction changes: Qt mirrors a date edit's sections for right-to-left and does not restore
    them ("yyyy-MM-dd" came back as "dd-MM-yyyy"). Edits in the old locale's default format move
    to the new locale's; formats a screen chose stay."""
    short = QLocale.FormatType.ShortFormat
    defaults = {previous.dateFormat(short): locale.dateFormat(short),
                previous.dateTimeFormat(short): locale.dateTimeFormat(short)}
    formats = {}
    for widget in app.allWidgets():
        if isinstance(widget, QDateTimeEdit) and not hasattr(widget, "relocalize"):
            intended = widget.property(_FORMAT_PROPERTY) or widget.displayFormat()
            if intended:
                formats[widget] = defaults.get(intended, intended)
    return formats


def _relocalize_widgets(app, locale: QLocale, date_formats: dict) -> None:
    """Widgets made before a switch keep the locale they were born with: hand every window the new
    one (spin boxes regroup digits), then put each date edit's format back in order."""
    for widget in app.topLevelWidgets():
        if not isinstance(widget, QWidget):  # a stale wrapper (see gui/layout_items.py): not a window of ours
            continue
        widget.setLocale(locale)
    for edit, display_format in date_formats.items():
        edit.setDisplayFormat(display_format)
        edit.setProperty(_FORMAT_PROPERTY, display_format)
    for widget in app.allWidgets():
        if isinstance(widget, QDateTimeEdit) and hasattr(widget, "relocalize"):
            widget.relocalize()  # gui/dates.DateEdit: the new language's one date style
