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

__all__ = ["OKABE_ITO", "use_book_style"]

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
