"""Downloadable notebooks, and the Colab and download buttons that use them.

For every page with code cells this extension writes
``_notebooks/<page>.ipynb`` into the site: the page's MyST source converted
to a notebook with jupytext, with no outputs, and with a first cell that
installs the matching version of ``mathsforml`` where it is missing (as in
Colab). It then points the page's buttons at those files:

- "Colab" opens the notebook from the published site's branch
  (``PAGES_BRANCH``) of the repository that ``_config.yml`` names, since
  Colab opens notebooks, not MyST Markdown; it is this edition's notebook,
  in the edition's folder ``v<version>/`` on that branch;
- the ".ipynb" download is that notebook (the theme's own copy would hold
  stale or missing outputs when execution comes from the cache);
- "PDF (book)" downloads the whole book built by ``make pdf``.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat

NOTEBOOK_DIR = "_notebooks"
# The branch the deployment workflow publishes the site (and so the
# notebooks) to; Colab reads them from there.
PAGES_BRANCH = "gh-pages"
BOOK_PDF = "_downloads/mathsforml-book.pdf"

INSTALL_CELL = """\
# Install mathsforml {version}, the library this notebook was written for,
# unless it is already installed (as on Binder or in a local checkout).
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("mathsforml") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "mathsforml[notebook] @ git+{repository}@v{version}"],
        check=True,
    )"""

INTRO_CELL = """\
*This notebook is generated from the chapter
[{title}]({url}) of* Mathematics for Data Science and Machine Learning,
*version {version}. Run the first code cell to install the library; the
chapter's text, equations and figures read best on the web page.*"""


def _metadata(app):
    # Set by the citation extension from CITATION.cff.
    return app.book_metadata


def make_notebook(
    source: Path, title: str, url: str, version: str, repository: str
) -> nbformat.NotebookNode:
    """Convert a MyST page to a notebook with no outputs and an install cell.

    Parameters
    ----------
    source : pathlib.Path
        The page's MyST Markdown file.
    title, url : str
        The page's title and address, for the notebook's first cell.
    version, repository : str
        The library version to install and the repository to install from.

    Returns
    -------
    nbformat.NotebookNode
        The notebook, in nbformat 4.
    """
    notebook = jupytext.read(source, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    intro = nbformat.v4.new_markdown_cell(
        INTRO_CELL.format(title=title, url=url, version=version)
    )
    install = nbformat.v4.new_code_cell(
        INSTALL_CELL.format(version=version, repository=repository)
    )
    notebook.cells[:0] = [intro, install]
    notebook.metadata.pop("jupytext", None)
    return notebook


def _is_notebook(app, name: str) -> bool:
    """Whether a page has code cells (and so gets a notebook)."""
    return "{code-cell}" in Path(app.env.doc2path(name)).read_text()


def _notebook_pages(app) -> list[str]:
    return sorted(n for n in app.env.found_docs if _is_notebook(app, n))


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    meta = _metadata(app)
    for name in _notebook_pages(app):
        title = app.env.titles[name].astext()
        notebook = make_notebook(
            Path(app.env.doc2path(name)),
            title,
            f"{meta.edition_url}{name}.html",
            meta.version,
            meta.repository,
        )
        target = Path(app.outdir, NOTEBOOK_DIR, f"{name}.ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


def _find(buttons: list, label: str) -> dict | None:
    for button in buttons:
        if button.get("label") == label:
            return button
    return None


def _on_page_context(app, pagename, templatename, context, doctree):
    buttons = context.get("header_buttons")
    if not buttons or pagename not in app.env.titles:
        return
    is_notebook = _is_notebook(app, pagename)
    root = context["pathto"]("", 1)
    downloads = _find(buttons, "download-buttons")
    if downloads is not None:
        own = _find(downloads["buttons"], "download-notebook-button")
        if own is not None and is_notebook:
            own["url"] = f"{root}{NOTEBOOK_DIR}/{pagename}.ipynb"
        elif own is not None:
            downloads["buttons"].remove(own)
        downloads["buttons"].append(
            {
                "type": "link",
                "url": f"{root}{BOOK_PDF}",
                "text": "PDF (book)",
                "tooltip": "Download the whole book as a PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            }
        )
    launch = _find(buttons, "launch-buttons")
    if launch is None:
        return
    meta = _metadata(app)
    owner_repo = meta.repository.removeprefix("https://github.com/")
    for button in launch["buttons"]:
        if button.get("text") == "Colab":
            button["url"] = (
                "https://colab.research.google.com/github/"
                f"{owner_repo}/blob/{PAGES_BRANCH}/{meta.edition}/"
                f"{NOTEBOOK_DIR}/{pagename}.ipynb"
            )


def setup(app):
    app.setup_extension("citation")
    # After the theme has added its buttons (priority 500).
    app.connect("html-page-context", _on_page_context, priority=900)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
