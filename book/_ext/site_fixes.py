"""Small corrections to the stock theme, so that pages load cleanly.

- sphinx-thebe registers its configuration script on every
  ``env-before-read-docs`` event, and Jupyter Book fires that event more
  than once per build; the second copy redeclares a ``const`` and the
  browser reports a SyntaxError. Identical scripts are dropped here, last
  and in place, so that the scripts the theme adds to each page (the
  page's name, the version switcher's settings) stay.
- pydata-sphinx-theme reads the colour mode from the template variable
  ``default_mode``; left empty, its script logs "invalid theme mode" on
  every first visit. ``_config.yml`` sets it to "auto" through
  ``html_context``, and this extension checks that it stays set.
- docutils wraps citations in ``<div role="list">`` whose children are
  not list items, which screen readers announce wrongly (axe-core rule
  aria-required-children). The role is dropped; the citations keep their
  own ``doc-biblioentry`` role.
- The sidebar's expand/collapse toggles are ``<summary>`` elements holding
  only an icon, so screen readers announce nothing (axe-core rule
  summary-name). They get an ``aria-label``. The theme renders the sidebar
  outside the page body, so the written pages are corrected at the end of
  the build.
"""

from __future__ import annotations

from pathlib import Path


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {})
    # An inline script is registered with filename None once and "" the
    # second time; both mean "no file".
    filename = getattr(script, "filename", script) or ""
    return (filename, sorted(attributes.items()))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[str] = set()
    kept = []
    for script in scripts:
        key = repr(_script_key(script))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    # In place: the theme's handlers add a page's own scripts to this list.
    scripts[:] = kept


BAD_CITATION_LIST = '<div role="list" class="citation-list">'


def _fix_citation_lists(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and BAD_CITATION_LIST in body:
        context["body"] = body.replace(
            BAD_CITATION_LIST, '<div class="citation-list">'
        )


BARE_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
LABELLED_TOGGLE = (
    '<summary aria-label="Show or hide the sections of this chapter">'
    '<span class="toctree-toggle" role="presentation">'
)


def _label_sidebar_toggles(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if BARE_TOGGLE in text:
            page.write_text(
                text.replace(BARE_TOGGLE, LABELLED_TOGGLE), encoding="utf-8"
            )


def _check_default_mode(app, config):
    if config.html_context.get("default_mode") not in ("auto", "light"):
        raise ValueError(
            "html_context.default_mode must be 'auto' or 'light' in "
            "_config.yml (sphinx.config); the theme logs a console error "
            "without it."
        )


def setup(app):
    app.connect("config-inited", _check_default_mode)
    app.add_css_file("book.css")
    # After every other handler, whichever extension adds scripts.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=999)
    app.connect("html-page-context", _fix_citation_lists)
    app.connect("build-finished", _label_sidebar_toggles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
