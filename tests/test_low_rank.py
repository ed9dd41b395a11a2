"""Tests for mathsforml.low_rank: Eckart-Young-Mirsky exactly, the
storage count, a real photograph, scikit-learn's TruncatedSVD, and bad
input."""

import matplotlib.image as mpimg
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import cbook
from numpy.testing import assert_allclose
from sklearn.decomposition import TruncatedSVD

from mathsforml import low_rank
from mathsforml.svd import flip_signs

# Eckart-Young-Mirsky is an identity: it holds to round-off.
EXACT_RTOL = 1e-10
FEW = settings(max_examples=40, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def _random(seed, m, n):
    return np.random.default_rng(seed).standard_normal((m, n))


@given(seeds, st.integers(1, 8), st.integers(1, 8), st.data())
@FEW
def test_eckart_young_mirsky_holds_exactly(seed, m, n, data):
    A = _random(seed, m, n)
    k = data.draw(st.integers(0, min(m, n)))
    S = np.linalg.svd(A, compute_uv=False)
    A_k = low_rank.low_rank_approximation(A, k)
    spectral, frobenius = low_rank.eckart_young_error(S, k)
    assert np.linalg.matrix_rank(A_k) == k
    norm2 = np.linalg.norm(A - A_k, 2) if k < min(m, n) else 0.0
    assert_allclose(norm2, spectral, rtol=EXACT_RTOL, atol=1e-12)
    assert_allclose(
        np.linalg.norm(A - A_k), frobenius, rtol=EXACT_RTOL, atol=1e-12
    )


@given(seeds, st.integers(1, 8), st.integers(1, 8), st.floats(-150, 150))
@FEW
def test_curve_is_the_error_of_every_rank(seed, m, n, exponent):
    # scaled by up to 1e150: the squares would overflow without care
    S = np.linalg.svd(_random(seed, m, n), compute_uv=False) * 10.0**exponent
    spectral, frobenius = low_rank.eckart_young_curve(S)
    assert spectral.shape == frobenius.shape == (S.size + 1,)
    for k in range(S.size + 1):
        expected = low_rank.eckart_young_error(S, k)
        assert_allclose((spectral[k], frobenius[k]), expected, rtol=1e-12)


@given(seeds, st.integers(2, 6), st.integers(2, 6))
@FEW
def test_no_random_rank_k_matrix_does_better(seed, m, n):
    A = _random(seed, m, n)
    rng = np.random.default_rng(seed + 1)
    k = 1
    S = np.linalg.svd(A, compute_uv=False)
    best2, bestF = low_rank.eckart_young_error(S, k)
    for _ in range(20):
        B = rng.standard_normal((m, k)) @ rng.standard_normal((k, n))
        B *= np.sum(A * B) / np.sum(B * B)  # the best multiple of B
        assert np.linalg.norm(A - B, 2) >= best2 * (1 - EXACT_RTOL)
        assert np.linalg.norm(A - B) >= bestF * (1 - EXACT_RTOL)


def test_sum_of_outer_products_and_precomputed_svd():
    A = _random(0, 6, 4)
    U, S, Vt = low_rank.truncated_svd(A, 3)
    outer = sum(S[i] * np.outer(U[:, i], Vt[i]) for i in range(3))
    full = np.linalg.svd(A, full_matrices=False)
    assert_allclose(low_rank.low_rank_approximation(A, 3), outer, atol=1e-12)
    assert_allclose(
        low_rank.low_rank_approximation(A, 3, svd=full), outer, atol=1e-12
    )
    assert_allclose(low_rank.low_rank_approximation(A, 4), A, atol=1e-12)
    assert not np.any(low_rank.low_rank_approximation(A, 0))


def test_storage_cost():
    assert low_rank.storage_cost((600, 512), 20) == 20 * (600 + 512 + 1)
    assert low_rank.storage_cost([3, 2], 0) == 0


def test_grace_hopper_at_rank_20():
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        image = mpimg.imread(f).astype(float).mean(axis=2)
    assert image.shape == (600, 512)
    S = np.linalg.svd(image, compute_uv=False)
    _, frobenius = low_rank.eckart_young_error(S, 20)
    relative = frobenius / np.linalg.norm(image)
    ratio = low_rank.storage_cost(image.shape, 20) / image.size
    assert relative == pytest.approx(0.185, abs=5e-4)
    assert ratio == pytest.approx(0.0725, abs=1e-4)


def test_matches_sklearn_truncated_svd():
    A = _random(3, 40, 25)
    reference = TruncatedSVD(n_components=5, algorithm="arpack").fit(A)
    U, S, Vt = low_rank.truncated_svd(A, 5)
    assert_allclose(S, reference.singular_values_, rtol=1e-10)
    Vt_ref, _ = flip_signs(reference.components_)
    assert_allclose(Vt, Vt_ref, atol=1e-10)
    assert_allclose(
        U * S,
        reference.transform(A)
        * np.sign(np.sum(reference.components_ * Vt, axis=1)),
        atol=1e-10,
    )
    A_5 = reference.inverse_transform(reference.transform(A))
    assert_allclose(low_rank.low_rank_approximation(A, 5), A_5, atol=1e-10)


def test_input_untouched():
    A = _random(4, 5, 3)
    before = A.copy()
    low_rank.truncated_svd(A, 2)
    low_rank.low_rank_approximation(A, 2)
    assert np.array_equal(A, before)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: low_rank.truncated_svd(np.eye(3), 4),
            ValueError,
            r"`rank` must be <= min\(m, n\) = 3",
        ),
        (
            lambda: low_rank.truncated_svd(np.eye(3), -1),
            ValueError,
            r"`rank` must be >= 0",
        ),
        (lambda: low_rank.truncated_svd(np.eye(3), 1.5), TypeError, "integer"),
        (
            lambda: low_rank.low_rank_approximation(np.ones(3), 1),
            ValueError,
            "2-D",
        ),
        (
            lambda: low_rank.low_rank_approximation([[np.nan]], 1),
            ValueError,
            "finite",
        ),
        (lambda: low_rank.storage_cost(5, 1), TypeError, "pair"),
        (
            lambda: low_rank.storage_cost((0, 4), 0),
            ValueError,
            "`shape` must be >= 1",
        ),
        (
            lambda: low_rank.eckart_young_error([1.0, 2.0], 1),
            ValueError,
            "decreasing",
        ),
        (
            lambda: low_rank.eckart_young_error([2.0, 1.0], 3),
            ValueError,
            "<= 2",
        ),
        (
            lambda: low_rank.eckart_young_curve([1.0, -1.0]),
            ValueError,
            "non-negative and decreasing",
        ),
        (
            lambda: low_rank.eckart_young_curve([[1.0]]),
            ValueError,
            "1-D",
        ),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
