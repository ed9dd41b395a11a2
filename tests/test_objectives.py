"""Tests for mathsforml.objectives: against SciPy's Rosenbrock and
autograd, identities (batches, critical points) and bad input."""

from __future__ import annotations

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy.optimize import rosen, rosen_der, rosen_hess

from mathsforml.objectives import Quadratic, Rosenbrock, Saddle, rotation

SEED = 0
EXACT_RTOL = 1e-12  # two exact formulas in float64
HYPOTHESIS = settings(max_examples=30, deadline=None)
points = st.lists(st.floats(-3, 3), min_size=2, max_size=6)


@given(x=points)
@HYPOTHESIS
def test_rosenbrock_matches_scipy(x):
    f, x = Rosenbrock(), np.array(x)
    assert_allclose(f.value(x), rosen(x), rtol=EXACT_RTOL)
    assert_allclose(f.gradient(x), rosen_der(x), rtol=EXACT_RTOL, atol=1e-12)
    assert_allclose(f.hessian(x), rosen_hess(x), rtol=EXACT_RTOL, atol=1e-12)


def test_rosenbrock_other_b_matches_autograd():
    b, x = 7.0, np.array([0.3, -1.1, 2.0])

    def reference(z):
        return anp.sum(b * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2)

    f = Rosenbrock(b=b)
    assert_allclose(f.gradient(x), autograd.grad(reference)(x), rtol=1e-12)
    assert_allclose(f.hessian(x), autograd.hessian(reference)(x), rtol=1e-12)


def test_quadratic_matches_autograd():
    rng = np.random.default_rng(SEED)
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    lam, x_star = np.array([0.5, 1.0, 3.0, -2.0]), rng.normal(size=4)
    f = Quadratic(lam, Q, x_star)
    H = Q @ np.diag(lam) @ Q.T

    def reference(x):
        d = x - x_star
        return 0.5 * anp.dot(d, anp.dot(H, d))

    x = rng.normal(size=4)
    assert_allclose(f.value(x), reference(x), rtol=EXACT_RTOL)
    assert_allclose(f.gradient(x), autograd.grad(reference)(x), rtol=1e-12)
    assert_allclose(f.hessian(x), autograd.hessian(reference)(x), atol=1e-12)
    assert_allclose(np.linalg.eigvalsh(f.matrix), np.sort(lam), atol=1e-12)


def test_saddle_matches_autograd_and_its_critical_points():
    f = Saddle()

    def reference(x):
        return 0.5 * x[0] ** 2 + 0.25 * x[1] ** 4 - 0.5 * x[1] ** 2

    x = np.array([0.7, -0.4])
    assert_allclose(f.gradient(x), autograd.grad(reference)(x), rtol=1e-12)
    assert_allclose(f.hessian(x), autograd.hessian(reference)(x), rtol=1e-12)
    assert_allclose(f.gradient(f.saddle_point), 0.0)
    for m in f.minima:
        assert_allclose(f.gradient(m), 0.0)
        assert np.all(np.linalg.eigvalsh(f.hessian(m)) > 0)
        assert f.value(m) == pytest.approx(-0.25)
    assert np.linalg.eigvalsh(f.hessian(f.saddle_point))[0] < 0


@pytest.mark.parametrize(
    "f", [Quadratic([1.0, 10.0], x_star=[1.0, -1.0]), Rosenbrock(), Saddle()]
)
def test_batches_equal_points_one_at_a_time(f):
    X = np.random.default_rng(SEED).normal(size=(3, 5, 2))
    values = f.value(X)
    grads = f.gradient(X)
    assert values.shape == (3, 5) and grads.shape == (3, 5, 2)
    for i in np.ndindex(3, 5):
        assert_allclose(values[i], f.value(X[i]), rtol=EXACT_RTOL)
        assert_allclose(grads[i], f.gradient(X[i]), rtol=EXACT_RTOL)
    assert isinstance(f.value(X[0, 0]), float)


def test_quadratic_condition_number_and_inputs_unchanged():
    lam = np.array([2.0, 50.0])
    f = Quadratic(lam)
    lam[0] = 99.0
    assert f.condition_number == 25.0
    with pytest.raises(ValueError, match="needs positive eigenvalues"):
        _ = Quadratic([1.0, -1.0]).condition_number


@given(st.floats(-10.0, 10.0))
@HYPOTHESIS
def test_rotation_is_orthogonal_and_rotates(angle):
    Q = rotation(angle)
    assert_allclose(Q.T @ Q, np.eye(2), atol=1e-15)
    assert_allclose(np.linalg.det(Q), 1.0, rtol=1e-15)
    # the first axis goes to the direction at `angle`
    assert_allclose(Q @ [1.0, 0.0], [np.cos(angle), np.sin(angle)])
    assert_allclose(rotation(-angle), Q.T, atol=1e-15)


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="must be an orthogonal"):
        Quadratic([1.0, 2.0], eigenvectors=[[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"`x_star` must have shape \(2,\)"):
        Quadratic([1.0, 2.0], x_star=[0.0])
    with pytest.raises(ValueError, match=r"`x` must have shape \(\.\.\., 2\)"):
        Quadratic([1.0, 2.0]).gradient([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"`x` must have shape \(\.\.\., 2\)"):
        Saddle().value(1.0)
    with pytest.raises(ValueError, match="`b` must be > 0"):
        Rosenbrock(b=0.0)
    with pytest.raises(TypeError, match="`x` must be an array of real"):
        Rosenbrock().value(["a", "b"])
    with pytest.raises(ValueError, match="`angle` must"):
        rotation([0.1, 0.2])
    with pytest.raises(ValueError, match="`angle`"):
        rotation(np.nan)
