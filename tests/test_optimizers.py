"""Tests for mathsforml.optimizers and mathsforml.adaptive.

Three kinds, as in DESIGN.md: against a reference (scikit-learn's
stochastic optimizers, SciPy, the published algorithms written out
independently), identities (rates on quadratics against theory, the two
forms of Nesterov momentum, scale invariance, clipping) and bad input
(the error messages).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize as scipy_minimize
from sklearn.neural_network._stochastic_optimizers import (
    AdamOptimizer,
    SGDOptimizer,
)

from mathsforml import optimizers
from mathsforml.objectives import Quadratic, Rosenbrock, Saddle
from mathsforml.optimizers import (
    AdaGrad,
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    Newton,
    RMSProp,
    clip_by_norm,
    get_optimizer,
    heavy_ball_rate,
    minimize,
)
from mathsforml.schedules import InverseTimeDecay

SEED = 0
STEP_RTOL = 1e-12  # the same float64 rule, evaluated in another order
RATE_RTOL = 0.01  # measured rates against theory: the 1%
ROOT_RTOL = 1e-6  # eigvals of a nearly defective 2x2 matrix: sqrt(eps)
HYPOTHESIS = settings(max_examples=40, deadline=None)
KAPPAS = (10.0, 100.0, 1000.0)


def random_gradients(shapes, n_steps, seed=SEED):
    """Gradients of changing scale and sign, as in training."""
    rng = np.random.default_rng(seed)
    return [
        [rng.normal(scale=10.0 ** rng.uniform(-3, 1), size=s) for s in shapes]
        for _ in range(n_steps)
    ]


def run(optimizer, params, gradient_stream):
    params = [p.copy() for p in params]
    for grads in gradient_stream:
        optimizer.step(params, grads)
    return params


SHAPES = [(4, 3), (3,), (3, 2), (2,)]
PARAMS = [np.random.default_rng(1).normal(size=s) for s in SHAPES]
STREAM = random_gradients(SHAPES, 30)


# -- reference: scikit-learn's optimizers, the ones MLPClassifier uses ----


def sklearn_run(sk_optimizer_cls, params, gradient_stream, **kwargs):
    params = [p.copy() for p in params]
    opt = sk_optimizer_cls(params, **kwargs)
    for grads in gradient_stream:
        opt.update_params(params, grads)
    return params


@pytest.mark.parametrize(
    ("nesterov", "cls"), [(False, Momentum), (True, Nesterov)]
)
def test_momentum_matches_sklearn(nesterov, cls):
    ours = run(cls(0.05, momentum=0.9), PARAMS, STREAM)
    theirs = sklearn_run(
        SGDOptimizer,
        PARAMS,
        STREAM,
        learning_rate_init=0.05,
        momentum=0.9,
        nesterov=nesterov,
    )
    for a, b in zip(ours, theirs, strict=True):
        assert_allclose(a, b, rtol=STEP_RTOL, atol=1e-15)


def test_adam_matches_sklearn_when_eps_is_negligible():
    # scikit-learn adds epsilon to sqrt(s), Algorithm 1 to sqrt(s_hat):
    # with a negligible epsilon the two are the same rule
    ours = run(Adam(0.01, eps=1e-30), PARAMS, STREAM)
    theirs = sklearn_run(
        AdamOptimizer, PARAMS, STREAM, learning_rate_init=0.01, epsilon=1e-30
    )
    for a, b in zip(ours, theirs, strict=True):
        assert_allclose(a, b, rtol=STEP_RTOL, atol=1e-15)


def test_adam_epsilon_convention_differs_from_sklearn():
    # sklearn's epsilon is Algorithm 1's times sqrt(1 - beta2^k): one
    # tiny gradient makes the difference visible
    grads = [[np.array([1e-9])]]
    ours = run(Adam(0.01), [np.zeros(1)], grads)[0]
    theirs = sklearn_run(
        AdamOptimizer, [np.zeros(1)], grads, learning_rate_init=0.01
    )[0]
    c = np.sqrt(1 - 0.999)
    assert_allclose(ours, -0.01 * 1e-9 / (1e-9 + 1e-8), rtol=STEP_RTOL)
    assert_allclose(theirs, -0.01 * 1e-9 / (1e-9 + 1e-8 / c), rtol=STEP_RTOL)


# -- reference: the published algorithms, written out independently ------


def adam_algorithm_1(grads, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba (2015), Algorithm 1, for one parameter array at 0."""
    theta = np.zeros_like(grads[0])
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
    return theta


