"""The installed PySide6 must not drain the reference counts of None, True and False.

PySide6 6.12.0 on Python 3.11 takes a reference from them on every emit and void call; after a few
thousand events the process aborts ("bool_dealloc"). pyproject.toml excludes that release there.
The probe runs in its own process, so a bad binding fails this test instead of aborting the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("pyside_refcount_probe.py")


def test_signals_and_void_calls_leave_none_true_and_false_alone():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, f"the PySide6 probe died ({result.returncode}): {result.stderr[-600:]}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # a leak is one reference per call: thousands; a few stray references elsewhere are not a leak
    leaked = {name: -drift for name, drift in report["drift"].items() if drift < -report["rounds"] // 100}
    assert not leaked, f"PySide6 {report['pyside']} on Python {report['python']} leaks references: {leaked}"
