"""Interactive figures: small JavaScript widgets with a static fallback.

A chapter embeds an interactive figure with one directive::

    ```{interactive-figure} matrix-explorer
    :name: la-fig-matrix-explorer
    :alt: What the figure shows, for readers who cannot see it.
    :config: {"matrix": [[1.5, 0.5], [0.5, 1.0]]}
    :fallback: mathsforml.plotting.plot_linear_map

    The caption, as for any figure.
    ```

The argument names the widget: its script is
``book/_static/interactive/<name>.js``. The directive makes an ordinary
numbered figure (so ``{numref}`` works and the numbering agrees between the
site and the PDF) holding three things:

- the widget's root element, ``<div class="mfml-interactive"
  data-interactive="<name>" data-config="...">``, written by the HTML
  builder only. The page then loads ``interactive/interactive.css``, the
  shared helper ``interactive/interactive.js`` and the widget's script;
  pages without an interactive figure load none of them. The script builds
  the controls and the drawing inside the root from ``:config:`` (JSON),
  which sets the widget's initial state.
- a static image of that initial state, drawn at build time by the
  ``:fallback:`` function, a function of the library called with
  ``:config:`` as keyword arguments and returning a Matplotlib figure (or
  axes). The PDF and other non-HTML builders print it in the widget's
  place; the HTML page keeps it inside ``<noscript>``.
- for non-HTML builders, a line under the caption giving the address of
  the interactive version.

The images are cached in ``_build/interactive`` under a name that hashes
the function, its module's source and the configuration, and a change to
that module, or to the widget's script or the shared files, makes Sphinx
re-read the page.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import inspect
import json
import os
import re
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

STATIC_DIR = Path(__file__).resolve().parent.parent / "_static"
WIDGET_DIR = "interactive"  # under _static, in the sources and in the site
SHARED_CSS = f"{WIDGET_DIR}/interactive.css"
SHARED_JS = f"{WIDGET_DIR}/interactive.js"
CACHE_DIR = "interactive"  # next to the builders' output folders
FALLBACK_PACKAGE = "mathsforml"
_NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class interactive_widget(nodes.General, nodes.Element):
    """The widget's root element; only the HTML builder writes it."""


class interactive_fallback(nodes.General, nodes.Element):
    """The static image: printed by non-HTML builders, ``<noscript>`` in
    HTML."""


class interactive_print_note(nodes.General, nodes.Element):
    """Text for non-HTML builders only."""


def _skip(self, node) -> None:
    raise nodes.SkipNode


def _pass(self, node) -> None:
    pass


def visit_widget_html(self, node: interactive_widget) -> None:
    attributes = {
        "class": "mfml-interactive",
        "data-interactive": node["widget"],
        "data-config": node["config"],
        "data-description": node["description"],
    }
    attrs = " ".join(
        f'{key}="{html.escape(value, quote=True)}"'
        for key, value in attributes.items()
    )
    # Replaced by the widget when its script runs.
    self.body.append(
        f'<div {attrs}>\n<p class="mfml-interactive-loading">'
        "Loading the interactive figure&hellip;</p>\n</div>\n"
    )
    raise nodes.SkipNode


def visit_fallback_html(self, node: interactive_fallback) -> None:
    self.body.append("<noscript>")


def depart_fallback_html(self, node: interactive_fallback) -> None:
    self.body.append("</noscript>\n")


def _parse_config(text: str) -> dict:
    config = json.loads(text) if text.strip() else {}
    if not isinstance(config, dict):
        raise ValueError("it must be a JSON object, {...}")
    return config


def _fallback_function(dotted: str):
    module_name, _, attr = dotted.rpartition(".")
    if not module_name.startswith(FALLBACK_PACKAGE):
        raise ValueError(
            f"it must be a function of the library, {FALLBACK_PACKAGE}.*"
        )
    function = getattr(importlib.import_module(module_name), attr)
    return function, Path(inspect.getfile(function))


def _save_figure(result, base: Path) -> None:
    """Save a figure (or an axes' figure) as PNG and PDF, then close it."""
    import matplotlib.pyplot as plt

    figure = getattr(result, "figure", result)
    base.parent.mkdir(parents=True, exist_ok=True)
    # No dates or versions in the files, so two builds are identical.
    figure.savefig(base.with_suffix(".png"), dpi=200, bbox_inches="tight")
    figure.savefig(
        base.with_suffix(".pdf"),
        bbox_inches="tight",
        metadata={"CreationDate": None},
    )
    plt.close(figure)


def render_fallback(dotted: str, config: dict, cache: Path) -> Path:
    """Draw the fallback figure for ``config`` unless it is cached.

    Returns the cached files' common path without suffix.
    """
    function, source = _fallback_function(dotted)
    key = json.dumps([dotted, config], sort_keys=True).encode()
    digest = hashlib.sha256(key + source.read_bytes()).hexdigest()[:16]
    base = cache / f"{function.__name__}-{digest}"
    if all(base.with_suffix(s).is_file() for s in (".png", ".pdf")):
        return base
    import matplotlib

    matplotlib.use("Agg")  # the build draws files, never windows
    from mathsforml.plotting import use_book_style

    with matplotlib.rc_context():
        use_book_style()
        _save_figure(function(**config), base)
    return base


