"""Citation metadata: CITATION.cff is valid and consistent, and every
chapter page carries meta tags and a "Cite this chapter" block made from
it."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import HTML_DIR, ROOT, toc_docnames
from pybtex.database import parse_string

import mathsforml

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from citation import CHAPTER_DIRS, read_metadata

CFF = ROOT / "CITATION.cff"
META = read_metadata(CFF)
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


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.pre: list[str] = []
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


@pytest.mark.book
def test_book_pages_carry_highwire_tags(built_book):
    for docname in toc_docnames():
        tags = dict(_parse(docname).meta)
        assert tags["citation_author"] == META.authors[0]
        assert re.fullmatch(
            r"\d{4}/\d{2}/\d{2}", tags["citation_publication_date"]
        )
        assert tags["citation_pdf_url"] == META.pdf_url


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
    url = entry.fields["url"]
    assert url.startswith(f"{META.url}{docname}.html#")
    # The anchor is a real, stable id on the page.
    assert url.split("#", 1)[1] in page.ids
