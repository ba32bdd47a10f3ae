"""Every third-party module the package and its tests import is declared in pyproject.toml, and
every declared dependency is used: checked by deptry (configured in pyproject.toml), so that a
fresh virtual environment built from pyproject.toml alone has everything (a missing ``pycountry``
once hid behind a machine that happened to have it)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
# Declared but never imported, so no import scan can miss them: a pytest plugin (its fixtures;
# without it every GUI test errors at once) and the checking tool itself.
NOT_IMPORTED = {"pytest-qt", "deptry"}


def _deptry(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deptry", ".", "--config", str(config), "--no-ansi"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _declared() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for group in ("postgres", "test"):
        specs += project["optional-dependencies"][group]
    names = {re.match(r"[A-Za-z0-9_.-]+", spec).group(0) for spec in specs}
    return sorted(names - NOT_IMPORTED, key=str.lower)


def _without(name: str) -> str:
    """pyproject.toml with every requirement of ``name`` (in any list) removed."""
    pattern = re.compile(rf'"{re.escape(name)}(\[[^\]]*\])?\s*([<>=!~;,][^"]*)?",?', re.IGNORECASE)
    text, count = pattern.subn("", PYPROJECT.read_text(encoding="utf-8"))
    assert count, f"{name} not found in pyproject.toml"
    return text


def test_every_imported_module_is_declared_and_every_dependency_used():
    result = _deptry(PYPROJECT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", _declared())
def test_removing_a_declared_dependency_fails_the_check(name, tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text(_without(name), encoding="utf-8")
    result = _deptry(config)
    assert result.returncode != 0, f"deptry did not notice {name} missing:\n{result.stdout}{result.stderr}"
