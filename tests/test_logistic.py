"""Tests for mathsforml.logistic: against scikit-learn, statsmodels and
scipy.optimize, derivative and convexity identities, separation, and bad
input."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize
from sklearn import linear_model
from sklearn.datasets import load_breast_cancer

from mathsforml import least_squares, numdiff
from mathsforml import logistic as lg

FEW = settings(max_examples=30, deadline=None)
COEF_RTOL = 1e-6  # two solvers of a strictly convex problem, tight tols

_cancer = load_breast_cancer()
FOUR = (
    "mean radius",
    "mean texture",
    "mean smoothness",
    "mean concave points",
)
_cols = [list(_cancer.feature_names).index(n) for n in FOUR]


def _standardise(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


X4 = _standardise(_cancer.data[:, _cols])
X30 = _standardise(_cancer.data)
y = _cancer.target.astype(float)
Phi4 = np.column_stack([np.ones(len(y)), X4])


# --- reference ---------------------------------------------------------


def test_newton_matches_sklearn_unpenalised():
    ours = lg.LogisticRegression().fit(X4, y)
    # C = inf is penalty=None (the name scikit-learn 1.8 deprecated)
    ref = linear_model.LogisticRegression(
        C=np.inf, tol=1e-12, max_iter=10_000
    ).fit(X4, y)
    assert_allclose(ours.coef_, ref.coef_[0], rtol=COEF_RTOL)
    assert_allclose(ours.intercept_, ref.intercept_[0], rtol=COEF_RTOL)
    assert_allclose(
        ours.predict_proba(X4), ref.predict_proba(X4)[:, 1], atol=1e-8
    )
    assert ours.n_iter_ <= 10 and ours.converged_


def test_newton_matches_statsmodels_logit():
    theta = lg.newton_logistic(Phi4, y).theta
    ref = sm.Logit(y, Phi4).fit(disp=0, tol=1e-12)
    assert_allclose(theta, ref.params, rtol=1e-9)


def test_minimum_matches_scipy_bfgs():
    result = optimize.minimize(
        lg.logistic_nll,
        np.zeros(5),
        (Phi4, y),
        jac=lg.logistic_gradient,
        method="BFGS",
        options={"gtol": 1e-9},
    )
    assert_allclose(
        lg.newton_logistic(Phi4, y).theta, result.x, rtol=COEF_RTOL
    )


def test_gradient_descent_reaches_the_newton_solution():
    gd = lg.LogisticRegression(solver="gd", tol=1e-9, max_iter=50_000)
    gd.fit(X4, y)
    newton = lg.LogisticRegression().fit(X4, y)
    assert gd.converged_
    assert_allclose(gd.coef_, newton.coef_, rtol=1e-6)


# --- identities --------------------------------------------------------


def test_gradient_and_hessian_match_finite_differences():
    theta = np.array([0.3, -1.0, 0.5, 0.2, -0.7])
    g = lg.logistic_gradient(theta, Phi4, y)
    assert (
        numdiff.relative_error(
            g, numdiff.gradient(lambda t: lg.logistic_nll(t, Phi4, y), theta)
        )
        < 1e-8
    )
    H = lg.logistic_hessian(theta, Phi4)
    H_fd = numdiff.jacobian(lambda t: lg.logistic_gradient(t, Phi4, y), theta)
    assert numdiff.relative_error(H, H_fd) < 1e-7


def test_zero_score_at_the_mle():
    theta = lg.newton_logistic(Phi4, y).theta
    assert np.max(np.abs(lg.logistic_gradient(theta, Phi4, y))) < 1e-9


@given(st.integers(0, 2**32 - 1), st.integers(5, 40), st.integers(1, 5))
@FEW
def test_hessian_is_positive_semidefinite(seed, n, p):
    rng = np.random.default_rng(seed)
    Phi = rng.standard_normal((n, p))
    theta = rng.normal(0, 3, p)
    eigenvalues = np.linalg.eigvalsh(lg.logistic_hessian(theta, Phi))
    assert eigenvalues.min() >= -1e-12 * max(1.0, eigenvalues.max())


def test_objective_decreases_at_every_step():
    for result in (
        lg.newton_logistic(Phi4, y),
        lg.gradient_descent_logistic(Phi4, y),
    ):
        assert np.all(np.diff(result.history) <= 1e-12)


def test_newton_step_is_a_weighted_least_squares_solution():
    theta = np.zeros(5)
    mu = 1 / (1 + np.exp(-Phi4 @ theta))
    w = mu * (1 - mu)
    z = Phi4 @ theta + (y - mu) / w  # the working response
    irls = least_squares.solve_least_squares(
        np.sqrt(w)[:, None] * Phi4, np.sqrt(w) * z
    )
    newton = theta - np.linalg.solve(
        lg.logistic_hessian(theta, Phi4), lg.logistic_gradient(theta, Phi4, y)
    )
    assert_allclose(irls, newton, rtol=1e-10)


def test_path_records_every_iterate():
    for result in (
        lg.newton_logistic(Phi4, y),
        lg.gradient_descent_logistic(Phi4, y),
    ):
        assert result.path.shape == (result.n_iter + 1, 5)
        assert np.all(result.path[0] == 0)
        assert np.array_equal(result.path[-1], result.theta)
        E = [lg.logistic_nll(t, Phi4, y) for t in result.path]
        assert_allclose(E, result.history, rtol=1e-12)


def test_newton_iterations_on_four_features():
    assert lg.newton_logistic(Phi4, y).n_iter == 9  # 8 steps + 1 to confirm


# --- separation ---------------------------------------------------------


def test_separable_data_warn_and_say_why():
    with pytest.warns(RuntimeWarning, match="linearly separable"):
        model = lg.LogisticRegression().fit(X30, y)
    assert not model.converged_
    assert np.abs(model.coef_).max() > 1e3  # running off to infinity
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with pytest.warns(RuntimeWarning, match="no maximum"):
        lg.LogisticRegression(solver="gd", max_iter=500).fit(x, [0, 0, 1, 1])


def test_quasi_separation_is_named():
    # x = 0 holds both labels; x < 0 are all 0 and x > 0 all 1.
    x = np.array([[-2.0], [-1.0], [0.0], [0.0], [1.0], [2.0]])
    with pytest.warns(RuntimeWarning, match="quasi-separated"):
        lg.LogisticRegression(max_iter=60).fit(x, [0, 0, 0, 1, 1, 1])


def test_no_warning_when_converged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lg.LogisticRegression().fit(X4, y)


# --- bad input ---------------------------------------------------------


def test_bad_input():
    with pytest.raises(
        ValueError, match="binary labels 0 and 1; got the value 2"
    ):
        lg.LogisticRegression().fit(X4, y + 1)
    X = X4.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="only finite values"):
        lg.LogisticRegression().fit(X, y)
    with pytest.raises(least_squares.NotFittedError, match="not fitted yet"):
        lg.LogisticRegression().predict(X4)
    with pytest.raises(ValueError, match="`solver` must be 'newton' or"):
        lg.LogisticRegression(solver="lbfgs").fit(X4, y)
    with pytest.raises(ValueError, match="`learning_rate` must be > 0"):
        lg.LogisticRegression(solver="gd", learning_rate=-1.0).fit(X4, y)
    with pytest.raises(ValueError, match=r"`theta` must have shape \(5,\)"):
        lg.logistic_nll(np.zeros(3), Phi4, y)
    with pytest.raises(ValueError, match="`max_iter` must be >= 1"):
        lg.LogisticRegression(max_iter=0).fit(X4, y)
