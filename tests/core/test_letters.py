"""Letters read back as a recipient would: the Arabic award letter joined and right to left, every
language with embedded fonts, the Word version with the values, one reminder per grantee."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from tests.core.grants_setup import approved_grant, interim, make_cycle
from tests.core.reports_fixture import (
    DONORS, arabic_words, build_small_fund, normalize, pdf_fonts, poppler_text, pypdf_pages,
)
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import LANGUAGES, format_amount, format_date, use_language
from trustfund_app.core.letters import render_letter, write_letter
from trustfund_app.core.letters.texts import letter_texts
from trustfund_app.core.services.grants import GrantService, GranteeService, ReportService

ISSUED = date(2026, 12, 4)
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture
def fund(db, admin):
    return build_small_fund(db, admin)


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_arabic_award_letter_is_joined_and_right_to_left(db, admin, tmp_path):
    fund = make_cycle(db, admin)
    GranteeService(db, admin).update(fund.grantee, language="ar")
    grant = approved_grant(db, admin, fund, amount="50000")
    reference = GrantService(db).get(grant).reference
    pdf, lang = render_letter(db, "award", reference, issued=ISSUED)
    assert lang == "ar"  # the grantee's language
    path = tmp_path / "award.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    # shaped: the glyphs drawn are Arabic presentation forms (joined letters), not isolated letters
    assert len(PRESENTATION_FORMS.findall(raw)) > 100
    text = normalize(raw)
    texts = letter_texts("ar")["award"]
    assert texts["title"] in text
    with use_language("ar"):
        body = texts["body"][0].format(grantee="Casa Esperanza", amount=format_amount(Decimal("50000"), "USD"),
                                       title="Shelter and legal aid", country="كولومبيا",
                                       approved=format_date(date(2026, 4, 20), style="long"))
    # every digit-free Arabic phrase of the first paragraph reads back in logical order
    found = " ".join(arabic_words(text))
    phrases = [" ".join(arabic_words(part)) for part in re.split(r"[\d][\d,.]*|Casa Esperanza|Shelter and legal aid", body)]
    phrases = [p for p in phrases if len(p.split()) >= 2]
    assert sum(len(p.split()) for p in phrases) >= 12
    for phrase in phrases:
        assert phrase in found, phrase
    assert found.index(phrases[0]) < found.index(phrases[-1])
    assert normalize(format_amount(Decimal("50000"), "USD", "ar")) in text
    assert reference in text


def test_letters_in_all_six_languages_embed_their_fonts(db, fund, tmp_path):
    family = {"ar": "Amiri", "zh": "WenQuanYiMicroHei"}
    for lang in LANGUAGES:
        pdf, used = render_letter(db, "acknowledgement", f"NV/{lang.upper()}/2026", issued=ISSUED)
        assert used == lang  # each donor's preferred language
        fonts = pdf_fonts(pdf, tmp_path)
        assert fonts and all(f["emb"] == "yes" for f in fonts), (lang, fonts)
        assert any(family.get(lang, "NotoSans") in f["name"] for f in fonts), (lang, fonts)
        assert not any("Helvetica" in f["name"] or "Times" in f["name"] for f in fonts)
        text = poppler_text(pdf, tmp_path) if lang == "ar" else " ".join(pypdf_pages(pdf))
        title = letter_texts(lang)["acknowledgement"]["title"]
        if lang == "ar":
            assert " ".join(arabic_words(title)) in " ".join(arabic_words(text))
        else:
            assert normalize(title) in text, lang
            assert normalize(format_amount(Decimal("1500000"), "JPY", lang)) in text, lang


def test_word_letter_opens_with_python_docx_and_holds_the_values(db, fund, tmp_path):
    content, lang = render_letter(db, "receipt", "PAY-FR-2", fmt="docx", issued=ISSUED)
    assert lang == "fr"
    text = _docx_text(content)
    assert DONORS["fr"][0] in text
    assert format_amount(Decimal("92000"), "EUR", "fr") in text
    assert format_amount(Decimal("100000"), "USD", "fr") in text  # 92,000 EUR at 0.92
    assert letter_texts("fr")["receipt"]["title"] in text
    assert "{{" not in text and "{%" not in text
    # a name with XML's special characters is escaped, not breaking the document
    path = write_letter(db, "acknowledgement", "NV/EN/2025", tmp_path / "ack.docx", lang="ar", issued=ISSUED)
    arabic = _docx_text(path.read_bytes())
    assert letter_texts("ar")["acknowledgement"]["title"] in arabic and "Norway" in arabic


def test_arabic_word_template_has_right_to_left_paragraphs(db, fund):
    from docx import Document
    from docx.oxml.ns import qn

    content, _lang = render_letter(db, "acknowledgement", "NV/AR/2025", fmt="docx", issued=ISSUED)
    doc = Document(io.BytesIO(content))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    assert paragraphs and all(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in paragraphs)
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in doc.tables)


def test_one_reminder_per_grantee_lists_all_its_overdue_reports(db, admin, tmp_path):
    fund = make_cycle(db, admin)
    GranteeService(db, admin).update(fund.grantee, language="es")
    first = approved_grant(db, admin, fund, amount="20000", sub=fund.sgp1, months=9)
    second = approved_grant(db, admin, fund, amount="40000", months=12)
    reports = ReportService(db, admin)
    reports.receive(interim(db, first, "narrative"), date(2026, 9, 1))  # received: not chased
    overdue = [r for r in reports.overdue(ISSUED)]
    assert {r.grant_id for r in overdue} == {first, second} and len(overdue) == 3
    refs = {GrantService(db).get(g).reference for g in (first, second)}
    pdf, lang = render_letter(db, "reminder", "Casa Esperanza", issued=ISSUED)
    assert lang == "es"
    text = " ".join(pypdf_pages(pdf))
    for ref in refs:
        assert ref in text
    assert text.count(normalize(letter_texts("es")["reminder"]["title"])) == 1  # one letter
    with use_language("es"):
        for r in overdue:
            assert normalize(format_date(r.due_date, style="long")) in text
    # a grant agreement number finds the same grantee; the Word version lists the same reports
    content, _lang = render_letter(db, "reminder", next(iter(refs)), fmt="docx", issued=ISSUED)
    rows = [line for line in _docx_text(content).splitlines() if line in refs]
    assert len(rows) == 3
    with pytest.raises(ValidationError, match="overdue"):
        render_letter(db, "reminder", "Casa Esperanza", issued=date(2026, 6, 1))


def test_letter_command(db_url, db, fund, tmp_path, monkeypatch):
    from trustfund_app.cli import main
    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    out = tmp_path / "receipt.pdf"
    base = ["--db", db_url, "--user", "admin"]
    assert main(base + ["letter", "receipt", "--for", "PAY-ZH-2", "--issued", "2026-12-04", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(base + ["letter", "award", "--for", "UNVTF-9-001", "--lang", "ru", "--out", str(tmp_path / "a.docx")]) == 0
    assert letter_texts("ru")["award"]["title"] in _docx_text((tmp_path / "a.docx").read_bytes())
    assert main(base + ["letter", "receipt", "--for", "NV/EN/2025", "--out", str(tmp_path / "x.pdf")]) == 2  # a pledge
    assert main(base + ["letter", "award", "--for", "UNVTF-9-001", "--out", str(tmp_path / "x.txt")]) == 2
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.txt").exists()


def test_shipped_word_templates_are_the_generators_output_from_the_shipped_wording(tmp_path):
    """Changing resources/letters/texts/*.json without running tools/make_letter_templates.py would
    leave the Word letters saying something else than the PDF ones."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("make_letter_templates", root / "tools" / "make_letter_templates.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main(tmp_path) == 0
    shipped = root / "resources" / "letters" / "templates"
    made = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert len(made) == 24 and made == sorted(p.name for p in shipped.glob("*.docx"))
    stale = [name for name in made if (tmp_path / name).read_bytes() != (shipped / name).read_bytes()]
    assert not stale, f"run python tools/make_letter_templates.py: {stale}"


def test_every_language_has_the_same_letter_texts_and_placeholders():
    from trustfund_app.core.letters.texts import placeholders

    def flat(d, prefix=""):
        for k, v in d.items():
            if isinstance(v, dict):
                yield from flat(v, f"{prefix}{k}.")
            elif isinstance(v, list):
                for i, text in enumerate(v):
                    yield f"{prefix}{k}.{i}", text
            else:
                yield f"{prefix}{k}", v

    english = dict(flat(letter_texts("en")))
    for lang in LANGUAGES:
        texts = dict(flat(letter_texts(lang)))
        assert texts.keys() == english.keys(), lang
        for key, text in texts.items():
            # a translation may leave a value out (French salutations name no one), never add one
            assert placeholders(text) <= placeholders(english[key]) | {"name"}, (lang, key)


def test_the_funds_own_word_template_takes_precedence(db, fund, _isolated_user_data):
    """The fund edits its wording in a copy under the user data folder's letters/."""
    import shutil

    from trustfund_app.core.letters.word import template_path

    own = _isolated_user_data / "letters" / "receipt.en.docx"
    own.parent.mkdir(parents=True)
    shutil.copy(template_path("receipt", "en"), own)
    from docx import Document

    doc = Document(str(own))
    doc.paragraphs[-1].text = "Treasurer, {{ recipient }} desk"
    doc.save(str(own))
    assert template_path("receipt", "en") == own
    content, _lang = render_letter(db, "receipt", "PAY-EN-2", fmt="docx", issued=ISSUED)
    assert "Treasurer, Norway desk" in _docx_text(content)
    doc.paragraphs[-1].text = "{{ broken"
    doc.save(str(own))
    with pytest.raises(ValidationError, match="cannot be used"):
        render_letter(db, "receipt", "PAY-EN-2", fmt="docx", issued=ISSUED)