def adagrad_dlb(grads, alpha, delta=1e-7):
    """Goodfellow et al. (2016), algorithm 8.4."""
    theta, r = np.zeros_like(grads[0]), np.zeros_like(grads[0])
    for g in grads:
        r = r + g * g
        theta = theta + (-alpha / (delta + np.sqrt(r)) * g)
    return theta


def rmsprop_hinton(grads, alpha, rho=0.9, eps=1e-8):
    """Hinton's lecture 6e, with eps outside the root (PyTorch, Keras)."""
    theta, r = np.zeros_like(grads[0]), np.zeros_like(grads[0])
    for g in grads:
        r = rho * r + (1 - rho) * g * g
        theta = theta - alpha * g / (np.sqrt(r) + eps)
    return theta


@pytest.mark.parametrize(
    ("optimizer", "reference"),
    [
        (Adam(0.003), lambda g: adam_algorithm_1(g, alpha=0.003)),
        (
            Adam(0.01, 0.5, 0.9, 1e-3),
            lambda g: adam_algorithm_1(g, 0.01, 0.5, 0.9, 1e-3),
        ),
        (AdaGrad(0.1), lambda g: adagrad_dlb(g, 0.1)),
        (RMSProp(0.01), lambda g: rmsprop_hinton(g, 0.01)),
        (RMSProp(0.01, rho=0.99), lambda g: rmsprop_hinton(g, 0.01, rho=0.99)),
    ],
)
def test_adaptive_rules_follow_the_published_algorithms(optimizer, reference):
    grads = [g[0] for g in STREAM]
    ours = run(optimizer, [np.zeros(SHAPES[0])], [[g] for g in grads])[0]
    assert_allclose(ours, reference(grads), rtol=STEP_RTOL, atol=1e-15)


def nesterov_lookahead(gradient, phi0, alpha, beta, n_steps):
    """Sutskever et al. (2013), eq. 3-4: gradient at phi + beta v."""
    phi, v, path = phi0.copy(), np.zeros_like(phi0), []
    for _ in range(n_steps):
        v = beta * v - alpha * gradient(phi + beta * v)
        phi = phi + v
        path.append(phi + beta * v)  # the point the other form tracks
    return np.array(path)


def test_nesterov_is_the_lookahead_form_in_other_variables():
    f = Rosenbrock()  # non-quadratic, so that the test is not trivial
    x0, alpha, beta = np.array([-1.2, 1.0]), 1e-4, 0.9
    expected = nesterov_lookahead(f.gradient, x0, alpha, beta, 50)
    theta, opt, path = x0.copy(), Nesterov(alpha, beta), []
    for _ in range(50):
        opt.step(theta, f.gradient(theta))
        path.append(theta.copy())
    assert_allclose(np.array(path), expected, rtol=1e-10)


# -- identities ----------------------------------------------------------


def two_d(kappa):
    return Quadratic([1.0, kappa])


def errors(result):
    return np.linalg.norm(result.history["x"], axis=1)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_gd_optimal_rate_on_quadratic(kappa):
    alpha = 2 / (1 + kappa)
    rate = (kappa - 1) / (kappa + 1)
    result = minimize(
        two_d(kappa).gradient,
        [1.0, 1.0],
        learning_rate=alpha,
        tol=1e-10,
        max_iter=20_000,
    )
    e = errors(result)
    measured = (e[-1] / e[0]) ** (1 / result.n_iter)
    assert_allclose(measured, rate, rtol=RATE_RTOL)
    assert_allclose(
        heavy_ball_rate(alpha, 0.0, [1.0, kappa]), rate, rtol=1e-12
    )
    # iterations to reduce the error by 1e-6: ln(1e-6) / ln(rate)
    k = int(np.argmax(e <= 1e-6 * e[0]))
    assert k == int(np.ceil(np.log(1e-6) / np.log(rate)))


