"""The built site, zipped and unzipped elsewhere, reads from disk with no
network: pages open from file://, math is typeset from the bundled
MathJax, nothing is fetched from anywhere else, and nothing fails (the
version switcher, which would fetch its list of editions, is left out)."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from conftest import HTML_DIR, toc_docnames
from test_browser import wait_for_math

pytestmark = [pytest.mark.book, pytest.mark.browser]


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
    assert not requested, f"needed the network: {requested}"
    assert not errors, errors
    switchers = page.locator(".version-switcher__container")
    assert switchers.count() >= 1
    assert not any(s.is_visible() for s in switchers.all())
    context.close()
