"""Time the book's build: clean, unchanged, and after a library change.

The build runs in a copy of the repository's tracked files, so the working
tree and its ``_build`` are never touched. For each execution mode, serial
(``BOOK_EXECUTION_WORKERS=1``: myst-nb executes each chapter as Sphinx
reads it) and parallel (one worker per core, ``book/_ext/
parallel_execution.py``), it times:

1. the clean build (no ``_build``, so no execution cache), as ``make book``;
2. the unchanged rebuild, as ``make book``;
3. the strict unchanged rebuild, as the test suite's ``built_book``
   (``--all -n -W --keep-going``: every page read and written again);
4. the rebuild after an edit to one library module (``--module``).

After each build it lists the chapters that were executed, read from the
execution cache, and checks them against the cache's promise: every chapter
on a clean build, none on an unchanged one, and exactly the chapters whose
imports reach the edited module after the edit.

Run it from the repository root, after ``make venv``::

    python benchmarks/bench_build.py
    python benchmarks/bench_build.py --modes parallel \\
        --module mathsforml/losses.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import libdeps  # noqa: E402

MODES = {"serial": "1", "parallel": ""}


def _copy_repository(target: Path) -> None:
    """Copy the tracked files (as they are now, edits included)."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def _executed_since(copy: Path, start: datetime) -> set[str]:
    """Chapters whose execution was cached after ``start``."""
    from jupyter_cache import get_cache

    cache_dir = copy / "_build" / ".jupyter_cache"
    if not cache_dir.exists():
        return set()
    records = get_cache(str(cache_dir)).list_cache_records()
    return {
        str(Path(r.uri).relative_to(copy).with_suffix(""))
        for r in records
        if r.created >= start
    }


def _chapters(copy: Path) -> dict[str, set[str]]:
    """Every executed page and the library modules it depends on."""
    found = {}
    for page in sorted((copy / "book").rglob("*.md")):
        text = page.read_text()
        if "{code-cell}" not in text:
            continue
        docname = str(page.relative_to(copy).with_suffix(""))
        found[docname] = set(
            libdeps.dependency_closure(text, copy / "mathsforml")
        )
    return found


def _build(copy: Path, workers: str, strict: bool) -> tuple[float, set[str]]:
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(copy),
        "--builder",
        "html",
    ]
    if strict:
        command += ["--all", "-n", "-W", "--keep-going"]
    env = dict(os.environ, BOOK_EXECUTION_WORKERS=workers)
    # The kernels import the copy's library, not the installed one.
    env["PYTHONPATH"] = str(copy)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    start_stamp = datetime.utcnow()
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout[-3000:]}{result.stderr}")
    return seconds, _executed_since(copy, start_stamp)


def _check(label: str, executed: set[str], expected: set[str]) -> str:
    if executed == expected:
        return "as expected"
    return (
        f"UNEXPECTED (extra {sorted(executed - expected)}, "
        f"missing {sorted(expected - executed)})"
    )


def bench_mode(name: str, module: str, workdir: Path) -> list[tuple]:
    copy = workdir / name
    _copy_repository(copy)
    chapters = _chapters(copy)
    dotted = module.removesuffix(".py").replace("/", ".")
    importers = {d for d, mods in chapters.items() if dotted in mods}
    workers = MODES[name]
    rows = []
    steps = [
        ("clean build", False, set(chapters)),
        ("unchanged rebuild", False, set()),
        ("unchanged rebuild, strict --all", True, set()),
        (f"rebuild after editing {module}", False, importers),
    ]
    for label, strict, expected in steps:
        if label.startswith("rebuild after"):
            with (copy / module).open("a") as handle:
                handle.write("\n# An edit that changes the module's hash.\n")
        seconds, executed = _build(copy, workers, strict)
        rows.append((name, label, seconds, len(executed), expected, executed))
        verdict = _check(label, executed, expected)
        print(
            f"{name:<8} {label:<45} {seconds:7.1f} s  "
            f"{len(executed):3d} executed  {verdict}  "
            f"(load {os.getloadavg()[0]:.2f})",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--modes", nargs="+", choices=list(MODES), default=list(MODES)
    )
    parser.add_argument(
        "--module",
        default="mathsforml/numdiff.py",
        help="library module to edit (default: %(default)s)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the copies (printed)"
    )
    args = parser.parse_args()
    print(
        f"{len(os.sched_getaffinity(0))} cores; load average "
        f"{os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        rows = []
        for mode in args.modes:
            rows += bench_mode(mode, args.module, workdir)
    finally:
        if args.keep:
            print(f"copies kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if any(executed != expected for *_, expected, executed in rows):
        sys.exit("the cache did not execute what it should have")


if __name__ == "__main__":
    main()
