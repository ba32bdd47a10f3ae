"""What every kind importer shares."""

from __future__ import annotations

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel.commit import BulkWriter

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"
# read by every kind: the settings (limits, receipt prefix) and the offices (who may write what)
ALWAYS_READ = frozenset({"setting", "office", "office_key"})


class KindImporter:
    kind = ""
    permissions: tuple[str, ...] = ()
    models: tuple = ()  # tables written, in foreign-key order
    grouped: tuple = ()  # tables whose rows are audited as chunks (audit.record_import), not one by one

    options = None  # the run's ImportOptions, set by the importer after construction
    # tables whose change after the file was checked makes the check stale (excel/prepared.py);
    # None: a change to any table does
    reads: tuple[str, ...] | None = None

    def __init__(self, session, writer: BulkWriter, batch: str):
        self.session = session
        self.writer = writer
        self.batch = batch  # identifies this import's rows (contribution.import_batch)
        self.notes: list[str] = []  # what the preview should say besides counts (e.g. new grantees)
        # cell values read as something else ("EURO" as EUR): (field label msgid, raw, read as) -> rows
        self.normalised: dict[tuple[str, str, str], list[int]] = {}

    def note_normalised(self, number: int, label: str, raw, value: str) -> None:
        """Remember that row ``number``'s ``raw`` cell was read as ``value`` (shown in the preview, so
        a surprising reading is seen before anything is written). ``label``: the field's msgid."""
        if isinstance(raw, str) and raw.strip() and raw.strip() != value:
            self.normalised.setdefault((label, raw.strip(), value), []).append(number)

    def normalisation_notes(self) -> list[str]:
        from trustfund_app.core.i18n import _, format_number, ngettext

        out = []
        for (label, raw, value), rows in self.normalised.items():
            out.append(ngettext('{field} "{raw}" was read as {value} (row {first})',
                                '{field} "{raw}" was read as {value} ({count} rows, the first is row {first})',
                                len(rows)).format(field=_(label), raw=raw, value=value, first=rows[0],
                                                  count=format_number(len(rows))))
        return out

    def check(self, number: int, values: dict, prepared=None) -> str:
        """Validate one row (``values``: field -> raw cell value) and stage its write. Raise
        ValidationError(message, field) for a bad row; stage nothing before the row is known good.
        Returns INSERTED, UPDATED or UNCHANGED. ``prepared``: the row's cells already parsed by
        ``contribution_cells.cell_preparer`` (perhaps in the reading process), or None."""
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last row (final counters, pending writes)."""
        self.writer.flush()

    # -- a file checked before the audit chain's lock was taken (excel/prepared.py) --------------
    def stale(self, changes: list) -> bool:
        """Whether ``changes`` (audit.RowChange, committed since the file was checked) touch what
        the check read: then the import runs again under the lock."""
        tables = {change.entity for change in changes}
        if self.reads is None:
            return bool(tables)
        return bool(tables & (ALWAYS_READ | set(self.reads)))

    def rebase(self, session, changes: list) -> None:
        """Adjust the kept rows to ``changes`` that are no reason to start again (under the lock)."""

    def check_written(self, session) -> None:
        """Checks that need the rows written (under the lock, before commit)."""


class RowProblems(ValidationError):
    """Several cells of one row are wrong: each is reported, not just the first."""

    def __init__(self, problems: list[ValidationError]):
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


def parse_cells(parsers: dict) -> dict:
    """Run every ``name: callable`` parser; report all failures of the row together."""
    out, problems = {}, []
    for name, parse in parsers.items():
        try:
            out[name] = parse()
        except ValidationError as exc:
            problems.append(exc)
    if problems:
        raise RowProblems(problems) if len(problems) > 1 else problems[0]
    return out
