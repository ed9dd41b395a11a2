"""The book's figure style (optional; needs Matplotlib).

This is the only module that imports Matplotlib, and it does so when a
function is called, so the rest of the library depends on NumPy alone.
Every chapter calls :func:`use_book_style` in its hidden setup cell, which
makes all figures share one look and stay readable in the site's dark mode:
figures are drawn on an opaque white background with dark text, so they do
not vanish against a dark page.
"""

from __future__ import annotations

from ._validation import check_positive

__all__ = ["OKABE_ITO", "draw_graph", "use_book_style"]

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
