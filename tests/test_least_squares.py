"""Tests for mathsforml.least_squares: against scikit-learn, statsmodels
and NumPy, identities of the projection, and bad input."""

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn import linear_model
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import PolynomialFeatures

from mathsforml import least_squares as ls
from mathsforml import likelihood, numdiff

RTOL = 1e-10  # QR on a design with condition number ~ 1e2
FEW = settings(max_examples=40, deadline=None)
X_d, y_d = load_diabetes(return_X_y=True)


# --- reference ---------------------------------------------------------


@pytest.mark.parametrize("method", ["qr", "lstsq"])
def test_diabetes_matches_sklearn_and_statsmodels(method):
    model = ls.LinearRegression(method=method).fit(X_d, y_d)
    ref = linear_model.LinearRegression().fit(X_d, y_d)
    assert_allclose(model.coef_, ref.coef_, rtol=RTOL)
    assert_allclose(model.intercept_, ref.intercept_, rtol=RTOL)
    ols = sm.OLS(y_d, sm.add_constant(X_d)).fit()
    assert_allclose(model.log_likelihood_, ols.llf, rtol=RTOL)
    assert_allclose(model.noise_variance_, ols.ssr / len(y_d), rtol=RTOL)
    assert_allclose(model.score(X_d, y_d), ols.rsquared, rtol=RTOL)
    # The values CONTENT.md and the chapter quote
    assert round(model.score(X_d, y_d), 4) == 0.5177
    assert round(model.noise_variance_, 2) == 2859.70
    assert round(model.log_likelihood_, 3) == -2385.993


def test_polynomial_features_match_sklearn():
    x = np.linspace(-1, 1, 7)
    for degree in (0, 1, 4):
        want = PolynomialFeatures(degree).fit_transform(x[:, None])
        assert_allclose(ls.polynomial_features(x, degree), want, rtol=1e-15)


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(0, 5))
@FEW
def test_solvers_agree_with_numpy_lstsq(seed, p, extra):
    rng = np.random.default_rng(seed)
    Phi = rng.standard_normal((p + extra + 1, p))
    y = rng.standard_normal(p + extra + 1)
    want = np.linalg.lstsq(Phi, y, rcond=None)[0]
    for method in ("qr", "lstsq"):
        assert_allclose(
            ls.solve_least_squares(Phi, y, method), want, rtol=1e-8, atol=1e-10
        )


# --- identities --------------------------------------------------------


def test_residual_is_orthogonal_to_the_columns():
    Phi = np.column_stack([np.ones(len(y_d)), X_d])
    theta = ls.solve_least_squares(Phi, y_d)
    residual = y_d - Phi @ theta
    # Phi^T r = 0 relative to the sizes that cancel in it
    scale = np.abs(Phi).T @ np.abs(y_d)
    assert np.all(np.abs(Phi.T @ residual) <= 1e-12 * scale)


def test_zero_score_at_the_mle():
    model = ls.LinearRegression().fit(X_d, y_d)
    theta = np.concatenate(
        [[model.intercept_], model.coef_, [model.noise_variance_]]
    )
    Phi = np.column_stack([np.ones(len(y_d)), X_d])

    def ell(t):
        return likelihood.gaussian_log_likelihood(y_d, Phi @ t[:-1], t[-1])

    score = numdiff.gradient(ell, theta)
    assert_allclose(score, 0.0, atol=1e-4)  # ell ~ 2e3, steps ~ 1e-5


def test_training_rmse_never_increases_with_the_degree():
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, 30)
    y = np.cos(5 * x) + 0.2 * rng.standard_normal(30)
    errors = []
    for degree in range(12):
        Phi = ls.polynomial_features(x, degree)
        errors.append(ls.rmse(y, Phi @ ls.solve_least_squares(Phi, y)))
    assert np.all(np.diff(errors) <= 1e-12)  # nested models


def test_r2_and_rmse_definitions():
    y = np.array([1.0, 2.0, 4.0])
    assert ls.r2_score(y, y) == 1.0
    assert_allclose(ls.r2_score(y, np.full(3, y.mean())), 0.0, atol=1e-15)
    assert_allclose(ls.rmse(y, y + 2.0), 2.0, rtol=1e-15)


def test_inputs_are_not_modified():
    X, y = X_d.copy(), y_d.copy()
    ls.LinearRegression().fit(X, y).predict(X)
    assert np.array_equal(X, X_d) and np.array_equal(y, y_d)


# --- bad input ---------------------------------------------------------


def test_singular_design_points_to_ridge():
    X = np.column_stack([X_d[:, :3], X_d[:, 0] + X_d[:, 1]])
    for method in ("qr", "lstsq"):
        with pytest.raises(ValueError, match=r"singular: rank 4 < 5.*Ridge"):
            ls.LinearRegression(method=method).fit(X, y_d)
    with pytest.raises(ValueError, match=r"rank 3 < 5"):
        ls.solve_least_squares(np.ones((3, 5)), np.ones(3))


def test_nan_features_are_rejected():
    X = X_d.copy()
    X[5, 2] = np.nan
    with pytest.raises(
        ValueError,
        match=r"`X` must contain only finite "
        r"values; got 1 NaN or infinite entry at index "
        r"\(5, 2\)",
    ):
        ls.LinearRegression().fit(X, y_d)


def test_predicting_before_fitting():
    with pytest.raises(ls.NotFittedError, match="not fitted yet"):
        ls.LinearRegression().predict(X_d)


def test_other_bad_arguments():
    model = ls.LinearRegression().fit(X_d, y_d)
    with pytest.raises(ValueError, match="must have 10 columns"):
        model.predict(X_d[:, :3])
    with pytest.raises(ValueError, match="`method` must be one of"):
        ls.solve_least_squares(X_d, y_d, method="inverse")
    with pytest.raises(ValueError, match="one variable"):
        ls.polynomial_features(X_d[:, :2], 3)
    with pytest.raises(ValueError, match="`degree` must be >= 0"):
        ls.polynomial_features([1.0], -1)
    with pytest.raises(ValueError, match="same number of samples"):
        ls.LinearRegression().fit(X_d, y_d[:-1])
