"""Tests for mathsforml.curvature: against NumPy, SciPy and autograd,
identities of quadratics, and bad input."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar

from mathsforml import curvature

# Exact identities in float64 on well-conditioned matrices.
RTOL = 1e-10
# minimize_scalar's Brent method stops at xtol ~ sqrt(eps) relative.
BRENT_RTOL = 1e-6
FEW = settings(max_examples=40, deadline=None)


def _spd(seed, n, kappa=None):
    """A random symmetric positive definite matrix, eigenvalues in [1, k]."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    kappa = 10.0 if kappa is None else kappa
    eigenvalues = np.geomspace(1.0, kappa, n) if n > 1 else np.ones(1)
    return (Q * eigenvalues) @ Q.T


seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 6)


# --- reference ---------------------------------------------------------


@given(seeds, sizes, st.floats(1.0, 1e6))
@FEW
def test_condition_number_matches_numpy(seed, n, kappa):
    H = _spd(seed, n, kappa)
    assert_allclose(
        curvature.condition_number(H), np.linalg.cond(H), rtol=1e-6
    )


def test_classification_matches_autograd_hessians():
    # Hessians at the origin of the textbook examples of each kind.
    cases = {
        "minimum": lambda x: x[0] ** 2 + 3 * x[1] ** 2 + x[0] * x[1],
        "maximum": lambda x: -anp.cosh(x[0]) - x[1] ** 2,
        "saddle": lambda x: x[0] ** 2 - x[1] ** 2 + anp.sin(x[0] * x[1]),
        "degenerate": lambda x: x[0] ** 4 + x[1] ** 2,
    }
    for kind, f in cases.items():
        H = autograd.hessian(f)(np.zeros(2))
        assert curvature.classify_critical_point(H) == kind


def test_classification_matches_eigenvalue_signs():
    rng = np.random.default_rng(3)
    for _ in range(50):
        A = rng.standard_normal((4, 4))
        H = A + A.T
        eig = np.linalg.eigvalsh(H)
        want = (
            "minimum" if eig[0] > 0 else "maximum" if eig[-1] < 0 else "saddle"
        )
        assert curvature.classify_critical_point(H) == want


def test_optimal_step_matches_scipy_line_search():
    H = _spd(1, 5, kappa=50.0)
    g = np.random.default_rng(2).standard_normal(5)
    phi = lambda a: curvature.quadratic_model(0.0, g, H, -a * g)  # noqa: E731
    result = minimize_scalar(phi, bracket=(0.0, 1.0), tol=1e-12)
    assert_allclose(curvature.optimal_step(g, H), result.x, rtol=BRENT_RTOL)


def test_quadratic_model_error_is_third_order():
    # f(x + d) - m(d) = O(|d|^3): halving d divides the error by ~8.
    f = lambda x: anp.exp(x[0] - x[1]) + anp.sin(x[0] * x[1])  # noqa: E731
    x = np.array([0.3, -0.4])
    g, H = autograd.grad(f)(x), autograd.hessian(f)(x)
    direction = np.array([0.6, 0.8])
    radii = np.array([1e-2, 5e-3, 2.5e-3])
    steps = radii[:, None] * direction
    model = curvature.quadratic_model(f(x), g, H, steps)
    errors = np.abs(np.array([f(x + d) for d in steps]) - model)
    assert_allclose(errors[:-1] / errors[1:], 8.0, rtol=0.1)


def _by_cholesky(H, tol=curvature.ZERO_RTOL):
    """The four cases by Cholesky factorisations, without eigenvalues."""
    t, eye = tol * np.linalg.norm(H, 2), np.eye(len(H))

    def definite(M):  # positive definite iff Cholesky succeeds
        try:
            np.linalg.cholesky(M)
        except np.linalg.LinAlgError:
            return False
        return True

    if not definite(t * eye - H) and not definite(t * eye + H):
        return "saddle"
    if definite(H - t * eye):
        return "minimum"
    if definite(-H - t * eye):
        return "maximum"
    return "degenerate"


