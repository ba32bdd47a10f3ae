"""A Linux desktop without a library Qt's X11 plugin needs gets one line naming it and the command
that installs it, and exit 1 — not Qt's text blaming libxcb-cursor0 and an abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from trustfund_app.gui.platform_check import debian_package, missing_libraries, uses_xcb, xcb_plugin


@pytest.mark.parametrize("soname, package", [
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"), ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libdbus-1.so.3", "libdbus-1-3"), ("libEGL.so.1", "libegl1"), ("libglib-2.0.so.0", "libglib2.0-0"),
])
def test_debian_package_names(soname, package):
    assert debian_package(soname) == package


def test_which_platform_qt_will_use():
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({}, "win32")


def test_a_library_that_does_not_exist_is_named(tmp_path):
    plugin = tmp_path / "libneeds.so"
    plugin.write_bytes(b"")  # not a library at all: the loader's own message names the file
    assert missing_libraries(plugin) == ["libneeds.so"]
    assert missing_libraries(tmp_path / "absent.so") == []


@pytest.mark.skipif(not sys.platform.startswith("linux") or not xcb_plugin().exists(),
                    reason="Qt's X11 plugin is a Linux matter")
def test_starting_without_libxcb_icccm_says_so_in_one_line(tmp_path):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "libxcb-icccm.so.4").write_bytes(b"")  # hides the real one: the loader finds this first
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":99", LD_LIBRARY_PATH=str(shim), LANG="C.UTF-8")
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([sys.executable, "-m", "trustfund_app", "--lang", "en", "--db", str(tmp_path / "x.sqlite3")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "libxcb-icccm.so.4" in lines[0] and "libxcb-icccm4" in lines[0]
    assert "The window cannot open" in lines[0]
