"""A workbook with many unused shared strings (issue 15 point 8): written zip part by zip part so
that ten million strings cost little to make. Used by tests/core/test_limits.py and by
benchmarks/bench_shared_strings.py."""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                 b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                 b'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType'
                 b'="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
            b'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2"'
                 b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target='
                 b'"sharedStrings.xml"/></Relationships>')
HEADER = ["date", "donor", "kind", "currency", "amount"]


def make_book(path: Path, strings: int) -> Path:
    """Shared strings 0-4 are the header, 5-7 a row's text; the other ``strings`` are never used."""
    used = [*HEADER, "Japan", "pledge", "EUR"]
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(5))
    row2 = ('<c r="A2"><v>46027</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c>'
            '<c r="D2" t="s"><v>7</v></c><c r="E2"><v>1000</v></c>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             f'2006/main"><sheetData><row r="1">{cells}</row><row r="2">{row2}</row></sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        total = len(used) + strings
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      f'spreadsheetml/2006/main" count="{total}" uniqueCount="{total}">'.encode())
            out.write("".join(f"<si><t>{t}</t></si>" for t in used).encode())
            batch = 100_000
            for start in range(0, strings, batch):
                out.write("".join(f"<si><t>{n:x}</t></si>" for n in range(start, min(strings, start + batch))).encode())
            out.write(b"</sst>")
    return path
