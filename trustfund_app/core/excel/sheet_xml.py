"""Rows of an .xlsx worksheet, read with openpyxl's worksheet parser and a faster path for plain
cells.

openpyxl (with defusedxml installed) tokenises the sheet XML with a parser whose callbacks run in
Python for each of the millions of elements, and builds an openpyxl ``Text`` object for every
inline string; together that is four fifths of the time of reading a big sheet. When the sheet's
prolog is plain — UTF-8, no DOCTYPE, so no entity can be declared and nothing for defusedxml to
refuse — the XML is tokenised by the C parser of the standard library instead, and the cells
that make up almost every workbook (numbers, dates, shared and plain inline strings, formula
results) are converted here with openpyxl's own helpers and the workbook's own date styles. Any
other cell (booleans, errors, rich text, odd references) goes through openpyxl's ``parse_cell``,
and any other sheet (a DOCTYPE, another encoding) through openpyxl's parser as a whole, so both
paths give the same values (``tests/core/test_excel_sheet_xml.py`` compares them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import (
    DATA_TAG,
    FORMULA_TAG,
    INLINE_STRING,
    ROW_TAG,
    VALUE_TAG,
    WorkSheetParser,
    _cast_number,
)
from openpyxl.xml.constants import SHEET_MAIN_NS

TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
PROLOG_LIMIT = 64 * 1024  # a longer prolog (comments, instructions) is read by the careful parser
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SPACE = re.compile(rb"[ \t\r\n]*")
_MORE = object()


def cell_parser(workbook, worksheet, source) -> CachedValueParser:
    return CachedValueParser(source, worksheet._shared_strings, data_only=True, epoch=workbook.epoch,
                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)


class CachedValueParser(WorkSheetParser):
    """openpyxl's parser, telling a formula saved without its result from an empty cell."""

    def parse_cell(self, element):
        from trustfund_app.core.excel.reader import NO_CACHED_VALUE

        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = NO_CACHED_VALUE
        return cell


def careful_rows(parser: CachedValueParser) -> Iterator[tuple[int, dict]]:
    """openpyxl's own parse of the whole sheet (defusedxml)."""
    for number, cells in parser.parse():
        yield number, _non_empty(cells)


def _non_empty(parsed_cells) -> dict:
    return {c["column"]: c["value"] for c in parsed_cells if c["value"] is not None and c["value"] != ""}


def _openpyxl_cell(parser: CachedValueParser, cell, row: int, column: int) -> dict:
    """openpyxl's reading of one cell the fast path leaves to it, numbered as it would number it."""
    parser.row_counter, parser.col_counter = row, column
    return parser.parse_cell(cell)


def plain_prolog(stream) -> bytes | None:
    """The bytes read from ``stream`` up to its root element when everything before it is an XML
    declaration (UTF-8), comments, processing instructions or white space; None otherwise — a
    DOCTYPE (where entities are declared), another encoding, or a prolog too long to look at."""
    data = b""
    while len(data) < PROLOG_LIMIT:
        chunk = stream.read(16 * 1024)
        data += chunk
        verdict = _prolog_verdict(data, at_end=not chunk)
        if verdict is not _MORE:
            return data if verdict else None
    return None


def _prolog_verdict(data: bytes, at_end: bool):
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        pos = _SPACE.match(data, pos).end()
        if len(data) - pos < 4:
            return False if at_end else _MORE
        if data.startswith(b"<?", pos) or data.startswith(b"<!--", pos):
            close = b"?>" if data[pos + 1] == ord("?") else b"-->"
            end = data.find(close, pos + 2)
            if end < 0:
                return False if at_end else _MORE
            declared = _ENCODING.search(data, pos, end) if data.startswith(b"<?xml", pos) else None
            if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
                return False
            pos = end + len(close)
        else:  # the root element, or something else (<!DOCTYPE, UTF-16 without a BOM mark...)
            return data[pos] == ord("<") and (chr(data[pos + 1]).isalpha() or data[pos + 1] == ord("_"))


