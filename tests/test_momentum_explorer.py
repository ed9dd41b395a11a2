"""The momentum explorer of the momentum chapter, in a real browser.

The test finds the one page that embeds it, sets the step size, the
momentum and the condition number through its controls as a reader
would, and compares the rates it prints with
:func:`mathsforml.optimizers.heavy_ball_rate` for the same setting: the
theoretical rate to the four decimals printed, the rate measured from
the iterates to 1%. It also checks the preset buttons, keyboard access,
and accessibility (axe-core) in light and dark mode.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import pages_embedding
from test_browser import (
    AXE_JS,
    PageVisit,
    _axe_violations,
    _set_dark_mode,
    wait_for_math,
)

from mathsforml.optimizers import heavy_ball_rate
from mathsforml.plotting import plot_momentum_explorer

WIDGET = "momentum-explorer"
ROOT_SELECTOR = f'[data-interactive="{WIDGET}"]'
DECIMALS = 4  # the explorer prints rates with four decimals
PRINT_TOL = 0.5 * 10.0**-DECIMALS + 1e-9
MEASURED_RTOL = 0.01  # the measured rate, over a long run, against theory

# (alpha, beta, kappa), with what each one exercises
SETTINGS = {
    "the starting setting": (1.0, 0.7, 100.0),
    "gradient descent": (0.5, 0.0, 10.0),
    "complex roots: the floor sqrt(beta)": (0.3, 0.9, 1000.0),
    "real roots on the steep side": (3.0, 0.3, 20.0),
    "diverging: alpha > 2 + 2 beta": (3.5, 0.5, 50.0),
    "kappa = 1": (1.9, 0.0, 1.0),
    "slow: tiny step, large kappa": (0.05, 0.5, 800.0),
    "on the edge: alpha = 2 + 2 beta": (3.0, 0.5, 100.0),
    "rate within 1e-4 of 1": (0.01, 0.0, 1000.0),
}
EDGE_TOL = 1e-12  # |rate - 1| that counts as a root on the unit circle


def _verdict(rate: float) -> str:
    if rate < 1 - EDGE_TOL:
        return "converges"
    if rate > 1 + EDGE_TOL:
        return "diverges"
    return "is on the edge: it neither converges nor diverges"


@pytest.fixture(scope="module")
def widget_page(built_book) -> str:
    """The one page of the book that embeds the explorer."""
    assert built_book.returncode == 0, built_book.stdout[-3000:]
    pages = pages_embedding(WIDGET)
    assert pages == ["book/estimation/momentum"], pages
    return pages[0]


@pytest.fixture
def explorer(browser, site_url, widget_page):
    visit = PageVisit(browser, f"{site_url}/{widget_page}.html")
    visit.page.locator(f"{ROOT_SELECTOR} svg.mfml-plot").first.wait_for()
    yield visit
    visit.close()


def _shown(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        f"{ROOT_SELECTOR} [data-q]",
        "els => Object.fromEntries(els.map(e => [e.dataset.q,"
        " e.textContent]))",
    )


def _number(text: str) -> float:
    """A printed number; a rate near 1 is printed as "1 − 1.0e−5"."""
    text = text.strip().replace("−", "-")
    if text.startswith("1 - "):
        return 1 - float(text[4:])
    return float(text)


def _set(page, alpha: float, beta: float, kappa: float) -> None:
    """Type the three settings into the number fields, as a reader would."""
    fields = page.locator(f"{ROOT_SELECTOR} input[type=number]")
    assert fields.count() == 3
    for field, value in zip(fields.all(), (alpha, beta, kappa), strict=True):
        field.fill(repr(float(value)))
        field.press("Tab")  # commits the value (a "change" event)


def _fields(page) -> list[float]:
    fields = page.locator(f"{ROOT_SELECTOR} input[type=number]")
    return [float(f.input_value()) for f in fields.all()]


@pytest.mark.book
@pytest.mark.browser
def test_rates_match_heavy_ball_rate(explorer):
    page = explorer.page
    for name, (alpha, beta, kappa) in SETTINGS.items():
        _set(page, alpha, beta, kappa)
        assert _fields(page) == [alpha, beta, kappa], name
        shown = _shown(page)
        theory = heavy_ball_rate(alpha, beta, [1 / kappa, 1.0])
        context = f"{name}: {(alpha, beta, kappa)} shows {shown}"
        assert abs(_number(shown["rate-theory"]) - theory) <= PRINT_TOL, (
            context
        )
        if 0.9999 < theory < 1:  # printed as 1 - (1 - rate), 2 digits
            gap = _number(shown["rate-theory"]) - theory
            assert abs(gap) <= 0.05 * (1 - theory), context
        measured = _number(shown["rate-measured"])
        assert abs(measured - theory) <= MEASURED_RTOL * theory, context
        assert shown["status"] == _verdict(theory), context
        assert _number(shown["edge"]) == pytest.approx(2 + 2 * beta)
        root = np.sqrt(kappa)
        best = (root - 1) / (root + 1)
        assert abs(_number(shown["best-rate"]) - best) <= PRINT_TOL, context
        gd = (kappa - 1) / (kappa + 1)
        assert abs(_number(shown["gd-rate"]) - gd) <= PRINT_TOL, context
    assert not explorer.console_errors, explorer.console_errors
    assert not explorer.blocked and not explorer.failed


@pytest.mark.book
@pytest.mark.browser
def test_buttons_set_the_best_parameters(explorer):
    page = explorer.page
    for kappa in (10.0, 100.0, 1000.0):
        _set(page, 1.0, 0.5, kappa)
        page.locator(
            f"{ROOT_SELECTOR} button", has_text="Best α and β"
        ).click()
        alpha, beta, shown_kappa = _fields(page)
        root = np.sqrt(kappa)
        assert shown_kappa == kappa
        assert alpha == pytest.approx((2 / (1 + 1 / root)) ** 2, abs=1e-6)
        assert beta == pytest.approx(((root - 1) / (root + 1)) ** 2, abs=1e-6)
        shown = _shown(page)
        best = (root - 1) / (root + 1)  # eq. (hb-optimal)
        assert abs(_number(shown["rate-theory"]) - best) <= PRINT_TOL, shown
        # a double root: the measured rate carries a factor k^(1/k)
        assert abs(_number(shown["rate-measured"]) - best) <= 0.01 * best
        page.locator(f"{ROOT_SELECTOR} button", has_text="Gradient").click()
        shown = _shown(page)
        gd = (kappa - 1) / (kappa + 1)  # eq. (gd-optimal)
        assert _fields(page)[1] == 0.0
        assert abs(_number(shown["rate-theory"]) - gd) <= PRINT_TOL, shown
    page.locator(f"{ROOT_SELECTOR} button", has_text="Reset").click()
    assert _fields(page) == [1.0, 0.7, 100.0]
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
        return {inside: !!root, type: e.type || '', name: label.trim(),
                outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth)};
    }"""
    )


