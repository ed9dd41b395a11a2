"""Tests for the build step that executes chapters in parallel.

It must execute exactly what myst-nb would (the notebooks the execution
cache lacks), store them as myst-nb does, and say so when its notebook is
not myst-nb's. The whole build uses it too: the strict build of
``test_book.py`` fails if a prediction is wrong, and
``benchmarks/bench_build.py`` checks which chapters each build executed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache
from myst_nb.core.config import NbParserConfig
from myst_parser.config.main import MdParserConfig

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import parallel_execution as pe  # noqa: E402

PAGE = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

```{code-cell} ipython3
from mathsforml import tools
print(tools.VALUE + 1)
```
"""


@pytest.fixture
def book(tmp_path):
    """A page importing a small package, and an app as Sphinx has it."""
    (tmp_path / "mathsforml").mkdir()
    (tmp_path / "mathsforml" / "__init__.py").write_text("")
    (tmp_path / "mathsforml" / "tools.py").write_text("VALUE = 41\n")
    (tmp_path / "page.md").write_text(PAGE)
    config = NbParserConfig(
        execution_mode="cache",
        execution_cache_path=str(tmp_path / "cache"),
        output_folder=str(tmp_path / "out"),
    )
    env = SimpleNamespace(
        doc2path=lambda name: str(tmp_path / f"{name}.md"),
        myst_config=MdParserConfig(),
        mystnb_config=config,
        docname="page",
    )
    app = SimpleNamespace(
        env=env,
        srcdir=str(tmp_path),
        config=SimpleNamespace(source_encoding="utf-8-sig"),
    )
    return app, tmp_path


def test_workers_follow_the_environment(monkeypatch):
    monkeypatch.setenv(pe.WORKERS_VARIABLE, "3")
    assert pe.workers() == 3
    monkeypatch.setenv(pe.WORKERS_VARIABLE, "")
    assert pe.workers() >= 1


def test_the_notebook_carries_the_library_fingerprint(book):
    app, _ = book
    notebook, _ = pe.build_notebook(app, "page")
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == 2
    assert "Library fingerprint" in code[1]
    assert "mathsforml.tools" in code[1]


def test_executes_what_the_cache_lacks_and_stores_it(book):
    app, tmp = book
    cache = get_cache(str(tmp / "cache"))
    hashkey, job = pe._job(app, cache, "page")
    assert job is not None, "an empty cache lacks the page"
    result = pe._execute(job)
    assert result.err is None
    assert job.notebook.cells[-2].outputs[0]["text"] == "42\n"
    pe._store(cache, job, result)
    again, no_job = pe._job(app, cache, "page")
    assert no_job is None and again == hashkey, "cached now"
    record = cache.match_cache_notebook(job.notebook)
    assert record.data["execution_seconds"] == result.time
    assert Path(record.uri) == tmp / "page.md"
    # A change to the module the page imports: the page is due again.
    (tmp / "mathsforml" / "tools.py").write_text("VALUE = 1\n")
    changed, job = pe._job(app, cache, "page")
    assert job is not None and changed != hashkey


def test_a_page_turned_off_is_left_alone(book):
    app, tmp = book
    text = PAGE.replace(
        "---\n\n#", "mystnb:\n  execution_mode: 'off'\n---\n\n#"
    )
    (tmp / "page.md").write_text(text)
    assert pe._job(app, get_cache(str(tmp / "cache")), "page") is None


def test_a_wrong_prediction_is_reported(book, monkeypatch):
    app, tmp = book
    cache = get_cache(str(tmp / "cache"))
    notebook, _ = pe.build_notebook(app, "page")
    written = tmp / "out" / "page.ipynb"
    written.parent.mkdir()
    nbformat.write(notebook, written)
    warnings = []
    monkeypatch.setattr(
        pe.logger, "warning", lambda *a, **k: warnings.append(a[0])
    )
    hashkey = cache.create_hashed_notebook(notebook)[1]
    app.parallel_execution_predicted = (cache, {"page": hashkey})
    pe.check_prediction(app, None)
    assert not warnings
    app.parallel_execution_predicted = (cache, {"page": "another"})
    pe.check_prediction(app, None)
    assert len(warnings) == 1 and "predicted another notebook" in warnings[0]


def test_finishing_order_follows_the_workers():
    jobs = [
        pe.Job(name, Path(name), None, None, 60, False, seconds)
        for name, seconds in [("a", 5), ("b", 4), ("c", 3), ("d", 1)]
    ]
    # a on one worker (ends at 5), b on the other (4); c follows b (7),
    # d follows a (6).
    assert pe.finishing_order(jobs, 2) == ["b", "a", "d", "c"]
    assert pe.finishing_order(jobs, 1) == ["a", "b", "c", "d"]


def test_a_longer_code_is_guessed_longer(book):
    app, _ = book
    notebook, _ = pe.build_notebook(app, "page")
    short = pe.guessed_seconds(notebook)
    notebook.cells[-2].source += "\nx = 1" * 100
    assert pe.guessed_seconds(notebook) > short > pe.KERNEL_START_SECONDS


def test_reading_overlaps_execution(book, monkeypatch):
    """The pages to execute start at once and are read last, each once
    its execution has ended and been cached."""
    app, tmp = book
    monkeypatch.setenv(pe.WORKERS_VARIABLE, "2")
    (tmp / "other.md").write_text(PAGE.replace("+ 1", "+ 2"))
    (tmp / "plain.md").write_text("# No code\n")
    messages = []
    monkeypatch.setattr(
        pe.logger, "info", lambda *a, **k: messages.append(a[0])
    )
    docnames = ["other", "page", "plain"]
    pe.execute_pending(app, app.env, docnames)
    assert docnames[0] == "plain" and set(docnames[1:]) == {"other", "page"}
    pending = app.parallel_execution_pending
    assert set(pending.futures) == {"other", "page"}
    assert pe.DONE_MESSAGE not in messages
    cache = get_cache(str(tmp / "cache"))
    for docname in docnames:
        pe.wait_for_execution(app, docname, [""])
        if docname != "plain":
            assert pe._job(app, cache, docname)[1] is None, "cached"
    assert messages[-1] == pe.DONE_MESSAGE
    assert app.parallel_execution_pending is None
    record = cache.match_cache_notebook(pe.build_notebook(app, "other")[0])
    outputs = cache.get_cache_bundle(record.pk).nb.cells[-2].outputs
    assert outputs[0]["text"] == "43\n"


def test_nothing_to_execute_is_done_at_once(book, monkeypatch):
    app, tmp = book
    monkeypatch.setenv(pe.WORKERS_VARIABLE, "2")
    messages = []
    monkeypatch.setattr(
        pe.logger, "info", lambda *a, **k: messages.append(a[0])
    )
    (tmp / "plain.md").write_text("# No code\n")
    docnames = ["plain"]
    pe.execute_pending(app, app.env, docnames)
    assert messages == [pe.DONE_MESSAGE] and docnames == ["plain"]
