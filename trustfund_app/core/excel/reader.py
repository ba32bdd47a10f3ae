"""Reading workbooks for import, safely: the file's real format is found from its first bytes (not
its name), zip containers are checked for bombs before anything is decompressed, and rows are
streamed so memory stays bounded however long the sheet is.

``.xlsx``/``.xlsm`` go through openpyxl in read-only mode (XML parsed with defusedxml, which
refuses entity bombs); legacy ``.xls`` and ``.ods`` through python-calamine. Rows come out as
``(row_number, {column_number: value})`` with only the non-empty cells, so a sheet of a million
formatted but empty rows costs little. A formula whose result was never saved comes out as
``NO_CACHED_VALUE`` (``no_cached_value.py``) so the importer can call it an error, not empty.
"""

from __future__ import annotations

import errno
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls, or an encrypted .xlsx
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

# Defaults of the limits (each can be overridden by a setting of the same name)
LIMITS = {
    "import_max_bytes": 100 * 1024 * 1024,  # the file itself
    "import_max_unpacked_bytes": 1024 * 1024 * 1024,  # all XML parts once decompressed
    "import_max_ratio": 200,  # decompressed/compressed size of one part (zip bombs)
    "import_max_rows": 1_000_000,  # rows that hold anything
    "import_max_blank_rows": 100_000,  # empty rows in a row after which data is refused, not read
}


class FileRejected(ValidationError):
    """The file as a whole cannot be read (not a workbook, protected, too big, broken)."""

    def __init__(self, message: str):
        super().__init__(message, "file")


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool


@dataclass
class Limits:
    max_bytes: int = LIMITS["import_max_bytes"]
    max_unpacked_bytes: int = LIMITS["import_max_unpacked_bytes"]
    max_ratio: int = LIMITS["import_max_ratio"]
    max_rows: int = LIMITS["import_max_rows"]
    max_blank_rows: int = LIMITS["import_max_blank_rows"]

    @classmethod
    def from_settings(cls, session) -> "Limits":
        """Limits from the fund's settings (keys as in LIMITS), defaults otherwise."""
        from trustfund_app.core.models import Setting

        values = {}
        for key, default in LIMITS.items():
            row = session.get(Setting, key)
            try:
                values[key] = int(row.value) if row else default
            except ValueError:
                values[key] = default
        return cls(values["import_max_bytes"], values["import_max_unpacked_bytes"], values["import_max_ratio"],
                   values["import_max_rows"], values["import_max_blank_rows"])


