"""``trustfund --self-test``: prove this installation works (also the frozen one) — a database in a
temporary folder, the demo fund, one statement in each of the six languages, and the main window
opened offscreen with the fund position on its dashboard. Exit 0 only when all of it worked."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from trustfund_app.core.i18n import LANGUAGES, _


def _check(label: str, fn) -> bool:
    start = time.perf_counter()
    try:
        detail = fn()
    except Exception:  # noqa: BLE001 — the self-test reports every failure and goes on
        print(f"FAIL  {label}\n{traceback.format_exc()}", flush=True)
        return False
    print(f"ok    {label} ({(time.perf_counter() - start) * 1000:.0f} ms){': ' + detail if detail else ''}", flush=True)
    return True


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="trustfund-selftest-"))
    state: dict = {}

    def database():
        from trustfund_app.core.db import Database

        state["db"] = Database.open(folder / "selftest.sqlite3")
        return str(folder / "selftest.sqlite3")

    def demo():
        from trustfund_app.core.demo import build_demo_fund
        from trustfund_app.core.services.base import APP_ITSELF
        from trustfund_app.core.services.position import PositionService

        build_demo_fund(state["db"], seed=1)
        pos = PositionService(state["db"], APP_ITSELF).position()
        assert pos.balance == pos.received - pos.disbursed - pos.psc
        return f"balance {pos.balance}"

    def statement(lang: str):
        def render():
            from trustfund_app.core.reports.statement import render_statement
            from trustfund_app.core.services.base import APP_ITSELF
            from trustfund_app.core.services.donors import DonorService

            donor = DonorService(state["db"], APP_ITSELF).list()[0]
            pdf = render_statement(state["db"], donor.id, lang=lang)
            assert pdf.startswith(b"%PDF") and len(pdf) > 5000, "not a PDF"
            (folder / f"statement-{lang}.pdf").write_bytes(pdf)
            return f"{len(pdf)} bytes"
        return render

    def import_again():
        # the demo's contributions exported, then read back by the import's second process (the
        # packaged app starting itself): every row must be found already there
        from trustfund_app.core.demo.build import DEMO_PASSWORD
        from trustfund_app.core.excel.export import export_kind
        from trustfund_app.core.excel.importer import ImportOptions, run_import
        from trustfund_app.core.services.base import NOT_LOGGED_IN
        from trustfund_app.core.services.users import UserService

        path = folder / "contributions.xlsx"
        count = export_kind(state["db"], "contributions", path)
        admin = UserService(state["db"], NOT_LOGGED_IN).login("admin", DEMO_PASSWORD)
        result = run_import(state["db"], admin, "contributions", path,
                            ImportOptions(dry_run=True, parallel_min_bytes=0))
        assert (result.unchanged, result.errors) == (result.rows, []), result.as_json()
        return f"{count} rows, all unchanged"

    def window():
        return _open_main_window(state["db"].url)

    results = [_check(_("database"), database)]
    if results[0]:
        results.append(_check(_("demo fund"), demo))
        for lang in LANGUAGES:
            results.append(_check(_("statement in {lang}").format(lang=lang), statement(lang)))
        results.append(_check(_("export, then import read by a second process"), import_again))
        results.append(_check(_("main window"), window))
        state["db"].dispose()
    ok = all(results)
    print(_("Self-test passed.") if ok else _("Self-test FAILED."), flush=True)
    return 0 if ok else 1


def _open_main_window(url: str) -> str:
    from PySide6.QtWidgets import QApplication

    from trustfund_app.gui.context import AppContext
    from trustfund_app.gui.fonts import apply_app_font
    from trustfund_app.gui.jobs import wait_for_all
    from trustfund_app.gui.main_window import MainWindow
    from trustfund_app.gui.startup import StartupFlow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_app_font(app)
    ctx = AppContext()
    ctx.apply_language("en")
    win = MainWindow(ctx)
    win.show()
    StartupFlow(ctx, win, url, autologin=("admin", "demo")).start()
    deadline = time.monotonic() + 60
    dashboard = None
    while time.monotonic() < deadline:
        app.processEvents()
        dashboard = win.screens.get("dashboard")
        if dashboard is not None and getattr(dashboard, "position", None) is not None:
            break
        time.sleep(0.01)
    else:
        raise RuntimeError("the dashboard did not show the fund position within 60 s")
    text = dashboard.values["balance"].text()
    wait_for_all()
    ctx.actor = None  # no backup-on-close of a throw-away database
    win.close()
    ctx.close()
    return f"dashboard balance {text}"
