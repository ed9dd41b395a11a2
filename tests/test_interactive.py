"""The interactive figures: the directive that embeds them, and the 2×2
matrix explorer working in a real browser.

The directive (book/_ext/interactive.py) is checked on a one-page Sphinx
project, fast. The explorer is checked on the built book: the test finds
the one page that embeds it, sets matrices through its controls as a
reader would, and compares every number it prints with NumPy's ``eig`` and
``svd`` to the three decimals it prints. It also checks keyboard access,
accessibility (axe-core) in light and dark mode, and the explorer working
from the zipped site read from disk.
"""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import HTML_DIR, ROOT, pages_embedding
from test_browser import (
    AXE_JS,
    PageVisit,
    _axe_violations,
    _set_dark_mode,
    wait_for_math,
)

from mathsforml.svd import flip_signs

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import interactive

WIDGET = "matrix-explorer"
ROOT_SELECTOR = f'[data-interactive="{WIDGET}"]'
DECIMALS = 3  # the explorer prints three decimals
# Half a unit in the last printed decimal, plus room for binary rounding.
PRINT_TOL = 0.5 * 10.0**-DECIMALS + 1e-9
# A printed unit vector carries up to PRINT_TOL per component, so a residual
# such as A v - σ u computed from printed numbers is off by a few of them.
RESIDUAL_TOL = 8 * PRINT_TOL
# NumPy's eigenvalues of a defective matrix split by about sqrt(eps).
REPEATED_TOL = 1e-6
# Entries of a unit vector equal in magnitude to within this are a tie for
# the sign rule of flip_signs, which either sign then satisfies.
TIE_TOL = 1e-9

# The matrices set through the controls, with what each one exercises.
MATRICES = {
    "symmetric": [[2, 1], [1, 2]],
    "general": [[1.5, 1], [0.5, 1]],
    "rotation (complex eigenvalues)": [[0.8, -0.6], [0.6, 0.8]],
    "rotation-scaling (complex eigenvalues)": [[1, -2], [1, 0.5]],
    "shear (defective)": [[1, 1], [0, 1]],
    "defective, not triangular": [[2, 1], [-1, 0]],
    "singular": [[1, 2], [0.5, 1]],
    "negative determinant": [[-1.5, 0.5], [1, 2]],
    "scalar": [[1.5, 0], [0, 1.5]],
    "zero": [[0, 0], [0, 0]],
    "nearly defective": [[1, 1], [0.01, 1]],
    "large entries": [[4.25, -3.5], [2.75, -4.9]],
}


# ---- The directive, on a one-page Sphinx project --------------------------

CONF = """
extensions = ["interactive"]
html_baseurl = "https://example.org/book/"
numfig = True
"""

PAGE = """
Page
====

See :numref:`fig-explorer`.

.. interactive-figure:: {widget}
{options}

   The caption of the explorer.
"""
OPTIONS = {
    "name": "fig-explorer",
    "alt": "A plane with a matrix acting on it, described in words.",
    "config": '{"matrix": [[1, 2], [0, 3]]}',
    "fallback": "mathsforml.plotting.plot_linear_map",
}


def _build(tmp_path: Path, builder: str, page: str) -> tuple[Path, str]:
    """Build a one-page project; return the output folder and warnings."""
    from io import StringIO

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        + CONF
    )
    (src / "index.rst").write_text(page)
    (src / "plain.rst").write_text(":orphan:\n\nPlain\n=====\n\nNo figure.\n")
    out = tmp_path / "_build" / builder
    warnings = StringIO()
    # A namespace of its own, so that the builds in one test process do not
    # see each other's directives and nodes.
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(tmp_path / "_build" / ".doctrees"),
            builder,
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return out, warnings.getvalue()


