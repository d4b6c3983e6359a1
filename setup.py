"""Ship the built-in layouts and fonts inside the package.

The repository keeps them at its top level (layouts/, fonts/), where editors find them; a
wheel carries copies as generator/layouts/ and generator/fonts/, which
`generator.layout_spec.builtin` finds when the repository is not there. An editable install
reads the repository's own folders, so nothing is copied for it.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUILT_IN = ("layouts", "fonts")


class BuildWithLayoutsAndFonts(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for folder in BUILT_IN:
            target = Path(self.build_lib) / "generator" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(folder, target)


setup(cmdclass={"build_py": BuildWithLayoutsAndFonts})