class _Prefixed:
    """A stream that gives back ``head`` (already read) before the rest of ``stream``."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.stream.read(size)


def fast_rows(head: bytes, stream, parser: CachedValueParser) -> Iterator[tuple[int, dict]]:
    """(row number, {column: value}) of each row, as ``careful_rows`` gives them."""
    from trustfund_app.core.excel.reader import NO_CACHED_VALUE

    columns: dict[str, int] = {}  # "AB" -> 28: the same few letters on every row
    strings, epoch = parser.shared_strings, parser.epoch
    date_styles, duration_styles = parser.date_formats, parser.timedelta_formats
    sheet_data = None
    number = 0
    for event, element in iterparse(_Prefixed(head, stream), events=("start", "end")):
        tag = element.tag
        if tag != ROW_TAG:
            if tag == DATA_TAG and event == "start":
                sheet_data = element
            continue
        if event == "start":
            continue
        ref = element.get("r")
        if ref is not None and not ref.isdigit():
            parser.row_counter = number
            number, parsed = parser.parse_row(element)  # a row number like "7.0"
            cells = _non_empty(parsed)
        elif not any(len(cell) for cell in element):  # formatted cells only: no value, no formula
            number = int(ref) if ref is not None else number + 1
            cells = {}
        else:
            number = int(ref) if ref is not None else number + 1
            cells = {}
            column = 0
            for cell in element:
                kind = cell.get("t")
                ref = cell.get("r")
                if ref is not None:
                    letters = ref.rstrip("0123456789")
                    column = columns.get(letters, 0)
                    if not column:
                        try:
                            column = columns[letters] = column_index_from_string(letters)
                        except ValueError:
                            column = 0
                    plain = column and ref[len(letters):].isdigit()
                else:
                    column += 1
                    plain = True
                value = None
                if not plain or kind not in (None, "n", "s", "str", "inlineStr"):
                    parsed = _openpyxl_cell(parser, cell, number, column)
                    column, value = parsed["column"], parsed["value"]
                elif kind == "inlineStr":
                    text = cell.find(INLINE_STRING)
                    if text is not None and len(text) == 1 and text[0].tag == TEXT_TAG:
                        value = text[0].text
                    else:  # rich text, phonetic runs, or a formula's missing result
                        value = _openpyxl_cell(parser, cell, number, column)["value"]
                else:
                    value = cell.findtext(VALUE_TAG) or None
                    if value is None:
                        if cell.find(FORMULA_TAG) is not None:
                            value = NO_CACHED_VALUE
                    elif kind == "s":
                        value = strings[int(value)]
                    elif kind != "str":
                        value = _cast_number(value)
                        style = cell.get("s")
                        if style and int(style) in date_styles:
                            try:
                                value = from_excel(value, epoch, timedelta=int(style) in duration_styles)
                            except (OverflowError, ValueError):  # openpyxl's message and "#VALUE!"
                                value = _openpyxl_cell(parser, cell, number, column)["value"]
                if value is not None and value != "":
                    cells[column] = value
        element.clear()
        if sheet_data is not None:
            try:
                sheet_data.remove(element)  # rows already read are not kept: memory stays flat
            except ValueError:
                pass  # a row outside <sheetData>
        yield number, cells


# A row start (its number in r="…", when written) or a value, inline string or formula of a cell.
_ROW_OR_VALUE = re.compile(rb'<(?:\w+:)?row\b([^>]*)>|<(?:\w+:)?(?:v|is|f)\b')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_SCAN_CHUNK = 1 << 20
_LONGEST_TAG = 4096  # kept between chunks so that no tag is cut in two


def first_value_row_after(stream, after: int) -> int | None:
    """The number of the first row after ``after`` that holds a value or a formula, from the raw
    bytes of a sheet's XML (no parsing: a million formatted empty rows scan in a fraction of a
    second), or None."""
    row, buffer = 0, b""
    while True:
        chunk = stream.read(_SCAN_CHUNK)
        final = not chunk
        buffer += chunk
        limit = len(buffer) if final else len(buffer) - _LONGEST_TAG
        keep = limit
        for match in _ROW_OR_VALUE.finditer(buffer):
            if match.end() > limit:
                keep = match.start()
                break
            if match.group(1) is not None or match.group(0).endswith(b"row"):
                number = _ROW_NUMBER.search(match.group(1) or b"")
                row = int(number.group(1)) if number else row + 1
            elif row > after:
                return row
        if final:
            return None
        buffer = buffer[max(0, keep):]
