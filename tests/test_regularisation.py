"""Tests for mathsforml.regularisation: ridge and lasso against
scikit-learn, optimality (KKT) identities, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize
from sklearn import linear_model
from sklearn.datasets import load_diabetes

from mathsforml import least_squares
from mathsforml import regularisation as reg

FEW = settings(max_examples=40, deadline=None)
X_d, y_d = load_diabetes(return_X_y=True)
N = len(y_d)
Xc, yc = X_d - X_d.mean(axis=0), y_d - y_d.mean()
KKT_RTOL = 1e-8  # relative to lambda


def _kkt_violation(theta, lam):
    """Largest violation of the lasso optimality conditions, over lam."""
    q = Xc.T @ (yc - Xc @ theta)  # Phi^T r
    active = theta != 0
    on = np.abs(q[active] - lam * np.sign(theta[active]))
    off = np.maximum(np.abs(q[~active]) - lam, 0.0)
    return np.concatenate([on, off, [0.0]]).max() / lam


# --- reference ---------------------------------------------------------


@pytest.mark.parametrize("lam", [1e-3, 0.1, 10.0])
def test_ridge_matches_sklearn(lam):
    ours = reg.Ridge(lam=lam).fit(X_d, y_d)
    ref = linear_model.Ridge(alpha=lam).fit(X_d, y_d)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)


@pytest.mark.parametrize("lam", [5.0, 50.0, 500.0])
def test_lasso_matches_sklearn(lam):
    ours = reg.Lasso(lam=lam).fit(X_d, y_d)
    ref = linear_model.Lasso(alpha=lam / N, tol=1e-12, max_iter=1_000_000).fit(
        X_d, y_d
    )
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-5, atol=1e-6)
    assert_allclose(ours.predict(X_d), ref.predict(X_d), rtol=1e-7)


def test_lasso_path_matches_sklearn_on_the_same_grid():
    lams, coefs, _ = reg.lasso_path(X_d, y_d, n_lams=30)
    alphas, ref, _ = linear_model.lasso_path(
        Xc, yc, alphas=lams / N, tol=1e-12, max_iter=10**6
    )
    assert_allclose(lams / N, alphas, rtol=1e-14)
    assert_allclose(coefs, ref.T, rtol=1e-5, atol=1e-5)
    default_lams = reg.lasso_path(X_d, y_d)[0]  # 100 values
    ref_lams = linear_model.lasso_path(Xc, yc)[0] * N
    assert_allclose(default_lams, ref_lams, rtol=1e-12)


def test_soft_threshold_solves_the_one_dimensional_problem():
    for z in (-3.0, -0.4, 0.0, 0.7, 5.0):
        result = optimize.minimize_scalar(
            lambda t, z=z: 0.5 * (t - z) ** 2 + abs(t),
            bounds=(-10, 10),
            method="bounded",
            options={"xatol": 1e-12},
        )
        assert_allclose(reg.soft_threshold(z, 1.0), result.x, atol=1e-8)


# --- identities --------------------------------------------------------


@pytest.mark.parametrize("lam", [1.0, 30.0, 300.0, 3000.0])
def test_lasso_satisfies_kkt_conditions(lam):
    theta = reg.lasso_coordinate_descent(Xc, yc, lam).theta
    assert _kkt_violation(theta, lam) < KKT_RTOL


def test_path_satisfies_kkt_and_bmi_enters_first():
    lams, coefs, _ = reg.lasso_path(X_d, y_d)
    for lam, theta in zip(lams, coefs, strict=True):
        assert _kkt_violation(theta, lam) < KKT_RTOL
    assert np.all(coefs[0] == 0)  # at lambda_max every weight is zero
    entered = [np.argmax(coefs[:, j] != 0) for j in range(10)]
    names = load_diabetes().feature_names
    assert names[int(np.argmin(entered))] == "bmi"


def test_ridge_equals_normal_equations_and_tends_to_ols():
    lam = 0.7
    want = np.linalg.solve(Xc.T @ Xc + lam * np.eye(10), Xc.T @ yc)
    assert_allclose(reg.ridge(Xc, yc, lam), want, rtol=1e-9)
    ols = least_squares.solve_least_squares(Xc, yc)
    assert_allclose(reg.ridge(Xc, yc, 1e-10), ols, rtol=1e-6)


def test_lasso_objective_never_increases():
    history = reg.lasso_coordinate_descent(Xc, yc, 1.0).history
    assert np.all(np.diff(history) <= 1e-9 * history[0])


def test_ridge_shrinks_the_norm_monotonically():
    norms = [
        np.linalg.norm(reg.ridge(Xc, yc, lam))
        for lam in np.geomspace(1e-3, 1e3, 13)
    ]
    assert np.all(np.diff(norms) < 0)


@given(
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=10), st.floats(0, 100)
)
@FEW
def test_soft_threshold_shrinks_by_at_most_tau(z, tau):
    z = np.array(z)
    s = reg.soft_threshold(z, tau)
    assert np.all(np.abs(s) <= np.abs(z))
    assert np.all(np.abs(z - s) <= tau + 1e-12 * np.abs(z))
    assert np.all(s[np.abs(z) <= tau] == 0)


def test_warm_start_and_inputs_untouched():
    X, y = X_d.copy(), y_d.copy()
    cold = reg.lasso_coordinate_descent(Xc, yc, 10.0)
    warm = reg.lasso_coordinate_descent(Xc, yc, 10.0, theta0=cold.theta)
    assert warm.n_iter <= 2
    reg.Lasso(lam=3.0).fit(X, y)
    assert np.array_equal(X, X_d) and np.array_equal(y, y_d)


# --- bad input ---------------------------------------------------------


def test_bad_input():
    for lam in (0.0, -1.0):
        with pytest.raises(ValueError, match="`lam` must be > 0"):
            reg.Ridge(lam=lam).fit(X_d, y_d)
        with pytest.raises(ValueError, match="`lam` must be > 0"):
            reg.Lasso(lam=lam).fit(X_d, y_d)
    X = X_d.copy()
    X[1, 1] = np.nan
    with pytest.raises(ValueError, match="only finite values"):
        reg.Lasso(lam=1.0).fit(X, y_d)
    with pytest.raises(least_squares.NotFittedError, match="not fitted yet"):
        reg.Ridge().predict(X_d)
    with pytest.raises(ValueError, match=r"`theta0` must have shape \(10,"):
        reg.lasso_coordinate_descent(Xc, yc, 1.0, theta0=np.zeros(3))
    with pytest.warns(RuntimeWarning, match="did not converge"):
        reg.lasso_coordinate_descent(Xc, yc, 1.0, max_iter=1, tol=1e-15)
