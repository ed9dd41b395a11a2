"""Execute the chapters the build needs in parallel, while Sphinx reads.

myst-nb executes a chapter while Sphinx reads it, one chapter after another,
so a cold build uses one core however many the machine has. This extension
runs first: once Sphinx knows which pages it will read, it turns each into
the very notebook myst-nb will make of it (the library fingerprint cell of
``libdeps`` included), asks the execution cache whether that notebook has
been executed, and starts executing the ones that have not, one worker per
core, longest first. Each result goes into the cache exactly as myst-nb
would store it. When Sphinx then reads a page, myst-nb finds its notebook
in the cache.

Sphinx reads while the notebooks execute. The extension reorders the pages
to read: first those that need no execution, then the executed ones in the
order their executions are expected to end. Reading a page whose execution
is still running waits for it.

The cache semantics stay myst-nb's: a notebook is executed when, and only
when, no cached execution matches its code. An unchanged rebuild executes
nothing, an edited chapter is executed alone, and a change to a library
module executes the chapters whose fingerprint it changes. Should this
extension ever compute a notebook that differs from myst-nb's, nothing goes
wrong: myst-nb does not find it in the cache and executes the chapter
itself, serially, as it always has (the build warns, so the strict build of
``tests/test_book.py`` fails). A chapter that fails here is also left to
myst-nb, which executes it again and reports the error as usual.

Kernels talk to the build over local sockets (``ipc``), not TCP ports: two
kernels started at once on a busy machine can be handed the same free port,
and one of them dies.

The environment variable ``BOOK_EXECUTION_WORKERS`` sets the number of
workers (default: the number of cores this process may use); ``1`` turns
this extension off, so that myst-nb executes every chapter as it reads it.
"""

from __future__ import annotations

import heapq
import os
import tempfile
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import libdeps
import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.nb_to_tokens import nb_node_to_dict
from myst_nb.core.read import create_nb_reader
from sphinx.util import logging
from traitlets.config import Config

WORKERS_VARIABLE = "BOOK_EXECUTION_WORKERS"
# Printed once every execution this step started has ended (or at once
# when there are none): the build's own executions are over.
DONE_MESSAGE = "parallel execution: done"
# Without a recorded time (a cold cache), a chapter's time is guessed from
# its code: about this many seconds per character, plus a kernel's start.
SECONDS_PER_CODE_CHAR = 4e-4
KERNEL_START_SECONDS = 1.0
logger = logging.getLogger(__name__)


@dataclass
class Job:
    """A chapter whose current notebook has no cached execution."""

    docname: str
    path: Path
    notebook: nbformat.NotebookNode
    read_fmt: dict | None
    timeout: int
    allow_errors: bool
    expected_seconds: float = 0.0


@dataclass
class Pending:
    """The executions running while Sphinx reads."""

    cache: object
    pool: ThreadPoolExecutor
    futures: dict[str, tuple[Job, Future]] = field(default_factory=dict)
    start: float = 0.0
    count: int = 0