def test_classification_matches_cholesky():
    # An independent reference: H - tI is positive definite iff all
    # eigenvalues exceed t, which Cholesky decides without eigenvalues.
    rng = np.random.default_rng(7)
    signs = {
        "minimum": [1, 1, 1, 1],
        "maximum": [-1, -1, -1, -1],
        "saddle": [1, 1, -1, 0],
        "degenerate": [1, 1, 1, 0],
    }
    for kind, sign in signs.items():
        for _ in range(25):
            lam = np.array(sign) * rng.uniform(0.1, 10, 4)
            Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
            H = (Q * lam) @ Q.T
            H = (H + H.T) / 2
            assert curvature.classify_critical_point(H) == kind
            assert _by_cholesky(H) == kind
            assert curvature.classify_critical_point(-H) == _by_cholesky(-H)


def test_newton_step_matches_lstsq():
    # On least squares the model is exact: one step from any theta lands
    # on the solution of the normal equations.
    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((40, 5)), rng.standard_normal(40)
    theta = rng.standard_normal(5)
    g, H = 2 * X.T @ (X @ theta - y), 2 * X.T @ X
    want = np.linalg.lstsq(X, y, rcond=None)[0]
    got = theta + curvature.newton_step(g, H)
    assert_allclose(got, want, rtol=RTOL, atol=RTOL)


# --- identities --------------------------------------------------------


@given(seeds, sizes, st.floats(1.0, 1e4))
@FEW
def test_optimal_step_minimises_along_gradient(seed, n, kappa):
    H = _spd(seed, n, kappa)
    g = np.random.default_rng(seed + 1).standard_normal(n)
    alpha = curvature.optimal_step(g, H)
    eig = np.linalg.eigvalsh(H)
    assert 1 / eig[-1] * (1 - RTOL) <= alpha <= 1 / eig[0] * (1 + RTOL)
    # phi'(alpha) = -g^T g + alpha g^T H g = 0 at the exact step.
    slope = -g @ g + alpha * (g @ H @ g)
    assert abs(slope) <= RTOL * (g @ g)
    # The new gradient g - alpha H g is orthogonal to g.
    assert abs(g @ (g - alpha * H @ g)) <= RTOL * (g @ g)


def test_steepest_descent_rate_bound():
    # f(x_k+1) <= ((k - 1) / (k + 1))^2 f(x_k) for f = x^T H x / 2
    # with exact line search (Nocedal & Wright, 2006, thm. 3.3).
    H = _spd(4, 3, kappa=30.0)
    kappa = curvature.condition_number(H)
    bound = ((kappa - 1) / (kappa + 1)) ** 2
    x = np.ones(3)
    for _ in range(20):
        g = H @ x
        before = 0.5 * x @ H @ x
        x = x - curvature.optimal_step(g, H) * g
        assert 0.5 * x @ H @ x <= bound * before * (1 + RTOL)


@given(seeds, sizes)
@FEW
def test_spd_is_minimum_and_negation_is_maximum(seed, n):
    H = _spd(seed, n, kappa=1e3)
    assert curvature.classify_critical_point(H) == "minimum"
    assert curvature.classify_critical_point(-H) == "maximum"


@given(seeds, sizes, st.floats(1e-3, 1e3))
@FEW
def test_condition_number_invariances(seed, n, scale):
    H = _spd(seed, n, kappa=100.0)
    kappa = curvature.condition_number(H)
    assert kappa >= 1.0
    assert_allclose(curvature.condition_number(scale * H), kappa, rtol=1e-8)
    assert_allclose(
        curvature.condition_number(np.linalg.inv(H)), kappa, rtol=1e-8
    )


def test_quadratic_model_is_exact_for_quadratics():
    rng = np.random.default_rng(5)
    H, g, c = _spd(5, 4), rng.standard_normal(4), 1.5
    x = rng.standard_normal(4)
    f = lambda z: c + g @ (z - x) + 0.5 * (z - x) @ H @ (z - x)  # noqa: E731
    steps = rng.standard_normal((7, 4))
    want = np.array([f(x + d) for d in steps])
    got = curvature.quadratic_model(c, g, H, steps)
    assert got.shape == (7,)
    assert_allclose(got, want, rtol=RTOL)
    assert isinstance(curvature.quadratic_model(c, g, H, steps[0]), float)