def momentum_errors(f, x0, alpha, beta, n_steps):
    theta, opt = np.array(x0, dtype=float), Momentum(alpha, beta)
    e = [np.linalg.norm(theta - f.x_star)]
    for _ in range(n_steps):
        opt.step(theta, f.gradient(theta))
        e.append(np.linalg.norm(theta - f.x_star))
    return np.array(e)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_heavy_ball_optimal_rate_on_quadratic(kappa):
    root = np.sqrt(kappa)
    alpha = (2 / (1 + root)) ** 2
    beta = ((root - 1) / (root + 1)) ** 2
    rate = (root - 1) / (root + 1)
    # long enough that the factor k in k r^k is negligible over the
    # second half, short enough not to underflow
    n_steps = int(np.log(1e-150) / np.log(rate))
    e = momentum_errors(two_d(kappa), [1.0, 1.0], alpha, beta, n_steps)
    half = n_steps // 2
    measured = (e[-1] / e[half]) ** (1 / (n_steps - half))
    assert_allclose(measured, rate, rtol=RATE_RTOL)
    # a double root: rounding in b^2 - 4 beta costs sqrt(eps)
    assert_allclose(
        heavy_ball_rate(alpha, beta, [1.0, kappa]), rate, rtol=ROOT_RTOL
    )


def test_heavy_ball_error_along_the_slow_direction_is_a_jordan_block():
    # at the optimum the 2x2 matrix has a double root r: from a start on
    # the lambda_min axis, the error is exactly r^k (1 + k (1 - r))
    kappa = 100.0
    r = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    alpha, beta = (2 / (1 + np.sqrt(kappa))) ** 2, r**2
    result = minimize(
        two_d(kappa).gradient,
        [1.0, 0.0],
        "momentum",
        learning_rate=alpha,
        momentum=beta,
        tol=1e-12,
        max_iter=1000,
    )
    k = np.arange(result.n_iter + 1)
    assert_allclose(errors(result), r**k * (1 + k * (1 - r)), rtol=1e-9)


@given(
    alpha=st.floats(1e-3, 3.0),
    beta=st.floats(0.0, 0.99),
    lam=st.lists(st.floats(-1.0, 10.0), min_size=1, max_size=5),
)
@HYPOTHESIS
def test_heavy_ball_rate_is_the_spectral_radius(alpha, beta, lam):
    radii = [
        np.max(
            np.abs(
                np.linalg.eigvals([[beta, -alpha * x], [beta, 1 - alpha * x]])
            )
        )
        for x in lam
    ]
    assert_allclose(
        heavy_ball_rate(alpha, beta, lam), max(radii), rtol=ROOT_RTOL
    )


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_heavy_ball_stable_iff_alpha_lambda_below_2_plus_2_beta(beta):
    edge = 2 + 2 * beta  # eq. (hb-stable), lambda = 1
    assert heavy_ball_rate(0.999 * edge, beta, [1.0]) < 1
    assert heavy_ball_rate(1.001 * edge, beta, [1.0]) > 1


@pytest.mark.parametrize(
    ("alpha", "beta"),
    [(0.015, 0.5), (0.004, 0.95), (0.019, 0.0), (0.021, 0.1)],
)
def test_measured_rate_matches_heavy_ball_rate(alpha, beta):
    f = Quadratic(np.geomspace(1.0, 100.0, 5))
    x0 = np.random.default_rng(SEED).normal(size=5)
    e = momentum_errors(f, x0, alpha, beta, 600)
    measured = (e[-1] / e[300]) ** (1 / 300)
    assert_allclose(
        measured, heavy_ball_rate(alpha, beta, f.eigenvalues), rtol=RATE_RTOL
    )


def test_zero_momentum_is_gradient_descent():
    a = run(Momentum(0.1, momentum=0.0), PARAMS, STREAM)
    b = run(GradientDescent(0.1), PARAMS, STREAM)
    for x, y in zip(a, b, strict=True):
        assert_array_equal(x, y)


def test_newton_solves_a_quadratic_in_one_step():
    rng = np.random.default_rng(SEED)
    Q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    f = Quadratic(np.geomspace(1, 1e6, 6), Q, x_star=rng.normal(size=6))
    result = minimize(
        f.gradient, np.zeros(6), "newton", hessian=f.hessian, tol=1e-6
    )
    assert result.n_iter == 1
    assert_allclose(result.x, f.x_star, rtol=1e-9)


