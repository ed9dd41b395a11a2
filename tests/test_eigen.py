"""Tests for mathsforml.eigen: against numpy.linalg.eigh, the predicted
rate of power iteration, identities of the Rayleigh quotient, and bad
input."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import load_digits

from mathsforml import eigen

# Eigenvalues converge like tol^2, eigenvectors like tol / gap.
VALUE_RTOL = 1e-10
VECTOR_ATOL = 1e-7
# The measured per-step rate of a geometric sequence, fitted over many
# steps, agrees with the prediction to a few parts in a thousand.
RATE_RTOL = 5e-3
FEW = settings(max_examples=30, deadline=None)


def _with_spectrum(seed, eigenvalues):
    """A symmetric matrix with the given eigenvalues, random eigenvectors."""
    rng = np.random.default_rng(seed)
    n = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * eigenvalues) @ Q.T
    return (A + A.T) / 2, Q


def _eigh_desc(A):
    """numpy's eigenpairs, largest magnitude first, signs as the library."""
    values, vectors = np.linalg.eigh(A)
    order = np.argsort(-np.abs(values), kind="stable")
    values, vectors = values[order], vectors[:, order]
    rows = np.arange(vectors.shape[1])
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), rows])
    return values, vectors * signs


seeds = st.integers(0, 2**32 - 1)


# --- reference ---------------------------------------------------------


@given(seeds, st.integers(2, 8), st.integers(1, 3))
@FEW
def test_matches_eigh_on_matrices_with_a_gap(seed, n, k):
    k = min(k, n)
    # eigenvalues 2^-j: a ratio of 1/2 between neighbours
    spectrum = 2.0 ** -np.arange(n)
    A, _ = _with_spectrum(seed, spectrum)
    result = eigen.power_iteration(A, k, rng=seed)
    values, vectors = _eigh_desc(A)
    assert result.converged.all()
    assert_allclose(result.eigenvalues, values[:k], rtol=VALUE_RTOL)
    assert_allclose(result.eigenvectors, vectors[:, :k], atol=VECTOR_ATOL)


def test_matches_eigh_on_the_digits_covariance():
    X = load_digits().data
    Xc = X - X.mean(axis=0)
    S = Xc.T @ Xc / (len(X) - 1)
    result = eigen.power_iteration(S, 5)
    values, vectors = _eigh_desc(S)
    assert_allclose(result.eigenvalues, values[:5], rtol=VALUE_RTOL)
    assert_allclose(result.eigenvectors, vectors[:, :5], atol=VECTOR_ATOL)
    # the slow first pair: |lambda_2 / lambda_1| = 0.915
    assert values[1] / values[0] == pytest.approx(0.9146, abs=1e-4)
    assert result.n_iter[0] > 150


def test_negative_dominant_eigenvalue():
    A, Q = _with_spectrum(4, np.array([1.0, -3.0, 0.5]))
    result = eigen.power_iteration(A)
    assert_allclose(result.eigenvalues, [-3.0], rtol=VALUE_RTOL)
    v = Q[:, 1] * np.sign(Q[np.argmax(np.abs(Q[:, 1])), 1])
    assert_allclose(result.eigenvectors[:, 0], v, atol=VECTOR_ATOL)


# --- identities --------------------------------------------------------


def test_rayleigh_error_falls_at_the_squared_ratio():
    # eq. (la-power-rate): rho_t - lambda_1 ~ c (lambda_2/lambda_1)^(2t)
    ratio = 0.8
    A, _ = _with_spectrum(0, np.array([1.0, ratio, 0.3, 0.1]))
    result = eigen.power_iteration(A, tol=1e-14, max_iter=200)
    error = 1.0 - result.history[0]
    steps = np.arange(error.size)
    fit = (error > 1e-13) & (steps > 5)
    slope = np.polyfit(steps[fit], np.log(error[fit]), 1)[0]
    assert_allclose(np.exp(slope), ratio**2, rtol=RATE_RTOL)


