"""Cold start: process start → first painted window, next to a bare PySide6 window measured in the
same run; and process start → a dashboard filled with the demo fund's position.

    python benchmarks/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"painted {time.time():.6f}", flush=True); QTimer.singleShot(0, app.quit)
        return False
app = QApplication(sys.argv[:1]); w = QMainWindow(); w.resize(1200, 760); f = F(); w.installEventFilter(f); w.show()
app.exec()
"""


def timed(cmd: list[str], env: dict, marks: tuple[str, ...]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120).stdout
    seen = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in marks:
            seen[parts[0]] = float(parts[1]) - start
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    folder = Path(tempfile.mkdtemp())
    demo = folder / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "trustfund_app", "--db", str(demo), "demo"], check=True,
                   capture_output=True, env=env)
    bare, painted, dashboard = [], [], []
    app_env = dict(env, TRUSTFUND_STARTUP_PROBE="admin:demo", XDG_CONFIG_HOME=str(folder))
    for _ in range(args.runs):
        bare.append(timed([sys.executable, "-c", BARE], env, ("painted",))["painted"])
        marks = timed([sys.executable, "-m", "trustfund_app", "--db", str(demo), "--lang", "en"], app_env,
                      ("painted", "dashboard"))
        painted.append(marks["painted"])
        dashboard.append(marks["dashboard"])
    b, p, d = (statistics.median(x) for x in (bare, painted, dashboard))
    print(f"bare PySide6 window, first paint : {b * 1000:7.0f} ms (median of {args.runs})")
    print(f"TrustFund Desk, first paint      : {p * 1000:7.0f} ms   ratio {p / b:.2f}x (goal <= 1.5x)")
    print(f"TrustFund Desk, filled dashboard : {d * 1000:7.0f} ms   (goal <= 1000 ms)")


if __name__ == "__main__":
    main()