def _page(widget: str = "matrix-explorer", **changes: str | None) -> str:
    """The test page, with options changed (or dropped, when None)."""
    options = {**OPTIONS, **changes}
    lines = [f"   :{k}: {v}" for k, v in options.items() if v is not None]
    return PAGE.format(widget=widget, options="\n".join(lines))


def test_directive_html_embeds_widget_and_loads_scripts_there_only(tmp_path):
    out, warnings = _build(tmp_path, "html", _page())
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    html = (out / "index.html").read_text()
    assert 'data-interactive="matrix-explorer"' in html
    assert 'data-config="{&quot;matrix&quot;:[[1,2],[0,3]]}"' in html
    assert re.search(r'<figure[^>]*id="fig-explorer"', html)
    assert "Fig. 1" in html  # numbered, and {numref} resolves
    for asset in ("interactive.css", "interactive.js", "matrix-explorer.js"):
        assert f"_static/interactive/{asset}" in html
        assert (out / "_static" / "interactive" / asset).is_file()
    # The static image is kept for readers without JavaScript only.
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript and "<img" in noscript.group(1)
    assert "interactive figure is in the online book" not in html
    plain = (out / "plain.html").read_text()
    assert "interactive" not in plain


def test_directive_latex_prints_fallback_image_and_address(tmp_path):
    out, warnings = _build(tmp_path, "latex", _page())
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    tex = next(out.glob("*.tex")).read_text()
    figure = re.search(r"\\begin\{figure\}.*?\\end\{figure\}", tex, re.S)
    assert figure, "no figure environment"
    body = figure.group(0)
    image = re.search(
        r"\\sphinxincludegraphics[^{]*\{\{(.*?)\}(\.\w+)\}", body
    )
    assert image and image.group(2) == ".pdf", body
    assert (out / (image.group(1) + image.group(2))).is_file()
    assert "The caption of the explorer" in body
    assert "the interactive figure is in the online book" in body
    assert "https://example.org/book/index.html\\#fig-explorer" in body
    assert "data-interactive" not in tex
    assert "\\label{\\detokenize{index:fig-explorer}}" in body


def test_fallback_is_cached_and_follows_the_configuration(tmp_path):
    config = {"matrix": [[1.0, 2.0], [0.0, 3.0]]}
    fallback = "mathsforml.plotting.plot_linear_map"
    first = interactive.render_fallback(fallback, config, tmp_path)
    png = first.with_suffix(".png")
    stamp = png.stat().st_mtime_ns
    again = interactive.render_fallback(fallback, config, tmp_path)
    assert again == first and png.stat().st_mtime_ns == stamp
    other = interactive.render_fallback(
        fallback, {"matrix": [[1.0, 0.0], [0.0, 1.0]]}, tmp_path
    )
    assert other != first
    assert other.with_suffix(".pdf").is_file()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"config": "[1, 2]"}, "it must be a JSON object"),
        ({"config": "{matrix: 1}"}, ":config: is not valid"),
        (
            {"fallback": "numpy.linalg.svd"},
            "must be a function of the library",
        ),
        (
            {"fallback": "mathsforml.plotting.no_such_function"},
            "failed: AttributeError",
        ),
        (
            {"config": '{"matrix": [[1, 2, 3]]}'},
            "failed: ValueError: `matrix` must have shape (2, 2)",
        ),
        ({"alt": None}, "the :alt: option is required"),
        ({"fallback": None}, "the :fallback: option is required"),
        ({"name": None}, "the :name: option is required"),
    ],
)
def test_directive_reports_bad_input(tmp_path, changes, message):
    _, warnings = _build(tmp_path, "html", _page(**changes))
    assert message in warnings, warnings


def test_directive_requires_a_known_widget(tmp_path):
    _, warnings = _build(tmp_path, "html", _page("no-such-widget"))
    assert "no script interactive/no-such-widget.js" in warnings, warnings
    _, warnings = _build(tmp_path, "html", _page("Not_A_Name"))
    assert "is not a widget name" in warnings, warnings


