"""Hostile and odd files: each gets a clear error (never a traceback) or is handled, in bounded
time, and nothing is ever half-committed."""

from __future__ import annotations

import time
import zipfile
from datetime import date

import pytest

from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
from trustfund_app.core.excel.reader import FileRejected

GOOD_ROW = [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None]


@pytest.fixture
def fund(db, admin):
    seed(db, admin)
    return db


def _rewrite(src, dst, replace: dict):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return dst


def _rejected(fund, admin, path, match):
    with pytest.raises(FileRejected, match=match):
        run(fund, admin, "contributions", path)
    assert contributions(fund) == []


def test_not_a_workbook(fund, admin, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("date;donor;amount\n2026-01-01;Germany;100\n")
    _rejected(fund, admin, path, "not a spreadsheet")


def test_corrupt_zip(fund, admin, tmp_path):
    data = bytearray(book(tmp_path / "ok.xlsx", [CONTRIB_HEADER, GOOD_ROW]).read_bytes())
    data[len(data) // 3: len(data) // 3 + 400] = b"\x00" * 400
    (tmp_path / "bad.xlsx").write_bytes(bytes(data))
    _rejected(fund, admin, tmp_path / "bad.xlsx", "damaged|cannot be read")


def test_zip_whose_directory_points_before_the_file(fund, admin, tmp_path):
    """Found by the fuzzer: a directory offset larger than the real one made zipfile seek to a
    negative position (OSError EINVAL) instead of reporting a bad zip."""
    data = bytearray(book(tmp_path / "ok.xlsx", [CONTRIB_HEADER, GOOD_ROW]).read_bytes())
    end = data.rindex(b"PK\x05\x06")  # end of central directory: its offset field is at +16
    offset = int.from_bytes(data[end + 16:end + 20], "little")
    data[end + 16:end + 20] = (offset + 1000).to_bytes(4, "little")
    (tmp_path / "bad.xlsx").write_bytes(bytes(data))
    _rejected(fund, admin, tmp_path / "bad.xlsx", "damaged")


def test_password_protected_workbook(fund, admin, tmp_path):
    # what Excel writes for a password-protected .xlsx: an OLE2 container with an EncryptedPackage stream
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "EncryptedPackage".encode("utf-16-le"))
    _rejected(fund, admin, path, "protected by a password")


def test_zip_bomb(fund, admin, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    _rejected(fund, admin, path, "zip bomb")


def test_xml_entity_bomb(fund, admin, tmp_path):
    ok = book(tmp_path / "ok.xlsx", [CONTRIB_HEADER, GOOD_ROW])
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    path = _rewrite(ok, tmp_path / "lol.xlsx", {"xl/worksheets/sheet1.xml": laughs.encode()})
    started = time.monotonic()
    _rejected(fund, admin, path, "declares XML entities")
    assert time.monotonic() - started < 10


def test_merged_cells_are_reported_not_misread(fund, admin, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Contributions 2026 (merged title)"])
    ws.merge_cells("A1:G1")
    ws.append(CONTRIB_HEADER)
    ws.append(GOOD_ROW)
    ws.append([date(2026, 1, 6), "Germany", "pledge", "EUR", 5, "P-2", None])
    ws.merge_cells("B4:C4")  # the kind cell is swallowed by the merge
    wb.save(tmp_path / "m.xlsx")
    result = run(fund, admin, "contributions", tmp_path / "m.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [(4, "C", "a value is required")]
    assert not result.committed


def test_hidden_and_empty_sheets(fund, admin, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "old"
    wb.active.append(CONTRIB_HEADER)
    wb.active.append([date(2026, 1, 1), "Japan", "pledge", "JPY", 5, "OLD", None])
    wb.active.sheet_state = "hidden"
    wb.create_sheet("empty")
    live = wb.create_sheet("live")
    live.append(CONTRIB_HEADER)
    live.append(GOOD_ROW)
    wb.active = 2
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(FileRejected, match="no header row"):
        run(fund, admin, "contributions", tmp_path / "h.xlsx", sheet="empty")
    with pytest.raises(FileRejected, match='no sheet named "nope"'):
        run(fund, admin, "contributions", tmp_path / "h.xlsx", sheet="nope")
    result = run(fund, admin, "contributions", tmp_path / "h.xlsx", dry_run=True)
    assert result.sheet == "live"  # the sheet the workbook was saved showing, never a hidden one
    result = run(fund, admin, "contributions", tmp_path / "h.xlsx", sheet="live")
    assert result.inserted == 1
    assert run(fund, admin, "contributions", tmp_path / "h.xlsx", sheet="old").inserted == 1


def test_a_million_formatted_empty_rows_in_bounded_time(fund, admin, tmp_path):
    ok = book(tmp_path / "ok.xlsx", [CONTRIB_HEADER, GOOD_ROW])
    with zipfile.ZipFile(ok) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    empty = "".join(f'<row r="{n}"><c r="A{n}" s="0"/><c r="E{n}" s="0"/></row>' for n in range(3, 1_000_003))
    sheet = sheet.replace("</sheetData>", empty + "</sheetData>")
    path = _rewrite(ok, tmp_path / "million.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})
    started = time.monotonic()
    result = run(fund, admin, "contributions", path)
    assert (result.rows, result.inserted, result.committed) == (1, 1, True)
    assert time.monotonic() - started < 30


def test_row_limit_is_a_setting(fund, admin, tmp_path):
    from trustfund_app.core.services.settings import SettingsService

    SettingsService(fund, admin).set("import_max_rows", "2")
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, GOOD_ROW, [date(2026, 1, 6), "Japan", "pledge", "JPY", 5, "X", None]])
    _rejected(fund, admin, path, "more than 2 rows")


def test_legacy_formats_through_calamine(fund, admin, tmp_path):
    """An .ods written by hand (the OpenDocument format field offices send) is read like an .xlsx."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="Feuille1">'
               + "".join("<table:table-row>" + "".join(
                   f'<table:table-cell office:value-type="{t}" {a}><text:p>{v}</text:p></table:table-cell>'
                   for t, a, v in cells) + "</table:table-row>" for cells in [
                   [("string", "", h) for h in ["Date", "Donateur", "Nature", "Devise", "Montant", "Référence"]],
                   [("date", 'office:date-value="2026-01-05"', "2026-01-05"), ("string", "", "Germany"),
                    ("string", "", "Annonce"), ("string", "", "EUR"), ("float", 'office:value="1000.5"', "1000.5"),
                    ("string", "", "ODS-1")]])
               + "</table:table></office:spreadsheet></office:body></office:document-content>")
    path = tmp_path / "field.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>')
    result = run(fund, admin, "contributions", path)
    assert (result.inserted, result.committed) == (1, True), result.errors
    assert contributions(fund)[0].amount_minor == 100050
