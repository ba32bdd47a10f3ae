"""Small dialogs of the grant detail: an action on a date (pay an instalment, receive or approve a
report, close or cancel a grant), a refund, the victims assisted of a report, and the sensitive
flag of the open-data exports."""

from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QSpinBox

from trustfund_app.core.i18n import N_, _, format_money
from trustfund_app.core.models import AssistanceType
from trustfund_app.core.services.grants import GrantService, VictimsService
from trustfund_app.core.services.grants.victims import ASSISTANCE_LABELS, GROUPS
from trustfund_app.gui.grant_widgets import FormDialog, date_edit, parse_usd

GROUP_LABELS = {"women": N_("Women"), "girls": N_("Girls"), "men": N_("Men"), "boys": N_("Boys")}


class DateDialog(FormDialog):
    """Ask for one date (and show what is being done), then run ``action(date)`` in a job."""

    def __init__(self, ctx, title: str, name: str, explanation: str, label: str, action: Callable[[date], object],
                 field: str, initial: date | None = None, parent=None):
        super().__init__(ctx, title, name, parent)
        self.action = action
        text = QLabel(explanation)
        text.setWordWrap(True)
        self.body.insertWidget(0, text)
        self.when = date_edit(initial or date.today(), f"{name}_date")
        self.add_field(field, label, self.when)

    def save(self):
        when, action = self.when.date().toPython(), self.action
        return lambda: action(when)


class RefundDialog(FormDialog):
    def __init__(self, ctx, detail, parent=None):
        grant = detail.grant
        super().__init__(ctx, _("Refund on grant {reference}").format(reference=grant.reference), "refund_dialog", parent)
        self.grant = grant
        info = QLabel(_("Paid {paid}, already refunded {refunded}. The programme support costs charged on the "
                        "refunded amount are given back with it.").format(
            paid=format_money(grant.paid), refunded=format_money(grant.refunded)))
        info.setWordWrap(True)
        self.body.insertWidget(0, info)
        self.when = date_edit(None, "refund_date")
        self.amount = QLineEdit()
        self.amount.setObjectName("refund_amount")
        self.note = QLineEdit(_("Unspent balance"))
        self.note.setObjectName("refund_note")
        self.add_field("date", _("Received on"), self.when)
        self.add_field("amount", _("Amount (USD)"), self.amount)
        self.add_field("note", _("Note"), self.note)

    def save(self):
        args = (self.when.date().toPython(), parse_usd(self.amount.text(), "amount"), self.note.text())
        service, gid = self.ctx.service(GrantService), self.grant.id
        return lambda: service.refund(gid, *args)


class VictimsDialog(FormDialog):
    """Women, girls, men and boys assisted, per type of assistance, for one report."""

    def __init__(self, ctx, report, current, parent=None):
        super().__init__(ctx, _("Victims assisted — {report}").format(report=report.label), "victims_dialog", parent)
        self.report = report
        grid = QGridLayout()
        for col, group in enumerate(GROUPS, start=1):
            grid.addWidget(QLabel(f"<b>{_(GROUP_LABELS[group])}</b>"), 0, col)
        self.spins: dict[tuple[str, str], QSpinBox] = {}
        known = {row.assistance: row for row in current}
        for r, assistance in enumerate(AssistanceType, start=1):
            grid.addWidget(QLabel(_(ASSISTANCE_LABELS[assistance])), r, 0)
            for col, group in enumerate(GROUPS, start=1):
                spin = QSpinBox()
                spin.setObjectName(f"victims_{assistance.value}_{group}")
                spin.setRange(0, 1_000_000)
                spin.setGroupSeparatorShown(True)
                if assistance.value in known:
                    spin.setValue(getattr(known[assistance.value], group))
                grid.addWidget(spin, r, col)
                self.spins[(assistance.value, group)] = spin
        self.body.insertLayout(0, grid)

    def save(self):
        figures = {a.value: {g: self.spins[(a.value, g)].value() for g in GROUPS} for a in AssistanceType}
        service, rid = self.ctx.service(VictimsService), self.report.id
        return lambda: service.record(rid, figures)


class SensitiveDialog(FormDialog):
    """Mark a grant sensitive (a shelter's location, a grantee at risk), with the reason: the open
    data then withholds its title, organisation and location."""

    def __init__(self, ctx, grant, parent=None):
        super().__init__(ctx, _("Sensitive grant {reference}").format(reference=grant.reference), "sensitive_dialog",
                         parent)
        self.grant = grant
        info = QLabel(_("A sensitive grant is published in IATI and 360Giving with its amounts but without its "
                        "title, organisation or location, as IATI's exclusion policy allows. The reason stays in "
                        "the Fund's records."))
        info.setWordWrap(True)
        self.body.insertWidget(0, info)
        self.sensitive = QCheckBox(_("Sensitive: withhold title, organisation and location from open data"))
        self.sensitive.setObjectName("grant_sensitive")
        self.sensitive.setChecked(grant.sensitive)
        self.reason = QLineEdit(grant.sensitive_reason or "")
        self.reason.setObjectName("grant_sensitive_reason")
        self.reason.setEnabled(grant.sensitive)
        self.sensitive.toggled.connect(self.reason.setEnabled)
        self.form.addRow("", self.sensitive)
        self.add_field("sensitive_reason", _("Reason"), self.reason)

    def save(self):
        flag, reason = self.sensitive.isChecked(), self.reason.text()
        service, gid = self.ctx.service(GrantService), self.grant.id
        return lambda: service.set_sensitive(gid, flag, reason)
