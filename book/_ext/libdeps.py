"""Re-execute a chapter when a library module it imports changes.

jupyter-cache decides whether to re-execute a notebook from a hash of its
code cells alone, so on its own it would serve stale outputs after a change
to ``mathsforml``. This extension closes that gap in two steps, for every
chapter that imports the library:

1. it finds the ``mathsforml`` modules the chapter imports, and every module
   those import in turn, by reading their source with :mod:`ast`;
2. it registers those files as dependencies of the chapter, so that Sphinx
   re-reads the chapter when one of them changes, and it appends a hidden
   code cell holding a hash of their contents, so that jupyter-cache sees a
   changed notebook and executes it again.

A chapter that imports nothing from the library keeps its cached outputs
whatever happens to the library, and a chapter that imports only
``mathsforml.numdiff`` is unaffected by a change to ``mathsforml.pca``.
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

PACKAGE = "mathsforml"
# The fingerprint cell is tagged so that it never shows in the book.
CELL_TEMPLATE = """

```{{code-cell}} ipython3
:tags: [remove-cell]
# Library fingerprint for the execution cache (added at build time).
# {digest}: {modules}
```
"""
_IMPORT_RE = re.compile(
    rf"^\s*(?:from\s+({PACKAGE}(?:\.\w+)*)\s+import\s+(\([^)]*\)|[^\n]+)"
    rf"|import\s+({PACKAGE}(?:\.\w+)*))",
    re.MULTILINE,
)


def _module_file(root: Path, dotted: str) -> Path | None:
    """Return the file of module ``dotted`` inside ``root``, if any."""
    parts = dotted.split(".")[1:]
    base = root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(source: str, current: str | None = None) -> set[str]:
    """Dotted names of package modules imported by ``source``.

    ``from mathsforml import numdiff`` imports both the package and its
    submodule ``numdiff``; a relative import inside the package is resolved
    against ``current``.
    """
    found = {PACKAGE}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if _ours(a.name)}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, current)
            if base is None or not _ours(base):
                continue
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _resolve(node: ast.ImportFrom, current: str | None) -> str | None:
    if node.level == 0:
        return node.module
    if current is None:
        return None
    # A module's package is its name minus the last part; each extra dot
    # climbs one more level.
    parts = current.split(".")[: -node.level]
    return ".".join(parts + ([node.module] if node.module else []))


def dependency_closure(source: str, root: Path) -> dict[str, Path]:
    """Map every package module that ``source`` needs to its file.

    Parameters
    ----------
    source : str
        Python code (a chapter's code cells) that may import the package.
    root : pathlib.Path
        The package's folder.

    Returns
    -------
    dict of str to pathlib.Path
        Dotted module names and their files, sorted by name; empty if
        ``source`` does not import the package.
    """
    if not _IMPORT_RE.search(source):
        return {}
    pending = sorted(_chapter_imports(source))
    seen: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        path = _module_file(root, name)
        if name in seen or path is None:
            continue
        seen[name] = path
        pending.extend(_imported_modules(path.read_text(), name) - set(seen))
    return dict(sorted(seen.items()))


def _chapter_imports(source: str) -> set[str]:
    """Package modules named by the import statements of a chapter."""
    names = {PACKAGE}
    for match in _IMPORT_RE.finditer(source):
        module, imported, plain = match.groups()
        if plain:
            names.add(plain)
            continue
        names.add(module)
        # "a as x, b" names a and b; names that are not modules (functions)
        # are dropped later, when no file matches them.
        items = imported.replace("(", " ").replace(")", " ").split(",")
        names |= {f"{module}.{i.split()[0]}" for i in items if i.split()}
    return names


def fingerprinted(text: str, root: Path) -> tuple[str, list[Path]]:
    """A page's source with its fingerprint cell, and the files it hashes.

    Parameters
    ----------
    text : str
        The page's MyST source.
    root : pathlib.Path
        The package's folder.

    Returns
    -------
    tuple of (str, list of pathlib.Path)
        The source, with the fingerprint cell appended when the page's code
        imports the package (unchanged otherwise), and the module files the
        fingerprint covers.
    """
    if "{code-cell}" not in text:
        return text, []
    modules = dependency_closure(text, root)
    if not modules:
        return text, []
    digest = hashlib.sha256()
    for name, path in modules.items():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    cell = CELL_TEMPLATE.format(
        digest=digest.hexdigest()[:16], modules=", ".join(modules)
    )
    return text.rstrip("\n") + cell, list(modules.values())


def with_fingerprint(app, docname: str, text: str) -> str:
    """``text`` as the build reads it: with the page's fingerprint cell.

    The parallel execution step calls this to compute, ahead of Sphinx,
    the notebook that the build will hand to the execution cache.
    """
    return fingerprinted(text, Path(app.srcdir) / PACKAGE)[0]


def _on_source_read(app, docname: str, source: list[str]) -> None:
    text, paths = fingerprinted(source[0], Path(app.srcdir) / PACKAGE)
    for path in paths:
        # Sphinx re-reads this chapter when any of these files changes.
        app.env.note_dependency(str(path))
    source[0] = text


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
