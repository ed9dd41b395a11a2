"""The built pages, opened in a real headless Chromium.

The browser may reach only the local server: any other request is blocked
and recorded, so a page that needs the network to render fails here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, notebook_docnames, toc_docnames

pytestmark = [pytest.mark.book, pytest.mark.browser]

MATH_TIMEOUT_MS = 20_000
MIN_ALT_WORDS = 5  # "Figure" or a file name is not a description
AXE_JS = Path(__file__).parent / "browser/node_modules/axe-core/axe.min.js"
# The edition's folder on the published branch, which holds its notebooks.
EDITION = "v" + yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"]
REPO = (
    yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    .removeprefix("https://github.com/")
    .rstrip("/")
)


def wait_for_math(page) -> None:
    """Wait until MathJax has typeset the page, if it has math."""
    if page.locator(".math").count() == 0:
        return
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
        timeout=MATH_TIMEOUT_MS,
    )
    page.evaluate("() => MathJax.startup.promise.then(() => true)")


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
        self.page.on("response", self._response)
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def wait_for_math(self):
        wait_for_math(self.page)

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


def test_executed_cell_shows_the_library(visit):
    v = visit("book/intro")
    output = v.page.locator(".cell_output").first.inner_text()
    assert output.startswith("mathsforml ")
    assert "NumPy" in output


def test_search_finds_eigenvalue(visit, site_url):
    v = visit("search")
    v.page.goto(f"{site_url}/search.html?q=eigenvalue", wait_until="load")
    results = v.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=MATH_TIMEOUT_MS)
    hrefs = [
        results.nth(i).locator("a").first.get_attribute("href")
        for i in range(results.count())
    ]
    assert any("linear_algebra" in h for h in hrefs), hrefs
    assert not v.console_errors


@pytest.mark.parametrize("docname", notebook_docnames())
def test_launch_and_download_buttons(visit, docname):
    v = visit(docname)
    hrefs = v.page.eval_on_selector_all(
        ".article-header-buttons a", "els => els.map(e => e.href)"
    )
    expected = {
        "Binder": "mybinder.org/v2/gh/",
        "Colab": f"colab.research.google.com/github/{REPO}/blob/gh-pages"
        f"/{EDITION}/_notebooks/{docname}.ipynb",
        "notebook": f"/_notebooks/{docname}.ipynb",
        "source": f"/_sources/{docname}.md",
        "book PDF": "/_downloads/mathsforml-book.pdf",
    }
    for name, part in expected.items():
        assert any(part in h for h in hrefs), f"no {name} link in {hrefs}"
    assert v.page.locator(".btn-launch-thebe").count() == 1


def _set_dark_mode(page):
    """Click the theme switch until the page is dark, as a reader would."""
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
        page.locator(".theme-switch-button").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    # The click leaves the pointer on the switch, whose tooltip appears
    # after the theme's 500 ms delay and then fades in: axe would read its
    # colours half-way through the fade. Check the settled page.
    page.wait_for_timeout(TOOLTIP_DELAY_MS + 200)
    page.wait_for_function(SETTLED_JS)


# pydata-sphinx-theme creates its tooltips with delay {show: 500}.
TOOLTIP_DELAY_MS = 500
# True once no finite animation or transition is still running.
SETTLED_JS = """() => document.getAnimations().every(a =>
    a.playState !== 'running'
    || a.effect.getComputedTiming().iterations === Infinity)"""


# Reads an image's corner pixels: figures must be opaque to stay readable
# on a dark page.
OPAQUE_CORNERS_JS = """img => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const w = c.width - 1, h = c.height - 1;
    return [[0, 0], [w, 0], [0, h], [w, h]].every(
        ([x, y]) => g.getImageData(x, y, 1, 1).data[3] === 255);
}"""


def _axe_violations(page) -> list[dict]:
    """Serious and critical accessibility violations axe-core finds."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )


# Display equations whose typeset width exceeds their column: they would be
# cut off (or need scrolling) at the tests' 1280 px window.
OVERFLOWING_MATH_JS = """() => [...document.querySelectorAll('div.math')]
    .map(d => {
        const svg = d.querySelector('mjx-container svg');
        const wide = svg ? svg.getBoundingClientRect().width : 0;
        return [d.id || d.textContent.slice(0, 60), wide,
                d.getBoundingClientRect().width];
    })
    .filter(([id, wide, column]) => wide > column + 1)
    .map(([id, wide, column]) => `${id}: ${Math.round(wide)} px`
         + ` in a ${Math.round(column)} px column`)"""


def _check_images(page) -> None:
    for img in page.locator("article img").all():
        src = img.get_attribute("src") or ""
        alt = (img.get_attribute("alt") or "").strip()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), src
        stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        assert alt and stem not in alt, f"{src}: alt text {alt!r}"
        assert len(alt.split()) >= MIN_ALT_WORDS, f"{src}: {alt!r}"


def _shoot(page, artifacts, name: str) -> None:
    shot = artifacts / "screenshots" / f"{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))


@pytest.mark.parametrize("docname", toc_docnames())
def test_page_in_light_mode(visit, artifacts, docname):
    """Loads offline with no console errors, math typeset, images loaded
    with descriptive alt text, and no serious accessibility violation."""
    v = visit(docname)
    v.wait_for_math()
    _shoot(v.page, artifacts, docname.replace("/", "__"))
    assert not v.console_errors, v.console_errors
    assert not v.blocked, f"page needs the network: {v.blocked}"
    assert not v.failed, f"requests failed: {v.failed}"
    assert v.page.locator("main h1").count() >= 1
    n_math = v.page.locator(".math").count()
    assert v.page.locator(".math mjx-container").count() == n_math
    overflowing = v.page.evaluate(OVERFLOWING_MATH_JS)
    assert not overflowing, "break these equations: " + "; ".join(overflowing)
    text = v.page.locator("main").inner_text()
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in text, f"raw TeX {delimiter} on the page"
    _check_images(v.page)
    violations = _axe_violations(v.page)
    assert not violations, violations


@pytest.mark.parametrize("docname", toc_docnames())
def test_page_in_dark_mode(visit, artifacts, docname):
    """The theme switch turns the page dark, figures stay readable (opaque
    backgrounds), and there is no serious accessibility violation."""
    v = visit(docname)
    _set_dark_mode(v.page)
    v.wait_for_math()
    _shoot(v.page, artifacts, "dark__" + docname.replace("/", "__"))
    background = v.page.evaluate(
        "getComputedStyle(document.body).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)"
    for img in v.page.locator("article img").all():
        if img.evaluate("i => i.src.endsWith('.svg')"):
            continue
        assert img.evaluate(OPAQUE_CORNERS_JS), img.get_attribute("src")
    # The page's own requests and console; axe-core's fetches come after.
    assert not v.failed, f"requests failed: {v.failed}"
    assert not v.console_errors, v.console_errors
    violations = _axe_violations(v.page)
    assert not violations, violations
