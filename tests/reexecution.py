"""A second, independent execution of every chapter, for the determinism test.

``test_chapter_outputs_are_reproducible`` compares each chapter's outputs in
the build with the outputs of a fresh execution. The fresh executions do not
need the build: each chapter's notebook is made from its source here, as
the build makes it (with the library fingerprint cell of ``libdeps``), and
the test checks that its code is the built notebook's code, cell for cell.
So ``conftest.py`` starts this script when the session starts, at a low
priority, and the executions run alongside the build on the cores the build
leaves idle, one notebook per core.

Run as a script: ``python tests/reexecution.py OUTDIR DOCNAME...`` writes
``OUTDIR/<docname>.ipynb`` for each chapter, or ``OUTDIR/<docname>.error``
with the traceback if it failed.
"""

from __future__ import annotations

import os
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import libdeps  # noqa: E402
from parallel_execution import kernel_config  # noqa: E402

CELL_TIMEOUT = 300  # seconds, as in _config.yml


def _md_config() -> MdParserConfig:
    parse = yaml.safe_load((ROOT / "_config.yml").read_text())["parse"]
    return MdParserConfig(
        enable_extensions=set(parse["myst_enable_extensions"]),
        dmath_double_inline=parse.get("myst_dmath_double_inline", False),
    )


def notebook_from_source(docname: str) -> nbformat.NotebookNode:
    """The chapter's notebook as the build makes it, with no outputs."""
    path = ROOT / f"{docname}.md"
    text = libdeps.fingerprinted(path.read_text(), ROOT / "mathsforml")[0]
    return read_myst_markdown_notebook(text, config=_md_config())


def execute(docname: str, outdir: Path) -> None:
    target = outdir / f"{docname}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        notebook = notebook_from_source(docname)
        NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            # Local sockets, not TCP ports, which a busy machine may hand
            # to two kernels at once (as book/_ext/parallel_execution.py).
            kernel_name="python3",
            config=kernel_config(),
            resources={"metadata": {"path": str(target_dir(docname))}},
        ).execute()
    except Exception:
        target.with_suffix(".error").write_text(traceback.format_exc())
        return
    nbformat.write(notebook, target)


def target_dir(docname: str) -> Path:
    """Where the build executes a chapter: its own folder."""
    return (ROOT / docname).parent


def main(outdir: str, *docnames: str) -> None:
    out = Path(outdir)
    workers = len(os.sched_getaffinity(0))
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(execute, d, out) for d in docnames]:
            future.result()


if __name__ == "__main__":
    main(*sys.argv[1:])
