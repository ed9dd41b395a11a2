"""Tests for the book's figure style."""

import io

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mathsforml.plotting import OKABE_ITO, use_book_style


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
