"""Tests for the private validation helpers every public function uses."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mathsforml._validation import (
    as_float_array,
    check_in_range,
    check_integer,
    check_positive,
    check_same_length,
    check_shape,
)


class TestAsFloatArray:
    def test_converts_ints_and_bools_to_float64(self):
        out = as_float_array([[1, 2], [3, 4]], "X", ndim=2)
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, [[1.0, 2.0], [3.0, 4.0]])
        assert as_float_array(np.array([True, False]), "m").dtype == float

    def test_never_modifies_or_aliases_non_float_input(self):
        x = np.array([1, 2, 3], dtype=np.int32)
        out = as_float_array(x, "x")
        out[0] = 99.0
        np.testing.assert_array_equal(x, [1, 2, 3])

    @given(
        hnp.arrays(
            dtype=st.sampled_from([np.float64, np.float32, np.int64]),
            shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1),
            elements=st.integers(-1000, 1000),
        )
    )
    def test_round_trips_any_finite_array(self, x):
        out = as_float_array(x, "x")
        assert out.shape == x.shape
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, x.astype(np.float64))

    def test_accepts_scalars(self):
        assert as_float_array(3, "x").shape == ()

    @pytest.mark.parametrize(
        "bad",
        [["a", "b"], np.array([1 + 2j]), [object()], {"a": 1}],
    )
    def test_rejects_non_numeric(self, bad):
        with pytest.raises(TypeError, match=r"`x` must be an array of real"):
            as_float_array(bad, "x")

    def test_rejects_ragged_lists_with_a_fix(self):
        with pytest.raises(ValueError, match=r"rows have different lengths"):
            as_float_array([[1, 2], [3]], "x")

    def test_wrong_ndim_names_argument_shape_and_fix(self):
        with pytest.raises(
            ValueError,
            match=r"`X` must be a 2-D array; got an array of shape \(3,\) "
            r"\(1-D\)\. Reshape it",
        ):
            as_float_array([1.0, 2.0, 3.0], "X", ndim=2)

    def test_several_allowed_ndims(self):
        as_float_array([1.0], "x", ndim=(1, 2))
        with pytest.raises(ValueError, match=r"1-D or 2-D"):
            as_float_array(1.0, "x", ndim=(1, 2))

    def test_empty(self):
        with pytest.raises(ValueError, match=r"`y` must not be empty"):
            as_float_array([], "y")
        assert as_float_array([], "y", allow_empty=True).size == 0

    @pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
    def test_non_finite_reports_count_and_position(self, value):
        x = np.zeros((2, 3))
        x[1, 2] = value
        with pytest.raises(
            ValueError,
            match=r"`X` must contain only finite values; got 1 NaN or "
            r"infinite entry at index \(1, 2\)",
        ):
            as_float_array(x, "X")

    def test_non_finite_allowed_when_asked(self):
        out = as_float_array([np.nan, 1.0], "x", finite=False)
        assert np.isnan(out[0])


class TestCheckShape:
    def test_accepts_wildcards(self):
        check_shape(np.zeros((4, 7)), "W", (4, None))

    def test_rejects_wrong_rank_and_size(self):
        with pytest.raises(ValueError, match=r"`b` must have shape \(any,\)"):
            check_shape(np.zeros((2, 2)), "b", (None,))
        with pytest.raises(ValueError, match=r"got shape \(3, 2\)\. Use W"):
            check_shape(np.zeros((3, 2)), "W", (2, 2), hint="Use W.T.")


def test_check_same_length():
    check_same_length(np.zeros((3, 2)), np.zeros(3), ("X", "y"))
    with pytest.raises(ValueError, match=r"got 3 and 2"):
        check_same_length(np.zeros((3, 2)), np.zeros(2), ("X", "y"))


class TestScalars:
    def test_check_positive(self):
        assert check_positive(2, "alpha") == 2.0
        assert check_positive(0, "alpha", strict=False) == 0.0
        with pytest.raises(ValueError, match=r"`alpha` must be > 0; got 0"):
            check_positive(0, "alpha")
        with pytest.raises(ValueError, match=r"`alpha` must be >= 0"):
            check_positive(-1e-9, "alpha", strict=False)

    @pytest.mark.parametrize("bad", ["0.1", None, True, [0.1]])
    def test_check_positive_type(self, bad):
        with pytest.raises(TypeError, match=r"`alpha` must be a real number"):
            check_positive(bad, "alpha")

    @pytest.mark.parametrize("bad", [np.nan, np.inf])
    def test_check_positive_finite(self, bad):
        with pytest.raises(ValueError, match=r"`alpha` must be finite"):
            check_positive(bad, "alpha")

    @pytest.mark.parametrize(
        ("closed", "value", "ok"),
        [
            ("both", 0.0, True),
            ("both", 1.0, True),
            ("left", 1.0, False),
            ("right", 0.0, False),
            ("neither", 0.5, True),
            ("neither", 0.0, False),
        ],
    )
    def test_check_in_range(self, closed, value, ok):
        if ok:
            assert check_in_range(value, "beta", 0, 1, closed=closed) == value
        else:
            with pytest.raises(ValueError, match=r"`beta` must lie in"):
                check_in_range(value, "beta", 0, 1, closed=closed)

    def test_check_integer(self):
        assert check_integer(np.int64(5), "k") == 5
        assert isinstance(check_integer(np.int64(5), "k"), int)
        with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
            check_integer(0, "k")
        with pytest.raises(TypeError, match=r"`k` must be an integer"):
            check_integer(True, "k")
        assert check_integer(0, "seed", minimum=0) == 0
