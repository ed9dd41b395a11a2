"""A dry run of publishing a release, checked in headless Chromium.

``tools/publish_release.py``, the script the deployment workflow runs on a
tag, publishes the built site into a temporary folder served on localhost
as GitHub Pages serves the project (``/<repository>/``). An older edition
is published first: it is this build with its version set back wherever
the build wrote it (the theme's settings, the citations, the addresses).
Then the pages show the versioned path, the switcher listing both
editions, the banner on the old edition linking to the latest (also when
the old edition is read from disk), and citations that carry the version
and a label that exists on the cited page.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import HTML_DIR, ROOT, toc_docnames

sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import publish_release
from citation import CHAPTER_DIRS, read_metadata
from editions import switcher_entry, write_switcher

pytestmark = [pytest.mark.book, pytest.mark.browser]

META = read_metadata(ROOT / "CITATION.cff")
VERSION = META.version
CHAPTERS = [d for d in toc_docnames() if d.startswith(CHAPTER_DIRS)]
PAGE = CHAPTERS[0]


def _older(version: str) -> str:
    major, minor, patch = map(int, version.split("."))
    if patch:
        return f"{major}.{minor}.{patch - 1}"
    if minor:
        return f"{major}.{minor - 1}.9"
    return f"{major - 1}.9.9"


OLD = _older(VERSION)


def _set_back(site: Path, base_url: str) -> None:
    """Make a copy of the built site the older edition, as a build of
    that version would have made it."""
    version = re.compile(rf"(?<![\d.]){re.escape(VERSION)}(?!\.?\d)")
    pages = [*site.rglob("*.html"), site / "_static/documentation_options.js"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page.write_text(version.sub(OLD, text), encoding="utf-8")
    write_switcher(site, [switcher_entry(OLD, f"{META.url}v{OLD}/", True)])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages does, which allows any origin to read
    them (a page read from disk checks that a page exists online)."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def release(built_book, tmp_path_factory):
    """The published folder, served; returns (pages, base URL, log)."""
    served = tmp_path_factory.mktemp("gh-pages")
    prefix = urlsplit(META.url).path.strip("/")
    pages = served / prefix
    handler = functools.partial(_Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{prefix}/"
    old_site = tmp_path_factory.mktemp("old") / "html"
    shutil.copytree(HTML_DIR, old_site)
    _set_back(old_site, base)
    publish_release.publish(old_site, pages, tag=f"v{OLD}", base_url=base)
    # The latest edition exactly as the workflow publishes it.
    command = [
        sys.executable,
        str(ROOT / "tools" / "publish_release.py"),
        "--site",
        str(HTML_DIR),
        "--pages",
        str(pages),
        "--tag",
        f"v{VERSION}",
        "--base-url",
        base,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    again = subprocess.run(command, capture_output=True, text=True)
    yield pages, base, (result, again)
    server.shutdown()


def test_the_workflow_runs_the_same_script():
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "python3 tools/publish_release.py" in workflow
    assert '--tag "$GITHUB_REF_NAME"' in workflow
    assert re.search(r"tags:\s*\[\"v\*\"\]", workflow)


def test_layout_of_the_published_site(release):
    pages, base, (result, again) = release
    assert f"Published v{VERSION}" in result.stdout
    assert again.returncode == 1 and "already published" in again.stderr
    assert publish_release.editions(pages) == [f"v{OLD}", f"v{VERSION}"]
    latest = pages / f"v{VERSION}"
    for page in (f"{PAGE}.html", "index.html", "_static/editions.js"):
        assert (pages / page).read_bytes() == (latest / page).read_bytes()
    assert (pages / ".nojekyll").exists()
    expected = [
        {
            "name": f"v{VERSION} (latest)",
            "version": VERSION,
            "url": base,
            "preferred": True,
        },
        {"name": f"v{OLD}", "version": OLD, "url": f"{base}v{OLD}/"},
    ]
    for folder in (pages, latest, pages / f"v{OLD}"):
        # Every copy of the list is the current one, as JSON and as the
        # script that pages read from disk load.
        assert json.loads((folder / "switcher.json").read_text()) == expected
        script = (folder / "_static" / "switcher.js").read_text()
        listed = script.split("window.MathsForMLEditions = ", 1)[1]
        assert json.loads(listed.removesuffix(";\n")) == expected


def test_a_wrong_tag_is_refused(tmp_path):
    with pytest.raises(publish_release.PublishError, match="the tag is v9"):
        publish_release.publish(HTML_DIR, tmp_path, tag="v9.9.9")


class _Visit:
    def __init__(self, browser, url: str):
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on(
            "console",
            lambda m: m.type == "error" and self.errors.append(m.text),
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="load")
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.context.close()
            self.closed = True

    def _route(self, route):
        url = urlsplit(route.request.url)
        if url.scheme == "file" or url.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def switcher(self) -> tuple[str, list[str]]:
        button = self.page.locator(".version-switcher__button").first
        self.page.wait_for_function(
            "() => document.querySelectorAll("
            "'.version-switcher__menu a').length > 0"
        )
        links = self.page.eval_on_selector_all(
            ".version-switcher__menu a",
            "els => els.map(a => [a.innerText, a.getAttribute('href')])",
        )
        return button.inner_text().strip(), links


@pytest.fixture
def visit(browser):
    opened = []

    def _visit(url: str) -> _Visit:
        opened.append(_Visit(browser, url))
        return opened[-1]

    yield _visit
    for v in opened:
        v.close()
    for v in opened:
        assert not v.errors, v.errors
        assert not v.elsewhere, f"needed the network: {v.elsewhere}"


@pytest.mark.parametrize("where", ["edition", "root"])
def test_latest_edition_shows_switcher_and_no_banner(release, visit, where):
    _, base, _ = release
    folder = f"v{VERSION}/" if where == "edition" else ""
    v = visit(f"{base}{folder}{PAGE}.html")
    active, links = v.switcher()
    assert active == f"v{VERSION} (latest)"
    assert links == [
        [f"v{VERSION} (latest)", f"{base}{PAGE}.html"],
        [f"v{OLD}", f"{base}v{OLD}/{PAGE}.html"],
    ]
    v.page.wait_for_timeout(500)  # the banner would be shown by now
    assert not v.page.locator("#bd-header-version-warning").is_visible()
    canonical = v.page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == f"{META.url}v{VERSION}/{PAGE}.html"


def _check_banner(v, base: str) -> None:
    """The old edition's banner says so and links to the same page in the
    latest edition, where a click leads."""
    banner = v.page.locator("#bd-header-version-warning")
    banner.wait_for(state="visible")
    v.page.wait_for_function(
        "() => document.getElementById('bd-header-version-warning')"
        ".dataset.reworded"
    )
    assert f"This is an old edition of the book (v{OLD})." in (
        banner.inner_text()
    )
    link = banner.locator("a.pst-button-link-to-stable-version")
    assert link.inner_text() == "Read this page in the latest edition"
    assert link.get_attribute("href") == f"{base}{PAGE}.html"
    link.click()
    v.page.wait_for_url(f"{base}{PAGE}.html")
    assert v.page.locator("main h1").count() >= 1


def test_old_edition_has_a_banner_to_the_latest(release, visit, artifacts):
    _, base, _ = release
    v = visit(f"{base}v{OLD}/{PAGE}.html")
    active, links = v.switcher()
    assert active == f"v{OLD}"
    assert [f"v{OLD}", f"{base}v{OLD}/{PAGE}.html"] in links
    v.page.locator("#bd-header-version-warning").wait_for(state="visible")
    v.page.screenshot(path=artifacts / "release-old-edition.png")
    _check_banner(v, base)


def test_old_edition_read_from_disk(release, visit, tmp_path, artifacts):
    """An old edition, downloaded and read from disk, lists the editions
    and shows its banner: both lead to the editions online."""
    pages, base, _ = release
    archive = shutil.make_archive(
        str(tmp_path / "old"), "zip", pages / f"v{OLD}"
    )
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "old")
    v = visit((tmp_path / "old" / f"{PAGE}.html").as_uri())
    active, links = v.switcher()
    assert active == f"v{OLD}"
    assert links == [
        [f"v{VERSION} (latest)", f"{base}{PAGE}.html"],
        [f"v{OLD}", f"{base}v{OLD}/{PAGE}.html"],
    ]
    v.page.locator("#bd-header-version-warning").wait_for(state="visible")
    v.page.screenshot(path=artifacts / "release-old-edition-from-disk.png")
    _check_banner(v, base)


def _citation_urls(page) -> list[str]:
    """Every address the page gives to cite it: the links of its "Cite
    this chapter" block, its BibTeX entry's url and its citation meta
    tags that name a page."""
    block = page.locator("#cite-this-chapter")
    urls = block.locator("p a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    bibtex = block.locator("pre").inner_text()
    urls += re.findall(r"^\s*url\s*=\s*\{(.*)\},?$", bibtex, re.M)
    tags = dict(
        page.eval_on_selector_all(
            "meta[name^=citation_]",
            "els => els.map(m => [m.name, m.content])",
        )
    )
    urls += [tags["citation_public_url"], tags["citation_fulltext_html_url"]]
    return urls


@pytest.mark.parametrize("edition", ["latest", "old"])
def test_citations_carry_the_version_and_a_label_on_the_page(
    release, visit, edition
):
    """Every chapter's citation addresses, followed in the published
    edition they name, land on the chapter's labelled title, and its
    equation example on a labelled equation. The old edition's cite its
    own version."""
    _, base, _ = release
    version = VERSION if edition == "latest" else OLD
    prefix = f"{META.url}v{version}/"
    for docname in CHAPTERS if edition == "latest" else [PAGE]:
        v = visit(f"{base}v{version}/{docname}.html")
        block = v.page.locator("#cite-this-chapter")
        assert f"version {version}" in block.inner_text()
        urls = _citation_urls(v.page)
        assert len(urls) >= 4, urls
        anchors = set()
        for url in urls:
            assert url.startswith(f"{prefix}{docname}.html"), url
            page_url, _, anchor = url.partition("#")
            if not anchor:
                continue
            anchors.add(anchor)
            assert not re.fullmatch(r"[\d.-]*|id\d+|equation-[\d.-]+", anchor)
            v.page.goto(
                base + page_url.removeprefix(META.url), wait_until="load"
            )
            assert v.page.locator(f"[id='{anchor}']").count() == 1, url
        assert anchors, f"{docname}: no citation names a label"
        v.close()
