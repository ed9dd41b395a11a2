"""Tests for mathsforml.pca: against scikit-learn's PCA on real data for
all three solvers, identities of PCA for any data, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from skimage.data import lfw_subset
from sklearn import datasets
from sklearn.decomposition import PCA as SkPCA
from sklearn.preprocessing import StandardScaler

from mathsforml.pca import PCA, NotFittedError

# Leading components with clear eigenvalue gaps: all solvers agree with
# scikit-learn's LAPACK SVD to near round-off (error ~ eps * lambda_1 /
# gap, so about 1e-12 here).
RTOL = 1e-8
ATOL = 1e-8
SOLVERS = ("svd", "eigh", "gram")
FEW = settings(max_examples=40, deadline=None)


def _load(name):
    if name == "faces":  # N = 200 < D = 625
        return lfw_subset().reshape(200, -1)
    return getattr(datasets, f"load_{name}")().data


# dataset, components compared, standardise
CASES = [
    ("digits", 10, False),
    ("iris", 3, False),
    ("wine", 5, True),
    ("breast_cancer", 5, True),
    ("diabetes", 6, False),
    ("faces", 20, False),
]


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(("name", "k", "standardize"), CASES)
def test_matches_sklearn_full_svd(name, k, standardize, solver):
    X = _load(name)
    X_ref = StandardScaler().fit_transform(X) if standardize else X
    ref = SkPCA(n_components=k, svd_solver="full").fit(X_ref)
    pca = PCA(k, solver=solver, standardize=standardize).fit(X)
    assert_allclose(pca.components_, ref.components_, atol=ATOL)
    assert_allclose(
        pca.explained_variance_, ref.explained_variance_, rtol=RTOL
    )
    assert_allclose(
        pca.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=RTOL
    )
    assert_allclose(pca.singular_values_, ref.singular_values_, rtol=RTOL)
    Z, Z_ref = pca.transform(X), ref.transform(X_ref)
    scale = np.abs(Z_ref).max()
    assert_allclose(Z, Z_ref, atol=ATOL * scale)
    X_back = ref.inverse_transform(Z_ref)
    if standardize:
        X_back = X_back * X.std(axis=0) + X.mean(axis=0)
    assert_allclose(
        pca.inverse_transform(Z), X_back, atol=ATOL * np.abs(X).max()
    )


def test_digits_components_for_a_variance_fraction():
    X = _load("digits")
    for fraction, k in zip(
        [0.5, 0.8, 0.9, 0.95, 0.99], [5, 13, 21, 29, 41], strict=True
    ):
        ref = SkPCA(n_components=fraction, svd_solver="full").fit(X)
        for solver in SOLVERS:
            pca = PCA(fraction, solver=solver).fit(X)
            assert pca.n_components_ == ref.n_components_ == k


def test_digits_and_wine_variance_ratios():
    digits = PCA().fit(_load("digits")).explained_variance_ratio_
    assert np.cumsum(digits)[[1, 9]] == pytest.approx([0.285, 0.738], abs=5e-4)
    wine = _load("wine")
    assert PCA(1).fit(wine).explained_variance_ratio_[0] == pytest.approx(
        0.998, abs=5e-4
    )
    ratio = PCA(2, standardize=True).fit(wine).explained_variance_ratio_
    assert ratio == pytest.approx([0.362, 0.192], abs=5e-4)


def test_digits_variances_are_squared_singular_values_over_n_minus_1():
    # eq. (la-pca-svd), for every solver, against the centred data's SVD
    X = _load("digits")
    sigma = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    for solver in ("svd", "eigh"):
        pca = PCA(40, solver=solver).fit(X)
        assert_allclose(pca.singular_values_, sigma[:40], rtol=1e-10)
        assert_allclose(
            pca.explained_variance_, sigma[:40] ** 2 / (len(X) - 1), rtol=1e-10
        )


# --- identities --------------------------------------------------------


def _data(seed, n, d):
    rng = np.random.default_rng(seed)
    # distinct column scales give distinct eigenvalues
    return rng.standard_normal((n, d)) * np.geomspace(1, 8, d) + 3.0


@given(st.integers(0, 2**32 - 1), st.integers(2, 12), st.integers(1, 12))
@FEW
def test_solvers_agree_and_identities_hold(seed, n, d):
    X = _data(seed, n, d)
    fits = {s: PCA(solver=s).fit(X) for s in SOLVERS}
    ref = fits["svd"]
    # centred generic data have rank min(N - 1, D): what "gram" finds
    r = fits["gram"].n_components_
    assert r == min(n - 1, d)
    for pca in fits.values():
        assert_allclose(
            pca.explained_variance_[:r],
            ref.explained_variance_[:r],
            rtol=1e-7,
            atol=1e-9,
        )
        B = pca.components_
        assert_allclose(B @ B.T, np.eye(len(B)), atol=1e-7)
        Z = pca.transform(X)
        # coordinates are centred and uncorrelated, with variances lambda
        assert_allclose(Z.mean(axis=0), 0, atol=1e-9 * np.abs(X).max())
        cov = Z.T @ Z / (n - 1)
        assert_allclose(
            cov,
            np.diag(pca.explained_variance_),
            atol=1e-7 * ref.explained_variance_[0],
        )
        # with every non-zero component, reconstruction is exact
        assert_allclose(
            pca.inverse_transform(Z), X, atol=1e-7 * np.abs(X).max()
        )


@given(
    st.integers(0, 2**32 - 1), st.integers(3, 15), st.integers(2, 8), st.data()
)
@FEW
def test_reconstruction_error_is_the_discarded_variance(seed, n, d, data):
    # eq. (la-pca-mse): sum_n ||x_n - x~_n||^2 = (N - 1) sum_{i>k} lambda_i
    X = _data(seed, n, d)
    full = PCA().fit(X)
    k = data.draw(st.integers(1, full.n_components_))
    pca = PCA(k).fit(X)
    residual = X - pca.inverse_transform(pca.transform(X))
    discarded = full.explained_variance_[k:].sum()
    assert_allclose(
        np.sum(residual**2),
        (n - 1) * discarded,
        rtol=1e-8,
        atol=1e-9 * full.explained_variance_.sum(),
    )


def test_new_points_use_the_training_mean_and_scale():
    X = _load("wine")
    pca = PCA(3, standardize=True).fit(X[:100])
    expected = (X[100:] - X[:100].mean(0)) / X[:100].std(0)
    assert_allclose(
        pca.transform(X[100:]), expected @ pca.components_.T, rtol=1e-12
    )


def test_fit_transform_equals_fit_then_transform_and_input_untouched():
    X = _load("iris")
    before = X.copy()
    Z = PCA(2).fit_transform(X)
    assert_allclose(Z, PCA(2).fit(X).transform(X), rtol=1e-12)
    assert np.array_equal(X, before)


def test_repr():
    assert repr(PCA(2, solver="gram")) == (
        "PCA(n_components=2, solver='gram', standardize=False)"
    )


# --- bad input ---------------------------------------------------------


X_SMALL = np.arange(12.0).reshape(4, 3) ** 1.5


@pytest.mark.parametrize(
    ("model", "X", "error", "match"),
    [
        (
            PCA(4),
            X_SMALL,
            ValueError,
            r"`n_components` must be <= min\(n_samples, n_features\) = 3",
        ),
        (PCA(0), X_SMALL, ValueError, "`n_components` must be >= 1"),
        (PCA(-2), X_SMALL, ValueError, "`n_components` must be >= 1"),
        (PCA(1.5), X_SMALL, ValueError, r"fraction in \(0, 1\)"),
        (PCA("2"), X_SMALL, TypeError, "`n_components` must be an integer"),
        (PCA(solver="qr"), X_SMALL, ValueError, "`solver` must be one of"),
        (PCA(), np.ones(5), ValueError, "`X` must be a 2-D array"),
        (PCA(), [[1.0, np.nan], [2.0, 3.0]], ValueError, "finite"),
        (PCA(), np.ones((1, 3)), ValueError, "at least 2 samples"),
        (
            PCA(standardize=True),
            np.c_[X_SMALL, np.full(4, 7.0)],
            ValueError,
            r"1 constant column\(s\), at indices \[3\]",
        ),
        (
            PCA(3, solver="gram"),
            np.eye(3),
            ValueError,
            "only 2 components of non-zero variance",
        ),
    ],
)
def test_bad_input_at_fit(model, X, error, match):
    with pytest.raises(error, match=match):
        model.fit(X)


def test_transform_before_fit():
    for method in ("transform", "inverse_transform"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(PCA(), method)(X_SMALL)


def test_wrong_number_of_features_at_transform():
    pca = PCA(2).fit(X_SMALL)
    with pytest.raises(ValueError, match="fitted on 3 features"):
        pca.transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="with 2 columns"):
        pca.inverse_transform(np.ones((2, 3)))
