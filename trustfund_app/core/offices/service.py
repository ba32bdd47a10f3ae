"""The exchange as a service: who may make and apply packages (the ``exchange`` permission), with
the acting user recorded on everything it writes."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.core.offices.apply import ApplyResult, apply_package
from trustfund_app.core.offices.export import ExportResult, export_package
from trustfund_app.core.offices.status import PeerStatus, dashboard_counts, exchange_status
from trustfund_app.core.services.base import Service


class ExchangeService(Service):
    def export_to(self, recipient: str, out: Path, progress=None) -> ExportResult:
        """Write the package for ``recipient`` to ``out`` (beside it first, then renamed: a crash
        never leaves half a package under its name)."""
        self.actor.require("exchange")
        data, result = export_package(self.db, self.actor.name, recipient, progress)
        out = Path(out)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)
        self._changed("sync_package", "insert", result.package_id)
        return result

    def apply_file(self, path: Path, dry_run: bool = False, progress=None) -> ApplyResult:
        """``progress(done, total)``: see ``apply_package`` (raising in it cancels: nothing applied)."""
        return self.apply_bytes(Path(path).read_bytes(), dry_run, progress)

    def apply_bytes(self, data: bytes, dry_run: bool = False, progress=None) -> ApplyResult:
        self.actor.require("exchange")
        result = apply_package(self.db, self.actor.name, data, dry_run=dry_run, progress=progress)
        if not dry_run:
            self._changed("sync_package", "insert", result.package_id)
        return result

    def status(self) -> list[PeerStatus]:
        with self.db.reading() as s:
            return exchange_status(s)

    def counts(self) -> tuple[int, int]:
        with self.db.reading() as s:
            return dashboard_counts(s)
