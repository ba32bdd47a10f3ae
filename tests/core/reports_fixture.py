"""A small fund for the PDF tests, built through the services (donors, rates, contributions) plus
a grant cycle with paid instalments, a refund and victims assisted (written directly: the grants
services belong to another part of the app)."""

from __future__ import annotations


from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from trustfund_app.core.models import (
    Grant, GrantCycle, Grantee, GranteeReport, Instalment, Refund, VictimsAssisted,
)
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.rates import RateService
from trustfund_app.core.services.settings import SettingsService

# donor per language; names in scripts that exercise the font fallback and bidi
DONORS = {
    "en": ("Norway", "member_state", "NOR", "Royal Norwegian Ministry of Foreign Affairs\nP.O. Box 8114 Dep, Oslo"),
    "ar": ("دولة قطر", "member_state", "QAT", "وزارة الخارجية، الدوحة"),
    "zh": ("中华人民共和国", "member_state", "CHN", "北京市朝阳区"),
    "fr": ("Fondation Côte d’Ivoire pour l’Enfance", "foundation", "CIV", "Boulevard Latrille, Abidjan"),
    "ru": ("Российская Федерация", "member_state", "RUS", "Смоленская-Сенная пл., 32/34, Москва"),
    "es": ("Fundación España Solidaria", "foundation", "ESP", "Calle de Alcalá 1, Madrid"),
}
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
ISSUED = date(2026, 11, 28)


@dataclass
class SmallFund:
    donors: dict[str, str]  # lang -> donor id
    mixed_donor: str  # Chinese-named donor whose statements go out in English


def build_small_fund(db, admin, demo: bool = False) -> SmallFund:
    rates = RateService(db, admin)
    for year in (2025, 2026):
        for month in range(1, 13):
            rates.add_month(date(year, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5"),
                                                   "RUB": Decimal("91.25"), "QAR": Decimal("3.64")})
    if demo:
        SettingsService(db, admin).set("demo", "1")
    donors = DonorService(db, admin)
    money = ContributionService(db, admin)
    ids = {}
    for lang, (name, kind, country, address) in DONORS.items():
        did = donors.create(name, kind, country, lang, address=address)
        ids[lang] = did
        money.record_pledge(did, date(2025, 5, 3), Decimal("500000"), "EUR", reference=f"NV/{lang.upper()}/2025")
        money.record_payment(did, date(2025, 9, 3), Decimal("200000"), "EUR", reference=f"PAY-{lang.upper()}-1")
        money.record_pledge(did, date(2026, 2, 3), Decimal("1500000"), "JPY", reference=f"NV/{lang.upper()}/2026")
        money.record_payment(did, date(2026, 3, 2), Decimal("92000"), "EUR", reference=f"PAY-{lang.upper()}-2")
        # an unallocated gift: the pledges stay partly outstanding
        money.record_payment(did, date(2026, 6, 2), Decimal("250000.50"), "USD", allocate=False)
    mixed = donors.create("北京慈善基金会", "foundation", "CHN", "en", aliases=["Beijing Charity Foundation"])
    money.record_payment(mixed, date(2026, 4, 15), Decimal("12345.67"), "USD", reference="BCF-2026-A")
    _grants(db)
    return SmallFund(ids, mixed)


def _grants(db) -> None:
    with db.writing("admin") as s:
        cycle = GrantCycle(number=9, year=2026, name="Cycle 9", envelope_usd_cents=150_000_000)
        ngo_ke = Grantee(name="Haki Africa", country="KEN")
        ngo_ph = Grantee(name="Visayan Forum", country="PHL")
        s.add_all([cycle, ngo_ke, ngo_ph])
        s.flush()
        g1 = Grant(reference="UNVTF-9-001", cycle_id=cycle.id, grantee_id=ngo_ke.id, country="KEN", title="Shelter",
                   amount_usd_cents=6_000_000, start=date(2026, 3, 1), end=date(2027, 2, 28),
                   approved_on=date(2026, 2, 10), status="active")
        g2 = Grant(reference="UNVTF-9-002", cycle_id=cycle.id, grantee_id=ngo_ph.id, country="PHL", title="Legal aid",
                   amount_usd_cents=2_000_000, start=date(2026, 3, 1), end=date(2026, 11, 30),
                   approved_on=date(2026, 2, 10), status="closed", closed_on=date(2026, 12, 1))
        s.add_all([g1, g2])
        s.flush()
        paid_at = datetime(2026, 3, 5, tzinfo=timezone.utc)
        for grant, cents in ((g1, 3_000_000), (g2, 2_000_000)):
            s.add(Instalment(grant_id=grant.id, seq=1, planned_date=date(2026, 3, 5), amount_usd_cents=cents,
                             status="paid", prepared_by="admin", prepared_at=paid_at, approved_by="fiona",
                             paid_on=date(2026, 3, 5), psc_rate=Decimal(13), psc_cents=cents * 13 // 100))
        s.add(Instalment(grant_id=g1.id, seq=2, planned_date=date(2027, 1, 5), amount_usd_cents=3_000_000))
        s.add(Refund(grant_id=g2.id, date=date(2026, 12, 5), amount_usd_cents=150_000, psc_cents=19_500))
        report = GranteeReport(grant_id=g1.id, kind="interim", type="narrative", due_date=date(2026, 9, 30),
                               received_on=date(2026, 9, 20), approved_on=date(2026, 10, 1), approved_by="admin")
        s.add(report)
        s.flush()
        s.add(VictimsAssisted(report_id=report.id, assistance="shelter", women=40, girls=25, men=5, boys=7))
        s.add(VictimsAssisted(report_id=report.id, assistance="legal", women=12, girls=0, men=3, boys=0))


# -- reading PDFs back -------------------------------------------------------------------------
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def normalize(text: str) -> str:
    """NFKC (Arabic presentation forms -> letters), no bidi controls, one kind of space."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if ch in "\xa0\u202f" else ch for ch in text if ch not in BIDI_CONTROLS)
    return re.sub(r"\s+", " ", text).strip()


def pypdf_pages(pdf: bytes) -> list[str]:
    import io

    from pypdf import PdfReader

    return [normalize(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def poppler_text(pdf: bytes, tmp_path) -> str:
    """pdftotext applies the bidi algorithm when it reads right-to-left glyph runs back."""
    import subprocess

    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    return normalize(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)


def pdf_fonts(pdf: bytes, tmp_path) -> list[dict]:
    import subprocess

    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    fonts = []
    for line in out:
        parts = line.split()
        # name type... encoding emb sub uni object-id generation
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def arabic_words(text: str) -> list[str]:
    import re

    return re.findall(r"[\u0621-\u064a]+", normalize(text))