class InteractiveFigure(SphinxDirective):
    """``{interactive-figure} <widget>``: see the module docstring."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict] = {
        "name": directives.unchanged_required,
        "alt": directives.unchanged_required,
        "config": directives.unchanged,
        "fallback": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        widget = self.arguments[0]
        if not _NAME_RE.fullmatch(widget):
            raise self.error(
                f"interactive-figure: {widget!r} is not a widget name "
                "(lower-case words joined by hyphens)."
            )
        if not (STATIC_DIR / WIDGET_DIR / f"{widget}.js").is_file():
            raise self.error(
                f"interactive-figure: no script {WIDGET_DIR}/{widget}.js "
                f"in {STATIC_DIR}."
            )
        for option in ("name", "alt", "fallback"):
            if not self.options.get(option, "").strip():
                raise self.error(
                    f"interactive-figure {widget}: the :{option}: option "
                    "is required (see book/_ext/interactive.py)."
                )
        if not self.content:
            raise self.error(
                f"interactive-figure {widget}: a caption is required."
            )
        try:
            config = _parse_config(self.options.get("config", ""))
        except ValueError as error:
            raise self.error(
                f"interactive-figure {widget}: :config: is not valid: {error}."
            ) from None
        # A change to the scripts or styles re-writes the page, which also
        # makes Sphinx copy them again (it copies nothing when no page is
        # out of date) and refresh their ?v= checksums.
        for name in (f"{widget}.js", "interactive.js", "interactive.css"):
            self.env.note_dependency(str(STATIC_DIR / WIDGET_DIR / name))
        description = " ".join(self.options["alt"].split())
        figure = nodes.figure(classes=["interactive-figure"])
        self.set_source_info(figure)
        self.add_name(figure)
        figure += interactive_widget(
            widget=widget,
            config=json.dumps(config, separators=(",", ":")),
            description=description,
        )
        figure += self._fallback(widget, config, description)
        figure += self._caption()
        figure += self._print_note(figure)
        return [figure]

    def _fallback(self, widget, config, description) -> nodes.Node:
        dotted = self.options["fallback"].strip()
        cache = Path(self.env.app.doctreedir).parent / CACHE_DIR
        try:
            base = render_fallback(dotted, config, cache)
            _, source = _fallback_function(dotted)
        except Exception as error:  # any failure of the author's function
            raise self.error(
                f"interactive-figure {widget}: the fallback {dotted} "
                f"failed: {type(error).__name__}: {error}"
            ) from None
        self.env.note_dependency(str(source))
        # Relative to the source folder, as Sphinx wants; ".*" lets each
        # builder pick its format (PDF for LaTeX, PNG for HTML).
        uri = "/" + os.path.relpath(f"{base}.*", self.env.srcdir)
        image = nodes.image(uri=uri, alt=description)
        return interactive_fallback("", image)

    def _caption(self) -> nodes.caption:
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        first = holder[0] if len(holder) else None
        if not isinstance(first, nodes.paragraph) or len(holder) > 1:
            raise self.error(
                "interactive-figure: the caption must be one paragraph."
            )
        caption = nodes.caption(first.rawsource, "", *first.children)
        caption.source, caption.line = first.source, first.line
        return caption

    def _print_note(self, figure: nodes.figure) -> nodes.Node:
        base = self.config.html_baseurl or ""
        url = f"{base.rstrip('/')}/{self.env.docname}.html"
        if figure["ids"]:
            url += f"#{figure['ids'][0]}"
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(
            "Printed here in its starting state; the interactive figure is "
            "in the online book: "
        )
        paragraph += nodes.reference(url, url, refuri=url)
        return interactive_print_note("", nodes.legend("", paragraph))


def _add_assets(app, pagename, templatename, context, doctree) -> None:
    """Load the shared files and each widget's script on pages that use
    them, and only there."""
    if doctree is None:
        return
    found = doctree.findall(interactive_widget)
    widgets = sorted({node["widget"] for node in found})
    if not widgets:
        return
    app.add_css_file(SHARED_CSS)
    app.add_js_file(SHARED_JS, defer="defer")
    for widget in widgets:
        app.add_js_file(f"{WIDGET_DIR}/{widget}.js", defer="defer")


def _ship_static_files(app, config) -> None:
    """Make sure the site gets ``_static/interactive/``: the book lists
    ``book/_static`` in ``html_static_path``; another project may not."""
    listed = {
        (Path(app.confdir) / entry).resolve()
        for entry in config.html_static_path
    }
    if STATIC_DIR not in listed:
        config.html_static_path.append(str(STATIC_DIR))


def setup(app):
    app.connect("config-inited", _ship_static_files)
    other = {
        builder: (_skip, None)
        for builder in ("latex", "text", "man", "texinfo", "epub")
    }
    transparent = {
        builder: (_pass, _pass)
        for builder in ("latex", "text", "man", "texinfo", "epub")
    }
    app.add_node(interactive_widget, html=(visit_widget_html, None), **other)
    app.add_node(
        interactive_fallback,
        html=(visit_fallback_html, depart_fallback_html),
        **transparent,
    )
    app.add_node(interactive_print_note, html=(_skip, None), **transparent)
    app.add_directive("interactive-figure", InteractiveFigure)
    # Before site_fixes (500) copies the page's script list.
    app.connect("html-page-context", _add_assets, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
