"""Letters to donors and grantees, in the recipient's language: acknowledgement of a pledge,
receipt and thanks for a payment, grant award, reminder of overdue reports (one letter per
grantee listing all its overdue reports). PDF always; an editable Word version from a template.

``data`` reads what a letter says; ``pdf`` lays it out like the statements; ``word`` fills the
.docx template; ``texts`` holds the wording per language (``resources/letters/texts/``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, check_language
from trustfund_app.core.letters.texts import KINDS

FORMATS = ("pdf", "docx")


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(_('unknown kind of letter "{kind}"; use one of {choices}').format(
            kind=kind, choices=" ".join(KINDS)), "kind")
    return kind


def format_of(path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(_("a letter is written as .pdf or .docx, not {name}").format(name=Path(path).name), "out")
    return suffix


def render_letter(db, kind: str, key: str, fmt: str = "pdf", lang: str | None = None,
                  issued: date | None = None) -> tuple[bytes, str]:
    """The letter's bytes and its language (the recipient's unless ``lang`` says otherwise).
    ``issued`` is the letter's date (and the day overdue reports are counted on)."""
    from trustfund_app.core.letters.data import letter_data

    check_kind(kind)
    issued = issued or date.today()
    with db.reading() as session:
        data = letter_data(session, kind, key, issued)
    language = check_language(lang) if lang else data.language
    if fmt == "docx":
        from trustfund_app.core.letters.word import letter_docx

        return letter_docx(data, language, issued), language
    from trustfund_app.core.letters.pdf import letter_pdf

    return letter_pdf(data, language, issued), language


def write_letter(db, kind: str, key: str, path, lang: str | None = None, issued: date | None = None) -> Path:
    from trustfund_app.core.reports.common import atomic_write

    content, _lang = render_letter(db, kind, key, format_of(path), lang, issued)
    return atomic_write(Path(path), content)


__all__ = ["KINDS", "FORMATS", "check_kind", "format_of", "render_letter", "write_letter"]
