"""Citation metadata: CITATION.cff is valid and consistent (with the
library's version and with Zenodo's metadata), and every chapter page
carries meta tags and a "Cite this chapter" block made from it, whose
addresses are this edition's: versioned, and anchored on labels."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import HTML_DIR, ROOT, source_path, toc_docnames
from pybtex.database import parse_string

import mathsforml

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from citation import CHAPTER_DIRS, read_metadata

CFF = ROOT / "CITATION.cff"
ZENODO = ROOT / ".zenodo.json"
META = read_metadata(CFF)
EDITION_URL = f"{META.url}v{META.version}/"
CHAPTERS = [d for d in toc_docnames() if d.startswith(CHAPTER_DIRS)]


def test_citation_cff_is_valid():
    cffconvert = Path(sys.executable).parent / "cffconvert"
    result = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(CFF)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_versions_agree():
    cff = yaml.safe_load(CFF.read_text())
    assert cff["version"] == mathsforml.__version__
    assert cff["preferred-citation"]["edition"] == mathsforml.__version__


def test_repository_is_named_once_consistently():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"].rstrip("/") == META.repository


def test_preferred_citation_gives_this_editions_address():
    """GitHub's "Cite this repository" and reference managers read the
    preferred citation: it must point at this edition, not at the site's
    root, which shows whatever edition is the latest."""
    book = yaml.safe_load(CFF.read_text())["preferred-citation"]
    assert book["url"] == EDITION_URL
    assert EDITION_URL.startswith(META.url) and META.url.endswith("/")


def test_readme_cites_this_edition():
    """The README's citation of the book is this edition's."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Releases and citing", 1)[1].split("\n## ")[0]
    assert f"version {META.version}." in section
    assert f"edition = {{Version {META.version}}}" in section
    assert f"url     = {{{EDITION_URL}}}" in section
    versioned = set(re.findall(r"https://\S+?/v\d+\.\d+\.\d+/", section))
    assert versioned == {EDITION_URL}, "no other edition is cited"


def test_zenodo_metadata_agrees_with_citation_cff():
    """Zenodo reads .zenodo.json (before CITATION.cff) when it archives a
    release: both must describe the same work. The version and date are
    left to Zenodo, which takes them from the release."""
    cff = yaml.safe_load(CFF.read_text())
    zenodo = json.loads(ZENODO.read_text())
    book = cff["preferred-citation"]
    assert zenodo["upload_type"] == "publication"
    assert zenodo["publication_type"] == book["type"] == "book"
    assert zenodo["title"] == book["title"]
    assert zenodo["creators"] == book["authors"] == cff["authors"]
    assert zenodo["description"] == " ".join(cff["abstract"].split())
    assert zenodo["keywords"] == cff["keywords"]
    assert zenodo["license"] == cff["license"].lower()
    related = {r["identifier"] for r in zenodo["related_identifiers"]}
    assert cff["repository-code"] in related
    assert not {"version", "publication_date"} & set(zenodo)


def test_no_doi_is_published_before_it_exists():
    """A DOI is minted by Zenodo when a release is archived; until one
    exists, none may appear (add it to CITATION.cff's identifiers then,
    and to this test)."""
    doi = re.compile(r"\b10\.\d{4,9}/|doi\.org", re.IGNORECASE)
    for path in (CFF, ZENODO, ROOT / "README.md", ROOT / "book/intro.md"):
        found = [m.group() for m in doi.finditer(path.read_text())]
        assert not found, f"{path.name}: {found}"
    cff = yaml.safe_load(CFF.read_text())
    assert "doi" not in cff and "identifiers" not in cff
    assert "doi" not in json.loads(ZENODO.read_text())


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.pre: list[str] = []
        self.cite_links: list[str] = []
        self.canonical = ""
        self._in_cite = False
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.meta.append((attrs["name"], attrs["content"]))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("id") == "cite-this-chapter":
            self._in_cite = True
        if tag == "a" and self._in_cite and attrs.get("href", "")[:1] != "#":
            self.cite_links.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        if tag == "pre" and self._in_cite:
            self._in_pre = True
            self.pre.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre = False
        if tag == "section":
            self._in_cite = False

    def handle_data(self, data):
        if self._in_pre:
            self.pre[-1] += data


def _parse(docname: str) -> _Head:
    parser = _Head()
    parser.feed((HTML_DIR / f"{docname}.html").read_text(encoding="utf-8"))
    return parser


def _label(docname: str) -> str:
    """The label written above the chapter's title in its source."""
    found = re.search(
        r"^\(([\w-]+)\)=\s*\n#\s", source_path(docname).read_text(), re.M
    )
    assert found, f"{docname} has no label above its title"
    return found[1]


@pytest.mark.book
def test_book_pages_carry_highwire_tags(built_book):
    for docname in toc_docnames():
        page = _parse(docname)
        tags = dict(page.meta)
        assert tags["citation_author"] == META.authors[0]
        assert re.fullmatch(
            r"\d{4}/\d{2}/\d{2}", tags["citation_publication_date"]
        )
        assert tags["citation_edition"] == META.version
        page_url = f"{EDITION_URL}{docname}.html"
        assert tags["citation_public_url"] == page_url
        assert tags["citation_fulltext_html_url"] == page_url
        assert page.canonical == page_url
        assert tags["citation_pdf_url"] == (
            f"{EDITION_URL}_downloads/mathsforml-book.pdf"
        )


@pytest.mark.book
@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_has_cite_block_and_tags(built_book, docname):
    page = _parse(docname)
    tags = dict(page.meta)
    assert tags["citation_inbook_title"] == META.title
    assert tags["citation_title"] not in ("", META.title)
    assert len(page.pre) == 1, "one BibTeX entry in the cite block"
    entry = next(iter(parse_string(page.pre[0], "bibtex").entries.values()))
    assert entry.type == "incollection"
    assert entry.fields["booktitle"].strip("{}") == META.title
    assert entry.fields["title"].strip("{}") == tags["citation_title"]
    assert entry.fields["edition"].strip("{}") == f"Version {META.version}"
    url = entry.fields["url"]
    # This edition's address, and the chapter's label (not its number),
    # which is a real id on the page.
    assert url == f"{EDITION_URL}{docname}.html#{_label(docname)}"
    assert url.split("#", 1)[1] in page.ids
    assert page.cite_links[0] == url, "the formatted reference agrees"
    for link in page.cite_links[1:]:
        page_url, _, anchor = link.partition("#")
        assert page_url == f"{EDITION_URL}{docname}.html"
        assert anchor.startswith("equation-") and anchor in page.ids
        assert not re.fullmatch(r"equation-[\d.-]+", anchor)
