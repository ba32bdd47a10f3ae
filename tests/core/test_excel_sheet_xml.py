"""The fast reading of plain sheets gives exactly what openpyxl's own parser gives, cell for cell,
and hands every sheet it cannot vouch for (a DOCTYPE, another encoding) to openpyxl."""

from __future__ import annotations

import warnings
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from trustfund_app.core.excel.reader import (
    NO_CACHED_VALUE,
    FileRejected,
    Limits,
    open_workbook,
)
from trustfund_app.core.excel.sheet_xml import careful_rows, cell_parser, plain_prolog

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["Germany", "  spaced  ", "Contribution volontaire", "تبرع", "捐款"]
# every kind of cell a workbook from Excel, LibreOffice or a script may hold; s="1" is the date style
ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2" s="1"><v>46027</v></c><c r="B2" t="n"><v>1500.25</v></c><c r="C2"><v>1E3</v></c>'
    '<c r="D2"><v>-7</v></c><c r="E2" s="1"><v>46027.5</v></c><c r="AB2" t="s"><v>4</v></c></row>'
    '<row r="3"><c r="A3" t="str"><f>A1&amp;"!"</f><v>Germany!</v></c><c r="B3"><f>SUM(B2:B2)</f></c>'
    '<c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3"><f>1+1</f><v>2</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><t>plain &amp; simple</t></is></c>'
    '<c r="B4" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r></is></c>'
    '<c r="C4" t="inlineStr"><is><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></is></c>'
    '<c r="D4" t="inlineStr"><is><t></t></is></c><c r="E4"><v></v></c><c r="F4" s="1"><v>99999999</v></c></row>'
    '<row><c><v>10</v></c><c t="s"><v>2</v></c><c r="E5"><v>3.5</v></c><c><v>4</v></c></row>'  # no references
    '<row r="6" spans="1:3" ht="20" customHeight="1"><c r="A6" t="d"><v>2026-03-01T00:00:00</v></c></row>'
    '<row r="7"/>'
    '<row r="9"><c r="B9" t="s" s="0"><v>2</v></c></row>'
)


def sheet_xml(rows: str = ROWS, prolog: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') -> str:
    return f'{prolog}<worksheet xmlns="{MAIN}"><sheetPr/><sheetData>{rows}</sheetData></worksheet>'


def workbook_with(tmp_path, sheet: bytes, name: str = "book.xlsx"):
    """An openpyxl-made workbook (styles with a date format as style 1) whose sheet is replaced by
    ``sheet`` and which gains a shared strings part."""
    base = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append([date(2026, 1, 1)])
    wb.save(base)
    strings = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in STRINGS)
    shared = f'<sst xmlns="{MAIN}" count="{len(STRINGS)}" uniqueCount="{len(STRINGS)}">{strings}</sst>'
    path = tmp_path / name
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            zout.writestr(info.filename, data)
        zout.writestr("xl/sharedStrings.xml", shared.encode())
    return path


def careful(path) -> list:
    workbook = open_workbook(path, Limits())
    ws = workbook._wb.worksheets[0]
    workbook.prepare_strings(ws)
    with ws._get_source() as src, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's warning about the date beyond the calendar
        return list(careful_rows(cell_parser(workbook._wb, ws, src)))


def fast(path) -> list:
    workbook = open_workbook(path, Limits())
    return list(workbook._parse(workbook._wb.worksheets[0].title))


def test_plain_sheet_reads_cell_for_cell_as_openpyxl(tmp_path):
    path = workbook_with(tmp_path, sheet_xml().encode())
    rows = fast(path)
    assert rows == careful(path)
    by_row = dict(rows)
    assert by_row[1] == {1: "Germany", 2: "  spaced  ", 3: "تبرع"}
    assert by_row[2] == {1: datetime(2026, 1, 5), 2: 1500.25, 3: 1000.0, 4: -7, 5: datetime(2026, 1, 5, 12), 28: "捐款"}
    assert by_row[3] == {1: "Germany!", 2: NO_CACHED_VALUE, 3: True, 4: "#N/A", 5: 2}
    assert (by_row[4][1], by_row[4][2], by_row[4][3]) == ("plain & simple", "rich text", "漢字")  # no phonetics
    assert 4 not in by_row[4] and 5 not in by_row[4]  # empty text and empty value: no cell
    assert by_row[4][6] == "#VALUE!"  # a date style on a number beyond the calendar, as openpyxl says
    assert by_row[5] == {1: 10, 2: "Contribution volontaire", 5: 3.5, 6: 4}
    assert by_row[6] == {1: datetime(2026, 3, 1)}
    assert by_row[7] == {} and 8 not in by_row and by_row[9] == {2: "Contribution volontaire"}


def test_generated_workbook_reads_as_openpyxl(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "donor", "amount", "note"])
    for i in range(300):
        ws.append([date(2026, 1 + i % 12, 1 + i % 28), f"Donor {i % 7}", i * 1.25 if i % 2 else i, "x" * (i % 3)])
    ws["Z400"] = "far away"
    ws.merge_cells("A402:C402")
    wb.save(tmp_path / "g.xlsx")
    assert fast(tmp_path / "g.xlsx") == careful(tmp_path / "g.xlsx")
    assert len(fast(tmp_path / "g.xlsx")) == 303


def test_sheet_in_another_encoding_goes_to_openpyxl_and_reads_the_same(tmp_path):
    utf8 = workbook_with(tmp_path, sheet_xml().encode(), "utf8.xlsx")
    utf16 = workbook_with(tmp_path, sheet_xml(prolog='<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
                          "utf16.xlsx")
    assert fast(utf16) == fast(utf8)


def test_doctype_is_left_to_defusedxml_which_refuses_entities(tmp_path):
    prolog = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY who "Germany">]>'
    path = workbook_with(tmp_path, sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&who;</t></is></c></row>',
                                             prolog).encode())
    with pytest.raises(FileRejected, match="declares XML entities"):
        fast(path)


class _Chunks:
    def __init__(self, data: bytes, size: int):
        self.data, self.size = data, size

    def read(self, _n=-1):
        chunk, self.data = self.data[:self.size], self.data[self.size:]
        return chunk


@pytest.mark.parametrize("text, plain", [
    (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="x"/>', True),
    (b"\xef\xbb\xbf<worksheet/>", True),
    (b"<!-- made by a script --><?mso-application progid='Excel.Sheet'?>\n<x:worksheet/>", True),
    (b'<?xml version="1.0" encoding="windows-1252"?><worksheet/>', False),
    (b'<?xml version="1.0"?><!DOCTYPE worksheet><worksheet/>', False),
    ("<worksheet/>".encode("utf-16"), False),
    (b"<!-- a comment never closed", False),
    (b"<?xml version='1.0'?>" + b" " * 70_000 + b"<worksheet/>", False),  # prolog longer than we look
])
def test_plain_prolog(text, plain):
    for size in (5 if len(text) < 1000 else 4096, 16 * 1024):  # nor on how the stream is cut
        assert (plain_prolog(_Chunks(text, size)) is not None) == plain
