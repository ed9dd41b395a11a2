"""Tests for the book's figure style."""

import io

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mathsforml.plotting import OKABE_ITO, draw_graph, use_book_style


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
