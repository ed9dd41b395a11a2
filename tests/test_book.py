"""The book builds strictly, every chapter executes, links resolve, and
two executions give the same outputs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from conftest import (
    BUILD_DIR,
    HTML_DIR,
    ROOT,
    notebook_docnames,
    source_path,
    toc_docnames,
)
from jupyter_cache import get_cache
from nbclient import NotebookClient

pytestmark = pytest.mark.book

EXECUTED_DIR = BUILD_DIR / "jupyter_execute"
CACHE_DIR = BUILD_DIR / ".jupyter_cache"
CELL_TIMEOUT = 300  # seconds, as in _config.yml


def test_site_builds_with_no_warnings(built_book):
    problems = [
        line
        for line in (built_book.stdout + built_book.stderr).splitlines()
        # Sphinx's own messages; a kernel's log lines are not warnings.
        if re.search(r"(: WARNING: |: ERROR: |^WARNING: |^ERROR: )", line)
    ]
    assert built_book.returncode == 0, "\n".join(problems[:50]) or (
        built_book.stdout[-3000:] + built_book.stderr[-3000:]
    )
    assert not problems


def test_every_toc_page_is_built(built_book):
    missing = [
        d for d in toc_docnames() if not (HTML_DIR / f"{d}.html").is_file()
    ]
    assert not missing


def _executed(docname: str) -> nbformat.NotebookNode:
    """The chapter as the build rendered it, outputs included.

    The build writes each parsed notebook (with the build-time cells) to
    ``jupyter_execute``; when it came from the execution cache that copy
    has no outputs, so they are merged in from the cache record the build
    matched, exactly as the build itself does.
    """
    path = EXECUTED_DIR / f"{docname}.ipynb"
    assert path.is_file(), f"{docname} was not parsed into {path}"
    notebook = nbformat.read(path, as_version=4)
    cache = get_cache(str(CACHE_DIR))
    try:
        _, merged = cache.merge_match_into_notebook(notebook)
    except KeyError:
        pytest.fail(f"{docname}: no execution of its current code is cached")
    return merged


@pytest.mark.parametrize("docname", notebook_docnames())
def test_chapter_executed_without_errors(built_book, docname):
    nb = _executed(docname)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{docname} has no code cells"
    assert all(c.execution_count for c in code), "a cell was not executed"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors


def _comparable(outputs: list) -> list[dict]:
    """The parts of a cell's outputs a reader sees.

    Counters and metadata are dropped, and consecutive chunks of the same
    stream are joined, as the build does (nb_merge_streams): how a kernel
    splits printed text into messages depends on timing, not on the code.
    """
    kept: list[dict] = []
    for output in outputs:
        if (
            output["output_type"] == "stream"
            and kept
            and kept[-1].get("name") == output["name"]
        ):
            kept[-1]["text"] += output["text"]
            continue
        item = {"output_type": output["output_type"]}
        for key in ("name", "text", "data", "ename", "evalue"):
            if key in output:
                item[key] = output[key]
        kept.append(item)
    return kept


@pytest.mark.parametrize("docname", notebook_docnames())
def test_chapter_outputs_are_reproducible(built_book, docname):
    """Execute the chapter again from scratch; outputs must not change."""
    built = _executed(docname)
    fresh = nbformat.reads(nbformat.writes(built), as_version=4)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    workdir = source_path(docname).parent
    NotebookClient(
        fresh,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    ).execute()
    for index, (a, b) in enumerate(zip(built.cells, fresh.cells, strict=True)):
        if a.cell_type != "code":
            continue
        # A cell tagged "timing" shows wall-clock measurements, which no
        # seed makes reproducible; it must still execute without errors.
        if "timing" in a.metadata.get("tags", []):
            continue
        first = _comparable(a.outputs)
        second = _comparable(b.outputs)
        assert first == second, (
            f"{docname}: cell {index} gave different outputs in two "
            f"executions. Seed its randomness with np.random.default_rng.\n"
            f"source:\n{a.source[:500]}"
        )


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("img", "script") and attrs.get("src"):
            self.links.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_and_anchors_resolve(built_book, pdf):
    """Every internal link and anchor resolves, the book PDF's included
    (the ``pdf`` fixture builds it and publishes it with the site)."""
    # Theme templates copied into _static are not pages.
    pages = sorted(
        p for p in HTML_DIR.rglob("*.html") if "_static" not in p.parts
    )
    assert pages
    parsed = {p: _parse(p) for p in pages}
    broken = []
    for page, parser in parsed.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            target = (
                (page.parent / unquote(parts.path)).resolve()
                if parts.path
                else page
            )
            if target.is_dir():
                target = target / "index.html"
            rel = page.relative_to(HTML_DIR)
            if not target.exists():
                broken.append(f"{rel}: {link} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = (parsed.get(target) or _parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{rel}: {link} (no such anchor)")
    assert not broken, "\n".join(broken[:50])


def test_no_markdown_footnotes():
    """Citations use {footcite}; Markdown footnotes would go unchecked.

    _config.yml suppresses myst.footnote warnings, which myst-parser 3
    raises for every {footcite}. That is only safe while no page uses a
    Markdown footnote of its own.
    """
    offenders = [
        str(source_path(d).relative_to(ROOT))
        for d in toc_docnames()
        if re.search(r"\[\^[^\]]+\]", source_path(d).read_text())
    ]
    assert not offenders


def test_sources_are_in_the_toc():
    """Every chapter source is reachable; no page is silently dropped."""
    listed = {source_path(d) for d in toc_docnames()}
    on_disk = {
        p
        for p in (ROOT / "book").rglob("*.md")
        if "_static" not in p.parts and p.name != "README.md"
    }
    assert on_disk == listed


MIN_EXERCISES = 3


class _ExerciseParser(HTMLParser):
    """Collect exercises (by id) and which exercise each solution answers."""

    def __init__(self):
        super().__init__()
        self.exercises: list[str] = []
        self.solutions: dict[str, bool] = {}  # exercise id -> hidden
        self._solution_depth = 0
        self._hidden = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            self._depth += 1
        if tag == "div" and "exercise" in classes and attrs.get("id"):
            self.exercises.append(attrs["id"])
        if tag == "div" and "solution" in classes:
            self._solution_depth = self._depth
            self._hidden = "dropdown" in classes
        if tag == "a" and self._solution_depth and attrs.get("href"):
            target = attrs["href"].partition("#")[2]
            self.solutions.setdefault(target, self._hidden)

    def handle_endtag(self, tag):
        if tag == "div":
            if self._depth == self._solution_depth:
                self._solution_depth = 0
            self._depth -= 1


def _chapter_pages() -> list[str]:
    return [
        d
        for d in toc_docnames()
        if d.count("/") == 2
        and not d.endswith("/index")
        and d.split("/")[1] in ("calculus", "linear_algebra", "estimation")
    ]


def test_every_chapter_has_exercises_with_hidden_solutions(built_book):
    report = {}
    for docname in _chapter_pages():
        parser = _ExerciseParser()
        parser.feed((HTML_DIR / f"{docname}.html").read_text("utf-8"))
        exercises = parser.exercises
        unsolved = [e for e in exercises if e not in parser.solutions]
        shown = [e for e in exercises if not parser.solutions.get(e, True)]
        report[docname] = len(exercises)
        assert len(exercises) >= MIN_EXERCISES, (docname, exercises)
        assert not unsolved, f"{docname}: no solution for {unsolved}"
        assert not shown, f"{docname}: solutions not hidden: {shown}"
    print(report)