def open_workbook(path, limits: Limits | None = None) -> "Workbook":
    """Open a workbook for import or raise FileRejected with a reason the user understands."""
    limits = limits or Limits()
    path = Path(path)
    if not path.is_file():
        raise FileRejected(_("{file}: no such file").format(file=path.name))
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileRejected(_("{file}: the file is too large ({size} MB; the limit is {limit} MB)").format(
            file=path.name, size=size // (1024 * 1024), limit=limits.max_bytes // (1024 * 1024)))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return _open_zip(path, limits)
    if head == CFB_MAGIC:
        if ENCRYPTED_MARK in path.read_bytes():
            raise FileRejected(_("{file}: the workbook is protected by a password; save a copy without the "
                                 "password and import that").format(file=path.name))
        return CalamineWorkbook(path, limits)
    raise FileRejected(_("{file}: not a spreadsheet (use .xlsx, .xlsm, .xls or .ods)").format(file=path.name))


def _open_zip(path: Path, limits: Limits) -> "Workbook":
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio and info.file_size > 10 * 1024 * 1024:
                    raise FileRejected(_("{file}: the file unpacks to far more data than it holds (a zip bomb?); "
                                         "refused").format(file=path.name))
            if total > limits.max_unpacked_bytes:
                raise FileRejected(_("{file}: the workbook unpacks to {size} MB, more than the limit of {limit} MB")
                                   .format(file=path.name, size=total // (1024 * 1024),
                                           limit=limits.max_unpacked_bytes // (1024 * 1024)))
            bad = archive.testzip() if total < 64 * 1024 * 1024 else None
            declaring = _part_with_doctype(archive, infos)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno != errno.EINVAL:
            raise  # the disk or the file system, not the file's content
        # damaged parts too; EINVAL: offsets pointing before the start of the file
        raise FileRejected(_("{file}: the file is damaged (not a readable zip archive)").format(file=path.name))
    if bad is not None:
        raise FileRejected(_("{file}: the file is damaged ({part} is corrupt)").format(file=path.name, part=bad))
    if declaring is not None:
        raise FileRejected(_("{file}: {part} declares XML entities or a document type, which spreadsheet programs "
                             "never write (an entity bomb or an attempt to read other files?); refused")
                           .format(file=path.name, part=declaring))
    if "xl/workbook.xml" in names:
        return XlsxWorkbook(path, limits)
    if "content.xml" in names and "mimetype" in names:
        return CalamineWorkbook(path, limits)
    raise FileRejected(_("{file}: a zip archive, but not a workbook (use .xlsx, .xlsm, .xls or .ods)").format(file=path.name))


_DECLARATIONS = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def _part_with_doctype(archive: zipfile.ZipFile, infos) -> str | None:
    """The first XML part declaring a DOCTYPE or entities (they come before the root element, so
    the first 16 KB tell): refused up front with one clear line, whichever parser meets it."""
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and info.file_size:
            with archive.open(info) as part:
                head = part.read(16384)
            if any(mark in head for mark in _DECLARATIONS):
                return info.filename
    return None


def _unreadable(path: Path, exc: Exception) -> FileRejected:
    # the first line of the library's text, cut: openpyxl's own runs to three lines and a path
    detail = " ".join(str(exc).splitlines()[:1])
    if len(detail) > 160:
        detail = detail[:159] + "…"
    return FileRejected(_("{file}: the workbook cannot be read ({reason})").format(
        file=path.name, reason=type(exc).__name__ + (f": {detail}" if detail else "")))


class Workbook:
    path: Path
    limits: Limits

    def sheets(self) -> list[SheetInfo]:
        raise NotImplementedError

    def rows(self, sheet: str) -> Iterator[tuple[int, dict[int, object]]]:
        """(1-based row number, {1-based column: value}) for each row holding something."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def default_sheet(self) -> str:
        visible = [s.name for s in self.sheets() if not s.hidden]
        if not visible:
            raise FileRejected(_("{file}: the workbook has no visible sheet").format(file=self.path.name))
        return visible[0]

    def check_sheet(self, name: str | None) -> str:
        if not name:
            return self.default_sheet()
        names = [s.name for s in self.sheets()]
        if name not in names:
            raise FileRejected(_('{file}: no sheet named "{sheet}" (sheets: {names})').format(
                file=self.path.name, sheet=name, names=", ".join(names)))
        return name

    def _data_after(self, sheet: str, row: int, rows: Iterator[tuple[int, dict]]) -> int | None:
        """The first row after ``row`` holding anything, read from the rest of ``rows``."""
        for number, cells in rows:
            if cells:
                return number
        return None

    def _bounded(self, sheet: str, rows: Iterator[tuple[int, dict]]) -> Iterator[tuple[int, dict]]:
        """Apply the row limits. After a long run of formatted but empty rows nothing more is
        expected; the rest is still scanned (empty rows cost little), and data found there makes
        the file refused, naming the row: never a silently dropped row."""
        count = blank_run = 0
        for number, cells in rows:
            if not cells:
                blank_run += 1
                if blank_run > self.limits.max_blank_rows:
                    later = self._data_after(sheet, number, rows)
                    if later is not None:
                        blanks = self.limits.max_blank_rows
                        raise FileRejected(ngettext(
                            "{file}: sheet {sheet} has data again on row {row} after more than {count} empty row; "
                            "delete the empty rows (or move that data up) and import again",
                            "{file}: sheet {sheet} has data again on row {row} after more than {count} empty rows; "
                            "delete the empty rows (or move that data up) and import again", blanks).format(
                            file=self.path.name, sheet=sheet, row=later, count=f"{blanks:,}"))
                    return
                continue
            blank_run = 0
            count += 1
            if count > self.limits.max_rows:
                raise FileRejected(ngettext("{file}: sheet {sheet} has more than {limit} row; split it",
                                            "{file}: sheet {sheet} has more than {limit} rows; split it",
                                            self.limits.max_rows).format(
                    file=self.path.name, sheet=sheet, limit=self.limits.max_rows))
            yield number, cells


class XlsxWorkbook(Workbook):
    def __init__(self, path: Path, limits: Limits):
        import warnings

        # openpyxl parses with defusedxml only when it is installed: it is what refuses entity bombs
        import defusedxml  # noqa: F401

        from trustfund_app.core.excel.shared_strings import DeferredStringsReader

        self.path, self.limits = path, limits
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # openpyxl.load_workbook, without reading the shared strings (see shared_strings)
                reader = DeferredStringsReader(path, read_only=True, data_only=True, keep_links=False)
                reader.read()
                self._wb, self._strings_part = reader.wb, reader.strings_part
        except Exception as exc:  # noqa: BLE001 — any parser failure is a damaged file to the user
            raise _unreadable(path, exc)

    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(ws.title, getattr(ws, "sheet_state", "visible") != "visible") for ws in self._wb.worksheets]

    def default_sheet(self) -> str:
        """The sheet the workbook was saved showing, when visible; else the first visible one."""
        try:
            active = self._wb.active
        except Exception:  # noqa: BLE001 — a broken workbook view
            active = None
        if active is not None and getattr(active, "sheet_state", "visible") == "visible":
            return active.title
        return super().default_sheet()

    def rows(self, sheet: str):
        return self._bounded(sheet, self._parse(sheet))

    def prepare_strings(self, ws) -> None:
        """Give ``ws`` the shared strings its cells use (once): see shared_strings."""
        from trustfund_app.core.excel.shared_strings import SheetStrings, used_indices

        if self._strings_part is None:
            return  # no table: nothing to scan for
        if not isinstance(ws._shared_strings, SheetStrings):
            with ws._get_source() as src:
                used = used_indices(src)
            ws._shared_strings = SheetStrings(self._wb._archive, self._strings_part, used)

    def _parse(self, sheet: str):
        import warnings

        from trustfund_app.core.excel.sheet_xml import careful_rows, cell_parser, fast_rows, plain_prolog

        ws = self._wb[sheet]
        if not hasattr(ws, "_get_source"):  # a chartsheet: nothing to import
            return
        try:
            self.prepare_strings(ws)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with ws._get_source() as src:
                    head = plain_prolog(src)
                    if head is not None:
                        yield from fast_rows(head, src, cell_parser(self._wb, ws, src))
                        return
                with ws._get_source() as src:  # a DOCTYPE or another encoding: defusedxml decides
                    yield from careful_rows(cell_parser(self._wb, ws, src))
        except FileRejected:
            raise
        except Exception as exc:  # noqa: BLE001 — entity bombs, broken XML, bad zip member
            raise _unreadable(self.path, exc)

    def _data_after(self, sheet: str, row: int, rows) -> int | None:
        # a byte scan of the sheet's XML for the next value, ~50 times faster than parsing a million
        # empty rows: a long run of formatted rows costs little and hides nothing
        from trustfund_app.core.excel.sheet_xml import first_value_row_after

        rows.close()
        try:
            with self._wb[sheet]._get_source() as src:
                return first_value_row_after(src, row)
        except Exception as exc:  # noqa: BLE001 — as in _parse
            raise _unreadable(self.path, exc)

    def close(self) -> None:
        self._wb.close()


class CalamineWorkbook(Workbook):
    """Legacy .xls and OpenDocument .ods (python-calamine)."""

    def __init__(self, path: Path, limits: Limits):
        import python_calamine

        self.path, self.limits = path, limits
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError:
            raise FileRejected(_("{file}: the workbook is protected by a password; save a copy without the "
                                 "password and import that").format(file=path.name))
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(path, exc)

    def sheets(self) -> list[SheetInfo]:
        out = []
        for meta in self._wb.sheets_metadata:
            hidden = "visible" not in str(meta.visible).lower()
            out.append(SheetInfo(meta.name, hidden))
        return out

    def rows(self, sheet: str):
        return self._bounded(sheet, self._parse(sheet))

    def _parse(self, sheet: str):
        try:
            data = self._wb.get_sheet_by_name(sheet)
            start_row, start_col = data.start or (0, 0)
            for offset, values in enumerate(data.iter_rows()):
                yield start_row + offset + 1, {start_col + i + 1: v for i, v in enumerate(values)
                                               if v is not None and v != ""}
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(self.path, exc)

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 — already closed
            pass