def workers() -> int:
    """Number of notebooks to execute at once."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if value:
        return max(1, int(value))
    return len(os.sched_getaffinity(0))


def build_notebook(app, docname: str):
    """The notebook myst-nb will make of a page, and its reader.

    Returns ``(None, None)`` for a page that is not a notebook.
    """
    env = app.env
    path = Path(env.doc2path(docname))
    text = path.read_text(encoding=app.config.source_encoding)
    # The only source-read handler that changes a page's code.
    text = libdeps.with_fingerprint(app, docname, text)
    reader = create_nb_reader(
        str(path), env.myst_config, env.mystnb_config, text
    )
    if reader is None:
        return None, None
    return reader.read(text), reader


def _job(app, cache, docname: str) -> tuple[str, Job | None] | None:
    """The hash of the page's notebook, and a job if it needs executing.

    Returns None for a page that myst-nb does not execute from the cache.
    """
    notebook, reader = build_notebook(app, docname)
    if notebook is None:
        return None
    config = app.env.mystnb_config
    # A page's front matter may override the execution settings.
    overrides = notebook.metadata.get(config.metadata_key)
    if overrides:
        overrides = nb_node_to_dict(overrides)
        overrides.pop("output_folder", None)
        config = config.copy(**overrides)
    path = Path(app.env.doc2path(docname))
    posix = PurePosixPath(path.as_posix())
    if config.execution_mode != "cache" or any(
        posix.match(p) for p in config.execution_excludepatterns
    ):
        return None
    hashkey = cache.create_hashed_notebook(notebook)[1]
    try:
        cache.match_cache_notebook(notebook)
        return hashkey, None
    except KeyError:
        pass
    job = Job(
        docname,
        path,
        notebook,
        reader.read_fmt,
        config.execution_timeout,
        config.execution_allow_errors,
    )
    return hashkey, job


def _previous_seconds(cache) -> dict[str, float]:
    """Last recorded execution time of each notebook file."""
    latest: dict[str, tuple] = {}
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        known = latest.get(record.uri)
        if known is None or record.created > known[0]:
            latest[record.uri] = (record.created, seconds)
    return {uri: seconds for uri, (_, seconds) in latest.items()}


def guessed_seconds(notebook: nbformat.NotebookNode) -> float:
    """A first guess at a notebook's execution time, from its code."""
    code = sum(len(c.source) for c in notebook.cells if c.cell_type == "code")
    return KERNEL_START_SECONDS + SECONDS_PER_CODE_CHAR * code


def finishing_order(jobs: list[Job], n_workers: int) -> list[str]:
    """The order in which ``jobs``, run as given on ``n_workers``
    workers, are expected to end."""
    free = [(0.0, i) for i in range(n_workers)]
    ends = []
    for job in jobs:
        start, worker = heapq.heappop(free)
        end = start + job.expected_seconds
        ends.append((end, job.docname))
        heapq.heappush(free, (end, worker))
    return [docname for _, docname in sorted(ends)]


def kernel_config() -> Config:
    """Settings for a notebook client whose kernel listens on local
    sockets.

    The sockets' files are named by an absolute path (the kernel runs in
    the chapter's folder), short (a socket's path has a length limit) and
    unique; the client removes them when it shuts the kernel down.
    """
    ip = os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex}")
    return Config({"KernelManager": {"transport": "ipc", "ip": ip}})


def _execute(job: Job):
    return single_nb_execution(
        job.notebook,
        cwd=str(job.path.parent),
        allow_errors=job.allow_errors,
        timeout=job.timeout,
        meta_override=True,
        config=kernel_config(),
    )


def _store(cache, job: Job, result) -> None:
    """Cache an execution as myst-nb's cache client does."""
    record = cache.add_nb_to_project(
        str(job.path), **({"read_data": job.read_fmt} if job.read_fmt else {})
    )
    NbProjectRecord.remove_tracebacks([record.pk], cache.db)
    cache.cache_notebook_bundle(
        CacheBundleIn(
            job.notebook,
            record.uri,
            data={"execution_seconds": result.time},
        ),
        check_validity=False,
        overwrite=True,
    )


