"""A letter as PDF, typeset like the statements (same letterhead, fonts, right-to-left Arabic,
footer with the document number and the audit-trail head)."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Spacer, Table, TableStyle

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import use_language
from trustfund_app.core.letters.data import LetterData
from trustfund_app.core.letters.texts import fill, letter_texts
from trustfund_app.core.letters.values import formatted, formatted_rows, formatted_values
from trustfund_app.core.reports.common import heading, official_names, rule
from trustfund_app.core.reports.layout import PageDecor, build_pdf
from trustfund_app.core.reports.styles import DARK, RULE, UN_BLUE, make_styles, make_table, scale_widths
from trustfund_app.core.reports.text import DocText

# the columns of the letters' tables and their share of the width, in logical order
TABLE_COLUMNS = {
    ("award", "instalments"): (("seq", 0.14), ("date", 0.26), ("amount", 0.25), ("condition", 0.35)),
    ("award", "reports"): (("report", 0.6), ("due", 0.4)),
    ("reminder", "reports"): (("grant", 0.24), ("report", 0.36), ("due", 0.22), ("days", 0.18)),
}
NUMERIC = {"amount", "days", "seq"}


def letter_pdf(data: LetterData, lang: str, issued: date) -> bytes:
    with use_language(lang):
        dt = DocText(lang)
        st = make_styles(dt)
        texts = letter_texts(lang)
        title = texts[data.kind]["title"]
        decor = PageDecor(title=f"{title} — {data.recipient}",
                          number_label=fill(texts["common"]["our_reference"], {"number": dt.ltr(data.number)}),
                          issued=issued, audit_head=data.letterhead.audit_head, demo=data.letterhead.demo,
                          fund_name=data.letterhead.fund_name)
        story = letter_story(dt, st, data, texts, issued)
        return build_pdf(dt, story, decor, title=decor.title, subject=data.letterhead.fund_name)


def letter_story(dt, st, data: LetterData, texts: dict, issued: date) -> list:
    own = texts[data.kind]
    values = formatted_values(dt, data.values)
    name, office = official_names(data.letterhead)
    story = [dt.para(name, st.fund, bold=True), dt.para(office, st.small), rule(UN_BLUE, 1.2),
             dt.para(fill(texts["common"]["our_reference"], {"number": dt.ltr(data.number)}), st.small),
             dt.para(dt.date(issued, "long"), st.small), Spacer(1, 12)]
    story.append(dt.para(data.recipient, st.body, bold=True))
    if data.contact:
        story.append(dt.para(data.contact, st.body))
    country = country_label(data.country, dt.lang) if data.country else ""
    for line in (data.address or "").splitlines():
        # an address that ends with the country (in any language) does not name it twice
        if line.strip() and line.strip() not in (country, country_label(data.country, "en") if data.country else ""):
            story.append(dt.para(line, st.body))
    if country:
        story.append(dt.para(country, st.body))
    story += [Spacer(1, 12), dt.para(own["title"], st.title, bold=True), Spacer(1, 4),
              dt.para(fill(texts["common"]["salutation"], {"name": data.contact or data.recipient}), st.body)]
    story += [dt.para(fill(p, values), st.body) for p in own["body"]]
    if data.details:
        story += [Spacer(1, 4), _details(dt, st, [(own["details"][k], formatted(dt, v)) for k, v in data.details]),
                  Spacer(1, 8)]
    for table, rows in data.tables.items():
        labels = own[table]
        if "heading" in labels:
            story += heading(dt, st, labels["heading"])
        else:
            story.append(Spacer(1, 4))
        columns = TABLE_COLUMNS[(data.kind, table)]
        cells = [[row[key] for key, _w in columns] for row in formatted_rows(dt, rows)]
        story.append(make_table(dt, st, [labels[key] for key, _w in columns], cells,
                                scale_widths([w for _k, w in columns]),
                                numeric={i for i, (key, _w) in enumerate(columns) if key in NUMERIC}))
        story.append(Spacer(1, 6))
    story += [dt.para(fill(p, values), st.body) for p in own["after"]]
    story += [Spacer(1, 10), dt.para(texts["common"]["closing"], st.body), Spacer(1, 28),
              dt.para(texts["common"]["signatory"], st.body, bold=True), dt.para(office, st.small)]
    return story


def _details(dt, st, rows: list[tuple[str, str]]) -> Table:
    """Label and value, without a header row; mirrored for right-to-left."""
    widths = scale_widths([0.38, 0.62])
    data = [[dt.cell(label, st.cell, bold=True, max_width=widths[0] - 6), dt.cell(value, st.cell, max_width=widths[1] - 6)]
            for label, value in rows]
    if dt.rtl:
        data = [list(reversed(r)) for r in data]
        widths = list(reversed(widths))
    align = "RIGHT" if dt.rtl else "LEFT"
    label_col = 1 if dt.rtl else 0
    table = Table(data, colWidths=widths, hAlign=align)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), dt.font()), ("FONTNAME", (label_col, 0), (label_col, -1), dt.font(True)),("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), DARK), ("ALIGN", (0, 0), (-1, -1), align),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table
