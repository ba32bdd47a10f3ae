"""Build hook: compile the gettext catalogs (i18n/*.po) into trustfund_app/locale/*.mo while
installing or packaging, so no .mo file is ever committed or copied by hand. Everything else about
the package is in pyproject.toml.

- ``pip install .`` / wheels: the .mo files are written into the build folder and shipped.
- ``pip install -e .``: setuptools runs build_py in editable mode; the .mo files go into the source
  tree (trustfund_app/locale/, git-ignored), which is where the editable package is imported from.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))


class BuildPyWithCatalogs(build_py):
    def run(self):
        from trustfund_app.i18n_tools import compile_catalogs, default_locale_dir

        super().run()
        if getattr(self, "editable_mode", False):
            target = default_locale_dir()
        else:
            target = Path(self.build_lib) / "trustfund_app" / "locale"
        for mo in compile_catalogs(target):
            print(f"compiled {mo}")


setup(cmdclass={"build_py": BuildPyWithCatalogs})
