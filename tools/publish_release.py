"""Publish a built edition of the book into the site's published files.

The deployment workflow (``.github/workflows/book.yml``) runs this on a tag
``vX.Y.Z``, with ``--pages`` a checkout of the ``gh-pages`` branch, and the
test suite runs it into a temporary folder (``tests/test_release.py``).
Given the site built from the tag (``_build/html``), it:

1. checks that the site is the edition the tag names (the version the
   build took from ``CITATION.cff``);
2. copies it to ``<pages>/vX.Y.Z/``, where it stays unchanged for good: an
   edition that is already published is never overwritten;
3. makes the site's root a copy of the latest edition, keeping every
   ``v*/`` edition folder (and ``.git``, ``CNAME``);
4. writes ``switcher.json``, the list of editions the version switcher of
   every page reads, into the root and into every edition, newest first
   (and the same list as ``_static/switcher.js``, which pages read from
   disk use); the latest edition's address is the root, so the banner on
   an older edition links to the same page in the latest one.

Usage::

    python tools/publish_release.py --site _build/html --pages PAGES \\
        [--tag vX.Y.Z] [--base-url URL]

``--base-url`` is the address the pages folder is served at (default: the
address the site was built for, ``url`` in ``CITATION.cff``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

# The list of editions is written as the build writes it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book/_ext"))
from editions import SWITCHER_FILE as SWITCHER
from editions import write_switcher

EDITION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")
KEPT_AT_ROOT = {".git", ".nojekyll", "CNAME"}
VERSION_IN_SITE = re.compile(r"VERSION: '([^']*)'")


class PublishError(Exception):
    """The edition cannot be published as asked."""


def site_version(site: Path) -> str:
    """The version a built site is an edition of."""
    options = site / "_static" / "documentation_options.js"
    found = VERSION_IN_SITE.search(options.read_text(encoding="utf-8"))
    if not found or not EDITION.match(f"v{found[1]}"):
        raise PublishError(f"{site} is not a built edition of the book")
    return found[1]


def built_base_url(site: Path, version: str) -> str:
    """The address the site was built to be published at."""
    entries = json.loads((site / SWITCHER).read_text(encoding="utf-8"))
    url = next(e["url"] for e in entries if e["version"] == version)
    return url.removesuffix(f"v{version}/")


def _key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in EDITION.match(name).groups())


def editions(pages: Path) -> list[str]:
    """The published editions, oldest first."""
    names = [p.name for p in pages.iterdir() if p.is_dir()]
    return sorted((n for n in names if EDITION.match(n)), key=_key)


def switcher_entries(names: list[str], base_url: str) -> list[dict]:
    """The switcher's list: newest first, the latest at the root."""
    entries = []
    for name in reversed(names):
        latest = name == names[-1]
        entry = {
            "name": name + (" (latest)" if latest else ""),
            "version": name[1:],
            "url": base_url if latest else f"{base_url}{name}/",
        }
        if latest:
            entry["preferred"] = True
        entries.append(entry)
    return entries


def _replace_root(pages: Path, latest: str) -> None:
    for child in pages.iterdir():
        if child.name in KEPT_AT_ROOT or (
            child.is_dir() and EDITION.match(child.name)
        ):
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    shutil.copytree(pages / latest, pages, dirs_exist_ok=True)


def publish(
    site: Path, pages: Path, tag: str | None = None, base_url: str = ""
) -> dict:
    """Publish ``site`` into ``pages``; return what was done."""
    version = site_version(site)
    edition = f"v{version}"
    if tag is not None and tag != edition:
        raise PublishError(
            f"the tag is {tag} but the site is the edition {edition} "
            "(CITATION.cff's version): tag the commit that sets it"
        )
    pages.mkdir(parents=True, exist_ok=True)
    target = pages / edition
    if target.exists():
        raise PublishError(
            f"{edition} is already published, and a published edition "
            "never changes: release a new version instead"
        )
    base_url = base_url or built_base_url(site, version)
    shutil.copytree(site, target)
    names = editions(pages)
    _replace_root(pages, names[-1])
    entries = switcher_entries(names, base_url)
    for folder in [pages, *(pages / n for n in names)]:
        write_switcher(folder, entries)
    # GitHub Pages must serve _static/ and the like as they are.
    (pages / ".nojekyll").touch()
    return {"edition": edition, "editions": names, "latest": names[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--tag", help="the release tag, vX.Y.Z")
    parser.add_argument("--base-url", default="")
    args = parser.parse_args(argv)
    try:
        done = publish(args.site, args.pages, args.tag, args.base_url)
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"Published {done['edition']} into {args.pages / done['edition']}; "
        f"the root holds {done['latest']}, the latest of "
        f"{', '.join(done['editions'])}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