@given(seeds, sizes, st.floats(1.0, 1e6))
@FEW
def test_newton_step_solves_the_model(seed, n, kappa):
    # The model's gradient g + H d vanishes at the step, eq. (newton-step).
    H = _spd(seed, n, kappa)
    g = np.random.default_rng(seed + 2).standard_normal(n)
    d = curvature.newton_step(g, H)
    assert d.shape == (n,)
    assert np.linalg.norm(g + H @ d) <= 1e-8 * kappa * np.linalg.norm(g)


def test_newton_step_is_affine_invariant():
    # In coordinates x = S y the Newton step transforms with S, so its
    # progress does not depend on the conditioning that S introduces.
    rng = np.random.default_rng(9)
    H, g = _spd(9, 3, kappa=5.0), rng.standard_normal(3)
    S = (
        np.diag([1.0, 30.0, 0.02])
        @ np.linalg.qr(rng.standard_normal((3, 3)))[0]
    )
    d_y = curvature.newton_step(S.T @ g, S.T @ H @ S)
    assert_allclose(S @ d_y, curvature.newton_step(g, H), rtol=1e-9)


def test_inputs_are_not_modified():
    H, g = _spd(6, 3), np.ones(3)
    H_copy, g_copy = H.copy(), g.copy()
    curvature.optimal_step(g, H)
    curvature.quadratic_model(0.0, g, H, g)
    curvature.classify_critical_point(H)
    curvature.newton_step(g, H)
    assert_allclose(H, H_copy, rtol=0)
    assert_allclose(g, g_copy, rtol=0)


# --- bad input ---------------------------------------------------------


def test_hessian_must_be_square():
    with pytest.raises(ValueError, match=r"`hessian` must have shape"):
        curvature.condition_number(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"must be a 2-D array"):
        curvature.classify_critical_point(np.ones(3))


def test_hessian_must_be_symmetric():
    with pytest.raises(ValueError, match=r"must be symmetric.*H\.T"):
        curvature.condition_number([[1.0, 2.0], [0.0, 1.0]])


def test_hessian_must_be_finite_and_numeric():
    with pytest.raises(ValueError, match=r"only finite values"):
        curvature.classify_critical_point([[1.0, np.nan], [np.nan, 1.0]])
    with pytest.raises(TypeError, match=r"array of real numbers"):
        curvature.condition_number([["a", "b"], ["c", "d"]])


def test_condition_number_needs_positive_definite():
    with pytest.raises(ValueError, match=r"positive definite.*-1"):
        curvature.condition_number(np.diag([1.0, -1.0]))


def test_bad_tolerance():
    with pytest.raises(ValueError, match=r"`tol` must be > 0"):
        curvature.classify_critical_point(np.eye(2), tol=0.0)


def test_optimal_step_rejects_zero_gradient_and_negative_curvature():
    with pytest.raises(ValueError, match=r"`gradient` must not be zero"):
        curvature.optimal_step(np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match=r"g\^T H g = -1 <= 0"):
        curvature.optimal_step([0.0, 1.0], np.diag([1.0, -1.0]))


def test_shape_mismatches():
    with pytest.raises(ValueError, match=r"`gradient` must have shape \(2"):
        curvature.optimal_step(np.ones(3), np.eye(2))
    with pytest.raises(ValueError, match=r"`step` must have shape"):
        curvature.quadratic_model(0.0, np.ones(2), np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match=r"`f0` must be a 0-D array"):
        curvature.quadratic_model([0.0], np.ones(2), np.eye(2), np.ones(2))


def test_newton_step_solves_ill_conditioned_but_nonsingular_systems():
    # kappa = 1e10: far above the 1e8 of raw least squares, still
    # solvable to about kappa * eps.
    H = np.diag([1.0, 1e-10])
    d = curvature.newton_step([1.0, 1e-10], H)
    assert_allclose(d, [-1.0, -1.0], rtol=1e-5)
    with pytest.raises(ValueError, match=r"nonsingular"):
        curvature.newton_step([1.0, 1.0], np.diag([1.0, 1e-17]))


def test_newton_step_rejects_singular_hessian_and_bad_shapes():
    with pytest.raises(ValueError, match=r"nonsingular.*smallest"):
        curvature.newton_step([1.0, 1.0], np.diag([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"nonsingular"):
        curvature.newton_step([1.0, 1.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"`gradient` must have shape"):
        curvature.newton_step([1.0, 1.0, 1.0], np.eye(2))
