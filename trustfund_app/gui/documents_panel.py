"""The documents attached to one record (a grant, application, grantee, donor or contribution):
a list, Attach… (or drop files on it), Open (the system's viewer, on a read-only copy, only for
types a viewer shows) and Export…. Used as a tab of the detail views."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trustfund_app.core.i18n import N_, _, format_date, format_number, ngettext
from trustfund_app.core.services.documents import DocumentService, size_text
from trustfund_app.gui.grant_widgets import make_table, selected_row
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel

COLUMNS = (
    Column(N_("File"), lambda d: d.file_name),
    Column(N_("Size"), lambda d: d.size, lambda d: size_text(d.size), numeric=True),
    Column(N_("Attached on"), lambda d: d.attached_at, lambda d: format_date(d.attached_at.date())),
    Column(N_("By"), lambda d: d.attached_by),
    Column(N_("Note"), lambda d: d.note or ""),
    Column(N_("SHA-256"), lambda d: d.sha256, lambda d: d.sha256[:16] + "…"),
)
PERMISSIONS = {"grant": "grants", "application": "grants", "grantee": "grantees", "donor": "donors",
               "contribution": "contributions"}


class DocumentsPanel(QWidget):
    def __init__(self, ctx, kind: str, parent=None):
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.owner_id: str | None = None
        self.rows = []
        self.setObjectName(f"documents_{kind}")
        self.setAcceptDrops(True)
        self.model = RowsTableModel(COLUMNS, self)
        self.table, _proxy = make_table(self.model, f"documents_{kind}_table", self, 2, small=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.hint = QLabel()
        self.hint.setObjectName("documents_hint")
        self.hint.setWordWrap(True)
        self.attach_button = QPushButton(objectName="documents_attach")
        self.attach_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(objectName="documents_open")
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QPushButton(objectName="documents_export")
        self.export_button.clicked.connect(self.export_selected)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        for button in (self.attach_button, self.open_button, self.export_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        ctx.changed.connect(self._on_changed)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(_("Drop files here to attach them. Documents are kept in the fund database with their "
                            "SHA-256; they are opened read-only and never run."))
        self.attach_button.setText(_("Attach…"))
        self.open_button.setText(_("Open"))
        self.export_button.setText(_("Export…"))
        self.model.retranslate()
        self._update_buttons()

    # -- data --------------------------------------------------------------------------------
    def set_owner(self, owner_id: str | None) -> None:
        self.owner_id = owner_id
        self.reload()

    def reload(self) -> None:
        owner, kind = self.owner_id, self.kind
        if not owner:
            self._loaded((None, []))
            return
        service = self.ctx.service(DocumentService)
        start_job(lambda _job: (owner, service.list(kind, owner)), on_done=self._loaded, on_error=self._error)

    def _loaded(self, result) -> None:
        owner, rows = result
        if owner != self.owner_id:
            return
        self.rows = rows
        self.model.set_rows(rows)
        self._update_buttons()

    def _on_changed(self, change) -> None:
        if change.entity == "document" and self.owner_id in change.ids:
            self.reload()

    def _update_buttons(self) -> None:
        can = bool(self.owner_id and self.ctx.actor and self.ctx.actor.can(PERMISSIONS[self.kind])
                   and not self.ctx.read_only_reason)
        self.attach_button.setEnabled(can)
        self.setAcceptDrops(can)
        row = selected_row(self.table)
        self.open_button.setEnabled(bool(row and row.viewable))
        self.open_button.setToolTip("" if not row or row.viewable else
                                    _("This type of file is not opened here; export it instead."))
        self.export_button.setEnabled(row is not None)

    # -- actions -----------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Attach documents"))
        self.attach_paths(paths)

    def attach_paths(self, paths) -> None:
        owner, kind = self.owner_id, self.kind
        paths = [str(p) for p in paths if p]
        if not owner or not paths:
            return
        service = self.ctx.service(DocumentService)
        start_job(lambda _job: [service.attach_file(kind, owner, p) for p in paths],
                  on_done=lambda ids: self._message(ngettext("{count} document attached.", "{count} documents attached.",
                                                             len(ids)).format(count=format_number(len(ids)))),
                  on_error=self._error)

    def open_selected(self) -> None:
        row = selected_row(self.table)
        if not row or not row.viewable:
            return
        service = self.ctx.service(DocumentService)
        start_job(lambda _job: service.viewer_copy(row.id),
                  on_done=lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))), on_error=self._error)

    def export_selected(self, path: str | None = None) -> None:
        row = selected_row(self.table)
        if not row:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export document"), row.file_name)
            if not path:
                return
        service = self.ctx.service(DocumentService)
        start_job(lambda _job: service.export(row.id, path),
                  on_done=lambda p: self._message(_("Exported to {file}.").format(file=p)), on_error=self._error)

    # -- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self.attach_button.isEnabled() and event.mimeData().hasUrls() and \
                any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt name)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files = [p for p in paths if Path(p).is_file()]
        event.acceptProposedAction()
        self.attach_paths(files)

    def _message(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(text)

    def _error(self, exc) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(exc)
