"""Each build of the book is an edition: its version, switcher and banner.

The book is published in editions (``tools/publish_release.py``): a tagged
release ``vX.Y.Z`` is published under ``<site>/vX.Y.Z/`` and never changes
again, and the latest edition is also copied to the site's root. Pages
cite the versioned address (``book/_ext/citation.py``), so a citation keeps
pointing at the text that was cited.

This extension makes every build one such edition, of the version
``CITATION.cff`` gives:

- Sphinx's ``version`` and ``release`` are that version;
- every page's canonical address is the versioned one;
- the theme's version switcher (pydata-sphinx-theme's, in the primary
  sidebar) lists the editions from ``switcher.json``, which the build
  writes listing this edition alone and the publishing script rewrites,
  in every edition, to list them all; its address is relative, so that it
  resolves to the root of whichever copy the page is read from;
- the theme's version warning banner, on an edition older than the
  latest, links to the same page in the latest edition;
- read from disk (``file://``), where a browser forbids fetching the
  list, the switcher is left out (``_static/editions.js``).
"""

from __future__ import annotations

import json
from pathlib import Path

SWITCHER_FILE = "switcher.json"
SIDEBAR = [
    "navbar-logo.html",
    "version-switcher.html",
    "icon-links.html",
    "search-button-field.html",
    "sbt-sidebar-nav.html",
]


def switcher_entry(version: str, url: str, latest: bool) -> dict:
    """One edition in ``switcher.json``."""
    entry = {
        "name": f"v{version}" + (" (latest)" if latest else ""),
        "version": version,
        "url": url,
    }
    if latest:
        entry["preferred"] = True
    return entry


def _on_config_inited(app, config) -> None:
    meta = app.book_metadata  # set by the citation extension
    config.version = config.release = meta.version
    theme = config.html_theme_options
    theme["switcher"] = {
        "json_url": SWITCHER_FILE,
        "version_match": meta.version,
    }
    # The file is written at the end of the build, not read from sources.
    theme["check_switcher"] = False
    theme["show_version_warning_banner"] = True
    if not config.html_sidebars:
        config.html_sidebars = {"**": SIDEBAR}
    app.add_js_file("editions.js", priority=900)


def _write_switcher(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    meta = app.book_metadata
    entries = [switcher_entry(meta.version, meta.edition_url, latest=True)]
    Path(app.outdir, SWITCHER_FILE).write_text(
        json.dumps(entries, indent=2) + "\n", encoding="utf-8"
    )


def setup(app):
    app.setup_extension("citation")
    # After the citation extension has read CITATION.cff.
    app.connect("config-inited", _on_config_inited, priority=600)
    app.connect("build-finished", _write_switcher)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