# ---- The matrix explorer in the built book --------------------------------


@pytest.fixture(scope="module")
def widget_page(built_book) -> str:
    """The one page of the book that embeds the explorer."""
    assert built_book.returncode == 0, built_book.stdout[-3000:]
    pages = pages_embedding(WIDGET)
    assert len(pages) == 1, f"the explorer is embedded in {pages or 'no page'}"
    return pages[0]


@pytest.fixture
def explorer(browser, site_url, widget_page):
    visit = PageVisit(browser, f"{site_url}/{widget_page}.html")
    visit.page.locator(f"{ROOT_SELECTOR} svg.mfml-plot").wait_for()
    yield visit
    visit.close()


def _number(text: str) -> float:
    text = text.strip().replace("−", "-").replace("∞", "inf")
    return float(text)


def _vector(text: str) -> np.ndarray:
    match = re.fullmatch(r"\(([^,]+), ([^)]+)\)", text.strip())
    assert match, f"not a printed vector: {text!r}"
    return np.array([_number(match[1]), _number(match[2])])


def _shown(page) -> dict[str, str]:
    """Every printed quantity, by its data-q name, with the eigen kind."""
    shown = page.eval_on_selector_all(
        f"{ROOT_SELECTOR} [data-q]",
        "els => Object.fromEntries(els.map(e => [e.dataset.q, "
        "e.closest('[hidden]') ? null : e.textContent]))",
    )
    shown["kind"] = page.get_attribute(
        f"{ROOT_SELECTOR} .mfml-mx-block-eig dl", "data-kind"
    )
    return shown


def _set_matrix(page, matrix) -> None:
    """Type the entries into the number fields, as a reader would."""
    fields = page.locator(f"{ROOT_SELECTOR} .mfml-mx-entry input[type=number]")
    assert fields.count() == 4
    for field, value in zip(fields.all(), np.ravel(matrix), strict=True):
        field.fill(repr(float(value)))
        field.press("Tab")  # commits the value (a "change" event)


def _close(shown: float, true: float) -> bool:
    return abs(shown - true) <= PRINT_TOL


def _same_line(shown: np.ndarray, true: np.ndarray) -> bool:
    """Equal up to sign, to the printed precision."""
    true = true / np.linalg.norm(true)
    return (
        min(np.abs(shown - true).max(), np.abs(shown + true).max())
        <= PRINT_TOL
    )


def _library_sign(shown: np.ndarray, true: np.ndarray) -> float:
    """The sign that flip_signs gives ``true``; on a tie, the one shown."""
    if abs(abs(true[0]) - abs(true[1])) <= TIE_TOL:
        return 1.0 if shown @ true > 0 else -1.0
    return float(np.sign(flip_signs(true[None, :])[0][0] @ true))


def _expected_kind(a: np.ndarray, values: np.ndarray) -> str:
    if np.abs(values.imag).max() > 0:
        return "complex"
    if abs(values[0] - values[1]) > REPEATED_TOL * max(1, np.abs(a).max()):
        return "distinct"
    lam = values.real.mean()
    scalar = np.allclose(a, lam * np.eye(2), atol=1e-12)
    return "scalar" if scalar else "defective"