@pytest.mark.book
@pytest.mark.browser
def test_controls_work_from_the_keyboard(explorer):
    page = explorer.page
    page.locator(ROOT_SELECTOR).scroll_into_view_if_needed()
    for _ in range(400):  # Tab from the top until the focus enters
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
    names = ["step size α", "momentum β", "condition number κ"]
    assert reached[:6] == [
        (kind, name) for name in names for kind in ("number", "range")
    ]
    buttons = [name for kind, name in reached if kind == "button"]
    assert buttons == ["Best α and β", "Gradient descent, best α", "Reset"]

    # Arrow keys step the settings; the printed rate follows.
    _set(page, 1.0, 0.7, 100.0)
    slider = page.locator(f"{ROOT_SELECTOR} input[type=range]").first
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # alpha: 1 -> 1.05
    momentum = page.locator(f"{ROOT_SELECTOR} input[type=number]").nth(1)
    momentum.focus()
    page.keyboard.press("ArrowDown")  # beta: 0.7 -> 0.69
    page.keyboard.press("Tab")
    alpha, beta, kappa = _fields(page)
    assert (alpha, beta, kappa) == (pytest.approx(1.05), 0.69, 100.0)
    theory = heavy_ball_rate(alpha, beta, [1 / kappa, 1.0])
    shown = _shown(page)
    assert abs(_number(shown["rate-theory"]) - theory) <= PRINT_TOL, shown
    page.locator(f"{ROOT_SELECTOR} button", has_text="Best α and β").focus()
    page.keyboard.press("Enter")
    assert abs(_number(_shown(page)["rate-theory"]) - 9 / 11) <= PRINT_TOL
    assert not explorer.console_errors, explorer.console_errors


def _axe_on_widget(page) -> list[dict]:
    """Every axe-core violation inside the explorer's figure, any impact."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => (await axe.run(document.querySelector(
            'figure.interactive-figure')))
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
    for setting in ((1.0, 0.7, 100.0), (3.5, 0.5, 50.0)):  # both verdicts
        _set(page, *setting)
    # The page's own console; axe-core's fetches (404s) come after.
    assert not explorer.console_errors, explorer.console_errors
    for setting in ((1.0, 0.7, 100.0), (3.5, 0.5, 50.0)):
        _set(page, *setting)
        violations = _axe_on_widget(page)
        assert not violations, f"{setting}: {violations}"
    violations = _axe_violations(page)
    assert not violations, violations


# ---- The static fallback, for the PDF ----------------------------------


@pytest.mark.parametrize(("alpha", "beta", "kappa"), list(SETTINGS.values()))
def test_fallback_prints_the_library_rate(alpha, beta, kappa):
    import matplotlib.pyplot as plt

    fig = plot_momentum_explorer(alpha, beta, kappa)
    rate = heavy_ball_rate(alpha, beta, [1 / kappa, 1.0])
    verdict = _verdict(rate).removeprefix("is ").replace(": it", ":")
    shown = f"1 - {1 - rate:.1e}" if 0.9999 < rate < 1 else f"{rate:.4f}"
    assert fig.axes[1].get_title() == f"rate {shown} (theory): {verdict}"
    plt.close(fig)


def test_fallback_rejects_bad_input():
    with pytest.raises(ValueError, match="`condition_number` must be >= 1"):
        plot_momentum_explorer(1.0, 0.5, 0.5)
    with pytest.raises(ValueError, match=r"`momentum` must lie in \[0, 1\)"):
        plot_momentum_explorer(1.0, 1.0, 10.0)
