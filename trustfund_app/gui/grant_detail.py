"""The detail of one grant under the Grants list: key facts, the instalment schedule with the
four-eyes payment actions, the grantee reports, the victims assisted and the refunds."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import _, format_number, is_rtl, ngettext
from trustfund_app.core.models import GRANT_STATUS_LABELS, GrantStatus
from trustfund_app.core.services.grants import GrantService, InstalmentService, ReportService
from trustfund_app.gui.grant_widgets import date_cell, make_table, money_cell, select_where, selected_row
from trustfund_app.gui.grant_columns import INSTALMENT_COLUMNS, OPEN, REFUND_COLUMNS, REPORT_COLUMNS, victims_columns
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import RowsTableModel

def _button(name: str, slot) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class GrantDetailPanel(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail = None
        self.grant_id: str | None = None
        self.dialog = None
        self.report_labels: dict[str, str] = {}
        self.header = QLabel()
        self.header.setObjectName("grant_header")
        self.header.setWordWrap(True)
        self.close_button = _button("close_grant", self.close_grant)
        self.cancel_button = _button("cancel_grant", self.cancel_grant)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("grant_tabs")
        # schedule
        self.instalments = RowsTableModel(INSTALMENT_COLUMNS, self)
        self.instalment_table, _p = make_table(self.instalments, "instalments_table", self, small=True)
        self.schedule_button = _button("set_schedule", self.set_schedule)
        self.prepare_button = _button("prepare_instalment", self.prepare)
        self.pay_button = _button("approve_instalment", self.approve_payment)
        self.withdraw_button = _button("withdraw_instalment", self.withdraw)
        self.four_eyes = QLabel()
        self.four_eyes.setObjectName("four_eyes_note")
        self.four_eyes.setWordWrap(True)
        self.schedule_tab = self._tab(self.instalment_table, self.four_eyes, self.schedule_button, self.prepare_button,
                                      self.pay_button, self.withdraw_button)
        # reports
        self.reports = RowsTableModel(REPORT_COLUMNS, self)
        self.report_table, _p = make_table(self.reports, "reports_table", self, 1, small=True)
        self.receive_button = _button("receive_report", self.receive_report)
        self.approve_report_button = _button("approve_report", self.approve_report)
        self.victims_button = _button("record_victims", self.record_victims)
        self.expenditure_button = _button("report_expenditure", self.report_expenditure)
        self.reports_tab = self._tab(self.report_table, None, self.receive_button, self.approve_report_button,
                                     self.victims_button, self.expenditure_button)
        # victims
        self.victims = RowsTableModel(victims_columns(self), self)
        self.victims_table, _p = make_table(self.victims, "victims_table", self, small=True)
        self.victims_total = QLabel()
        self.victims_tab = self._tab(self.victims_table, self.victims_total)
        # refunds
        self.refunds = RowsTableModel(REFUND_COLUMNS, self)
        self.refund_table, _p = make_table(self.refunds, "refunds_table", self, small=True)
        self.refund_button = _button("record_refund", self.record_refund)
        self.refunds_tab = self._tab(self.refund_table, None, self.refund_button)
        from trustfund_app.gui.grant_budget import BudgetPanel

        self.budget_tab = BudgetPanel(ctx, self)
        for tab in (self.schedule_tab, self.reports_tab, self.victims_tab, self.refunds_tab, self.budget_tab):
            self.tabs.addTab(tab, "")
        from trustfund_app.gui.grant_records import GrantRecordTabs

        self.records = GrantRecordTabs(ctx, self.tabs, self)  # visits and documents (issue 18)
        for table in (self.instalment_table, self.report_table):
            table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        self.history_button = _button("grant_history", self.show_history)
        self.sensitive_button = _button("grant_sensitive_button", self.mark_sensitive)
        top.addWidget(self.history_button)
        top.addWidget(self.sensitive_button)
        self.award_button = _button("award_letter", self.award_letter)
        top.addWidget(self.award_button)
        top.addWidget(self.close_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self.show_detail(None)

    @staticmethod
    def _tab(table, note, *buttons) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        if note is not None:
            row.addWidget(note, 1)
        else:
            row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        return page

    def retranslate(self) -> None:
        self.history_button.setText(_("History…"))
        self.sensitive_button.setText(_("Sensitive…"))
        self.close_button.setText(_("Close grant…"))
        self.cancel_button.setText(_("Cancel grant…"))
        self.award_button.setText(_("Award letter…"))
        for index, text in enumerate((_("Instalments"), _("Reports"), _("Victims assisted"), _("Refunds"), _("Budget"))):
            self.tabs.setTabText(index, text)
        self.schedule_button.setText(_("Set schedule…"))
        self.prepare_button.setText(_("Prepare payment"))
        self.pay_button.setText(_("Approve and pay…"))
        self.withdraw_button.setText(_("Withdraw"))
        self.receive_button.setText(_("Received…"))
        self.approve_report_button.setText(_("Approve report…"))
        self.victims_button.setText(_("Victims assisted…"))
        self.expenditure_button.setText(_("Expenditure per budget line…"))
        self.refund_button.setText(_("Record refund…"))
        for model in (self.instalments, self.reports, self.victims, self.refunds):
            model.retranslate()
        self.budget_tab.retranslate()
        self.records.retranslate()
        self.show_detail(self.detail)

    # -- loading -----------------------------------------------------------------------------
    def load(self, grant_id: str | None) -> None:
        self.grant_id = grant_id
        self.records.load(grant_id)
        if not grant_id:
            self.show_detail(None)
            return
        service = self.ctx.service(GrantService)
        start_job(lambda _job: service.detail(grant_id), on_done=self._detail_loaded, on_error=self._error)

    def _detail_loaded(self, detail) -> None:
        if detail.grant.id == self.grant_id:
            self.show_detail(detail)

    def show_detail(self, detail) -> None:
        self.detail = detail
        keep_inst, keep_report = selected_row(self.instalment_table), selected_row(self.report_table)
        self.report_labels = {r.id: r.label for r in detail.reports} if detail else {}
        self.instalments.set_rows(detail.instalments if detail else [])
        self.reports.set_rows(detail.reports if detail else [])
        self.victims.set_rows(detail.victims if detail else [])
        self.refunds.set_rows(detail.refunds if detail else [])
        self.budget_tab.show_for(detail)
        if keep_inst:
            select_where(self.instalment_table, lambda i: i.id == keep_inst.id)
        if keep_report:
            select_where(self.report_table, lambda r: r.id == keep_report.id)
        self.header.setText(self._header_html(detail) if detail else _("Select a grant to see its details."))
        total = sum(v.total for v in detail.victims) if detail else 0
        self.victims_total.setText(ngettext("{count} victim assisted in all", "{count} victims assisted in all", total).format(
            count=format_number(total)))
        self._update_buttons()

    def _header_html(self, d) -> str:
        g = d.grant
        lines = [
            f"<b>{escape(g.reference)}</b> — {escape(g.grantee)}: {escape(g.title)}",
            _("Cycle {cycle} {sub} · {country} · {start} – {end} · {status}").format(
                cycle=g.cycle_number, sub=escape(g.sub_programme or ""), country=escape(country_label(g.country)),
                start=date_cell(g.start), end=date_cell(g.end), status=_(GRANT_STATUS_LABELS[g.status])),
            _("Amount {amount} · paid {paid} · refunded {refunded} · still to pay {to_pay} · PSC {psc}").format(
                amount=money_cell(g.amount), paid=money_cell(g.paid), refunded=money_cell(g.refunded),
                to_pay=money_cell(g.to_pay), psc=money_cell(d.psc_paid - d.psc_refunded)),
            _("Approved on {date} at the Board's {meeting} (application {application})").format(
                date=date_cell(g.approved_on), meeting=escape(d.board_meeting or "—"),
                application=escape(d.application_number or "—")),
        ]
        if g.sensitive:
            lines.append("<span style='color:#664d03'>" + escape(_("Sensitive (open data without title, "
                                                                 "organisation or location): {reason}").format(
                reason=g.sensitive_reason or "")) + "</span>")
        if d.envelope_override:
            lines.append("<span style='color:#664d03'>" + escape(_("Envelope override: {reason}").format(
                reason=d.envelope_override)) + "</span>")
        # one direction for the whole block: lines starting with a Latin reference would otherwise
        # be laid out left-to-right in an Arabic window
        return f"<div dir='{'rtl' if is_rtl() else 'ltr'}'>" + "<br>".join(lines) + "</div>"

    # -- permissions and state -----------------------------------------------------------------
    def _can(self, permission: str) -> bool:
        return bool(self.ctx.actor and self.ctx.actor.can(permission))

    def _update_buttons(self) -> None:
        d = self.detail
        is_open = bool(d and d.grant.status in OPEN)
        self.history_button.setEnabled(bool(d))
        self.sensitive_button.setEnabled(bool(d) and self._can("grants"))
        self.award_button.setEnabled(bool(d) and d.grant.status != GrantStatus.CANCELLED)
        inst, report = selected_row(self.instalment_table), selected_row(self.report_table)
        untouched = bool(d) and all(i.status == "planned" for i in d.instalments)
        self.schedule_button.setEnabled(is_open and untouched and self._can("grants"))
        self.prepare_button.setEnabled(is_open and bool(inst) and inst.status == "planned"
                                       and self._can("disbursements.prepare"))
        other_user = bool(inst) and inst.prepared_by != (self.ctx.actor.name if self.ctx.actor else None)
        self.pay_button.setEnabled(is_open and bool(inst) and inst.status == "prepared" and other_user
                                   and not inst.is_held and self._can("disbursements.approve"))
        self.withdraw_button.setEnabled(is_open and bool(inst) and inst.status == "prepared"
                                        and self._can("disbursements.prepare"))
        self.four_eyes.setText(self._instalment_note(inst))
        self.receive_button.setEnabled(bool(report) and not report.approved_on and self._can("grants"))
        self.approve_report_button.setEnabled(bool(report) and bool(report.received_on) and not report.approved_on
                                              and self._can("grants"))
        self.victims_button.setEnabled(bool(report) and self._can("grants"))
        self.expenditure_button.setEnabled(bool(report) and report.type == "financial" and self._can("grants"))
        self.refund_button.setEnabled(bool(d) and d.grant.paid.amount > d.grant.refunded.amount
                                      and self._can("disbursements.approve"))
        self.close_button.setEnabled(is_open and self._can("grants"))
        self.cancel_button.setEnabled(is_open and self._can("grants"))

    def _instalment_note(self, inst) -> str:
        if not inst:
            return ""
        if inst.status == "prepared" and self.ctx.actor and inst.prepared_by == self.ctx.actor.name:
            return _("You prepared this payment: another user with the finance role must approve it (four eyes).")
        if inst.status != "paid" and inst.is_held:
            return _("Held until the {report} is approved.").format(report=inst.held_until.lower())
        if inst.status == "prepared":
            return _("Prepared by {user}; waiting for approval.").format(user=inst.prepared_by)
        return ""

    # -- actions -----------------------------------------------------------------------------
    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _error(self, exc) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(exc)

    def _run(self, fn) -> None:
        start_job(lambda _job: fn(), on_error=self._error)

    def set_schedule(self) -> None:
        from trustfund_app.gui.grant_schedule_dialog import ScheduleDialog

        if self.detail:
            self._open(ScheduleDialog(self.ctx, self.detail, self))

    def prepare(self) -> None:
        inst = selected_row(self.instalment_table)
        if inst:
            service = self.ctx.service(InstalmentService)
            self._run(lambda: service.prepare(inst.id))

    def withdraw(self) -> None:
        inst = selected_row(self.instalment_table)
        if inst:
            service = self.ctx.service(InstalmentService)
            self._run(lambda: service.withdraw(inst.id))

    def approve_payment(self) -> None:
        from trustfund_app.gui.grant_action_dialogs import DateDialog

        inst = selected_row(self.instalment_table)
        if not inst:
            return
        service = self.ctx.service(InstalmentService)
        self._open(DateDialog(
            self.ctx, _("Approve and pay instalment {seq}").format(seq=inst.seq), "pay_dialog",
            _("Instalment {seq} of {amount}, prepared by {user}. Approving records the payment and its programme "
              "support costs.").format(seq=inst.seq, amount=money_cell(inst.amount), user=inst.prepared_by),
            _("Paid on"), lambda on: service.approve(inst.id, on), "paid_on", None, self))

    def _report_action(self, title: str, name: str, label: str, method: str, field: str) -> None:
        from trustfund_app.gui.grant_action_dialogs import DateDialog

        report = selected_row(self.report_table)
        if not report:
            return
        service = self.ctx.service(ReportService)
        self._open(DateDialog(self.ctx, title, name, report.label, label,
                              lambda on: getattr(service, method)(report.id, on), field, None, self))

    def receive_report(self) -> None:
        self._report_action(_("Report received"), "receive_dialog", _("Received on"), "receive", "received_on")

    def approve_report(self) -> None:
        self._report_action(_("Approve report"), "approve_report_dialog", _("Approved on"), "approve", "approved_on")

    def record_victims(self) -> None:
        from trustfund_app.gui.grant_action_dialogs import VictimsDialog

        report = selected_row(self.report_table)
        if report and self.detail:
            current = [v for v in self.detail.victims if v.report_id == report.id]
            self._open(VictimsDialog(self.ctx, report, current, self))

    def report_expenditure(self) -> None:
        report = selected_row(self.report_table)
        if report:
            self.budget_tab.record_expenditure(report.id)

    def record_refund(self) -> None:
        from trustfund_app.gui.grant_action_dialogs import RefundDialog

        if self.detail:
            self._open(RefundDialog(self.ctx, self.detail, self))

    def _status_change(self, cancel: bool) -> None:
        from trustfund_app.gui.grant_action_dialogs import DateDialog

        if not self.detail:
            return
        g, service = self.detail.grant, self.ctx.service(GrantService)
        if cancel:
            title, text = _("Cancel grant {reference}").format(reference=g.reference), _(
                "A cancelled grant pays nothing more; what is not paid stops being a commitment.")
            action = lambda on: service.cancel(g.id, on)  # noqa: E731
        else:
            title, text = _("Close grant {reference}").format(reference=g.reference), _(
                "Closing needs the final reports approved. Record any refund of the unspent balance too.")
            action = lambda on: service.close(g.id, on)  # noqa: E731
        self._open(DateDialog(self.ctx, title, "cancel_dialog" if cancel else "close_dialog", text, _("Date"),
                              action, "closed_on", None, self))

    def close_grant(self) -> None:
        self._status_change(cancel=False)

    def cancel_grant(self) -> None:
        self._status_change(cancel=True)

    def mark_sensitive(self) -> None:
        from trustfund_app.gui.grant_action_dialogs import SensitiveDialog

        if self.detail:
            self._open(SensitiveDialog(self.ctx, self.detail.grant, self))

    def award_letter(self) -> None:
        from trustfund_app.gui.letter_actions import produce_letter

        if self.detail is not None:
            self.letter_job = produce_letter(self, self.ctx, "award", self.detail.grant.id, self.detail.grant.reference)

    def show_history(self) -> None:
        """The grant's own changes from the audit trail (instalments and reports have theirs)."""
        from trustfund_app.gui.history_dialog import HistoryDialog

        if self.detail is not None:
            self._open(HistoryDialog(self.ctx, "grant", self.detail.grant.id, self.detail.grant.reference, self))
