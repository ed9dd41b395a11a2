"""Tests for the book's figure style."""

import io

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mathsforml.plotting import (
    OKABE_ITO,
    draw_graph,
    plot_linear_map,
    use_book_style,
)
from mathsforml.svd import flip_signs


def test_style_is_applied_and_reported():
    settings = use_book_style(dpi=90)
    assert matplotlib.rcParams["figure.dpi"] == 90
    assert matplotlib.rcParams["figure.facecolor"] == "white"
    colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [c.upper() for c in colors] == list(OKABE_ITO)
    assert settings["savefig.transparent"] is False


def test_figures_are_byte_identical_across_renders():
    use_book_style()

    def render():
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0, 1, 4], label="$x^2$")
        ax.legend()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        return buffer.getvalue()

    assert render() == render()


@pytest.mark.parametrize("bad", [0, -5])
def test_bad_dpi(bad):
    with pytest.raises(ValueError, match=r"`dpi` must be > 0"):
        use_book_style(dpi=bad)


def test_bad_dpi_type():
    with pytest.raises(TypeError, match=r"`dpi` must be a real number"):
        use_book_style(dpi="high")


def test_draw_graph_draws_every_node_edge_and_label():
    fig, ax = plt.subplots()
    nodes = {"x": (0, 0, "$x$"), "a": (1, 0, "$a$"), "b": (2, 1, "$b$")}
    edges = [("x", "a", "$2x$"), ("a", "b"), ("x", "b", "")]
    draw_graph(ax, nodes, edges)
    labels = {t.get_text() for t in ax.texts}
    assert labels == {"$x$", "$a$", "$b$", "$2x$"}
    assert len(ax.patches) == len(edges)
    assert not ax.axison
    plt.close(fig)


def test_draw_graph_rejects_unknown_node():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="names the node 'z'"):
        draw_graph(ax, {"x": (0, 0, "$x$")}, [("x", "z")])
    plt.close(fig)


# plot_linear_map: the static version of the interactive matrix explorer.


def _eigen_lines(ax):
    from matplotlib.lines import AxLine

    return [line for line in ax.get_lines() if isinstance(line, AxLine)]


def _legend(ax) -> str:
    return " | ".join(t.get_text() for t in ax.get_legend().get_texts())


@pytest.mark.parametrize(
    ("matrix", "n_lines", "phrase"),
    [
        ([[2, 1], [1, 2]], 2, "eigenvector lines, λ = 3, 1"),
        ([[1.5, 1], [0.5, 1]], 2, "eigenvector lines, λ = 2, 0.5"),
        ([[1, 1], [0, 1]], 1, "one eigenvector line, λ = 1"),
        ([[2, 1], [-1, 0]], 1, "one eigenvector line, λ = 1"),
        ([[0.8, -0.6], [0.6, 0.8]], 0, "complex eigenvalues 0.8 ± 0.6i"),
        ([[3, 0], [0, 3]], 0, "A = 3 I: every vector is an eigenvector"),
        ([[0, 0], [0, 0]], 0, "A = 0 I: every vector is an eigenvector"),
        ([[1, 2], [0.5, 1]], 2, "eigenvector lines, λ = 2, 0"),
    ],
)
def test_plot_linear_map_draws_the_eigenvector_lines(matrix, n_lines, phrase):
    use_book_style()
    ax = plot_linear_map(matrix)
    lines = _eigen_lines(ax)
    assert len(lines) == n_lines
    assert phrase in _legend(ax)
    a = np.array(matrix, dtype=float)
    values, vectors = np.linalg.eig(a)
    for line in lines:  # each line is spanned by an eigenvector of A
        direction = np.subtract(line.get_xy2(), line.get_xy1())
        residuals = [
            abs(
                direction[0] * vectors[1, i].real
                - direction[1] * vectors[0, i].real
            )
            for i in range(2)
            if abs(values[i].imag) == 0
        ]
        assert min(residuals) < 1e-6
    plt.close("all")


def test_plot_linear_map_prints_numpys_numbers():
    use_book_style()
    matrix = np.array([[-1.5, 0.5], [1.0, 2.0]])
    ax = plot_linear_map(matrix)
    s = np.linalg.svd(matrix, compute_uv=False)
    det = np.linalg.det(matrix)
    assert f"σ = {s[0]:.3g}, {s[1]:.3g}" in _legend(ax)
    assert f"area |det A| = {abs(det):.3g}" in _legend(ax)
    assert ax.get_title() == (
        f"A = [[-1.5, 0.5], [1, 2]]: det A = {det:.3g}, tr A = 0.5"
    )
    # The singular case prints an exact zero, not rounding noise.
    ax = plot_linear_map([[1, 2], [0.5, 1]])
    assert "σ = 2.5, 0" in _legend(ax)
    assert "e-" not in _legend(ax) + ax.get_title()
    plt.close("all")


def test_plot_linear_map_draws_on_given_axes_and_keeps_input():
    use_book_style()
    fig, ax = plt.subplots()
    matrix = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = matrix.copy()
    assert plot_linear_map(matrix, ax=ax) is ax
    np.testing.assert_array_equal(matrix, before)
    # The view holds the image ellipse: its half-width exceeds sigma_max.
    sigma_max = np.linalg.norm(matrix, 2)
    assert ax.get_xlim()[1] >= sigma_max and ax.get_ylim()[1] >= sigma_max
    plt.close(fig)


def test_plot_linear_map_signs_follow_flip_signs_and_arrows_are_labelled():
    use_book_style()
    matrix = np.array([[1.5, 1.0], [0.0, 1.0]])
    ax = plot_linear_map(matrix)
    tips = np.array([a.xy for a in ax.texts])  # every arrow's tip
    u, s, vt = np.linalg.svd(matrix)
    vt, u = flip_signs(vt, u)
    values, vectors = np.linalg.eig(matrix)
    eig_rows, _ = flip_signs(vectors.T)
    expected = [*vt, *(s * u).T, *(values[:, None] * eig_rows)]
    for tip in expected:  # drawn with the library's sign, not the other
        assert np.abs(tips - tip).max(axis=1).min() < 1e-12
        assert np.abs(tips + tip).max(axis=1).min() > 0.1
    assert "λᵢxᵢ, image of the unit eigenvector xᵢ" in _legend(ax)
    plt.close("all")


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (
            [[1, 2, 3], [4, 5, 6]],
            ValueError,
            r"`matrix` must have shape \(2, 2\)",
        ),
        ([1, 2, 3, 4], ValueError, r"`matrix` must be a 2-D array"),
        (
            [[1, np.nan], [0, 1]],
            ValueError,
            r"`matrix` must contain only finite",
        ),
        (
            [["a", "b"], ["c", "d"]],
            TypeError,
            r"`matrix` must be an array of real",
        ),
    ],
)
def test_plot_linear_map_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        plot_linear_map(bad)
