"""Citation metadata for every page, generated from ``CITATION.cff``.

``CITATION.cff`` at the repository root is the one source of the book's
bibliographic metadata. From it this extension generates, for each page:

- Highwire Press ``citation_*`` meta tags in the HTML head, which reference
  managers and scholarly indexes read;
- on chapter pages, a "Cite this chapter" block with a formatted reference
  and a BibTeX entry.

Every address they give is that of this edition of the book: the site's
``url`` followed by ``v<version>/`` (``book/_ext/editions.py``,
``tools/publish_release.py``), which is never changed once published. A
chapter is cited by its label (``#calc-network``), never by its number,
and equations and figures by theirs (``#equation-forward-pass``), so that
a link survives renumbering; a chapter without a label is an error.

It also sets ``html_baseurl`` to the edition's address, so every page gets
a canonical address, and ``today`` from the release date; and it checks
that the file's ``repository-code`` is the repository that ``_config.yml``
names, since the launch buttons use that.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.util import logging

CFF_FILE = "CITATION.cff"
# Pages that are chapters of a lesson get the cite block.
CHAPTER_DIRS = ("book/calculus/", "book/linear_algebra/", "book/estimation/")
PDF_PATH = "_downloads/mathsforml-book.pdf"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookMetadata:
    title: str
    authors: tuple[str, ...]
    year: str
    date: str
    version: str
    url: str
    repository: str

    @property
    def edition(self) -> str:
        """The edition's folder on the site, and its release tag."""
        return f"v{self.version}"

    @property
    def edition_url(self) -> str:
        """The address of this edition, which never changes."""
        return f"{self.url}{self.edition}/"

    @property
    def pdf_url(self) -> str:
        return self.edition_url + PDF_PATH


def _author_name(author: dict) -> str:
    if "name" in author:
        return author["name"]
    return f"{author['given-names']} {author['family-names']}"


def read_metadata(path: Path) -> BookMetadata:
    """Read the book's metadata from a ``CITATION.cff`` file.

    The book itself is the file's ``preferred-citation``; version, date,
    the site's address and the repository come from the top level.
    """
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    book = cff["preferred-citation"]
    url = cff["url"]
    return BookMetadata(
        title=book["title"],
        authors=tuple(_author_name(a) for a in book["authors"]),
        year=str(book["year"]),
        date=str(cff["date-released"]),
        version=str(cff["version"]),
        url=url if url.endswith("/") else url + "/",
        repository=cff["repository-code"].rstrip("/"),
    )


def _on_config_inited(app, config) -> None:
    meta = read_metadata(Path(app.confdir) / CFF_FILE)
    theme = config.html_theme_options or {}
    repository = theme.get("repository_url", "").rstrip("/")
    if repository and repository != meta.repository:
        raise ConfigError(
            f"CITATION.cff names the repository {meta.repository!r} but "
            f"_config.yml names {repository!r}; make them the same."
        )
    if not config.html_baseurl:
        config.html_baseurl = meta.edition_url
    # The date printed on the PDF's title page is the release date, not the
    # build date, so that two builds of one version are identical.
    if not config.today:
        config.today = date.fromisoformat(meta.date).strftime("%d %B %Y")
    app.book_metadata = meta  # read by the page hook below
    app.add_css_file("citation.css")


def _anchor(app, docname: str, doctree) -> str:
    """The explicit label of the page's title section ("" if none)."""
    section = doctree.next_node(nodes.section) if doctree else None
    if section is None:
        return ""
    labels = app.env.domaindata["std"]["labels"]
    for node_id in section["ids"]:
        if labels.get(node_id, ("",))[0] == docname:
            return node_id
    return ""


def _example_equation(doctree) -> str:
    """The id of the page's first labelled equation ("" if none)."""
    for node in doctree.findall(nodes.math_block):
        if node.get("label") and node["ids"]:
            return node["ids"][0]
    return ""


def _chapter_number(app, docname: str) -> str:
    numbers = app.env.toc_secnumbers.get(docname, {}).get("")
    return ".".join(str(n) for n in numbers) if numbers else ""