def test_newton_is_attracted_to_the_saddle():
    f = Saddle()
    result = minimize(
        f.gradient, [0.5, 0.3], "newton", hessian=f.hessian, tol=1e-12
    )
    assert_allclose(result.x, f.saddle_point, atol=1e-12)
    gd = minimize(f.gradient, [0.5, 0.3], learning_rate=0.1, tol=1e-8)
    assert_allclose(gd.x, f.minima[0], atol=1e-7)


def test_newton_on_rosenbrock_matches_scipy():
    f = Rosenbrock()
    ours = minimize(
        f.gradient, [-1.2, 1.0], "newton", hessian=f.hessian, tol=1e-10
    )
    theirs = scipy_minimize(
        f.value,
        [-1.2, 1.0],
        jac=f.gradient,
        hess=f.hessian,
        method="trust-exact",
    )
    assert ours.converged and theirs.success
    assert_allclose(ours.x, theirs.x, rtol=1e-6)
    assert_allclose(ours.x, f.x_star(2), rtol=1e-10)


@given(scale=st.floats(-8, 8))
@HYPOTHESIS
def test_adam_first_step_is_alpha_whatever_the_scale(scale):
    g = np.array([1.0, -3.0, 0.5]) * 10.0**scale
    theta = np.zeros(3)
    Adam(0.001, eps=1e-300).step(theta, g)
    assert_allclose(np.abs(theta), 0.001, rtol=1e-12)
    theta = np.zeros(3)
    Adam(0.001, eps=1e-300, bias_correction=False).step(theta, g)
    assert_allclose(np.abs(theta), 0.001 * 0.1 / np.sqrt(0.001), rtol=1e-12)


@pytest.mark.parametrize("cls", [AdaGrad, RMSProp, Adam])
def test_adaptive_steps_ignore_the_scale_of_the_gradient(cls):
    a = run(cls(0.01, eps=1e-300), PARAMS, STREAM)
    scaled = [[1e5 * g for g in grads] for grads in STREAM]
    b = run(cls(0.01, eps=1e-300), PARAMS, scaled)
    for x, y in zip(a, b, strict=True):
        assert_allclose(x, y, rtol=1e-12)


def test_schedule_sets_the_step_size():
    schedule = InverseTimeDecay(0.1, k0=2)
    theta, opt = np.zeros(1), GradientDescent(schedule)
    for _ in range(4):
        opt.step(theta, np.ones(1))
    assert_allclose(theta, -schedule(np.arange(4)).sum(), rtol=1e-15)


@given(
    g=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6),
    c=st.floats(1e-3, 1e3),
)
@HYPOTHESIS
def test_clip_by_norm_keeps_direction_and_caps_length(g, c):
    g = np.array(g)
    clipped = clip_by_norm(g, c)
    norm = np.linalg.norm(g)
    assert_allclose(
        np.linalg.norm(clipped), min(norm, c), rtol=1e-12, atol=1e-300
    )
    assert_allclose(
        clipped * norm, g * np.linalg.norm(clipped), rtol=1e-12, atol=1e-9
    )


def test_clip_by_norm_of_a_list_is_the_joint_norm():
    clipped = clip_by_norm([np.array([3.0]), np.array([[4.0]])], 1.0)
    assert_allclose(clipped[0], [0.6])
    assert_allclose(clipped[1], [[0.8]])


def test_clipping_inside_the_optimizer():
    theta = np.zeros(2)
    GradientDescent(1.0, clip_norm=1.0).step(theta, np.array([30.0, 40.0]))
    assert_allclose(theta, [-0.6, -0.8])


def test_minimize_history_and_inputs():
    f = two_d(10.0)
    x0 = np.array([1.0, 1.0])
    result = minimize(
        f.gradient, x0, value=f.value, learning_rate=0.1, tol=1e-8
    )
    assert_array_equal(x0, [1.0, 1.0])
    n = result.n_iter
    assert result.history["x"].shape == (n + 1, 2)
    assert (
        result.history["value"].shape
        == result.history["grad_norm"].shape
        == (n + 1,)
    )
    assert_allclose(result.history["value"], f.value(result.history["x"]))
    assert np.all(np.diff(result.history["value"]) < 0)  # small steps: descent
    assert result.converged and result.history["grad_norm"][-1] <= 1e-8


