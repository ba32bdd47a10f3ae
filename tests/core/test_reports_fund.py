"""The annual fund report agrees with the fund position; batches and the CLI commands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.core.reports_fixture import ISSUED, build_small_fund, normalize, pdf_fonts, pypdf_pages
from trustfund_app.core.i18n import _, format_amount, use_language
from trustfund_app.core.reports import render_fund_report


@pytest.fixture
def fund(db, admin):
    return build_small_fund(db, admin)


def test_fund_report_figures_agree_with_the_fund_position(db, fund, tmp_path):
    from trustfund_app.core.reports.fund_data import fund_report_data
    from trustfund_app.core.services.position import fund_position

    with db.reading() as s:
        data = fund_report_data(s, 2026)
        closing = fund_position(s, date(2026, 12, 31))
    assert data.closing == closing
    flows = (data.opening.balance + data.income - data.disbursed_gross + data.refunds - data.psc_gross
             + data.psc_refunded)
    assert flows == closing.balance
    assert data.disbursed_gross.amount == Decimal("50000.00") and data.refunds.amount == Decimal("1500.00")
    assert data.psc_gross.amount == Decimal("6500.00") and data.psc_refunded.amount == Decimal("195.00")
    for lang in ("en", "fr", "ru", "zh", "es"):
        pdf = render_fund_report(db, 2026, lang, issued=ISSUED)
        text = " ".join(pypdf_pages(pdf))
        with use_language(lang):
            for label in (_("Fund balance at {date}").split("{")[0], _("Schedule 3. Grants by cycle and region"),
                          _("Schedule 4. Victims assisted, as reported by grantees")):
                assert normalize(label) in text, (lang, label)
        for money in (data.opening.balance, closing.balance, data.income, closing.commitments, -data.disbursed_gross,
                      closing.available):
            assert normalize(format_amount(money.amount, "USD", lang)) in text, (lang, money)
        assert "Российская Федерация" in text and "中华人民共和国" in text  # donors in their own scripts
        assert all(f["emb"] == "yes" for f in pdf_fonts(pdf, tmp_path))
    assert render_fund_report(db, 2026, "ar", issued=ISSUED) == render_fund_report(db, 2026, "ar", issued=ISSUED)


def test_fund_report_victims_and_grants_by_region(db, fund):
    text = " ".join(pypdf_pages(render_fund_report(db, 2026, "en", issued=ISSUED)))
    # shelter 40 + 25 + 5 + 7 = 77, legal 15, total 92; Africa (Kenya) and Asia (Philippines)
    assert "Shelter 40 25 5 7 77" in text and "Total 52 25 8 7 92" in text
    assert "Cycle 9 Africa 1 $60,000.00 $30,000.00" in text
    assert "Cycle 9 Asia 1 $20,000.00 $20,000.00" in text


def test_batch_writes_each_donor_in_its_language_with_progress_and_cancel(db, fund, tmp_path):
    from trustfund_app.core.reports.batch import write_statements

    seen = []
    result = write_statements(db, 2026, tmp_path / "all", issued=ISSUED, progress=lambda d, t, n: seen.append((d, t, n)))
    assert result.total == 7 and len(result.written) == 7 and not result.cancelled
    assert seen[-1] == (7, 7, "") and seen[0][1] == 7
    langs = sorted(p.name.split("-")[-2] for p in result.written)
    assert langs == sorted(["ar", "zh", "en", "fr", "ru", "es", "en"])
    arabic = next(p for p in result.written if "-ar-" in p.name)
    assert "دولة قطر".split()[1] in normalize(" ".join(pypdf_pages(arabic.read_bytes())))

    calls = []
    stopped = write_statements(db, 2026, tmp_path / "some", issued=ISSUED, cancelled=lambda: len(calls) >= 2,
                               progress=lambda d, t, n: calls.append(n))
    assert stopped.cancelled and len(stopped.written) == 2
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == sorted(p.name for p in stopped.written)


def test_batch_in_worker_processes_writes_the_same_files_and_stops_on_cancel(db, fund, tmp_path):
    from trustfund_app.core.reports.batch import write_statements

    here = write_statements(db, 2026, tmp_path / "here", issued=ISSUED, workers=0)
    seen = []
    pooled = write_statements(db, 2026, tmp_path / "pool", issued=ISSUED, workers=2,
                              progress=lambda d, t, n: seen.append((d, t)))
    assert [p.name for p in pooled.written] == [p.name for p in here.written]  # donor order
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(here.written, pooled.written))
    assert sorted(seen) == [(d, 7) for d in range(1, 8)] + [(7, 7)]

    calls = []  # cancelled as soon as the first statement is reported done
    stopped = write_statements(db, 2026, tmp_path / "stopped", issued=ISSUED, workers=2, cancelled=lambda: bool(calls),
                               progress=lambda d, t, n: calls.append(n))
    assert stopped.cancelled and 1 <= len(stopped.written) < 7
    # the files the workers had begun are whole; nothing else is left in the folder
    assert sorted(p.name for p in (tmp_path / "stopped").iterdir()) == sorted(p.name for p in stopped.written)
    assert all(p.read_bytes().startswith(b"%PDF") and p.read_bytes().rstrip().endswith(b"%%EOF")
               for p in stopped.written)


def test_cli_statement_statements_and_fund_report(db, fund, tmp_path, monkeypatch, capsys):
    from trustfund_app.cli import main

    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    base = ["--db", db.url, "--user", "admin"]
    out = tmp_path / "norway.pdf"
    assert main(base + ["statement", "--donor", "norway", "--from", "2026-01-01", "--to", "2026-12-31",
                        "--issued", "2026-11-28", "--lang", "es", "--out", str(out)]) == 0
    text = " ".join(pypdf_pages(out.read_bytes()))
    assert normalize(format_amount(Decimal("350000.50"), "USD", "es")) in text
    first = out.read_bytes()
    assert main(base + ["statement", "--donor", fund.donors["en"], "--from", "2026-01-01", "--to", "2026-12-31",
                        "--issued", "2026-11-28", "--lang", "es", "--out", str(out)]) == 0
    assert out.read_bytes() == first  # by id or by name, same document, same bytes
    assert main(base + ["statement", "--donor", "Atlantis", "--out", str(tmp_path / "x.pdf")]) == 2
    assert 'unknown donor "Atlantis"' in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(base + ["statements", "--year", "2026", "--out", str(tmp_path / "batch"), "--quiet"]) == 0
    assert len(list((tmp_path / "batch").glob("*.pdf"))) == 7
    assert main(base + ["fund-report", "--year", "2026", "--lang", "ru", "--out", str(tmp_path / "fr.pdf")]) == 0
    assert (tmp_path / "fr.pdf").read_bytes().startswith(b"%PDF")
