"""Before the first window: can Qt's X11 platform plugin load on this Linux desktop?

When a system library that Qt's xcb plugin needs is missing, Qt prints a misleading text (it blames
``libxcb-cursor0`` even when that one is installed) and aborts. We load the plugin ourselves first
(the libraries are loaded anyway a moment later, so this costs nothing when all is well); if that
fails we ask ``ldd`` which libraries are missing and print one line naming them with the command
that installs them, then exit 1.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# sonames whose Debian package does not follow the policy rule of debian_package()
_DEBIAN_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}

# What a Linux desktop needs beyond Python for the window, per platform family (README too)
DEBIAN_DESKTOP_PACKAGES = ("libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 "
                           "libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libfontconfig1 "
                           "libdbus-1-3")


def uses_xcb(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will pick its X11 plugin: Linux, no other platform asked for, not Wayland."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(":")[0].split(";")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def xcb_plugin() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"


def debian_package(soname: str) -> str:
    """Debian's package for a shared library: libfoo.so.N is in libfooN (libfoo-N when the name
    ends with a digit), lower case — the policy rule, with the few exceptions Qt meets."""
    if soname in _DEBIAN_EXCEPTIONS:
        return _DEBIAN_EXCEPTIONS[soname]
    match = re.fullmatch(r"(.+)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        return soname
    base, version = match.group(1).lower(), match.group(2)
    return f"{base}-{version}" if base[-1].isdigit() else f"{base}{version}"


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` needs that cannot be loaded (empty when it loads)."""
    if not plugin.exists():
        return []  # a build without the X11 plugin: nothing we can say better than Qt
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
        return []
    except OSError as exc:
        failing = str(exc).split(":")[0].strip()
    missing = []
    if shutil.which("ldd"):
        listing = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20).stdout
        missing = [line.split("=>")[0].strip() for line in listing.splitlines() if "not found" in line]
    name = Path(failing).name
    if name and name != plugin.name and name not in missing:
        missing.insert(0, name)  # ldd cannot tell a damaged file from a sound one
    return missing or [name or plugin.name]


def install_command(sonames: list[str]) -> str:
    if shutil.which("apt-get"):
        return "sudo apt-get install " + " ".join(dict.fromkeys(debian_package(s) for s in sonames))
    if shutil.which("dnf"):  # dnf installs whatever package provides a library by its soname
        return "sudo dnf install " + " ".join(f"'{s}()(64bit)'" for s in sonames)
    return ""


def check_display_libraries(plugin: Path | None = None) -> str | None:
    """None when the window can open; else the one line to show the user, in their language."""
    from trustfund_app.core.i18n import _

    if plugin is None:
        if not uses_xcb():
            return None
        plugin = xcb_plugin()
    missing = missing_libraries(plugin)
    if not missing:
        return None
    command = install_command(missing)
    names = ", ".join(missing)
    if command:
        return _("The window cannot open: these system libraries are missing: {libraries}. "
                 "Install them with: {command}").format(libraries=names, command=command)
    return _("The window cannot open: these system libraries are missing: {libraries}.").format(libraries=names)
