"""Tests for mathsforml.confidence: standard errors and intervals against
statsmodels, quantiles against SciPy, bootstrap identities, bad input."""

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.datasets import load_breast_cancer, load_diabetes

from mathsforml import confidence as ci
from mathsforml import logistic, numdiff

FEW = settings(max_examples=40, deadline=None)
RTOL = 1e-9  # statsmodels uses pinv and SciPy's quantiles; we use QR
X_d, y_d = load_diabetes(return_X_y=True)
_c = load_breast_cancer()
X_c = _c.data[:, [0, 1, 4, 7]]
X_c = (X_c - X_c.mean(axis=0)) / X_c.std(axis=0)
y_c = _c.target.astype(float)


# --- reference ---------------------------------------------------------


def test_ols_matches_statsmodels():
    ours = ci.ols_confidence(X_d, y_d)
    ref = sm.OLS(y_d, sm.add_constant(X_d)).fit()
    assert_allclose(ours.params, ref.params, rtol=RTOL)
    assert_allclose(ours.standard_errors, ref.bse, rtol=RTOL)
    lower, upper = ref.conf_int(0.05).T
    assert_allclose(ours.lower, lower, rtol=RTOL)
    assert_allclose(ours.upper, upper, rtol=RTOL)
    assert ours.dof == 431
    bmi = 3  # intercept, age, sex, bmi
    assert round(ours.params[bmi], 2) == 519.85
    assert round(ours.standard_errors[bmi], 2) == 66.53
    assert (round(ours.lower[bmi], 2), round(ours.upper[bmi], 2)) == (
        389.08,
        650.62,
    )


def test_ols_other_levels_match_statsmodels():
    ref = sm.OLS(y_d, sm.add_constant(X_d)).fit()
    for level in (0.5, 0.9, 0.99):
        ours = ci.ols_confidence(X_d, y_d, level=level)
        assert_allclose(ours.lower, ref.conf_int(1 - level)[:, 0], rtol=RTOL)


def test_logistic_matches_statsmodels():
    ours = ci.logistic_confidence(X_c, y_c)
    ref = sm.Logit(y_c, sm.add_constant(X_c)).fit(disp=0, tol=1e-12)
    assert_allclose(ours.params, ref.params, rtol=1e-8)
    assert_allclose(ours.standard_errors, ref.bse, rtol=1e-8)
    assert_allclose(
        np.column_stack([ours.lower, ours.upper]),
        ref.conf_int(0.05),
        rtol=1e-8,
    )
    assert ours.dof is None


@pytest.mark.parametrize("dof", [1, 2, 3, 5, 10, 30, 431, 999, 1001, 10**6])
def test_t_quantile_matches_scipy(dof):
    for q in (1e-4, 0.025, 0.3, 0.6, 0.95, 0.975, 0.995, 0.9999):
        assert_allclose(
            ci.t_quantile(q, dof), stats.t.ppf(q, dof), rtol=1e-9, atol=1e-12
        )


def test_normal_quantile_matches_scipy():
    for q in (1e-6, 0.1, 0.5, 0.975):
        assert_allclose(
            ci.normal_quantile(q), stats.norm.ppf(q), rtol=1e-12, atol=1e-15
        )


# --- identities --------------------------------------------------------


def test_logistic_covariance_is_inverse_hessian_of_the_nll():
    res = ci.logistic_confidence(X_c, y_c)
    Phi = np.column_stack([np.ones(len(y_c)), X_c])
    hessian = numdiff.jacobian(
        lambda t: logistic.logistic_gradient(t, Phi, y_c), res.params
    )
    assert_allclose(res.covariance, np.linalg.inv(hessian), rtol=1e-6)


