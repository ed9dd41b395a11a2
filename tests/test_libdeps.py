"""Tests for the build extension that ties chapter execution to the library.

A chapter must be re-executed exactly when a library module it imports,
directly or through other modules, changes.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import libdeps  # noqa: E402


@pytest.fixture
def package(tmp_path):
    """A small package: a imports b relatively, b imports c absolutely."""
    root = tmp_path / "mathsforml"
    root.mkdir()
    (root / "__init__.py").write_text("__version__ = '0'\n")
    (root / "a.py").write_text("from . import b\nfrom .b import thing\n")
    (root / "b.py").write_text("import numpy\nfrom mathsforml import c\n")
    (root / "c.py").write_text("X = 1\n")
    (root / "d.py").write_text("Y = 2\n")
    return root


def test_no_import_no_dependency(package):
    assert libdeps.dependency_closure("import numpy as np\n", package) == {}


def test_closure_follows_relative_and_absolute_imports(package):
    deps = libdeps.dependency_closure(
        "from mathsforml import a as alias\n", package
    )
    assert list(deps) == [
        "mathsforml",
        "mathsforml.a",
        "mathsforml.b",
        "mathsforml.c",
    ]
    assert deps["mathsforml.c"] == package / "c.py"


def test_several_names_and_functions(package):
    source = (
        "from mathsforml.d import (Y,\n    Z)\nimport mathsforml.c as cc\n"
    )
    deps = libdeps.dependency_closure(source, package)
    assert set(deps) == {"mathsforml", "mathsforml.c", "mathsforml.d"}


def test_fingerprint_cell_changes_with_the_library(package, tmp_path):
    class Env:
        def __init__(self):
            self.deps = []

        def note_dependency(self, path):
            self.deps.append(path)

    class App:
        srcdir = str(tmp_path)
        env = Env()

    chapter = "```{code-cell} ipython3\nfrom mathsforml import a\n```\n"

    def render():
        source = [chapter]
        libdeps._on_source_read(App, "chapter", source)
        return source[0]

    first = render()
    assert ":tags: [remove-cell]" in first
    assert str(package / "c.py") in App.env.deps
    assert render() == first, "the fingerprint must be deterministic"
    (package / "d.py").write_text("Y = 3\n")
    assert render() == first, "an unrelated module must not matter"
    (package / "c.py").write_text("X = 2\n")
    assert render() != first, "a module used indirectly must matter"
