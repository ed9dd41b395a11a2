"""Tests for mathsforml.svd: the SVD built from A^T A against
numpy.linalg.svd and scipy.linalg.svd, its identities and its limits."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathsforml import svd

# Well-conditioned matrices: everything agrees to near round-off.
RTOL = 1e-9
ATOL = 1e-9
FEW = settings(max_examples=40, deadline=None)
seeds = st.integers(0, 2**32 - 1)
shapes = st.tuples(st.integers(1, 7), st.integers(1, 7))


def _conditioned(seed, m, n, kappa=10.0):
    """A random m x n matrix with singular values from 1 to 1/kappa."""
    rng = np.random.default_rng(seed)
    r = min(m, n)
    U, _ = np.linalg.qr(rng.standard_normal((m, r)))
    V, _ = np.linalg.qr(rng.standard_normal((n, r)))
    return (U * np.geomspace(1.0, 1.0 / kappa, r)) @ V.T


@given(seeds, shapes)
@FEW
def test_matches_numpy_svd(seed, shape):
    A = _conditioned(seed, *shape)
    U, S, Vt = svd.svd_via_eigh(A)
    U_ref, S_ref, Vt_ref = np.linalg.svd(A, full_matrices=False)
    Vt_ref, U_ref = svd.flip_signs(Vt_ref, U_ref)
    assert_allclose(S, S_ref, rtol=RTOL)
    assert_allclose(Vt, Vt_ref, atol=ATOL)
    assert_allclose(U, U_ref, atol=ATOL)


@given(seeds, shapes)
@FEW
def test_factors_are_orthonormal_and_reconstruct(seed, shape):
    A = _conditioned(seed, *shape)
    U, S, Vt = svd.svd_via_eigh(A)
    r = S.size
    assert_allclose(U.T @ U, np.eye(r), atol=ATOL)
    assert_allclose(Vt @ Vt.T, np.eye(r), atol=ATOL)
    assert_allclose((U * S) @ Vt, A, atol=ATOL)
    assert np.all(np.diff(S) <= 0)


def test_mml_example_against_scipy():
    A = np.array([[1.0, 0.0, 1.0], [-2.0, 1.0, 0.0]])
    _, S, _ = svd.svd_via_eigh(A)
    assert_allclose(S, [np.sqrt(6.0), 1.0], rtol=1e-14)
    assert_allclose(S, scipy.linalg.svdvals(A), rtol=1e-14)


def test_rank_deficient_matrix_gives_its_rank():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 5))
    U, S, Vt = svd.svd_via_eigh(A)
    assert S.size == 2 == np.linalg.matrix_rank(A)
    assert_allclose((U * S) @ Vt, A, atol=ATOL)


def test_small_singular_values_are_lost_by_squaring():
    # sigma_2 = 1e-10 sigma_1: A^T A holds 1e-20, far below eps; the
    # direct SVD keeps it to many digits, the eigh route cannot.
    A = _conditioned(1, 4, 3, kappa=1e10)
    _, S, _ = svd.svd_via_eigh(A)
    S_ref = np.linalg.svd(A, compute_uv=False)
    assert_allclose(S_ref[-1], 1e-10, rtol=1e-4)
    assert S.size < 3 or abs(S[-1] - S_ref[-1]) > 1e-3 * S_ref[-1]


def test_flip_signs_keeps_the_product_and_makes_largest_entry_positive():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((5, 4))
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    Vt2, U2 = svd.flip_signs(-Vt, -U)
    assert_allclose((U2 * S) @ Vt2, A, atol=ATOL)
    largest = Vt2[np.arange(4), np.argmax(np.abs(Vt2), axis=1)]
    assert np.all(largest > 0)
    before = Vt.copy()
    svd.flip_signs(Vt, U)
    assert np.array_equal(Vt, before)  # inputs untouched


def test_zero_matrix_has_no_triplets():
    U, S, Vt = svd.svd_via_eigh(np.zeros((3, 2)))
    assert U.shape == (3, 0) and S.shape == (0,) and Vt.shape == (0, 2)


@pytest.mark.parametrize(
    ("A", "kwargs", "error", "match"),
    [
        (np.ones(3), {}, ValueError, "2-D"),
        ([[1.0, np.inf]], {}, ValueError, "finite"),
        (np.eye(2), {"rtol": -1.0}, ValueError, "`rtol` must be > 0"),
        ([["x"]], {}, TypeError, "real numbers"),
    ],
)
def test_bad_input(A, kwargs, error, match):
    with pytest.raises(error, match=match):
        svd.svd_via_eigh(A, **kwargs)
