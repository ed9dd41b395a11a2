"""The built pages, opened in a real headless Chromium.

The browser may reach only the local server: any other request is blocked
and recorded, so a page that needs the network to render fails here.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest
from conftest import toc_docnames

pytestmark = [pytest.mark.book, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MATH_TIMEOUT_MS = 20_000


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


class PageVisit:
    """A page opened with the network blocked, and what went wrong."""

    def __init__(self, browser, url: str):
        self.console_errors: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def wait_for_math(self):
        """Wait until MathJax has typeset the page, if it has math."""
        if self.page.locator(".math").count() == 0:
            return
        self.page.wait_for_function(
            "() => window.MathJax && MathJax.startup"
            " && MathJax.startup.promise",
            timeout=MATH_TIMEOUT_MS,
        )
        self.page.evaluate("() => MathJax.startup.promise.then(() => true)")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def _visit(docname: str) -> PageVisit:
        v = PageVisit(browser, f"{site_url}/{docname}.html")
        opened.append(v)
        return v

    yield _visit
    for v in opened:
        v.close()


@pytest.mark.parametrize("docname", toc_docnames())
def test_page_loads_offline_without_errors(visit, artifacts, docname):
    v = visit(docname)
    v.wait_for_math()
    shot = artifacts / "screenshots" / f"{docname.replace('/', '__')}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(shot), full_page=False)
    assert not v.console_errors, v.console_errors
    assert not v.blocked, f"page needs the network: {v.blocked}"
    assert not v.failed, f"requests failed: {v.failed}"
    assert v.page.locator("main h1").count() >= 1


@pytest.mark.parametrize("docname", toc_docnames())
def test_math_is_typeset(visit, docname):
    v = visit(docname)
    v.wait_for_math()
    n_math = v.page.locator(".math").count()
    n_typeset = v.page.locator(".math mjx-container").count()
    assert n_typeset == n_math
    # No TeX delimiters may survive as visible text.
    text = v.page.locator("main").inner_text()
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in text


def test_executed_cell_shows_the_library(visit):
    v = visit("book/intro")
    output = v.page.locator(".cell_output").first.inner_text()
    assert output.startswith("mathsforml ")
    assert "NumPy" in output
