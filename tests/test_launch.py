"""Launching the chapters: Binder's environment, the Colab notebooks, and
that the environments install everything the chapters import."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import (
    HTML_DIR,
    ROOT,
    notebook_docnames,
    source_path,
    toc_docnames,
)

import mathsforml

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
STDLIB = sys.stdlib_module_names


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;@]", requirement, maxsplit=1)[0].lower()


def test_binder_build_installs_the_package():
    """repo2docker's generated build copies the repository, then installs
    binder/requirements.txt, which installs this package with its
    notebook extra."""
    requirements = (ROOT / "binder" / "requirements.txt").read_text()
    assert "-e .[notebook]" in requirements.splitlines()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == (
        "python-3.11"
    )
    r2d = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run(
        [
            str(r2d),
            "--no-build",
            "--debug",
            "--no-run",
            # Binder's own user; the default would be whoever runs the test.
            "--user-id",
            "1000",
            "--user-name",
            "jovyan",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    install = log.index('pip install --no-cache-dir -r "binder/requirements')
    copy_repo = log.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    assert copy_repo < install, "the package must be present to install it"
    assert "python=3.11" in log


def _chapter_imports(docname: str) -> set[str]:
    notebook = jupytext.read(source_path(docname), fmt="md:myst")
    modules = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(
            line
            for line in cell.source.splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("docname", notebook_docnames())
def test_chapter_imports_are_in_the_notebook_extra(docname):
    """Binder and Colab install the notebook extra; it must cover every
    third-party import of every chapter."""
    declared = {
        _requirement_name(r)
        for r in PYPROJECT["project"]["optional-dependencies"]["notebook"]
    } | {"numpy", "mathsforml"}
    providers = packages_distributions()
    missing = set()
    for module in _chapter_imports(docname) - set(STDLIB):
        names = {n.lower() for n in providers.get(module, [module])}
        if not names & declared:
            missing.add(module)
    assert not missing, f"add the distributions of {missing} to notebook"


@pytest.mark.book
@pytest.mark.parametrize("docname", notebook_docnames())
def test_colab_notebook_is_generated(built_book, docname):
    path = HTML_DIR / "_notebooks" / f"{docname}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    install = code[0].source
    assert f"@v{mathsforml.__version__}" in install
    assert "mathsforml[notebook] @ git+https://github.com/" in install
    source = jupytext.read(source_path(docname), fmt="md:myst")
    expected = [c.source for c in source.cells if c.cell_type == "code"]
    assert [c.source for c in code[1:]] == expected


@pytest.mark.book
def test_only_notebook_pages_offer_a_notebook(built_book):
    generated = {
        str(p.relative_to(HTML_DIR / "_notebooks").with_suffix(""))
        for p in (HTML_DIR / "_notebooks").rglob("*.ipynb")
    }
    assert generated == set(notebook_docnames())
    for docname in set(toc_docnames()) - generated:
        html = (HTML_DIR / f"{docname}.html").read_text()
        assert "_notebooks/" not in html
