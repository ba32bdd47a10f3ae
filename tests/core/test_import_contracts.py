"""The layering, checked by import-linter with the contracts in pyproject.toml: the command line
over the GUI over the Qt-free core; the core imports neither the GUI, the command line nor the
developer tools (i18n_tools); no import cycles inside the core. Function-level imports count too."""

from __future__ import annotations

from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(ROOT))  # the graph of this checkout, not of an installed copy
    configuration.configure()
    kept = lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    out = capsys.readouterr().out
    assert "Contracts: 3 kept, 0 broken." in out and kept, out


def test_no_import_is_excused_from_the_contracts():
    """A contract kept by ignoring the imports that break it proves nothing: none is ignored."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"]
    assert [c["name"] for c in contracts if c.get("ignore_imports")] == []
