"""Shared fixtures: the book's sources, its strict build, a second execution
of its chapters, a local server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
import yaml

# As in the Makefile: one BLAS thread per kernel, also when pytest is run
# directly. Kernels started by the build and the tests inherit this.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import parallel_execution  # noqa: E402

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


def pages_embedding(widget: str) -> list[str]:
    """Docnames of the built pages that embed the interactive ``widget``."""
    marker = f'data-interactive="{widget}"'
    return [
        p.relative_to(HTML_DIR).with_suffix("").as_posix()
        for p in sorted(HTML_DIR.rglob("*.html"))
        if "_static" not in p.parts and marker in p.read_text(encoding="utf-8")
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
    builder: str, *flags: str, log: str, on_line=None
) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build`` on the book; keep its output in a log.

    ``on_line``, if given, is called with each line of output as it comes.
    The output (stdout and stderr together) is in the result's stdout.
    """
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(ROOT),
        "--builder",
        builder,
        *flags,
    ]
    lines = []
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        # Each line as Sphinx prints it, not when a buffer fills.
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        for line in process.stdout:
            lines.append(line)
            if on_line is not None:
                on_line(line)
    output = "".join(lines)
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / log).write_text(output)
    return subprocess.CompletedProcess(command, process.returncode, output, "")


REEXECUTION_DIR = BUILD_DIR / "reexecution"
# The second executions yield the cores to the build's own.
REEXECUTION_NICENESS = 10
REPRODUCIBILITY_TEST = "test_chapter_outputs_are_reproducible"


class Reexecution:
    """Second executions of chapters, running in the background.

    ``tests/reexecution.py`` runs in a process of its own, at a low
    priority. It starts once the build has executed what it had to (at
    once when the cache holds every chapter), so that the two never
    compete for the cores and the build's execution times stay its own;
    it then runs alongside the rest of the build, which uses one core.
    When the build executes the chapters serially (``BOOK_EXECUTION_
    WORKERS=1``), it starts after the build.
    """

    def __init__(self, docnames: list[str]):
        self.docnames = docnames
        self.log = REEXECUTION_DIR / "reexecution.log"
        self.process = None

    def start(self) -> None:
        if self.process is not None or not self.docnames:
            return
        shutil.rmtree(REEXECUTION_DIR, ignore_errors=True)
        REEXECUTION_DIR.mkdir(parents=True)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "tests" / "reexecution.py"),
                    str(REEXECUTION_DIR),
                    *self.docnames,
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: os.nice(REEXECUTION_NICENESS),
            )

    def result(self, docname: str) -> nbformat.NotebookNode:
        """The chapter's notebook after its second execution."""
        self.start()
        assert self.process is not None, f"{docname} was not re-executed"
        returncode = self.process.wait()
        assert returncode == 0, self.log.read_text()[-3000:]
        error = REEXECUTION_DIR / f"{docname}.error"
        if error.exists():
            pytest.fail(f"{docname} failed to execute:\n{error.read_text()}")
        return nbformat.read(REEXECUTION_DIR / f"{docname}.ipynb", 4)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()


@pytest.fixture(scope="session")
def reexecution(request):
    """The second executions that the determinism test compares, when the
    session includes that test; the strict build starts them."""
    docnames = sorted(
        {
            item.callspec.params["docname"]
            for item in request.session.items
            if getattr(item, "originalname", "") == REPRODUCIBILITY_TEST
        }
    )
    runner = Reexecution(docnames)
    yield runner
    runner.stop()


# The build prints this once its own executions are over.
EXECUTION_DONE = parallel_execution.DONE_MESSAGE


@pytest.fixture(scope="session")
def built_book(reexecution) -> subprocess.CompletedProcess:
    """Build the whole site as strictly as Sphinx allows.

    ``--all`` re-reads every page so that no warning hides in an
    incremental build; execution still comes from the cache, so an
    unchanged chapter is not executed again, and the chapters the cache
    lacks are executed in parallel (``book/_ext/parallel_execution.py``).
    ``-n -W --keep-going`` turns every warning, including unresolved
    references, into a failure and reports them all. The second
    executions of the determinism test (``reexecution``) start when the
    build's own executions are over.
    """

    def on_line(line: str) -> None:
        if EXECUTION_DONE in line:
            reexecution.start()

    return _jupyter_book(
        "html",
        "--all",
        "-n",
        "-W",
        "--keep-going",
        log="strict-build.log",
        on_line=on_line,
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
            "the book needs are listed in .ci/system-deps, which `make "
            "test` runs)."
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