def test_ols_covariance_identity():
    res = ci.ols_confidence(X_d, y_d)
    Phi = np.column_stack([np.ones(len(y_d)), X_d])
    s2 = np.sum((y_d - Phi @ res.params) ** 2) / (len(y_d) - 11)
    want = s2 * np.linalg.inv(Phi.T @ Phi)
    # entries that are zero in theory (intercept against centred
    # columns) come out at round-off relative to the largest entry
    assert_allclose(
        res.covariance, want, rtol=1e-9, atol=1e-12 * np.abs(want).max()
    )


def test_intervals_are_symmetric_and_nested():
    narrow = ci.ols_confidence(X_d, y_d, level=0.8)
    wide = ci.ols_confidence(X_d, y_d, level=0.99)
    assert_allclose(
        narrow.params - narrow.lower, narrow.upper - narrow.params, rtol=1e-12
    )
    assert np.all(wide.lower < narrow.lower)
    assert np.all(wide.upper > narrow.upper)


def test_ols_coverage_is_nominal():
    # 2000 simulated data sets; coverage of 0.95 has MC error ~0.005
    rng = np.random.default_rng(0)
    X = rng.standard_normal((15, 2))
    theta = np.array([1.0, 2.0, -1.0])
    hits = 0
    for _ in range(2000):
        y = theta[0] + X @ theta[1:] + rng.standard_normal(15)
        res = ci.ols_confidence(X, y)
        hits += res.lower[1] <= theta[1] <= res.upper[1]
    assert abs(hits / 2000 - 0.95) < 4 * np.sqrt(0.95 * 0.05 / 2000)


def test_bootstrap_standard_error_of_a_mean():
    x = np.random.default_rng(1).normal(0, 2, 400)
    reps = ci.bootstrap(np.mean, x, n_resamples=4000, seed=2)
    # the plug-in standard error; the bootstrap's own MC error is ~1%
    want = x.std() / np.sqrt(x.size)
    assert abs(reps.std() / want - 1) < 0.05


def test_bootstrap_is_reproducible_and_resamples_rows_jointly():
    X = np.arange(20.0).reshape(10, 2)
    a = ci.bootstrap(
        lambda A, b: A[:, 0] - b, X, X[:, 0], n_resamples=5, seed=3
    )
    assert np.all(a == 0)
    b1 = ci.bootstrap(np.median, X[:, 1], n_resamples=50, seed=4)
    b2 = ci.bootstrap(np.median, X[:, 1], n_resamples=50, seed=4)
    assert np.array_equal(b1, b2)


@given(st.floats(0.05, 0.99))
@FEW
def test_percentile_interval_of_a_uniform_grid(level):
    grid = np.linspace(0.0, 1.0, 100_001)
    lower, upper = ci.percentile_interval(grid, level)
    assert_allclose(
        [lower, upper], [(1 - level) / 2, (1 + level) / 2], atol=1e-5
    )


# --- bad input ---------------------------------------------------------


def test_bad_input():
    with pytest.raises(ValueError, match=r"`level` must lie in \(0.0, 1.0"):
        ci.ols_confidence(X_d, y_d, level=1.0)
    with pytest.raises(ValueError, match="more samples than parameters"):
        ci.ols_confidence(X_d[:11], y_d[:11])
    with pytest.raises(ValueError, match="binary labels"):
        ci.logistic_confidence(X_c, y_c * 2)
    with pytest.raises(TypeError, match="`statistic` must be callable"):
        ci.bootstrap(3.0, X_d)
    with pytest.raises(ValueError, match="same number of rows"):
        ci.bootstrap(np.mean, X_d, y_d[:-1])
    with pytest.raises(TypeError, match="`dof` must be an integer"):
        ci.t_quantile(0.975, 2.5)
    with pytest.raises(ValueError, match="design matrix is singular"):
        ci.ols_confidence(np.column_stack([X_d, X_d[:, 0]]), y_d)


def test_separable_logistic_warns_then_refuses():
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with (
        pytest.warns(RuntimeWarning, match="separable"),
        pytest.raises(ValueError, match="standard errors are infinite"),
    ):
        ci.logistic_confidence(x, [0, 0, 1, 1])
