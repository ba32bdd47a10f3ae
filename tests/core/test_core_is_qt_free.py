"""The core must load without Qt: the command line, background jobs and these tests rely on it."""

import pkgutil
import subprocess
import sys

import trustfund_app.core


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(m.name for m in pkgutil.walk_packages(trustfund_app.core.__path__, "trustfund_app.core.")
                     if ".migrations" not in m.name)
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt modules imported by the core: {result.stdout}"


def test_command_line_position_loads_no_qt(tmp_path):
    code = (
        "import sys\n"
        "from trustfund_app.cli import main\n"
        f"main(['--db', {str(tmp_path / 'f.sqlite3')!r}, 'position', '--json'])\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().endswith("NOQT")
