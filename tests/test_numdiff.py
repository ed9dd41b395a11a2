"""Tests for mathsforml.numdiff: against autograd and closed forms,
identities of finite differences, and bad input."""

import autograd
import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathsforml import numdiff

# Central differences with the default step: error about eps^(2/3).
FD_RTOL, FD_ATOL = 1e-8, 1e-9
# Second differences with the default step: error about eps^(1/2).
HESS_RTOL, HESS_ATOL = 1e-5, 1e-6
STEPS = 10.0 ** -np.arange(1, 17)  # h = 1e-1, ..., 1e-16
FEW = settings(max_examples=30, deadline=None)


def _smooth(x):
    """A test function written for autograd: f(x) = sum sin(x) x0 + ..."""
    return anp.sum(anp.sin(x) * x[0]) + anp.log(1 + anp.sum(x**2))


def _vector(x):
    return anp.tanh(anp.outer(x, x[:2])) + anp.exp(x)[:, None]


# --- reference ---------------------------------------------------------


def test_derivative_matches_closed_form():
    x = np.linspace(-3, 3, 13)
    assert_allclose(
        numdiff.derivative(np.sin, x), np.cos(x), rtol=FD_RTOL, atol=FD_ATOL
    )
    assert_allclose(numdiff.derivative(np.exp, 1.0), np.e, rtol=FD_RTOL)
    assert isinstance(numdiff.derivative(np.exp, 1.0), float)


def test_relative_step_keeps_large_x_accurate():
    # For x = 1e6 an absolute step of eps^(1/3) would drown in round-off.
    got = numdiff.derivative(np.square, 1e6)
    assert_allclose(got, 2e6, rtol=FD_RTOL)
    absolute = numdiff.derivative(np.square, 1e6, h=numdiff.CENTRAL_STEP)
    assert abs(absolute - 2e6) > 100 * abs(got - 2e6)


