"""Shared fixtures: the book's sources, its strict build, a local server."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
ARTIFACTS = ROOT / "test-artifacts"


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


@pytest.fixture(scope="session")
def built_book() -> subprocess.CompletedProcess:
    """Build the whole site as strictly as Sphinx allows.

    ``--all`` re-reads every page so that no warning hides in an
    incremental build; execution still comes from the cache, so an
    unchanged chapter is not executed again. ``-n -W --keep-going`` turns
    every warning, including unresolved references, into a failure and
    reports them all.
    """
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(ROOT),
        "--builder",
        "html",
        "--all",
        "-n",
        "-W",
        "--keep-going",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=False
    )
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "strict-build.log").write_text(result.stdout + result.stderr)
    return result


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