def test_minimize_accepts_an_optimizer_object_and_resets_it():
    f, opt = two_d(10.0), Adam(0.1)
    first = minimize(f.gradient, [1.0, 1.0], opt, tol=1e-6, max_iter=5000)
    second = minimize(f.gradient, [1.0, 1.0], opt, tol=1e-6, max_iter=5000)
    assert_array_equal(first.history["x"], second.history["x"])


def test_get_optimizer_names():
    for name, cls in optimizers.OPTIMIZERS.items():
        assert isinstance(get_optimizer(name), cls)


# -- bad input ---------------------------------------------------------


def test_warns_at_max_iter():
    with pytest.warns(RuntimeWarning, match="did not converge in max_iter=5"):
        result = minimize(
            two_d(10.0).gradient, [1.0, 1.0], learning_rate=0.01, max_iter=5
        )
    assert not result.converged and result.n_iter == 5


def test_fixed_budget_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = minimize(
            two_d(10.0).gradient, [1.0, 1.0], tol=None, max_iter=7
        )
    assert result.n_iter == 7 and not result.converged


def test_nan_gradient_stops_with_a_clear_error():
    with pytest.raises(
        FloatingPointError, match="gradient at iteration 0 is not finite"
    ):
        minimize(lambda x: x * np.nan, [1.0])
    # a step too long diverges to overflow, then NaN
    with pytest.raises(FloatingPointError, match="Lower `learning_rate`"):
        with np.errstate(over="ignore", invalid="ignore"):
            minimize(
                two_d(10.0).gradient,
                [1.0, 1.0],
                learning_rate=1.0,
                max_iter=10_000,
            )


@pytest.mark.parametrize("learning_rate", [0.0, -1.0])
def test_rejects_non_positive_learning_rate(learning_rate):
    with pytest.raises(ValueError, match="`learning_rate` must be > 0"):
        Momentum(learning_rate)


@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (Momentum, {"momentum": 1.0}, "momentum"),
        (Nesterov, {"momentum": -0.1}, "momentum"),
        (Adam, {"beta1": 1.0}, "beta1"),
        (Adam, {"beta2": 1.5}, "beta2"),
        (RMSProp, {"rho": 1.0}, "rho"),
    ],
)
def test_rejects_beta_outside_unit_interval(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"`{name}` must lie in \[0, 1\)"):
        cls(0.1, **kwargs)


def test_rejects_unknown_optimizer_and_option():
    with pytest.raises(ValueError, match="`optimizer` must be one of"):
        get_optimizer("adamw")
    with pytest.raises(ValueError, match="has no option 'momentum'"):
        get_optimizer("adam", momentum=0.9)
    with pytest.raises(ValueError, match="not both"):
        minimize(np.sin, [1.0], Adam(), learning_rate=0.1)
    with pytest.raises(TypeError, match="`optimizer` must be a name"):
        minimize(np.sin, [1.0], Adam)


def test_rejects_newton_without_hessian():
    with pytest.raises(ValueError, match="needs `hessian`"):
        minimize(np.sin, [1.0], "newton")
    with pytest.raises(ValueError, match="needs `hessian`"):
        Newton().step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="singular"):
        Newton().step(np.zeros(2), np.ones(2), hessian=np.zeros((2, 2)))


def test_rejects_bad_gradient_shape_and_start():
    with pytest.raises(
        ValueError, match=r"`gradient` must return an array of shape \(2,\)"
    ):
        minimize(lambda x: x[:1], [1.0, 2.0])
    with pytest.raises(ValueError, match="`x0` must be a 1-D array"):
        minimize(np.sin, [[1.0]])
    with pytest.raises(ValueError, match="one array per parameter"):
        GradientDescent().step([np.zeros(2), np.zeros(1)], [np.zeros(2)])
    with pytest.raises(
        ValueError, match="must have the shape of its parameter"
    ):
        GradientDescent().step([np.zeros(2)], [np.zeros(3)])
