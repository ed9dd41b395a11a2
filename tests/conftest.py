"""Shared fixtures: the book's sources, its strict build, a local server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

# As in the Makefile: one BLAS thread per kernel, also when pytest is run
# directly. Kernels started by the build and the tests inherit this.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
ARTIFACTS = ROOT / "test-artifacts"
LATEX_DIR = BUILD_DIR / "latex"
BOOK_PDF_NAME = "mathsforml-book.pdf"  # as the site's download links say
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pdf_path() -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    target = config["latex"]["latex_documents"]["targetname"]
    return LATEX_DIR / Path(target).with_suffix(".pdf").name


def _toc_entries(node) -> list[str]:
    """Every ``file:`` entry of the table of contents, in reading order."""
    found = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                found.extend(_toc_entries(child))
    return found


@functools.cache
def toc_docnames() -> tuple[str, ...]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return (toc["root"], *_toc_entries(toc))


def source_path(docname: str) -> Path:
    return ROOT / f"{docname}.md"


@functools.cache
def notebook_docnames() -> tuple[str, ...]:
    """The pages with code cells, which the build executes."""
    return tuple(
        d
        for d in toc_docnames()
        if "{code-cell}" in source_path(d).read_text()
    )


def _jupyter_book(
    builder: str, *flags: str, log: str
) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build`` on the book; keep its output in a log."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(ROOT),
        "--builder",
        builder,
        *flags,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=False
    )
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / log).write_text(result.stdout + result.stderr)
    return result


@pytest.fixture(scope="session")
def built_book() -> subprocess.CompletedProcess:
    """Build the whole site as strictly as Sphinx allows.

    ``--all`` re-reads every page so that no warning hides in an
    incremental build; execution still comes from the cache, so an
    unchanged chapter is not executed again. ``-n -W --keep-going`` turns
    every warning, including unresolved references, into a failure and
    reports them all.
    """
    return _jupyter_book(
        "html", "--all", "-n", "-W", "--keep-going", log="strict-build.log"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_book) -> str:
    """Serve the built site on a free localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(HTML_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS", ARTIFACTS))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it (Debian: "
            "`apt-get install chromium`) or set CHROMIUM to its path."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# The tools the build and the checks run, with their Debian packages.
TOOLS = {
    "latexmk": "latexmk",
    "xelatex": "texlive-xetex",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


@pytest.fixture(scope="session")
def built_pdf(built_book) -> subprocess.CompletedProcess:
    """Build the PDF as `make pdf` does, after the HTML (whose execution
    cache it reuses)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        packages = " ".join(sorted({TOOLS[tool] for tool in missing}))
        pytest.fail(
            f"{', '.join(missing)} not found. Install them (Debian: "
            f"`apt-get install {packages}`; the fonts and LaTeX packages "
            "the book needs are listed in .ci/run)."
        )
    shutil.rmtree(LATEX_DIR, ignore_errors=True)
    # The same command as `make pdf`.
    return _jupyter_book("pdflatex", log="pdf-build.log")


@pytest.fixture(scope="session")
def pdf(built_pdf, artifacts) -> Path:
    assert built_pdf.returncode == 0, (
        built_pdf.stdout[-3000:] + built_pdf.stderr[-3000:]
    )
    path = pdf_path()
    assert path.is_file(), f"no PDF at {path}"
    shutil.copy(path, artifacts / path.name)
    # Published with the site, as `make pdf` does, for the download links.
    downloads = HTML_DIR / "_downloads"
    downloads.mkdir(exist_ok=True)
    shutil.copy(path, downloads / BOOK_PDF_NAME)
    return path