def execute_pending(app, env, docnames: list[str]) -> None:
    """Start executing, in parallel, the pages to be read that the cache
    lacks, and reorder ``docnames`` so that reading overlaps with it."""
    n_workers = workers()
    config = getattr(env, "mystnb_config", None)
    if n_workers < 2 or config is None or config.execution_mode != "cache":
        return
    if getattr(app, "parallel_execution_pending", None) is not None:
        return  # Jupyter Book may fire this event twice
    cache = get_cache(config.execution_cache_path)
    # Checked against myst-nb's own notebooks as Sphinx reads the pages
    # (kept across calls).
    _, predicted = getattr(app, "parallel_execution_predicted", (None, {}))
    app.parallel_execution_predicted = (cache, predicted)
    jobs = []
    for docname in docnames:
        found = _job(app, cache, docname)
        if found is not None:
            predicted[docname], job = found
            jobs += [job] if job else []
    if len(jobs) < 2:
        logger.info(DONE_MESSAGE)
        return  # nothing to gain: myst-nb executes it
    seconds = _previous_seconds(cache)
    for job in jobs:
        job.expected_seconds = seconds.get(
            str(job.path.absolute()), guessed_seconds(job.notebook)
        )
    # Longest first, so that no long chapter starts last.
    jobs.sort(key=lambda j: (-j.expected_seconds, j.docname))
    n_workers = min(n_workers, len(jobs))
    logger.info(
        f"executing {len(jobs)} notebooks with {n_workers} workers "
        "while reading",
        color="green",
    )
    pending = Pending(cache, ThreadPoolExecutor(n_workers))
    pending.start, pending.count = time.perf_counter(), len(jobs)
    for job in jobs:
        future = pending.pool.submit(_execute, job)
        pending.futures[job.docname] = (job, future)
    app.parallel_execution_pending = pending
    executed = finishing_order(jobs, n_workers)
    docnames[:] = [d for d in docnames if d not in pending.futures] + executed


def wait_for_execution(app, docname: str, source: list[str]) -> None:
    """Before Sphinx reads a page, wait for its execution and cache it."""
    pending = getattr(app, "parallel_execution_pending", None)
    if pending is None or docname not in pending.futures:
        return
    job, future = pending.futures.pop(docname)
    try:
        result = future.result()
    except Exception as error:  # a dead kernel, for one
        result, reason = None, f"{type(error).__name__}: {error}"
    else:
        reason = result.err and type(result.err).__name__
    if reason:
        # myst-nb executes it again while reading, and reports.
        logger.info(f"{docname}: failed ({reason}); executing it again")
    else:
        # The database is written from this thread only.
        _store(pending.cache, job, result)
        logger.info(f"{docname}: executed in {result.time:.1f} s")
    if not pending.futures:
        _finish(app, pending)


def _finish(app, pending: Pending) -> None:
    pending.pool.shutdown(wait=True, cancel_futures=True)
    app.parallel_execution_pending = None
    logger.info(
        f"executed {pending.count} notebooks in "
        f"{time.perf_counter() - pending.start:.1f} s",
        color="green",
    )
    logger.info(DONE_MESSAGE)


def _on_build_finished(app, exception) -> None:
    # A build that stopped early leaves no execution running.
    pending = getattr(app, "parallel_execution_pending", None)
    if pending is not None:
        pending.pool.shutdown(wait=True, cancel_futures=True)
        app.parallel_execution_pending = None


def check_prediction(app, doctree) -> None:
    """Warn if myst-nb made another notebook of a page than predicted.

    myst-nb writes the notebook it parsed (with the build-time cells) to
    ``jupyter_execute``; its hash must be the one this extension computed,
    or the parallel execution ran (or skipped) the wrong notebook.
    """
    cache, predicted = getattr(app, "parallel_execution_predicted", (0, {}))
    docname = app.env.docname
    if docname not in predicted:
        return
    *folders, name = docname.split("/")
    written = Path(app.env.mystnb_config.output_folder, *folders, name)
    notebook = nbformat.read(f"{written}.ipynb", as_version=4)
    if cache.create_hashed_notebook(notebook)[1] != predicted[docname]:
        logger.warning(
            "the parallel execution step predicted another notebook than "
            "the one myst-nb built for this page; see "
            "book/_ext/parallel_execution.py",
            location=docname,
        )


def setup(app):
    app.setup_extension("libdeps")
    app.connect("env-before-read-docs", execute_pending)
    # Before any other handler sees the page.
    app.connect("source-read", wait_for_execution, priority=100)
    app.connect("doctree-read", check_prediction)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