def _check_eigen(a: np.ndarray, shown: dict) -> None:
    values, vectors = np.linalg.eig(a)
    kind = _expected_kind(a, values)
    assert shown["kind"] == kind
    if kind == "complex":
        assert _close(_number(shown["lambda-re"]), values[0].real)
        assert _close(_number(shown["lambda-im"]), abs(values[0].imag))
        assert shown["lambda1"] is None and shown["eigvec1"] is None
        return
    order = np.argsort(values.real)[::-1]
    values, vectors = values.real[order], vectors.real[:, order]
    for i in (0, 1):
        assert _close(_number(shown[f"lambda{i + 1}"]), values[i])
    x1 = _vector(shown["eigvec1"])
    assert abs(np.linalg.norm(x1) - 1) <= RESIDUAL_TOL
    assert np.abs(a @ x1 - values[0] * x1).max() <= RESIDUAL_TOL * max(
        1, np.abs(a).max()
    )
    if kind == "defective":
        # One eigenvector line; NumPy's two vectors both lie (nearly) on it.
        assert shown["eigvec2"] == "the same line"
        assert _same_line(x1, vectors[:, 0])
        return
    x2 = _vector(shown["eigvec2"])
    if kind == "distinct":  # the lines, with the signs of flip_signs
        for x, true in ((x1, vectors[:, 0]), (x2, vectors[:, 1])):
            true = true / np.linalg.norm(true)
            expected = _library_sign(x, true) * true
            assert np.abs(x - expected).max() <= PRINT_TOL
    else:  # every vector is an eigenvector: the explorer prints e1, e2
        assert np.abs(np.abs(np.column_stack([x1, x2])) - np.eye(2)).max() == 0


def _check_svd(a: np.ndarray, shown: dict) -> None:
    u, s, vt = np.linalg.svd(a)
    for i in (0, 1):
        assert _close(_number(shown[f"sigma{i + 1}"]), s[i])
    v_shown = np.column_stack([_vector(shown["v1"]), _vector(shown["v2"])])
    u_shown = np.column_stack([_vector(shown["u1"]), _vector(shown["u2"])])
    # Valid singular vectors whatever the choice: orthonormal, A v = σ u.
    for q in (v_shown, u_shown):
        assert np.abs(q.T @ q - np.eye(2)).max() <= RESIDUAL_TOL
    scale = max(1, s[0])
    assert np.abs(a @ v_shown - u_shown * s).max() <= RESIDUAL_TOL * scale
    if s[0] - s[1] <= REPEATED_TOL * scale:
        return  # σ1 = σ2: any orthonormal pair is right; checked above
    for i in (0, 1):  # the signs of flip_signs, which the book uses
        sign = _library_sign(v_shown[:, i], vt[i])
        assert np.abs(v_shown[:, i] - sign * vt[i]).max() <= PRINT_TOL
        if s[i] > REPEATED_TOL * scale:  # otherwise u_i's sign is free
            assert np.abs(u_shown[:, i] - sign * u[:, i]).max() <= PRINT_TOL
        else:
            assert _same_line(u_shown[:, i], u[:, i])


@pytest.mark.book
@pytest.mark.browser
def test_numbers_match_numpy_for_matrices_set_through_the_controls(
    explorer,
):
    page = explorer.page
    for name, matrix in MATRICES.items():
        _set_matrix(page, matrix)
        a = np.array(matrix, dtype=float)
        shown = _shown(page)
        context = f"{name}: {matrix} shows {shown}"
        assert _close(_number(shown["det"]), np.linalg.det(a)), context
        assert _close(_number(shown["trace"]), np.trace(a)), context
        assert int(shown["rank"]) == np.linalg.matrix_rank(a), context
        try:
            _check_eigen(a, shown)
            _check_svd(a, shown)
        except AssertionError as error:
            raise AssertionError(f"{context}: {error}") from error
        rank = np.linalg.matrix_rank(a)
        if rank == 2:
            assert abs(_number(shown["cond"]) - np.linalg.cond(a)) <= 0.005
        elif rank == 1:
            assert shown["cond"] == "∞"
    assert not explorer.console_errors, explorer.console_errors
    assert not explorer.blocked and not explorer.failed