def test_history_and_counts():
    A, _ = _with_spectrum(1, np.array([3.0, 1.0, 0.5]))
    result = eigen.power_iteration(A, 2)
    assert [h.size for h in result.history] == result.n_iter.tolist()
    assert result.eigenvectors.shape == (3, 2)
    assert_allclose(
        result.eigenvectors.T @ result.eigenvectors,
        np.eye(2),
        atol=VECTOR_ATOL,
    )


@given(seeds, st.integers(1, 6))
@FEW
def test_rayleigh_quotient_lies_between_extreme_eigenvalues(seed, n):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    A, x = B + B.T, rng.standard_normal(n)
    values = np.linalg.eigvalsh(A)
    rho = eigen.rayleigh_quotient(A, x)
    scale = np.abs(values).max() * 1e-12
    assert values[0] - scale <= rho <= values[-1] + scale


def test_rayleigh_quotient_of_an_eigenvector_is_its_eigenvalue():
    A, Q = _with_spectrum(2, np.array([5.0, 2.0, -1.0]))
    for value, v in zip([5.0, 2.0, -1.0], Q.T, strict=True):
        assert eigen.rayleigh_quotient(A, 3 * v) == pytest.approx(value)


def test_zero_matrix_and_input_untouched():
    result = eigen.power_iteration(np.zeros((3, 3)))
    assert result.eigenvalues[0] == 0 and result.converged.all()
    A, _ = _with_spectrum(3, np.array([2.0, 1.0]))
    before = A.copy()
    eigen.power_iteration(A, 2)
    assert np.array_equal(A, before)


def test_seeded_runs_repeat():
    A, _ = _with_spectrum(5, np.array([2.0, 1.5, 1.0]))
    r1 = eigen.power_iteration(A, rng=7)
    r2 = eigen.power_iteration(A, rng=np.random.default_rng(7))
    assert np.array_equal(r1.history[0], r2.history[0])


def test_warns_at_max_iter_when_two_eigenvalues_tie_in_magnitude():
    A = np.array([[0.0, 1.0], [1.0, 0.0]])  # eigenvalues +1 and -1
    with pytest.warns(eigen.ConvergenceWarning, match="max_iter = 50"):
        result = eigen.power_iteration(A, max_iter=50)
    assert not result.converged[0] and result.n_iter[0] == 50


def test_no_warning_when_converged():
    A, _ = _with_spectrum(6, np.array([2.0, 1.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eigen.power_iteration(A)


# --- bad input ---------------------------------------------------------


@pytest.mark.parametrize(
    ("A", "kwargs", "error", "match"),
    [
        (np.ones((2, 3)), {}, ValueError, "must have shape"),
        ([[1.0, 2.0], [0.0, 1.0]], {}, ValueError, "must be symmetric"),
        ([[1.0, np.nan], [np.nan, 1.0]], {}, ValueError, "finite"),
        (np.ones(3), {}, ValueError, "2-D"),
        (np.eye(2), {"n_components": 3}, ValueError, "<= 2"),
        (np.eye(2), {"n_components": 0}, ValueError, ">= 1"),
        (np.eye(2), {"n_components": 1.0}, TypeError, "integer"),
        (np.eye(2), {"tol": 0.0}, ValueError, "`tol` must be > 0"),
        (np.eye(2), {"max_iter": 0}, ValueError, "`max_iter` must be >= 1"),
        (np.eye(2), {"rng": "seed"}, TypeError, "`rng` must be an integer"),
        ([["a", "b"], ["c", "d"]], {}, TypeError, "real numbers"),
    ],
)
def test_bad_input(A, kwargs, error, match):
    with pytest.raises(error, match=match):
        eigen.power_iteration(A, **kwargs)


def test_rayleigh_quotient_bad_input():
    with pytest.raises(ValueError, match="non-zero"):
        eigen.rayleigh_quotient(np.eye(2), [0.0, 0.0])
    with pytest.raises(ValueError, match="one entry per row"):
        eigen.rayleigh_quotient(np.eye(2), [1.0, 0.0, 0.0])