def bibtex_entry(
    meta: BookMetadata, title: str, number: str, url: str, key: str
) -> str:
    """A BibTeX ``@incollection`` entry for one chapter."""
    fields = [
        ("title", f"{{{title}}}"),
        ("booktitle", f"{{{meta.title}}}"),
        ("author", " and ".join(f"{{{a}}}" for a in meta.authors)),
        ("year", meta.year),
        ("edition", f"Version {meta.version}"),
        ("url", url),
    ]
    if number:
        fields.insert(3, ("chapter", number))
    body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{key},\n{body}\n}}"


def formatted_reference(
    meta: BookMetadata, title: str, number: str, url: str
) -> str:
    """A human-readable reference, in HTML."""
    chapter = f"Chapter {number} in " if number else "In "
    authors = ", ".join(html.escape(a) for a in meta.authors)
    return (
        f"{authors} ({meta.year}). {html.escape(title)}. {chapter}"
        f"<em>{html.escape(meta.title)}</em>, version "
        f"{html.escape(meta.version)}. "
        f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    )


def _meta_tags(
    meta: BookMetadata, title: str, chapter: bool, page_url: str
) -> str:
    tags = [("citation_title", title if chapter else meta.title)]
    tags += [("citation_author", a) for a in meta.authors]
    tags += [
        ("citation_publication_date", meta.date.replace("-", "/")),
        ("citation_publisher", meta.authors[0]),
        ("citation_edition", meta.version),
        ("citation_public_url", page_url),
        ("citation_fulltext_html_url", page_url),
        ("citation_pdf_url", meta.pdf_url),
        ("citation_language", "en"),
    ]
    if chapter:
        tags.append(("citation_inbook_title", meta.title))
        tags.append(("citation_book_title", meta.title))
    return "".join(
        f'\n    <meta name="{name}" content="{html.escape(value)}" />'
        for name, value in tags
    )


def _cite_block(
    meta: BookMetadata,
    title: str,
    number: str,
    url: str,
    key: str,
    equation_url: str,
) -> str:
    bibtex = html.escape(bibtex_entry(meta, title, number, url, key))
    reference = formatted_reference(meta, title, number, url)
    anchors = ""
    if equation_url:
        link = html.escape(equation_url)
        anchors = f"""
<p class="cite-anchors">This is version {html.escape(meta.version)} of the
book, at an address that will not change. Link to an equation or a figure
by its label, which survives renumbering; for example
<a href="{link}">{link}</a>.</p>"""
    return f"""
<section id="cite-this-chapter" class="cite-this-chapter">
<h2>Cite this chapter<a class="headerlink" href="#cite-this-chapter"
 title="Link to this heading">#</a></h2>
<p class="cite-formatted">{reference}</p>
<div class="highlight-bibtex notranslate"><div class="highlight">
<pre>{bibtex}</pre></div></div>{anchors}
</section>
"""


def _on_page_context(app, pagename, templatename, context, doctree):
    meta: BookMetadata = getattr(app, "book_metadata", None)
    if meta is None or doctree is None or pagename not in app.env.titles:
        return
    title = app.env.titles[pagename].astext()
    chapter = pagename.startswith(CHAPTER_DIRS)
    page_url = f"{meta.edition_url}{pagename}.html"
    context["metatags"] = context.get("metatags", "") + _meta_tags(
        meta, title, chapter, page_url
    )
    if not chapter:
        return
    anchor = _anchor(app, pagename, doctree)
    if not anchor:
        logger.warning(
            "a chapter needs a label above its title, such as "
            "(calc-network)=, for its citation's address",
            location=pagename,
        )
        return
    url = f"{page_url}#{anchor}"
    key = f"mathsforml{meta.year}-{anchor}"
    number = _chapter_number(app, pagename)
    equation = _example_equation(doctree)
    equation_url = f"{page_url}#{equation}" if equation else ""
    context["body"] += _cite_block(meta, title, number, url, key, equation_url)


def setup(app):
    app.connect("config-inited", _on_config_inited)
    # Late, so that no other handler rewrites the meta tags after us.
    app.connect("html-page-context", _on_page_context, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
