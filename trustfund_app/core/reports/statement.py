"""The donor statement: one donor, one period, in the donor's language (or the one asked for)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import KeepTogether, Spacer

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import _, check_language, use_language
from trustfund_app.core.models import DONOR_TYPE_LABELS, KIND_LABELS, WRITE_OFF_KIND_LABELS
from trustfund_app.core.reports import data as rdata
from trustfund_app.core.reports.charts import giving_chart
from trustfund_app.core.reports.common import atomic_write, fund_use_section, heading, letterhead_block, rule
from trustfund_app.core.reports.layout import PageDecor, build_pdf
from trustfund_app.core.reports.styles import FRAME_WIDTH, make_styles, make_table, scale_widths
from trustfund_app.core.reports.text import DocText


def default_period(start: date | None, end: date | None, issued: date) -> tuple[date, date]:
    """The calendar year to date unless told otherwise."""
    end = end or issued
    return start or date(end.year, 1, 1), end


def render_statement(db, donor: str, start: date | None = None, end: date | None = None, lang: str | None = None,
                     issued: date | None = None) -> bytes:
    """The statement PDF for ``donor`` (id, name or alias); ``issued`` fixes the issue date so the
    same data gives the same bytes."""
    issued = issued or date.today()
    start, end = default_period(start, end, issued)
    with db.reading() as session:
        data = rdata.statement_data(session, rdata.resolve_donor(session, donor), start, end)
    return statement_pdf(data, check_language(lang) if lang else data.donor.language, issued)


def render_statements(db, donors: list[str], start: date, end: date, lang: str | None = None,
                      issued: date | None = None):
    """(donor id, statement PDF) for each donor id of ``donors``, in one process: the same bytes
    as ``render_statement`` for each, with the data read set-based a group of donors at a time and
    what all share (letterhead, audit head, use of the fund, rates) read once."""
    from trustfund_app.core.reports.batch_data import CHUNK, statements_data

    issued = issued or date.today()
    forced = check_language(lang) if lang else None
    shared, kits = None, StatementKits()
    for i in range(0, len(donors), CHUNK):
        with db.reading() as session:
            shared = shared or rdata.period_shared(session, start, end)
            read = list(statements_data(session, donors[i:i + CHUNK], start, end, shared))
        for data in read:
            doc_lang = forced or data.donor.language
            yield data.donor.id, statement_pdf(data, doc_lang, issued, kits.of(doc_lang))


class StatementKits:
    """One DocText (keeping parsed paragraphs) and one set of styles per language, for a bulk run."""

    def __init__(self):
        self._kits: dict[str, tuple] = {}

    def of(self, lang: str) -> tuple:
        if lang not in self._kits:
            with use_language(lang):
                dt = DocText(lang).reuse_parsed()
                self._kits[lang] = (dt, make_styles(dt))
        return self._kits[lang]


def write_statement(db, donor: str, path, **options) -> Path:
    return atomic_write(Path(path), render_statement(db, donor, **options))


def statement_pdf(data: rdata.StatementData, lang: str, issued: date, kit: tuple | None = None) -> bytes:
    """``kit``: (DocText, styles) of ``lang`` kept across the statements of a bulk run."""
    with use_language(lang):
        dt, st = kit or (None, None)
        if dt is None:
            dt = DocText(lang)
            st = make_styles(dt)
        story = _story(dt, st, data, issued)
        decor = PageDecor(
            title=_("Donor statement — {donor}").format(donor=data.donor.display_name(lang)),
            number_label=_("Statement No. {number}").format(number=dt.ltr(data.number)),
            issued=issued, audit_head=data.letterhead.audit_head, demo=data.letterhead.demo,
            fund_name=data.letterhead.fund_name,
        )
        return build_pdf(dt, story, decor, title=decor.title, subject=data.letterhead.fund_name)


def _story(dt, st, d: rdata.StatementData, issued: date) -> list:
    usd = dt.amount
    period = _("{start} to {end}").format(start=dt.date(d.start), end=dt.date(d.end))
    story = letterhead_block(dt, st, d.letterhead, _("Donor statement"), [
        _("Statement No. {number}").format(number=dt.ltr(d.number)),
        _("Period: {period}").format(period=period),
        _("Issued {date}").format(date=dt.date(issued)),
    ])
    donor_lines = [d.donor.display_name(dt.lang)]
    if d.donor.address:
        donor_lines.append(d.donor.address)
    if d.donor.country:
        donor_lines.append(country_label(d.donor.country, dt.lang))
    story.append(dt.para(d.donor.display_name(dt.lang), st.fund, bold=True))
    for line in donor_lines[1:]:
        story.append(dt.para(line, st.body))
    story.append(dt.para(_(DONOR_TYPE_LABELS.get(d.donor.type, d.donor.type)), st.small))
    story.append(Spacer(1, 8))
    if d.first_year:
        thanks = _("On behalf of the Fund and of the victims of trafficking it serves, we thank {donor} for its "
                   "generous support. This statement lists the pledges and payments recorded from {start} to {end}, "
                   "the pledges still outstanding, your giving since {year} and how the Fund used its resources "
                   "in the period.").format(donor=d.donor.display_name(dt.lang), start=dt.date(d.start),
                                            end=dt.date(d.end), year=dt.ltr(str(d.first_year)))
    else:
        thanks = _("On behalf of the Fund and of the victims of trafficking it serves, we thank {donor} for its "
                   "interest in the Fund. No pledges or payments were recorded up to {end}.").format(
                       donor=d.donor.display_name(dt.lang), end=dt.date(d.end))
    story.append(dt.para(thanks, st.body))

    story += heading(dt, st, _("Summary (United States dollars)"))
    story.append(make_table(dt, st, [_("Item"), _("In the period"), _("Since inception")], [
        [_("Pledged"), usd(d.pledged_period), usd(d.pledged_total)],
        [_("Contributions received"), usd(d.received_period), usd(d.received_total)],
        [_("Outstanding pledges at {date}").format(date=dt.date(d.end)), "", usd(d.outstanding_usd)],
    ], scale_widths([0.5, 0.25, 0.25]), numeric={1, 2}))

    story += heading(dt, st, _("Pledges and payments in the period"))
    if d.entries:
        rows, corrections = [], []
        for e in d.entries:
            kind = _(KIND_LABELS.get(e.kind, e.kind))
            if e.reversal:
                kind = _("{kind} (reversal)").format(kind=kind)
            ref = " · ".join(x for x in (e.receipt_number, e.reference) if x)
            if e.corrects_date is not None:
                # the reversed entry was on an earlier statement: say which, when and why
                kind = _("Correction")
                ref = e.corrects_ref or ""
                corrections.append(_("Correction of {date}: {reference} of {original_date}, shown on an earlier "
                                     "statement, is reversed. Reason: {reason}").format(
                    date=dt.date(e.date), reference=dt.ltr(e.corrects_ref or ""),
                    original_date=dt.date(e.corrects_date), reason=e.reason or "—"))
            rows.append([dt.date(e.date), kind, dt.ltr(ref) if ref else "", usd(e.amount),
                         dt.rate(e.rate), usd(e.usd)])
        rows.append(["", _("Total pledged"), "", "", "", usd(d.pledged_period)])
        rows.append(["", _("Total received"), "", "", "", usd(d.received_period)])
        story.append(make_table(
            dt, st, [_("Date"), _("Type"), _("Receipt No. · reference"), _("Amount"), _("Rate per USD"),
                     _("USD equivalent")],
            rows, scale_widths([0.14, 0.11, 0.28, 0.18, 0.11, 0.18]), numeric={3, 4, 5}, total_rows=2))
        for text in corrections:
            story.append(dt.para(text, st.small))
    else:
        story.append(dt.para(_("No pledges or payments were recorded in the period."), st.body))

    story += heading(dt, st, _("Outstanding pledges at {date}").format(date=dt.date(d.end)))
    if d.outstanding:
        rows = [[dt.date(p.date), dt.ltr(" · ".join(x for x in (p.receipt_number, p.reference) if x)),
                 usd(p.pledged), usd(p.paid), usd(p.outstanding), usd(p.usd)] for p in d.outstanding]
        rows.append([_("Total"), "", "", "", "", usd(d.outstanding_usd)])
        story.append(make_table(
            dt, st, [_("Date"), _("Receipt No. · reference"), _("Pledged"), _("Paid"), _("Outstanding"),
                     _("USD at the rate of {date}").format(date=dt.date(d.end))],
            rows, scale_widths([0.14, 0.26, 0.15, 0.15, 0.15, 0.15]), numeric={2, 3, 4, 5}, total_rows=1))
    else:
        story.append(dt.para(_("No pledge is outstanding."), st.body))
    if d.written_off:  # pledges that left the outstanding list in the period without being paid
        story += heading(dt, st, _("Pledges written off or cancelled in the period"))
        story.append(make_table(
            dt, st, [_("Effective"), _("Receipt No. · reference"), _("Pledged on"), _("Kind"), _("Amount")],
            [[dt.date(w.effective_date), dt.ltr(" · ".join(x for x in (w.receipt_number, w.reference) if x)),
              dt.date(w.pledge_date), _(WRITE_OFF_KIND_LABELS[w.kind]), usd(w.amount)] for w in d.written_off],
            scale_widths([0.16, 0.3, 0.16, 0.18, 0.2]), numeric={4}))

    if d.by_year:
        block = [dt.para(_("Your giving by year (United States dollars)"), st.h2, bold=True),
                 giving_chart(dt, [g.year for g in d.by_year], [g.pledged.amount for g in d.by_year],
                              [g.received.amount for g in d.by_year], FRAME_WIDTH, (_("Pledged"), _("Received")))]
        story.append(KeepTogether(block))
        story.append(make_table(
            dt, st, [_("Year"), _("Pledged"), _("Received")],
            [[dt.ltr(str(g.year)), usd(g.pledged), usd(g.received)] for g in d.by_year]
            + [[_("Total"), usd(d.pledged_total), usd(d.received_total)]],
            scale_widths([0.3, 0.35, 0.35]), numeric={1, 2}, total_rows=1))

    story += fund_use_section(dt, st, d.fund_use, _("How the Fund used its resources from {start} to {end}").format(
        start=dt.date(d.start), end=dt.date(d.end)))
    story.append(Spacer(1, 6))
    story.append(rule())
    story.append(dt.para(_(
        "USD equivalents use the United Nations operational rate of exchange in force on the date of each "
        "transaction; outstanding pledges in other currencies are valued at the rate in force at the end of the period ({date}). "
        "The audit-trail reference in the footer identifies the state of the Fund's books when this "
        "statement was issued.").format(date=dt.date(d.end)), st.small))
    return story
