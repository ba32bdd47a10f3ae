"""Shared strings read per sheet, only those the sheet uses.

openpyxl reads a workbook's whole shared-string table when it opens it, as a list of Python
strings, and the parse keeps every emptied <si> element under the root: a 23 MB file with ten
million unused strings took 1.7 GB in each reading process. Here the table is not read at
opening; before a sheet is parsed its XML is scanned (bytes, no parsing) for the string indices
its cells use, and only those strings are kept. Memory follows what the sheet shows, not what the
file carries. A reference the scan missed (an unusual way of writing a cell) is looked up on
demand, so the values are always openpyxl's.
"""

from __future__ import annotations

import re

from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

_STRING_TAG = "{%s}si" % SHEET_MAIN_NS
# a cell of type "s" and the index in its <v>, allowing a formula before it and namespace prefixes
# (anchored on the type attribute, rarer than "<c", so that most of the sheet is skipped quickly)
_STRING_CELL = re.compile(rb"""\st\s*=\s*["']s["'][^>]*>\s*"""
                          rb"""(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?<(?:\w+:)?v>\s*(\d+)\s*<""")
_MAX_INDEX = 1 << 27  # far more strings than the unpacked-size limit lets a file hold
_CHUNK = 1 << 20
_OVERLAP = 4096  # bytes kept between chunks so that no cell is cut in two


class DeferredStringsReader(ExcelReader):
    """openpyxl's reader, without reading the shared-string table when the workbook opens."""

    strings_part: str | None = None

    def read_strings(self):
        found = self.package.find(SHARED_STRINGS)
        self.strings_part = found.PartName[1:] if found is not None else None
        self.shared_strings = []


def used_indices(stream) -> bytearray:
    """A bitmap of the shared-string indices the cells of a sheet's XML refer to."""
    used = bytearray()
    buffer = b""
    while True:
        chunk = stream.read(_CHUNK)
        final = not chunk
        buffer += chunk
        limit = len(buffer) if final else len(buffer) - _OVERLAP
        keep = limit
        for match in _STRING_CELL.finditer(buffer):
            if match.end() > limit:
                keep = match.start()
                break
            index = int(match.group(1))
            if index < _MAX_INDEX:
                if index // 8 >= len(used):
                    used.extend(bytes(index // 8 + 1 - len(used)))
                used[index // 8] |= 1 << (index % 8)
        if final:
            return used
        buffer = buffer[keep:]


def _is_used(used: bytearray, index: int) -> bool:
    return index // 8 < len(used) and bool(used[index // 8] & (1 << (index % 8)))


class SheetStrings(dict):
    """{index: text} of the strings a sheet uses; others are read from the table when asked."""

    def __init__(self, archive, part: str | None, used: bytearray):
        super().__init__()
        self._archive, self._part = archive, part
        if part is not None and any(used):
            last = (len(used) - 1) * 8 + used[-1].bit_length() - 1
            self.update(_read(archive, part, lambda i: _is_used(used, i), last))

    def __missing__(self, index: int) -> str:
        found = _read(self._archive, self._part, lambda i: i == index, index) if self._part else {}
        if index not in found:
            raise IndexError(f"shared string {index} does not exist")
        self[index] = found[index]
        return found[index]


def _read(archive, part: str, wanted, last: int) -> dict[int, str]:
    """{index: text} of the strings ``wanted(index)`` accepts, reading no further than ``last``."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.functions import iterparse

    out: dict[int, str] = {}
    index = 0
    root = None
    with archive.open(part) as src:
        for event, node in iterparse(src, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = node
                continue
            if node.tag == _STRING_TAG:
                if wanted(index):
                    out[index] = Text.from_tree(node).content.replace("x005F_", "")
                index += 1
                root.clear()  # emptied <si> elements left under the root were most of the memory
                if index > last:
                    break
    return out