@pytest.mark.book
@pytest.mark.browser
def test_drawing_follows_the_matrix(explorer):
    """The columns' arrows end where the matrix sends e1 and e2, and the
    eigenvector lines appear only for real eigenvalues."""
    page = explorer.page
    _set_matrix(page, [[2, 1], [1, 2]])
    plot = f"{ROOT_SELECTOR} svg.mfml-plot"
    assert page.locator(f"{plot} .mfml-mx-eigline").count() == 2
    handles = page.eval_on_selector_all(
        f"{plot} circle.mfml-mx-handle",
        "cs => cs.map(c => [+c.getAttribute('cx'), +c.getAttribute('cy')])",
    )
    origin = page.eval_on_selector(
        f"{plot} .mfml-mx-axis",
        "l => [+l.getAttribute('x1') + +l.getAttribute('x2'),"
        " +l.getAttribute('y1') + +l.getAttribute('y2')].map(z => z / 2)",
    )
    (x1, y1), (x2, y2) = np.subtract(handles, origin)
    # Column 1 is (2, 1) and column 2 is (1, 2), with y up on screen.
    assert x1 == pytest.approx(-2 * y1) and x2 == pytest.approx(-y2 / 2)
    _set_matrix(page, [[0.8, -0.6], [0.6, 0.8]])
    assert page.locator(f"{plot} .mfml-mx-eigline").count() == 0
    _set_matrix(page, [[1, 1], [0, 1]])
    assert page.locator(f"{plot} .mfml-mx-eigline").count() == 1


