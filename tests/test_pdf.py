"""The whole book builds as one PDF (``make pdf``), complete and clean.

The build runs the same command as ``make pdf`` into ``_build/latex``,
from a clean folder. Execution comes from the cache that the HTML build
fills, so on its own the build takes about a minute.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from conftest import ROOT, source_path, toc_docnames

pytestmark = pytest.mark.book

# A lower bound well below the book's length: a PDF shorter than this lost
# whole chapters.
MIN_PAGES = 40
# LaTeX log lines that mean a glyph is missing from the fonts, a font was
# substituted, or a cross-reference, citation or label went wrong (an
# unresolved one prints as "??"). TeX wraps log lines at 79 characters, so
# only their starts are matched.
LOG_PROBLEMS = re.compile(
    r"Missing character"
    r"|LaTeX Warning: (?:Hyper reference|Reference|Citation|Label)"
    r"|There were undefined references"
    r"|LaTeX Font Warning: Font shape"
)


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _squeeze(text: str) -> str:
    """Letters and digits only, lower case: immune to line breaks,
    hyphenation, capitals in headings and typographic punctuation."""
    return "".join(c for c in text.lower() if c.isalnum())


def _title(docname: str) -> str:
    for line in source_path(docname).read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{docname} has no '# ' title")


def test_pdf_has_enough_pages(pdf):
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    assert pages > MIN_PAGES


def test_pdf_has_title_and_authors(pdf_text):
    config = _config()
    text = _squeeze(pdf_text)
    assert _squeeze(config["title"]) in text
    assert _squeeze(config["author"]) in text


@pytest.mark.parametrize("docname", toc_docnames())
def test_pdf_has_every_chapter_title(pdf_text, docname):
    text = _squeeze(pdf_text)
    # Math in a title prints differently; each piece of text around it
    # must be there.
    pieces = re.split(r"\$[^$]*\$", _title(docname))
    for piece in filter(None, map(_squeeze, pieces)):
        assert piece in text, f"{docname}: {_title(docname)!r}"


def test_pdf_has_no_unresolved_references(pdf_text):
    lines = [line for line in pdf_text.splitlines() if "??" in line]
    assert not lines


def test_latex_log_is_clean(pdf):
    log = pdf.with_suffix(".log").read_text(errors="replace")
    problems = [line for line in log.splitlines() if LOG_PROBLEMS.search(line)]
    assert not problems
