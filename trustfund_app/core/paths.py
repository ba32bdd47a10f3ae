"""Where things live: shipped resources (also inside a PyInstaller bundle) and the user's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "TrustFundDesk"


def package_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """``resources/`` next to the package, or inside the frozen bundle (sys._MEIPASS)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return package_dir().parent / "resources"


def locale_dir() -> Path:
    """Compiled gettext catalogs (.mo), built from i18n/*.po at install/packaging time (or, for the
    test suite, into the folder named by TRUSTFUND_LOCALE_DIR)."""
    chosen = os.environ.get("TRUSTFUND_LOCALE_DIR")
    if chosen:
        return Path(chosen)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "trustfund_app" / "locale"
    return package_dir() / "locale"


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "trustfund.sqlite3"


def demo_database_path() -> Path:
    return user_data_dir() / "trustfund-demo.sqlite3"
