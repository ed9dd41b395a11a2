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
- read from disk (``file://``), where a browser may not fetch
  ``switcher.json``, the switcher and the banner read the same list from
  ``_static/switcher.js``, a script the pages load, which the build and
  the publishing script write beside it (``_static/editions.js``). Its
  links lead to the editions online.
"""

from __future__ import annotations

import json
from pathlib import Path

SWITCHER_FILE = "switcher.json"
# The same list as a script, for pages read from disk.
SWITCHER_SCRIPT = "_static/switcher.js"
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


def write_switcher(root: Path, entries: list[dict]) -> None:
    """Write the list of editions into the site copy at ``root``.

    ``switcher.json`` is what the theme fetches; ``_static/switcher.js``
    holds the same list for pages read from disk.
    """
    text = json.dumps(entries, indent=2)
    (root / SWITCHER_FILE).write_text(text + "\n", encoding="utf-8")
    script = root / SWITCHER_SCRIPT
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "// The book's editions, as in switcher.json (written by the build\n"
        "// and by tools/publish_release.py; read by editions.js).\n"
        f"window.MathsForMLEditions = {text};\n",
        encoding="utf-8",
    )


def _on_config_inited(app, config) -> None:
    meta = app.book_metadata  # set by the citation extension
    config.version = config.release = meta.version
    theme = config.html_theme_options
    theme["switcher"] = {
        "json_url": SWITCHER_FILE,
        "version_match": meta.version,
    }
    # The file is written by the build, not read from the sources.
    theme["check_switcher"] = False
    theme["show_version_warning_banner"] = True
    if not config.html_sidebars:
        config.html_sidebars = {"**": SIDEBAR}
    app.add_js_file(Path(SWITCHER_SCRIPT).name, priority=890)
    app.add_js_file("editions.js", priority=900)


def _write_switcher(app) -> None:
    # Before the pages are written, so that their links to the script
    # carry its checksum from the first build on.
    if app.builder.format != "html":
        return
    meta = app.book_metadata
    entries = [switcher_entry(meta.version, meta.edition_url, latest=True)]
    write_switcher(Path(app.outdir), entries)


def setup(app):
    app.setup_extension("citation")
    # After the citation extension has read CITATION.cff.
    app.connect("config-inited", _on_config_inited, priority=600)
    app.connect("builder-inited", _write_switcher)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