@pytest.mark.book
@pytest.mark.browser
def test_dragging_a_column_tip_sets_the_column(explorer):
    page = explorer.page
    _set_matrix(page, [[1, 0], [0, 1]])
    plot = page.locator(f"{ROOT_SELECTOR} svg.mfml-plot")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    per_unit = box["width"] / 480  # screen pixels per viewBox unit

    def screen(circle) -> tuple[float, float]:
        cx, cy = (float(circle.get_attribute(k)) for k in ("cx", "cy"))
        return box["x"] + cx * per_unit, box["y"] + cy * per_unit

    handle = page.locator(f"{ROOT_SELECTOR} circle.mfml-mx-handle").first
    start = screen(handle)  # A e1 = (1, 0)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    unit = start[0] - centre[0]  # screen pixels per unit of the plane
    page.mouse.move(*start)
    page.mouse.down()
    # To (2, 0.5) in a few steps: y goes up on the screen.
    page.mouse.move(centre[0] + 2 * unit, centre[1] - 0.5 * unit, steps=5)
    page.mouse.up()
    fields = page.locator(f"{ROOT_SELECTOR} input[type=number]")
    values = [float(fields.nth(i).input_value()) for i in range(4)]
    assert values == [2.0, 0.0, 0.5, 1.0]
    shown = _shown(page)
    assert _close(_number(shown["det"]), 2.0), shown
    assert not explorer.console_errors, explorer.console_errors


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
        const e = document.activeElement;
        const root = e.closest('[data-interactive]');
        const style = getComputedStyle(e);
        const label = e.labels && e.labels.length ? e.labels[0].textContent
            : e.getAttribute('aria-labelledby')
              ? document.getElementById(e.getAttribute('aria-labelledby'))
                  .textContent
              : e.textContent;
        return {inside: !!root, tag: e.tagName, type: e.type || '',
                name: label.trim(), outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth)};
    }"""
    )


@pytest.mark.book
@pytest.mark.browser
def test_controls_work_from_the_keyboard(explorer):
    page = explorer.page
    page.locator(ROOT_SELECTOR).scroll_into_view_if_needed()
    # Tab from the top of the page until the focus enters the explorer.
    for _ in range(300):
        page.keyboard.press("Tab")
        if _focused(page)["inside"]:
            break
    reached = []
    while (focus := _focused(page))["inside"]:
        assert focus["name"], f"a control has no accessible name: {focus}"
        assert focus["outline"] != "none" and focus["outlineWidth"] >= 2, (
            f"focus is not visible on {focus}"
        )
        reached.append((focus["type"], focus["name"]))
        page.keyboard.press("Tab")
    entries = ["a11", "a12", "a21", "a22"]
    assert reached[:8] == [
        (kind, entry) for entry in entries for kind in ("number", "range")
    ]
    assert [name for kind, name in reached if kind == "button"] == [
        "Symmetric",
        "Rotation",
        "Shear",
        "Singular",
        "Reflection",
        "Stretch",
        "Reset",
    ]
    assert sum(kind == "checkbox" for kind, _ in reached) == 3

    # Arrow keys step the entries; the printed numbers follow.
    _set_matrix(page, [[1, 0], [0, 1]])
    slider = page.locator(f"{ROOT_SELECTOR} input[type=range]").first
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # a11: 1 -> 1.2 in steps of 0.05
    number = page.locator(f"{ROOT_SELECTOR} input[type=number]").nth(3)
    number.focus()
    page.keyboard.press("ArrowUp")  # a22: 1 -> 1.01
    page.keyboard.press("Tab")
    shown = _shown(page)
    assert _close(_number(shown["trace"]), 1.2 + 1.01), shown
    assert _close(_number(shown["det"]), 1.2 * 1.01), shown
    first = page.locator(f"{ROOT_SELECTOR} input[type=number]").first
    assert float(first.input_value()) == pytest.approx(1.2)

    # A preset button works with the keyboard.
    page.locator(f"{ROOT_SELECTOR} button", has_text="Rotation").focus()
    page.keyboard.press("Enter")
    assert _shown(page)["kind"] == "complex"
    checkbox = page.get_by_label("eigenvectors", exact=True)
    checkbox.focus()
    page.keyboard.press("Space")
    assert not checkbox.is_checked()
    assert not explorer.console_errors, explorer.console_errors


def _axe_on_widget(page) -> list[dict]:
    """Every axe-core violation inside the explorer's figure, any impact."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => (await axe.run(
            document.querySelector('figure.interactive-figure')))
          .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_accessible_in_both_themes(explorer, theme):
    page = explorer.page
    if theme == "dark":
        _set_dark_mode(page)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    wait_for_math(page)
    # Light and dark panels really differ (the colours follow the theme).
    panel = page.eval_on_selector(
        ROOT_SELECTOR, "e => getComputedStyle(e).backgroundColor"
    )
    dark = sum(map(int, re.findall(r"\d+", panel)[:3])) < 3 * 128
    assert dark == (theme == "dark"), panel
    for matrix in ([[1.5, 1], [0.5, 1]], [[0.8, -0.6], [0.6, 0.8]]):
        _set_matrix(page, matrix)
    # The page's own console; axe-core's fetches (404s) come after.
    assert not explorer.console_errors, explorer.console_errors
    for matrix in ([[1.5, 1], [0.5, 1]], [[0.8, -0.6], [0.6, 0.8]]):
        _set_matrix(page, matrix)
        violations = _axe_on_widget(page)
        assert not violations, f"{matrix}: {violations}"
    violations = _axe_violations(page)
    assert not violations, violations


@pytest.fixture(scope="module")
def unzipped_site(built_book, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("interactive-offline")
    archive = shutil.make_archive(str(tmp / "site"), "zip", HTML_DIR)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp / "site")
    return tmp / "site"


@pytest.mark.book
@pytest.mark.browser
def test_works_from_the_zipped_site_on_disk(
    browser, unzipped_site, widget_page
):
    context = browser.new_context()
    page = context.new_page()
    requested, errors = [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            requested.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    url = (unzipped_site / f"{widget_page}.html").as_uri()
    page.goto(url, wait_until="load")
    page.locator(f"{ROOT_SELECTOR} svg.mfml-plot").wait_for()
    _set_matrix(page, [[1, 2], [3, 4]])
    shown = _shown(page)
    assert _close(_number(shown["det"]), -2.0)
    assert _close(
        _number(shown["sigma1"]), np.linalg.svd([[1, 2], [3, 4]])[1][0]
    )
    assert not requested, f"needed the network: {requested}"
    assert not errors, errors
    context.close()
