"""A letter as an editable Word document, from a .docx template the fund can change.

Templates are looked up first in the user's data folder (``letters/KIND.LANG.docx``, where the
fund keeps its own wording), then in ``resources/letters/templates/``. They are Jinja templates
(docxtpl): ``{{ amount }}`` and the other values the wording names, ``details`` and the tables as
lists of rows. Values are escaped, so a name with "&" or "<" cannot break the document."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from trustfund_app.core.countries import country_label
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, use_language
from trustfund_app.core.letters.data import LetterData
from trustfund_app.core.letters.texts import fill, letter_texts
from trustfund_app.core.letters.values import formatted, formatted_rows, formatted_values
from trustfund_app.core import paths
from trustfund_app.core.reports.common import official_names
from trustfund_app.core.reports.text import DocText


def template_path(kind: str, lang: str) -> Path:
    name = f"{kind}.{lang}.docx"
    own = paths.user_data_dir() / "letters" / name
    return own if own.exists() else paths.resources_dir() / "letters" / "templates" / name


def letter_context(data: LetterData, lang: str, issued: date) -> dict:
    """Everything a template may name, formatted in ``lang`` (call inside ``use_language``)."""
    dt = DocText(lang)
    texts = letter_texts(lang)
    name, office = official_names(data.letterhead)
    context = formatted_values(dt, data.values)
    country = country_label(data.country, lang) if data.country else ""
    # an address that is just the country (in any language) does not name it twice
    address = "\n".join(line for line in (data.address or "").splitlines()
                         if line.strip() and line.strip() not in (country, country_label(data.country, "en")
                                                                  if data.country else ""))
    context.update({
        "fund_name": name, "office": office, "demo": data.letterhead.demo,
        "our_reference": fill(texts["common"]["our_reference"], {"number": dt.ltr(data.number)}),
        "number": dt.ltr(data.number), "issued": dt.date(issued, "long"), "recipient": data.recipient,
        "contact": data.contact or "", "address": address, "country_name": country,
        "name": data.contact or data.recipient,
        "details": [{"label": texts[data.kind]["details"][k], "value": formatted(dt, v)} for k, v in data.details],
    })
    for table, rows in data.tables.items():
        context[table] = formatted_rows(dt, rows)
    return context


def letter_docx(data: LetterData, lang: str, issued: date) -> bytes:
    from docxtpl import DocxTemplate

    path = template_path(data.kind, lang)
    if not path.exists():
        raise ValidationError(_("the Word template {path} is missing").format(path=path), "template")
    with use_language(lang):
        context = letter_context(data, lang, issued)
    template = DocxTemplate(str(path))
    try:
        template.render(context, autoescape=True)
    except Exception as exc:  # jinja2's errors: a template the fund edited by hand
        raise ValidationError(_("the Word template {path} cannot be used: {error}").format(path=path, error=exc),
                              "template") from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
