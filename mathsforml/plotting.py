"""The book's figure style (optional; needs Matplotlib).

This is the only module that imports Matplotlib, and it does so when a
function is called, so the rest of the library depends on NumPy alone.
Every chapter calls :func:`use_book_style` in its hidden setup cell, which
makes all figures share one look and stay readable in the site's dark mode:
figures are drawn on an opaque white background with dark text, so they do
not vanish against a dark page.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_positive, check_shape
from .svd import flip_signs

__all__ = [
    "OKABE_ITO",
    "draw_graph",
    "plot_linear_map",
    "plot_momentum_explorer",
    "use_book_style",
]

# Okabe & Ito's palette, distinguishable under common colour-vision
# deficiencies; black first so single-line plots stay neutral.
OKABE_ITO = (
    "#000000",
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
)


def use_book_style(dpi: float = 110) -> dict:
    """Apply the book's Matplotlib style and return the settings used.

    Parameters
    ----------
    dpi : float, default 110
        Resolution of figures shown in notebooks, in dots per inch.

    Returns
    -------
    dict
        The ``matplotlib.rcParams`` entries that were set.

    Raises
    ------
    ValueError
        If ``dpi`` is not positive.
    ImportError
        If Matplotlib is not installed.

    Examples
    --------
    >>> settings = use_book_style()
    >>> settings["figure.facecolor"]
    'white'
    """
    dpi = check_positive(dpi, "dpi")
    import matplotlib as mpl
    from cycler import cycler

    settings = {
        "figure.dpi": dpi,
        "figure.figsize": (6.4, 4.0),
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.transparent": False,
        "axes.facecolor": "white",
        "axes.edgecolor": "#333333",
        "axes.labelcolor": "#111111",
        "text.color": "#111111",
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=OKABE_ITO),
        "font.size": 11,
        "legend.frameon": False,
        "image.cmap": "viridis",
        # Embed no creation date, so two builds give identical images.
        "svg.hashsalt": "mathsforml",
    }
    mpl.rcParams.update(settings)
    return settings


def draw_graph(
    ax,
    nodes: dict,
    edges: list,
    *,
    boxstyle: str = "round,pad=0.4",
    shrink: float = 24.0,
    fontsize: float = 11.0,
) -> None:
    """Draw a directed graph: labelled nodes joined by labelled arrows.

    Used for the book's diagrams: computational graphs, whose edges carry
    local derivatives, and network diagrams, whose nodes are units.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its axis lines are switched off.
    nodes : dict of str to (float, float, str)
        Each node's name mapped to its position and its label.
    edges : list of tuple
        ``(parent, child)`` or ``(parent, child, label)``: an arrow from
        parent to child, with the label beside its midpoint.
    boxstyle : str, default "round,pad=0.4"
        The Matplotlib box drawn around each node label ("circle" for
        units of a network).
    shrink : float, default 24
        How far, in points, each arrow stops short of the node centres.
    fontsize : float, default 11
        The size of node and edge labels.

    Raises
    ------
    ValueError
        If an edge names a node that is not in ``nodes``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> draw_graph(ax, {"x": (0, 0, "$x$"), "y": (1, 0, "$y$")},
    ...            [("x", "y", "$2x$")])
    >>> len(ax.texts)  # two nodes and one edge label
    3
    >>> plt.close(fig)
    """
    from matplotlib.patches import FancyArrowPatch

    for edge in edges:
        parent, child, *label = edge
        for end in (parent, child):
            if end not in nodes:
                raise ValueError(
                    f"`edges` names the node {end!r}, which is not in "
                    f"`nodes` ({sorted(nodes)}). Add it to `nodes`."
                )
        (x0, y0, _), (x1, y1, _) = nodes[parent], nodes[child]
        arrow = FancyArrowPatch(
            (x0, y0),
            (x1, y1),
            arrowstyle="-|>",
            mutation_scale=12,
            color="0.35",
            lw=1.1,
            shrinkA=shrink,
            shrinkB=shrink,
        )
        ax.add_patch(arrow)
        if label and label[0]:
            _edge_label(ax, (x0, y0), (x1, y1), label[0], fontsize)
    for x, y, text in nodes.values():
        box = {"boxstyle": boxstyle, "fc": "white", "ec": OKABE_ITO[2]}
        ax.text(
            x, y, text, ha="center", va="center", fontsize=fontsize, bbox=box
        )
    ax.axis("off")


def _edge_label(ax, start, end, text, fontsize) -> None:
    """Write ``text`` beside the middle of the arrow, on its left side."""
    (x0, y0), (x1, y1) = start, end
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-12)
    nx, ny = (y0 - y1) / length, (x1 - x0) / length  # left normal
    side = "center" if abs(nx) < 0.1 else ("left" if nx > 0 else "right")
    ax.text(
        (x0 + x1) / 2 + 0.2 * nx,
        (y0 + y1) / 2 + 0.2 * ny,
        text,
        color=OKABE_ITO[3],
        ha=side,
        va="center",
        fontsize=fontsize,
    )


# Colours of plot_linear_map, as in the interactive matrix explorer.
_MAP_COLORS = {
    "e1": OKABE_ITO[2],
    "e2": OKABE_ITO[1],
    "eigen": OKABE_ITO[3],
    "singular": OKABE_ITO[4],
    "grid": "#8d99a6",
}
# Relative size below which a discriminant or an entry counts as zero.
_MAP_REL_TOL = 1e-10
# |rate - 1| below which the momentum explorer calls a setting "on the
# edge" (a root on the unit circle), as momentum-explorer.js does.
EDGE_TOL = 1e-12


def _num(x: float, scale: float) -> str:
    """Three significant digits; rounding noise below the matrix's scale
    prints as 0, not as 2.22e-16."""
    return f"{0.0 if abs(x) <= _MAP_REL_TOL * scale else x:.3g}"


def _eigen_lines(matrix: np.ndarray) -> tuple[list, str]:
    """The real eigenpairs to draw, and a legend label."""
    (a, b), (c, d) = matrix
    scale = np.abs(matrix).max()
    disc = (a - d) ** 2 + 4 * b * c  # tr² − 4 det, without cancellation
    if disc < -_MAP_REL_TOL * scale**2:
        re, im = (a + d) / 2, np.sqrt(-disc) / 2
        return [], f"complex eigenvalues {_num(re, scale)} ± {im:.3g}i"
    values, vectors = np.linalg.eig(matrix)
    order = np.argsort(values.real)[::-1]
    # Signs as svd.flip_signs fixes them, as the explorer prints them.
    rows, _ = flip_signs(vectors.real[:, order].T)
    pairs = list(zip(values.real[order], rows, strict=True))
    if abs(disc) <= _MAP_REL_TOL * scale**2:
        if np.abs(matrix - (a + d) / 2 * np.eye(2)).max() <= (
            _MAP_REL_TOL * scale
        ):
            lam = _num(a, scale)
            return [], f"A = {lam} I: every vector is an eigenvector"
        lam = _num(pairs[0][0], scale)
        return pairs[:1], f"one eigenvector line, λ = {lam}"
    lams = ", ".join(_num(lam, scale) for lam, _ in pairs)
    return pairs, f"eigenvector lines, λ = {lams}"


def _map_arrow(ax, tip, color, **style) -> None:
    if np.hypot(*tip) < 1e-9:  # a zero vector has no arrow
        return
    ax.annotate(
        "",
        xy=tip,
        xytext=(0, 0),
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2, **style},
    )


def _draw_plane(ax, matrix: np.ndarray) -> None:
    """The grid and unit circle, before (faint) and after the map."""
    # As in the explorer: the image ellipse fits, in steps of half a unit.
    sigma_max = np.linalg.norm(matrix, 2)
    extent = np.ceil(2.24 * max(sigma_max, 1.4)) / 2
    t = np.linspace(0, 2 * np.pi, 241)
    circle = np.stack([np.cos(t), np.sin(t)])
    ax.plot(*circle, ls="--", lw=1, color=_MAP_COLORS["grid"])
    n = 8  # grid lines x = k and y = k for |k| <= n, each from -n to n
    for k in range(-n, n + 1):
        for line in ([[k, k], [-n, n]], [[-n, n], [k, k]]):
            ax.plot(*(matrix @ line), lw=0.6, alpha=0.5, color="#9aa5b1")
    square = matrix @ np.array([[0, 1, 1, 0], [0, 0, 1, 1]])
    (a, b), (c, d) = matrix
    det = a * d - b * c
    ax.fill(
        *square,
        color=_MAP_COLORS["e2" if det >= 0 else "e1"],
        alpha=0.15,
        label=f"unit square's image, area |det A| = {abs(det):.3g}",
    )
    ax.plot(
        *(matrix @ circle),
        lw=2,
        color=_MAP_COLORS["singular"],
        label="image of the unit circle",
    )
    ax.axhline(0, lw=1, color=_MAP_COLORS["grid"])
    ax.axvline(0, lw=1, color=_MAP_COLORS["grid"])
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    step = 1 if extent <= 4 else 2 if extent <= 10 else 5
    last = np.floor(extent / step) * step
    ticks = np.arange(-last, last + step / 2, step)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)


def _draw_vectors(ax, matrix: np.ndarray) -> None:
    """Eigenvector lines, singular vectors and the columns of the matrix."""
    pairs, eigen_label = _eigen_lines(matrix)
    green, purple = _MAP_COLORS["eigen"], _MAP_COLORS["singular"]
    for i, (lam, x) in enumerate(pairs):
        label = eigen_label if i == 0 else None
        ax.axline((0, 0), x, ls="--", lw=1.2, color=green, label=label)
        _map_arrow(ax, lam * x, green)
    if pairs:
        label = "λᵢxᵢ, image of the unit eigenvector xᵢ"
        ax.plot([], [], color=green, lw=2, label=label)
    else:  # complex or scalar: a legend entry without a line
        ax.plot([], [], ls="--", color=green, label=eigen_label)
    u, s, vt = np.linalg.svd(matrix)
    vt, u = flip_signs(vt, u)
    for i in range(2):
        _map_arrow(ax, vt[i], purple, ls="--", lw=1.2)
        _map_arrow(ax, s[i] * u[:, i], purple)
    sigmas = ", ".join(_num(sigma, np.abs(matrix).max()) for sigma in s)
    label = f"σ₁u₁, σ₂u₂ (v₁, v₂ dashed), σ = {sigmas}"
    ax.plot([], [], color=purple, label=label)
    for j, name in enumerate(("e1", "e2")):
        color = _MAP_COLORS[name]
        _map_arrow(ax, matrix[:, j], color, lw=2.5)
        label = f"Ae{'₁₂'[j]} = column {j + 1}"
        ax.plot([], [], color=color, lw=2.5, label=label)


def plot_linear_map(matrix, ax=None):
    r"""Draw what a 2×2 matrix does to the plane, as the explorer shows it.

    The static version of the book's interactive matrix explorer: the unit
    grid and unit circle, faint, and their images under
    :math:`\mathbf{A}`; the image of the unit square, of area
    :math:`|\det\mathbf{A}|`; the columns :math:`\mathbf{A}\mathbf{e}_1`
    and :math:`\mathbf{A}\mathbf{e}_2`; the lines of real eigenvectors with
    the arrows :math:`\lambda_i\mathbf{x}_i`; and the right singular
    vectors :math:`\mathbf{v}_i` (dashed) with their images
    :math:`\sigma_i\mathbf{u}_i`, the semi-axes of the image ellipse.

    Parameters
    ----------
    matrix : array_like, shape (2, 2)
        The matrix :math:`\mathbf{A}`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with a legend that prints the numbers.

    Raises
    ------
    ValueError
        If ``matrix`` is not a finite 2×2 array.

    Examples
    --------
    >>> ax = plot_linear_map([[2, 1], [1, 2]])
    >>> ax.get_title()
    'A = [[2, 1], [1, 2]]: det A = 3, tr A = 4'
    """
    matrix = as_float_array(matrix, "matrix", ndim=2)
    check_shape(matrix, "matrix", (2, 2))
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.2, 4.4), layout="constrained")
    _draw_plane(ax, matrix)
    _draw_vectors(ax, matrix)
    (a, b), (c, d) = matrix
    scale = np.abs(matrix).max()
    ax.set_title(
        f"A = [[{a:g}, {b:g}], [{c:g}, {d:g}]]: det A = "
        f"{_num(a * d - b * c, scale**2)}, tr A = {_num(a + d, scale)}"
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=10)
    return ax


def plot_momentum_explorer(
    learning_rate: float, momentum: float, condition_number: float
):
    r"""Draw what the momentum explorer shows, as a static figure.

    Heavy-ball momentum (eq. ``momentum-step``) on
    :math:`f(\mathbf{x}) = \tfrac12(\lambda_1 x_1^2 + \lambda_2 x_2^2)`
    with :math:`\lambda_1 = 1/\kappa` and :math:`\lambda_2 = 1`, from the
    explorer's start. Left: the first 150 iterates, each axis in units of
    :math:`1/\sqrt{\lambda_i}`, so that the level sets are circles.
    Right: the relative error against the iteration, with the rate of
    :func:`mathsforml.optimizers.heavy_ball_rate` as a dashed line.

    Parameters
    ----------
    learning_rate, momentum : float
        :math:`\alpha > 0` and :math:`\beta \in [0, 1)`.
    condition_number : float
        :math:`\kappa \ge 1`.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with the rate and whether the setting converges,
        diverges or sits on the edge (a rate of 1 to within
        ``EDGE_TOL``) in its title.

    Examples
    --------
    >>> fig = plot_momentum_explorer(1.0, 0.7, 100.0)
    >>> fig.axes[1].get_title()
    'rate 0.9634 (theory): converges'
    """
    import matplotlib.pyplot as plt

    from .objectives import Quadratic
    from .optimizers import heavy_ball_rate, minimize

    kappa = check_positive(condition_number, "condition_number")
    if kappa < 1:
        raise ValueError(
            f"`condition_number` must be >= 1; got {kappa}. It is the "
            "ratio of the largest to the smallest eigenvalue."
        )
    lam = np.array([1 / kappa, 1.0])
    rate = heavy_ball_rate(learning_rate, momentum, lam)
    scales = 1 / np.sqrt(lam)
    steps = 200 if rate < 1 else 60  # a diverging run overflows later
    path = minimize(
        Quadratic(lam).gradient,
        np.array([-1.0, 0.7]) * scales,
        "momentum",
        learning_rate=learning_rate,
        momentum=momentum,
        tol=None,
        max_iter=steps,
    ).history["x"]
    fig, (ax, ax_e) = plt.subplots(1, 2, figsize=(9, 3.4))
    for radius in (0.25, 0.5, 0.75, 1.0, 1.25):
        ax.add_patch(
            plt.Circle((0, 0), radius, fill=False, color="0.7", lw=0.8)
        )
    shown = path[:151] / scales
    ax.plot(shown[:, 0], shown[:, 1], ".-", color=OKABE_ITO[1], lw=1, ms=3)
    ax.plot(0, 0, "k*", ms=9)
    ax.set(xlim=(-1.35, 1.35), ylim=(-1.35, 1.35))
    ax.set(
        xlabel=r"$\sqrt{\lambda_1}\,x_1$", ylabel=r"$\sqrt{\lambda_2}\,x_2$"
    )
    errors = np.linalg.norm(path, axis=1) / np.linalg.norm(path[0])
    k = np.arange(len(errors))
    ax_e.semilogy(k, errors, color=OKABE_ITO[2], label="measured")
    ax_e.semilogy(k, rate**k, "--", color="0.4", label="rate$^k$")
    ax_e.set(
        xlabel="iteration $k$", ylabel="relative error", ylim=(1e-12, 1e4)
    )
    ax_e.legend(loc="lower left")
    ax.set_title(
        rf"$\alpha = {learning_rate:g}$, $\beta = {momentum:g}$, "
        rf"$\kappa = {kappa:g}$"
    )
    if rate < 1 - EDGE_TOL:
        verdict = "converges"
    elif rate > 1 + EDGE_TOL:
        verdict = "diverges"
    else:  # a root on the unit circle: bounded, but no convergence
        verdict = "on the edge: neither converges nor diverges"
    shown_rate = f"{rate:.4f}"
    if 0.9999 < rate < 1:  # 1.0000 would hide that it converges
        shown_rate = f"1 - {1 - rate:.1e}"
    ax_e.set_title(f"rate {shown_rate} (theory): {verdict}")
    fig.tight_layout()
    return fig
