"""The built site, zipped and unzipped elsewhere, reads from disk with no
network: pages open from file://, math is typeset from the bundled
MathJax, nothing is fetched from anywhere else, nothing fails, and the
version switcher lists the editions (read from ``_static/switcher.js``,
since a page on disk may not fetch ``switcher.json``), linking to them
online."""

from __future__ import annotations

import shutil
import zipfile

import pytest
import yaml
from conftest import HTML_DIR, ROOT, toc_docnames
from test_browser import wait_for_math

pytestmark = [pytest.mark.book, pytest.mark.browser]

CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text())
VERSION = CFF["version"]
EDITION_URL = f"{CFF['url']}v{VERSION}/"


@pytest.fixture(scope="module")
def unzipped_site(built_book, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("offline")
    archive = shutil.make_archive(str(tmp / "site"), "zip", HTML_DIR)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp / "site")
    return tmp / "site"


@pytest.mark.parametrize("docname", toc_docnames())
def test_page_reads_from_disk(browser, unzipped_site, docname):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            requested.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto((unzipped_site / f"{docname}.html").as_uri(), wait_until="load")
    wait_for_math(page)
    typeset = page.locator(".math mjx-container").count()
    assert typeset == page.locator(".math").count()
    images_ok = page.eval_on_selector_all(
        "article img", "els => els.every(i => i.complete && i.naturalWidth)"
    )
    assert images_ok
    switcher = page.locator(".version-switcher__button").first
    assert switcher.is_visible()
    page.wait_for_function(
        "() => document.querySelectorAll('.version-switcher__menu a').length"
    )
    assert switcher.inner_text().strip() == f"v{VERSION} (latest)"
    links = page.eval_on_selector_all(
        ".version-switcher__menu a", "els => els.map(a => a.href)"
    )
    assert set(links) == {f"{EDITION_URL}{docname}.html"}
    assert not requested, f"needed the network: {requested}"
    assert not errors, errors
    context.close()
