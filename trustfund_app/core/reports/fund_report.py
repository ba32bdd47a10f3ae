"""The annual fund report, laid out like the annex of a certified financial statement: changes
in fund balance, resources at year end, and schedules of income, grants and victims assisted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Spacer

from trustfund_app.core.countries import region_label
from trustfund_app.core.i18n import N_, _, babel_locale, check_language, current_language, use_language, pgettext
from trustfund_app.core.models import DONOR_TYPE_LABELS
from trustfund_app.core.money import USD, Money
from trustfund_app.core.reports import bidi
from trustfund_app.core.reports.common import atomic_write, heading, letterhead_block, rule
from trustfund_app.core.reports.fund_data import FundReportData, fund_report_data
from trustfund_app.core.reports.layout import PageDecor, build_pdf
from trustfund_app.core.reports.styles import make_styles, make_table, scale_widths
from trustfund_app.core.reports.text import DocText

ASSISTANCE_LABELS = {
    "shelter": N_("Shelter"), "medical": N_("Medical care"), "legal": N_("Legal assistance"),
    "psychosocial": N_("Psychosocial support"), "reintegration": N_("Reintegration"), "other": N_("Other"),
}


def render_fund_report(db, year: int, lang: str | None = None, issued: date | None = None) -> bytes:
    with db.reading() as session:
        data = fund_report_data(session, year)
    return fund_report_pdf(data, check_language(lang) if lang else current_language(), issued or date.today())


def write_fund_report(db, year: int, path, **options) -> Path:
    return atomic_write(Path(path), render_fund_report(db, year, **options))


def report_number(data: FundReportData) -> str:
    return f"{data.letterhead.receipt_prefix}-FR-{data.year}"


def fund_report_pdf(data: FundReportData, lang: str, issued: date) -> bytes:
    with use_language(lang):
        dt = DocText(lang)
        st = make_styles(dt)
        title = _("Annual financial report {year}").format(year=dt.ltr(str(data.year)))
        decor = PageDecor(
            title=title, number_label=_("Report No. {number}").format(number=dt.ltr(report_number(data))),
            issued=issued, audit_head=data.letterhead.audit_head, demo=data.letterhead.demo,
            fund_name=data.letterhead.fund_name)
        return build_pdf(dt, _story(dt, st, data, issued, title), decor, title=title, subject=data.letterhead.fund_name)


def _percent(dt, part: Money, whole: Money) -> str:
    from babel.numbers import format_percent

    if not whole.amount:
        return "—"
    text = format_percent(part.amount / whole.amount, format="#,##0.0%", locale=babel_locale(dt.lang))
    return bidi.isolate_ltr(bidi.strip_controls(text)) if dt.rtl else text


def budget_annex(dt, st, budgets) -> list:
    """Schedule 5: per grant, the budget in USD against what approved financial reports say was
    spent, the variance, the share spent and the unspent balance due back at closure."""
    if not budgets:
        return []
    usd = dt.amount
    zero = Money.zero(USD)
    rows = [[dt.ltr(b.reference), usd(b.budget_usd), usd(b.spent_usd), usd(b.variance_usd),
             _percent(dt, b.spent_usd, b.budget_usd), usd(b.refund_due) if b.refund_due else "—"] for b in budgets]
    total_budget = sum((b.budget_usd for b in budgets), zero)
    total_spent = sum((b.spent_usd for b in budgets), zero)
    rows.append([_("Total"), usd(total_budget), usd(total_spent), usd(sum((b.variance_usd for b in budgets), zero)),
                 _percent(dt, total_spent, total_budget), usd(sum((b.refund_due or zero for b in budgets), zero))])
    return [*heading(dt, st, _("Schedule 5. Budget against actual by grant")),
            make_table(dt, st, [_("Grant"), _("Budget"), _("Spent"), _("Variance"), _("Spent (%)"),
                                _("Refund due at closure")], rows, scale_widths([0.2, 0.17, 0.17, 0.17, 0.11, 0.18]),
                       numeric={1, 2, 3, 4, 5}, total_rows=1),
            dt.para(_("Expenditure as reported in approved financial reports, at the rate each budget was converted "
                      "at; the refund due is what was paid and neither spent nor refunded when the grant closed."),
                    st.small)]


def _story(dt, st, d: FundReportData, issued: date, title: str) -> list:
    usd = dt.amount
    year_end, year_start = date(d.year, 12, 31), date(d.year, 1, 1)
    story = letterhead_block(dt, st, d.letterhead, title, [
        _("Statement of income, expenditure and changes in fund balance for the year ended {date}").format(
            date=dt.date(year_end)),
        _("United States dollars"),
        _("Issued {date}").format(date=dt.date(issued)),
    ])
    net = d.closing.balance - d.opening.balance
    story += heading(dt, st, _("I. Changes in fund balance"))
    story.append(make_table(dt, st, [_("Item"), _("Year {year}").format(year=dt.ltr(str(d.year)))], [
        [_("Fund balance at {date}").format(date=dt.date(year_start)), usd(d.opening.balance)],
        [_("Income: voluntary contributions received"), usd(d.income)],
        [_("Expenditure: grants disbursed"), usd(-d.disbursed_gross)],
        [_("Refunds of unspent grant balances"), usd(d.refunds)],
        [_("Programme support costs"), usd(-d.psc_gross)],
        [_("Programme support costs returned with refunds"), usd(d.psc_refunded)],
        [_("Net change in fund balance"), usd(net)],
        [_("Fund balance at {date}").format(date=dt.date(year_end)), usd(d.closing.balance)],
    ], scale_widths([0.7, 0.3]), numeric={1}, total_rows=1))

    story += heading(dt, st, _("II. Resources at {date}").format(date=dt.date(year_end)))
    story.append(make_table(dt, st, [_("Item"), _("Amount")], [
        [_("Fund balance (cash)"), usd(d.closing.balance)],
        [_("Commitments (approved grants not yet paid)"), usd(d.closing.commitments)],
        [_("Outstanding pledges (receivable, at the rate of {date})").format(date=dt.date(year_end)),
         usd(d.closing.pledged_outstanding)],
        [_("Available for new grants"), usd(d.closing.available)],
    ], scale_widths([0.7, 0.3]), numeric={1}, total_rows=1))

    story += heading(dt, st, _("Schedule 1. Income by type of donor"))
    by_type = d.by_type()
    rows = [[_(DONOR_TYPE_LABELS.get(t, t)), usd(m), _percent(dt, m, d.income)] for t, m in by_type]
    rows.append([_("Total"), usd(d.income), _percent(dt, d.income, d.income)])
    story.append(make_table(dt, st, [_("Type of donor"), _("Received"), _("Share")], rows,
                            scale_widths([0.55, 0.27, 0.18]), numeric={1, 2}, total_rows=1))

    story += heading(dt, st, _("Schedule 2. Contributions by donor"))
    rows = [[x.name, _(DONOR_TYPE_LABELS.get(x.type, x.type)), usd(x.pledged), usd(x.received)] for x in d.donors]
    rows.append([_("Total"), "", usd(sum((x.pledged for x in d.donors), Money.zero(USD))),
                 usd(sum((x.received for x in d.donors), Money.zero(USD)))])
    story.append(make_table(dt, st, [_("Donor"), _("Type of donor"), _("Pledged in the year"), _("Received in the year")],
                            rows, scale_widths([0.38, 0.22, 0.2, 0.2]), numeric={2, 3}, total_rows=1))

    story += heading(dt, st, _("Schedule 3. Grants by cycle and region"))
    if d.grants:
        rows = [[_("Cycle {number}").format(number=dt.number(g.cycle)), region_label(g.region) or "—",
                 dt.number(g.grants_approved), usd(g.approved), usd(g.disbursed)] for g in d.grants]
        rows.append([_("Total"), "", dt.number(sum(g.grants_approved for g in d.grants)),
                     usd(sum((g.approved for g in d.grants), Money.zero(USD))),
                     usd(sum((g.disbursed for g in d.grants), Money.zero(USD)))])
        story.append(make_table(dt, st, [_("Grant cycle"), _("Region"), _("Grants approved"), _("Amount approved"),
                                         _("Disbursed in the year")],
                                rows, scale_widths([0.2, 0.2, 0.16, 0.22, 0.22]), numeric={2, 3, 4}, total_rows=1))
    else:
        story.append(dt.para(_("No grant was approved or paid in the year."), st.body))

    story += heading(dt, st, _("Schedule 4. Victims assisted, as reported by grantees"))
    if d.victims:
        def row(label, v):
            return [label] + [dt.number(n) for n in (v.women, v.girls, v.men, v.boys, v.total)]
        rows = [row(_(ASSISTANCE_LABELS.get(a, a)), v) for a, v in d.victims]
        rows.append(row(_("Total"), d.victims_total))
        story.append(make_table(dt, st, [_("Type of assistance"), _("Women"), _("Girls"), _("Men"), _("Boys"), _("Total")],
                                rows, scale_widths([0.3, 0.14, 0.14, 0.14, 0.14, 0.14]), numeric={1, 2, 3, 4, 5},
                                total_rows=1))
    else:
        story.append(dt.para(_("No grantee report with victims assisted was received in the year."), st.body))

    story += budget_annex(dt, st, d.budgets)

    story += [Spacer(1, 10), rule(), dt.para(_(
        "The balances at the beginning and end of the year are the fund position computed from the books at "
        "those dates; contributions are stated at the United States dollar equivalent recorded for each "
        "transaction. Programme support costs are charged on expenditure at the rate in force when each "
        "payment was made."), st.small), Spacer(1, 24)]
    story.append(make_table(dt, st, [_("Certified correct"), pgettext("signature", "Approved")],
                            [["\n\n" + _("Chief, Finance"), "\n\n" + _("Fund Manager")]], scale_widths([0.5, 0.5])))
    return story