@pytest.mark.parametrize("shape", [(4,), (2, 3)])
def test_gradient_and_jacobian_match_autograd(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    assert_allclose(
        numdiff.gradient(_smooth, x),
        autograd.grad(_smooth)(x),
        rtol=FD_RTOL,
        atol=FD_ATOL,
    )
    if len(shape) == 1:
        want = autograd.jacobian(_vector)(x)
        got = numdiff.jacobian(_vector, x)
        assert got.shape == (4, 2, 4)
        assert_allclose(got, want, rtol=FD_RTOL, atol=FD_ATOL)


def test_hessian_matches_autograd():
    x = np.random.default_rng(1).standard_normal((2, 2))
    got = numdiff.hessian(_smooth, x)
    assert got.shape == (2, 2, 2, 2)
    want = autograd.hessian(_smooth)(x)
    assert_allclose(got, want, rtol=HESS_RTOL, atol=HESS_ATOL)


def test_error_curve_of_exp_at_one():
    # The numbers of the chapter's V-shaped plot [CONTENT, lesson 1].
    central = np.abs(numdiff.central_difference(np.exp, 1.0, STEPS) - np.e)
    forward = np.abs(numdiff.forward_difference(np.exp, 1.0, STEPS) - np.e)
    assert_allclose(central[1], 4.5e-5, rtol=0.02)  # h = 1e-2
    assert_allclose(central[1], np.e * 1e-4 / 6, rtol=1e-3)  # e h^2 / 6
    # The bottom of the V is flat and noisy between 1e-7 and 1e-5.
    assert 1e-7 <= STEPS[np.argmin(central)] <= 1e-5
    assert 1e-11 < central.min() < 2e-10  # about 6e-11
    assert 1e-11 < central[4] < 2e-10  # h = 1e-5
    assert STEPS[np.argmin(forward)] == pytest.approx(1e-8, rel=1e-12)
    assert 1e-9 < forward.min() < 3e-8  # about 7e-9


def test_truncation_orders():
    # Before round-off matters, shrinking h tenfold divides the forward
    # error by 10 (O(h)) and the central error by 100 (O(h^2)).
    steps = np.array([1e-1, 1e-2, 1e-3])
    forward = numdiff.forward_difference(np.exp, 1.0, steps) - np.e
    central = numdiff.central_difference(np.exp, 1.0, steps) - np.e
    assert_allclose(forward[:-1] / forward[1:], 10.0, rtol=0.06)
    assert_allclose(central[:-1] / central[1:], 100.0, rtol=0.01)


# --- identities ---------------------------------------------------------


@FEW
@given(n=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_gradient_of_quadratic_form(n, seed):
    # d(x^T B x)/dx = (B + B^T) x, and the Hessian is B + B^T [MML 5.5].
    rng = np.random.default_rng(seed)
    B, x = rng.standard_normal((n, n)), rng.standard_normal(n)

    def f(x):
        return x @ B @ x

    assert_allclose(
        numdiff.gradient(f, x), (B + B.T) @ x, rtol=1e-7, atol=1e-8
    )
    hessian = numdiff.hessian(f, x)
    assert_allclose(hessian, hessian.T, rtol=0, atol=0)
    assert_allclose(hessian, B + B.T, rtol=HESS_RTOL, atol=HESS_ATOL)


def test_jacobian_of_linear_map_is_the_matrix():
    W = np.random.default_rng(2).standard_normal((3, 5))
    got = numdiff.jacobian(lambda x: W @ x, np.ones(5))
    assert_allclose(got, W, rtol=FD_RTOL, atol=FD_ATOL)


@FEW
@given(
    a=hnp.arrays(np.float64, 4, elements=st.floats(-1e3, 1e3)),
    b=hnp.arrays(np.float64, 4, elements=st.floats(-1e3, 1e3)),
)
def test_relative_error_properties(a, b):
    error = numdiff.relative_error(a, b)
    assert 0.0 <= error <= 1.0
    assert_allclose(error, numdiff.relative_error(b, a), rtol=0, atol=0)
    assert numdiff.relative_error(a, a) == pytest.approx(0.0, abs=0)


def test_relative_error_definition():
    got = numdiff.relative_error([1.0, -2.0], [1.5, -2.0])
    assert_allclose(got, 0.5 / 4.0, rtol=1e-15)
    assert numdiff.relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_tells_right_from_wrong():
    x = np.random.default_rng(3).standard_normal(4)
    right = autograd.grad(_smooth)
    assert numdiff.gradient_check(right, _smooth, x) < 1e-8
    assert numdiff.gradient_check(right(x), _smooth, x) < 1e-8
    wrong = right(x) * np.array([1.0, 1.0, 1.0, 1.01])
    assert numdiff.gradient_check(wrong, _smooth, x) > 1e-4


def test_gradcheck_threshold_separates_right_from_wrong_by_decades():
    # The book's one threshold: correct gradients of order-one functions
    # land at least 100 times below it, a 1 % error at least 1000 above.
    rng = np.random.default_rng(4)
    for _ in range(20):
        x = rng.standard_normal(5)
        right = autograd.grad(_smooth)(x)
        err = numdiff.gradient_check(right, _smooth, x)
        assert err < numdiff.GRADCHECK_RTOL / 100
        wrong = right.copy()
        wrong[np.argmax(np.abs(right))] *= 1.01
        err_wrong = numdiff.gradient_check(wrong, _smooth, x)
        assert err_wrong > 1e3 * numdiff.GRADCHECK_RTOL


def _sigmoid(t):
    return 1 / (1 + np.exp(-t))


SCIPY_CASES = {  # name: (f, exact f', point)
    "sin": (np.sin, np.cos, 0.7),
    "exp": (np.exp, np.exp, 3.0),
    "log": (np.log, lambda t: 1 / t, 2.0),  # x - 0.5, SciPy's first
    "sqrt": (np.sqrt, lambda t: 0.5 / np.sqrt(t), 2.0),  # step, stays > 0
    "tanh": (np.tanh, lambda t: 1 / np.cosh(t) ** 2, 0.5),
    "sigmoid": (_sigmoid, lambda t: _sigmoid(t) * (1 - _sigmoid(t)), -1.0),
    "softplus": (lambda t: np.logaddexp(0, t), _sigmoid, 30.0),
    "cube": (lambda t: t**3, lambda t: 3 * t**2, 1e3),
}


@pytest.mark.parametrize("name", sorted(SCIPY_CASES))
def test_derivative_agrees_with_scipy_differentiate(name):
    # SciPy's adaptive order-8 formula, an independent implementation.
    from scipy.differentiate import derivative as scipy_derivative

    f, df, x0 = SCIPY_CASES[name]
    ours, ref = numdiff.derivative(f, x0), scipy_derivative(f, x0)
    assert ref.success
    for value in (ours, ref.df):
        assert numdiff.relative_error(value, df(x0)) < 1e-9
    assert numdiff.relative_error(ours, ref.df) < 1e-9


def test_directional_derivatives_are_gradient_projections():
    # D_u f = grad f . u along 2000 random unit directions, and none
    # exceeds ||grad f||, eq. (grad-steepest-bound) of the chapter.
    rng = np.random.default_rng(4)
    x = np.array([1.0, 2.0])

    def f(x):
        return x[0] ** 2 * x[1] + x[0] * x[1] ** 3

    g = np.array([12.0, 13.0])  # the chapter's worked example
    u = rng.standard_normal((2000, 2))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    slopes = np.array(
        [numdiff.derivative(lambda t, v=v: f(x + t * v), 0.0) for v in u]
    )
    assert_allclose(slopes, u @ g, rtol=0, atol=1e-8)
    assert np.all(np.abs(slopes) <= np.linalg.norm(g) + 1e-8)


def test_gradient_is_the_transposed_one_row_jacobian():
    x = np.random.default_rng(5).standard_normal(3)
    g = numdiff.gradient(_smooth, x)
    J = numdiff.jacobian(lambda x: anp.array([_smooth(x)]), x)
    assert g.shape == x.shape and J.shape == (1, 3)
    assert_allclose(J[0], g, rtol=0, atol=0)


def test_inputs_are_not_modified():
    x = np.array([0.5, -1.0, 2.0])
    before = x.copy()
    numdiff.gradient(_smooth, x)
    numdiff.hessian(_smooth, x)
    numdiff.jacobian(_vector, x)
    assert_allclose(x, before, rtol=0, atol=0)


# --- bad input ----------------------------------------------------------


def test_bad_steps():
    with pytest.raises(ValueError, match=r"`h` must be > 0; got 0\.0"):
        numdiff.central_difference(np.exp, 1.0, 0.0)
    with pytest.raises(ValueError, match="`h` must hold steps > 0"):
        numdiff.forward_difference(np.exp, 1.0, [1e-3, -1e-3])
    with pytest.raises(ValueError, match="`h` must be > 0"):
        numdiff.gradient(_smooth, np.ones(2), h=-1.0)


def test_bad_function_and_point():
    with pytest.raises(TypeError, match="`f` must be a callable"):
        numdiff.derivative(2.0, 1.0)
    with pytest.raises(ValueError, match="`x` must contain only finite"):
        numdiff.gradient(_smooth, [1.0, np.nan])
    with pytest.raises(ValueError, match="`x` must not be empty"):
        numdiff.gradient(_smooth, [])


def test_vector_output_where_scalar_needed():
    with pytest.raises(ValueError, match=r"scalar.*shape \(2,\).*jacobian"):
        numdiff.gradient(lambda x: x * 2, np.ones(2))
    with pytest.raises(ValueError, match="scalar to take its Hessian"):
        numdiff.hessian(lambda x: x * 2, np.ones(2))


def test_mismatched_shapes():
    with pytest.raises(ValueError, match=r"`b` must have shape \(2,\)"):
        numdiff.relative_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="`analytic_grad` must have shape"):
        numdiff.gradient_check(np.ones(3), _smooth, np.ones(2))
