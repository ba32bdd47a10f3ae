"""Builds the Word templates of the letters, ``resources/letters/templates/KIND.LANG.docx``, from
the wording in ``resources/letters/texts/LANG.json`` (the same text the PDF letters use).

Run after changing the wording:  python tools/make_letter_templates.py
The templates are docxtpl (Jinja) documents: ``{{ amount }}`` etc. for values, ``{%tr for … %}``
rows for tables, ``{%p if … %}`` paragraphs for optional lines. Arabic templates have right-to-left
paragraphs, runs and tables; every template names fonts that have the language's script.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "resources" / "letters" / "texts"
OUT = ROOT / "resources" / "letters" / "templates"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
KINDS = ("acknowledgement", "receipt", "award", "reminder")
BLUE = RGBColor(0x00, 0x9E, 0xDB)
# the tables each letter has, with their columns (as in the PDF)
TABLES = {
    "award": (("instalments", ("seq", "date", "amount", "condition")), ("reports", ("report", "due"))),
    "reminder": (("reports", ("grant", "report", "due", "days")),),
}
FONTS = {  # (Latin, East Asian, complex script)
    "ar": ("Arial", "Arial", "Arial"), "zh": ("Arial", "SimSun", "Arial"),
}
LANG_TAGS = {"ar": "ar-SA", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU", "es": "es-ES"}


def jinja(text: str) -> str:
    """``{amount}`` (the texts' placeholders) -> ``{{ amount }}``."""
    return re.sub(r"\{(\w+)\}", r"{{ \1 }}", text)


class Builder:
    def __init__(self, lang: str):
        self.lang = lang
        self.rtl = lang == "ar"
        self.doc = Document()
        self._defaults()

    def _defaults(self) -> None:
        latin, east, complex_ = FONTS.get(self.lang, ("Arial", "Arial", "Arial"))
        style = self.doc.styles["Normal"]
        style.font.name = latin
        style.font.size = Pt(11)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east), ("w:cs", complex_)):
            fonts.set(qn(attr), value)
        lang = OxmlElement("w:lang")
        tag = LANG_TAGS[self.lang]
        lang.set(qn("w:val"), tag if self.lang not in ("ar", "zh") else "en-GB")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
        if self.lang == "zh":
            lang.set(qn("w:eastAsia"), tag)
        rpr.append(lang)
        if self.rtl:
            rpr.append(OxmlElement("w:rtl"))
            ppr = style.element.get_or_add_pPr()
            ppr.append(OxmlElement("w:bidi"))
        section = self.doc.sections[0]
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Pt(51)

    def para(self, text: str = "", bold: bool = False, size: float | None = None, color=None, after: float = 4,
             end: bool = False):
        p = self.doc.add_paragraph()
        if self.rtl:  # a bidi paragraph starts at the right by itself; "right" would mean its end
            p._p.get_or_add_pPr().insert(0, OxmlElement("w:bidi"))
        elif end:
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(after)
        if self.rtl:
            _start_aligned(p)
        if text:
            run = p.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            if color is not None:
                run.font.color.rgb = color
            if self.rtl:
                run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
                if bold:
                    run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))
        return p

    def table(self, header: list[str] | None, row: list[str], loop: str, bold_first: bool = False):
        """A header row (or none), then one templated row repeated by ``loop`` ("d in details")."""
        rows = (1 if header else 0) + 3
        table = self.doc.add_table(rows=rows, cols=len(row))
        table.style = "Table Grid"
        if self.rtl:
            table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        i = 0
        if header:
            for cell, text in zip(table.rows[0].cells, header):
                self._cell(cell, text, bold=True)
            i = 1
        self._cell(table.rows[i].cells[0], "{%tr for " + loop + " %}")
        for c, (cell, text) in enumerate(zip(table.rows[i + 1].cells, row)):
            self._cell(cell, text, bold=bold_first and c == 0)
        self._cell(table.rows[i + 2].cells[0], "{%tr endfor %}")
        self.para(after=2)

    def _cell(self, cell, text: str, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        if self.rtl:
            p._p.get_or_add_pPr().insert(0, OxmlElement("w:bidi"))
            _start_aligned(p)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(9.5)
        if self.rtl:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _start_aligned(paragraph) -> None:
    """Aligned to the paragraph's start (the right in Arabic). "right" in a bidi paragraph is read
    as its end by LibreOffice, so the logical value is written."""
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "start")
    paragraph._p.get_or_add_pPr().append(jc)


def build(kind: str, lang: str, texts: dict) -> Document:
    common, own = texts["common"], texts[kind]
    b = Builder(lang)
    b.para("{{ fund_name }}", bold=True, size=12, after=0)
    b.para("{{ office }}", size=9, after=8)
    b.para("{%p if demo %}")
    b.para(common["demo"], bold=True, color=RGBColor(0xC0, 0x20, 0x20))
    b.para("{%p endif %}")
    b.para("{{ our_reference }}", size=9, after=0)
    b.para("{{ issued }}", size=9, after=14)
    b.para("{{ recipient }}", bold=True, after=0)
    for field in ("contact", "address", "country_name"):
        b.para("{%p if " + field + " %}")
        b.para("{{ " + field + " }}", after=0)
        b.para("{%p endif %}")
    b.para(after=10)
    b.para(own["title"], bold=True, size=15, color=BLUE, after=8)
    b.para(jinja(common["salutation"]))
    for text in own["body"]:
        b.para(jinja(text), after=6)
    if "details" in own:
        b.table(None, ["{{ d.label }}", "{{ d.value }}"], "d in details", bold_first=True)
    for table, columns in TABLES.get(kind, ()):
        labels = own[table]
        if "heading" in labels:
            b.para(labels["heading"], bold=True, size=12, color=BLUE, after=4)
        b.table([labels[c] for c in columns], ["{{ r." + c + " }}" for c in columns], f"r in {table}")
    for text in own["after"]:
        b.para(jinja(text), after=6)
    b.para(common["closing"], after=30)
    b.para(common["signatory"], bold=True, after=0)
    b.para("{{ office }}", size=9)
    props = b.doc.core_properties
    props.title, props.author, props.language = own["title"], "TrustFund Desk", LANG_TAGS[lang]
    # fixed dates: regenerating unchanged wording gives the same files (no noise in the history)
    from datetime import datetime
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    return b.doc


def save_stable(doc, path: Path) -> None:
    """The .docx with fixed zip timestamps: unchanged wording gives byte-identical files."""
    import io
    import zipfile

    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0)), src.read(item.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def main(out: Path = OUT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        texts = json.loads((TEXTS / f"{lang}.json").read_text(encoding="utf-8"))
        for kind in KINDS:
            save_stable(build(kind, lang, texts), out / f"{kind}.{lang}.docx")
    print(f"{len(LANGUAGES) * len(KINDS)} templates written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
