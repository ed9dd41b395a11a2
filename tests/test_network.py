"""Tests for mathsforml.network, .training, .activations and .losses.

Three kinds, as in DESIGN.md: against a reference (autograd, SciPy,
scikit-learn, the library's own autodiff engine), identities (central
differences, ln 10 at the start, training on digits, determinism) and
bad input (the error messages).
"""

from __future__ import annotations

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
import scipy.special
import scipy.stats
from autograd import grad as autograd_grad
from autograd.misc import flatten as autograd_flatten
from autograd.scipy.special import logsumexp as anp_logsumexp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier
from sklearn_mlp import warm_started_mlp

from mathsforml.activations import ACTIVATIONS, log_softmax, softmax
from mathsforml.datasets import digits_split
from mathsforml.losses import (
    one_hot,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from mathsforml.network import (
    accuracy,
    backward,
    error_signals,
    flatten_params,
    forward,
    init_params,
    loss_and_grad,
    predict,
    predict_proba,
    unflatten_params,
)
from mathsforml.training import TrainResult, train

SEED = 0
REFERENCE_RTOL = 1e-10  # two exact gradient computations in float64
REFERENCE_ATOL = 1e-14  # for entries that are zero up to round-off
FD_STEP = 1e-5  # central differences: error h^2 + eps/h is smallest here
GRAD_CHECK_RTOL = 1e-8  # measured 7e-10 for the 64-32-10 tanh network
LN10_SMALL_INIT_ATOL = 1e-3  # weights scaled by 0.01: logits about 0
LN10_GLOROT_ATOL = 0.15  # Glorot init: logits are small but not zero
MIN_TEST_ACCURACY = 0.96  # measured 0.9756 with the settings below
INIT_VARIANCE_RTOL = 0.05  # sample variance of 120 000 weights
HYPOTHESIS = settings(max_examples=25, deadline=None)
OPTIMUM_ATOL = 1e-6  # L-BFGS stopped at tol=1e-10; a wrong lambda: 1e-2
STEP_ATOL = 1e-12  # the same float64 steps; only summation orders differ
STEP_HYPER = {
    "learning_rate": 0.05,
    "optimizer": "momentum",
    "momentum": 0.9,
    "batch_size": 32,
    "rng": SEED,
}

# the digits experiment: split, scaling and hyper-parameters
DIGITS_SIZES = [64, 32, 10]
DIGITS_HYPER = {
    "activation": "tanh",
    "learning_rate": 0.05,
    "optimizer": "momentum",
    "momentum": 0.9,
    "n_epochs": 30,
    "batch_size": 32,
}


@pytest.fixture(scope="module")
def digits():
    return digits_split(seed=SEED)


@pytest.fixture(scope="module")
def trained(digits):
    X_train, X_test, y_train, y_test = digits
    params = init_params(DIGITS_SIZES, "tanh", rng=SEED)
    return train(
        params,
        X_train,
        y_train,
        rng=SEED,
        X_val=X_test,
        y_val=y_test,
        **DIGITS_HYPER,
    )


def small_problem(sizes, n_samples=7, seed=SEED):
    rng = np.random.default_rng(seed)
    params = init_params(sizes, "tanh", rng=rng)
    # non-zero biases, so that their gradients are tested too
    params = [(W, rng.normal(size=b.shape)) for W, b in params]
    X = rng.normal(size=(n_samples, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n_samples)
    return params, X, y


# -- autograd reference: the same loss, written independently ------------

AUTOGRAD_ACTIVATIONS = {
    "identity": lambda Z: Z,
    "relu": lambda Z: anp.maximum(Z, 0.0),
    "sigmoid": lambda Z: 1.0 / (1.0 + anp.exp(-Z)),
    "tanh": anp.tanh,
}


def autograd_loss(params, X, y, activation, weight_decay=0.0):
    """The loss of a list of (W, b) pairs, which autograd differentiates."""
    A = X
    for layer, (W, b) in enumerate(params, start=1):
        Z = anp.dot(A, W) + b
        A = AUTOGRAD_ACTIVATIONS[activation](Z) if layer < len(params) else Z
    m = anp.max(A, axis=1, keepdims=True)
    log_p = A - m - anp.log(anp.sum(anp.exp(A - m), axis=1, keepdims=True))
    loss = -anp.mean(log_p[np.arange(len(y)), y])
    penalty = sum(anp.sum(W * W) for W, _ in params)
    return loss + 0.5 * weight_decay * penalty


# -- reference ---------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_backprop_matches_autograd(activation, weight_decay):
    params, X, y = small_problem([5, 4, 3, 3], n_samples=9)
    loss, grads = loss_and_grad(params, X, y, activation, weight_decay)
    args = (params, X, y, activation, weight_decay)
    want = flatten_params(autograd_grad(autograd_loss)(*args))
    assert_allclose(loss, autograd_loss(*args), rtol=REFERENCE_RTOL)
    assert_allclose(
        flatten_params(grads), want, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL
    )


def test_backprop_matches_autodiff_engine(digits):
    ad = pytest.importorskip("mathsforml.autodiff")
    X_train, _, y_train, _ = digits
    X, y = X_train[:100], y_train[:100]
    (W1, b1), (W2, b2) = params = init_params(DIGITS_SIZES, rng=SEED)

    def loss(W1, b1, W2, b2):
        hidden = ad.tanh(X @ W1 + b1)
        return ad.softmax_cross_entropy(hidden @ W2 + b2, y)

    got = ad.grad(loss, argnums=(0, 1, 2, 3))(W1, b1, W2, b2)
    _, grads = loss_and_grad(params, X, y)
    want = [g for pair in grads for g in pair]
    for g_engine, g_backprop in zip(got, want, strict=True):
        assert_allclose(
            g_engine, g_backprop, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL
        )


def test_cross_entropy_matches_sklearn_log_loss():
    rng = np.random.default_rng(SEED)
    logits = 3.0 * rng.normal(size=(50, 4))
    y = rng.integers(0, 4, size=50)
    want = log_loss(y, scipy.special.softmax(logits, axis=1), labels=range(4))
    assert_allclose(softmax_cross_entropy(logits, y), want, rtol=1e-12)


def test_cross_entropy_grad_matches_autograd():
    rng = np.random.default_rng(SEED)
    logits = rng.normal(size=(8, 3))
    y = rng.integers(0, 3, size=8)

    def loss(Z):  # autograd's own log-sum-exp
        return anp.mean(anp_logsumexp(Z, axis=1) - Z[np.arange(8), y])

    assert_allclose(
        softmax_cross_entropy_grad(logits, y),
        autograd_grad(loss)(logits),
        rtol=REFERENCE_RTOL,
    )


def test_error_signals_are_the_adjoints_of_Z():
    # delta_l is the adjoint of Z_l: the gradient of the loss with respect
    # to a zero "probe" E_l added to Z_l, here computed by autograd
    params, X, y = small_problem([5, 4, 3, 3], n_samples=9)
    for activation in sorted(ACTIVATIONS):

        def loss(probes, activation=activation):
            A = X
            pairs = zip(params, probes, strict=True)
            for layer, ((W, b), E) in enumerate(pairs, start=1):
                Z = anp.dot(A, W) + b + E
                last = layer == len(params)
                A = Z if last else AUTOGRAD_ACTIVATIONS[activation](Z)
            return anp.mean(anp_logsumexp(A, axis=1) - A[np.arange(9), y])

        probes = [np.zeros((len(y), W.shape[1])) for W, _ in params]
        want = autograd_grad(loss)(probes)
        got = error_signals(params, forward(params, X, activation), y)
        for mine, theirs in zip(got, want, strict=True):
            assert_allclose(
                mine, theirs, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL
            )


def test_identity_layers_compose_to_one_affine_layer():
    # eq. (ff-affine-composition): (X W1 + 1 b1^T) W2 + 1 b2^T is one
    # layer with W = W1 W2 and b = W2^T b1 + b2.
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((5, 2))
    (W1, b1), (W2, b2) = [
        (W, rng.standard_normal(b.shape))
        for W, b in init_params([2, 3, 2], rng=0)
    ]
    two_layers = forward([(W1, b1), (W2, b2)], X, "identity").Z[-1]
    one_layer = forward([(W1 @ W2, W2.T @ b1 + b2)], X).Z[-1]
    assert_allclose(two_layers, one_layer, rtol=1e-12, atol=1e-14)


def test_flatten_matches_autograd_flatten():
    params, _, _ = small_problem([5, 4, 3])
    assert_array_equal(flatten_params(params), autograd_flatten(params)[0])


def test_one_layer_gradient_vanishes_at_logistic_regression_optimum(digits):
    # sklearn minimises the mean cross-entropy plus lambda/2 ||W||^2 with
    # lambda = 1 / (C N) (unpenalised biases), times C N: our one-layer
    # network with that weight decay has a zero gradient at its optimum
    X_train, _, y_train, _ = digits
    logreg = LogisticRegression(C=1.0, tol=1e-10, max_iter=1000)
    logreg.fit(X_train, y_train)
    one_layer = [(logreg.coef_.T, logreg.intercept_)]
    lam = 1.0 / (logreg.C * len(y_train))
    _, ((dW, db),) = loss_and_grad(
        one_layer, X_train, y_train, "identity", weight_decay=lam
    )
    assert max(np.abs(dW).max(), np.abs(db).max()) < OPTIMUM_ATOL
    _, ((dW, _),) = loss_and_grad(one_layer, X_train, y_train, "identity")
    assert np.abs(dW).max() > 1e3 * OPTIMUM_ATOL  # the penalty matters


def sklearn_from(params, X, y, n_epochs, alpha=0.0, nesterov=False):
    """MLPClassifier started from our params, taking the rows in order."""
    return warm_started_mlp(
        params,
        X,
        y,
        solver="sgd",
        alpha=alpha,
        learning_rate_init=STEP_HYPER["learning_rate"],
        momentum=STEP_HYPER["momentum"],
        nesterovs_momentum=nesterov,
        batch_size=STEP_HYPER["batch_size"],
        max_iter=n_epochs,
    )


def test_momentum_steps_match_sklearn_mlp(digits):
    # MLPClassifier(solver="sgd", nesterovs_momentum=False) takes the steps
    # of eq. momentum-step on the mean batch loss, with alpha = lambda |B|.
    # train's first epoch takes the rows in the order of
    # default_rng(SEED).permutation; with shuffle=False sklearn takes them
    # as given, so one epoch is the same 43 steps in both libraries.
    X_train, _, y_train, _ = digits
    params = init_params(DIGITS_SIZES, "tanh", rng=SEED)
    order = np.random.default_rng(SEED).permutation(len(y_train))
    X, y = X_train[order], y_train[order]
    ours = train(params, X_train, y_train, n_epochs=1, **STEP_HYPER)
    theirs = sklearn_from(params, X, y, 1)
    nesterov = sklearn_from(params, X, y, 1, nesterov=True)
    assert_allclose(
        flatten_params(ours.params), flatten_params(theirs), atol=STEP_ATOL
    )
    gap = np.abs(flatten_params(nesterov) - flatten_params(theirs)).max()
    assert gap > 1e-3  # the test tells the two conventions apart
    # weight decay: three steps on one batch holding every class
    X_b, y_b, lam = X_train[:32], y_train[:32], 1e-3
    assert len(np.unique(y_b)) == 10
    ours = train(params, X_b, y_b, n_epochs=3, weight_decay=lam, **STEP_HYPER)
    theirs = sklearn_from(params, X_b, y_b, 3, alpha=32 * lam)
    assert_allclose(
        flatten_params(ours.params), flatten_params(theirs), atol=STEP_ATOL
    )


# -- identities --------------------------------------------------------


def test_backprop_agrees_with_central_differences(digits):
    X_train, _, y_train, _ = digits
    X, y = X_train[:50], y_train[:50]
    params = init_params(DIGITS_SIZES, "tanh", rng=SEED)
    _, grads = loss_and_grad(params, X, y)
    theta = flatten_params(params)

    def loss(t):
        return loss_and_grad(unflatten_params(t, params), X, y)[0]

    numeric = np.empty_like(theta)
    for i in range(theta.size):  # all 2410 parameters
        step = np.zeros_like(theta)
        step[i] = FD_STEP
        numeric[i] = (loss(theta + step) - loss(theta - step)) / (2 * FD_STEP)
    exact = flatten_params(grads)
    rel_error = np.linalg.norm(exact - numeric) / np.linalg.norm(exact)
    assert rel_error <= GRAD_CHECK_RTOL


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_backward_reads_gradients_off_error_signals(activation):
    params, X, y = small_problem([5, 4, 3, 3], n_samples=9)
    cache = forward(params, X, activation)
    deltas = error_signals(params, cache, y)
    for (dW, db), A_prev, delta in zip(
        backward(params, cache, y), cache.A, deltas, strict=False
    ):
        assert_allclose(dW, A_prev.T @ delta, rtol=1e-14)
        assert_allclose(db, delta.sum(axis=0), rtol=1e-14)


def test_wrong_derivative_changes_only_hidden_error_signals():
    params, X, y = small_problem([5, 4, 3, 3], n_samples=9)
    cache = forward(params, X)
    good = error_signals(params, cache, y)
    bad = error_signals(params, cache, y, lambda Z, A: 1.0 - Z**2)
    assert_array_equal(good[-1], bad[-1])  # delta_L involves no sigma'
    hidden = zip(good[:-1], bad[:-1], strict=True)
    assert all(np.abs(g - b).max() > 1e-3 for g, b in hidden)


@HYPOTHESIS
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_unflatten_inverts_flatten(sizes, seed):
    params, _, _ = small_problem(sizes, seed=seed)
    theta = flatten_params(params)
    back = unflatten_params(theta, params)
    assert_array_equal(flatten_params(back), theta)
    for (W, b), (W0, b0) in zip(back, params, strict=True):
        assert W.shape == W0.shape and b.shape == b0.shape
    back[0][0][...] = np.nan  # new arrays: theta is untouched
    assert np.isfinite(theta).all()


def test_starting_loss_is_ln_10(digits):
    X_train, _, y_train, _ = digits
    params = init_params(DIGITS_SIZES, "tanh", rng=SEED)
    small = [(0.01 * W, b) for W, b in params]
    loss_small, _ = loss_and_grad(small, X_train, y_train)
    loss_glorot, _ = loss_and_grad(params, X_train, y_train)
    assert_allclose(loss_small, np.log(10), atol=LN10_SMALL_INIT_ATOL)
    assert_allclose(loss_glorot, np.log(10), atol=LN10_GLOROT_ATOL)


def test_digits_reaches_test_accuracy(trained, digits):
    _, X_test, _, y_test = digits
    test_accuracy = accuracy(y_test, predict(trained.params, X_test))
    print(f"digits test accuracy: {test_accuracy:.4f}")
    assert test_accuracy >= MIN_TEST_ACCURACY
    assert_allclose(trained.history["val_accuracy"][-1], test_accuracy)


def test_training_loss_decreases(trained):
    loss = trained.history["train_loss"]
    assert isinstance(trained, TrainResult)
    assert trained.n_epochs == DIGITS_HYPER["n_epochs"]
    assert loss.shape == (DIGITS_HYPER["n_epochs"] + 1,)
    assert np.all(np.diff(loss[:5]) < 0)  # early epochs: steady descent
    assert loss[-1] < 0.05 * loss[0]


def test_same_seed_same_history(digits):
    X_train, _, y_train, _ = digits
    params = init_params(DIGITS_SIZES, rng=SEED)
    runs = [
        train(params, X_train, y_train, n_epochs=3, rng=seed)
        for seed in (SEED, SEED, SEED + 1)
    ]
    # reproducibility is exact: same seed, same floating-point operations
    assert_array_equal(
        runs[0].history["train_loss"], runs[1].history["train_loss"]
    )
    assert not np.allclose(
        runs[0].history["train_loss"][1:], runs[2].history["train_loss"][1:]
    )


def test_callers_arrays_unchanged(digits):
    X_train, _, y_train, _ = digits
    X, y = X_train[:64].copy(), y_train[:64].copy()
    params = init_params(DIGITS_SIZES, rng=SEED)
    before = [(W.copy(), b.copy()) for W, b in params]
    X_before, y_before = X.copy(), y.copy()
    cache = forward(params, X)
    backward(params, cache, y)
    loss_and_grad(params, X, y, weight_decay=0.1)
    train(params, X, y, n_epochs=2, optimizer="momentum", rng=SEED)
    for (W, b), (W0, b0) in zip(params, before, strict=True):
        assert_array_equal(W, W0)
        assert_array_equal(b, b0)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)


def test_zero_momentum_equals_sgd(digits):
    X_train, _, y_train, _ = digits
    params = init_params(DIGITS_SIZES, rng=SEED)
    common = {"n_epochs": 2, "rng": SEED, "learning_rate": 0.1}
    sgd = train(params, X_train, y_train, optimizer="sgd", **common)
    heavy = train(
        params, X_train, y_train, optimizer="momentum", momentum=0.0, **common
    )
    assert_allclose(
        flatten_params(sgd.params), flatten_params(heavy.params), rtol=1e-15
    )


def test_stable_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]])
    y = np.array([1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or log(0) warnings
        loss = softmax_cross_entropy(logits, y)
        grad = softmax_cross_entropy_grad(logits, y)
        probs = softmax(logits)
        log_probs = log_softmax(logits)
    assert_allclose(loss, (2e4 + 0.0) / 2, rtol=1e-15)
    assert_allclose(probs, [[1, 0, 0], [0, 0, 1]], atol=1e-300)
    assert_allclose(log_probs[0], [0.0, -2e4, -1e4], rtol=1e-15)
    assert_allclose(grad, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-300)


def test_divergence_warns_and_stops(digits):
    X_train, _, y_train, _ = digits
    params = init_params(DIGITS_SIZES, rng=SEED)
    # a linear network cannot saturate: a huge step overflows in a few
    # epochs (measured: epoch 7)
    with pytest.warns(RuntimeWarning, match="diverged"):
        result = train(
            params,
            X_train,
            y_train,
            activation="identity",
            learning_rate=100.0,
            n_epochs=50,
            rng=SEED,
        )
    assert result.n_epochs < 50


@pytest.mark.parametrize(
    ("scheme", "activation", "variance"),
    [("glorot", "tanh", 2 / (400 + 300)), ("he", "relu", 2 / 400)],
)
def test_init_variance(scheme, activation, variance):
    (W, b), _ = init_params([400, 300, 2], activation, rng=SEED)
    assert_allclose(W.var(), variance, rtol=INIT_VARIANCE_RTOL)
    assert_allclose(W.mean(), 0.0, atol=1e-3)
    assert_array_equal(b, np.zeros(300))
    if scheme == "glorot":
        assert np.abs(W).max() <= np.sqrt(6 / 700)


KS_LEVEL = 1e-3  # a correct sampler: p uniform on [0, 1]; wrong: ~1e-49


def test_init_laws_pass_a_kolmogorov_smirnov_test():
    # Glorot uniform, eq. (net-glorot), and He normal, eq. (net-he); a
    # normal of the uniform's variance must be rejected, which shows that
    # the test can tell the two shapes apart.
    limit = np.sqrt(6.0 / (64 + 256))
    uniform = scipy.stats.uniform(-limit, 2 * limit)
    glorot = init_params([64, 256, 10], "tanh", rng=0)[0][0].ravel()
    he = init_params([64, 256, 10], "relu", rng=0)[0][0].ravel()
    he_law = scipy.stats.norm(0.0, np.sqrt(2.0 / 64))
    assert scipy.stats.kstest(glorot, uniform.cdf).pvalue > KS_LEVEL
    assert scipy.stats.kstest(he, he_law.cdf).pvalue > KS_LEVEL
    wrong = scipy.stats.norm(0.0, uniform.std())
    assert scipy.stats.kstest(glorot, wrong.cdf).pvalue < KS_LEVEL


def test_sklearn_mlp_starts_from_the_same_glorot_law(digits):
    # scikit-learn does not expose its starting weights; one step with
    # the learning rate 1e-300 moves none of them by a rounding unit.
    X_train, _, y_train, _ = digits
    mlp = MLPClassifier(
        hidden_layer_sizes=(256,),
        activation="tanh",
        solver="sgd",
        learning_rate_init=1e-300,
        momentum=0.0,
        max_iter=1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X_train, y_train)
    limit = np.sqrt(6.0 / (64 + 256))
    W = mlp.coefs_[0].ravel()
    uniform = scipy.stats.uniform(-limit, 2 * limit)
    assert np.abs(W).max() <= limit
    assert scipy.stats.kstest(W, uniform.cdf).pvalue > KS_LEVEL


def test_one_hot_and_predict_proba():
    assert_array_equal(one_hot([1, 0], 2), [[0.0, 1.0], [1.0, 0.0]])
    params, X, _ = small_problem([3, 4, 5])
    assert_allclose(predict_proba(params, X).sum(axis=1), 1.0, rtol=1e-15)


@HYPOTHESIS
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    n_samples=st.integers(1, 8),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    seed=st.integers(0, 2**16),
)
def test_backprop_matches_autograd_for_all_shapes(
    sizes, n_samples, activation, seed
):
    params, X, y = small_problem(sizes, n_samples, seed)
    _, grads = loss_and_grad(params, X, y, activation)
    for (dW, db), (W, b) in zip(grads, params, strict=True):
        assert dW.shape == W.shape and db.shape == b.shape
    want = autograd_grad(autograd_loss)(params, X, y, activation)
    assert_allclose(
        flatten_params(grads), flatten_params(want), rtol=1e-9, atol=1e-12
    )


# -- bad input ---------------------------------------------------------


@pytest.fixture
def problem():
    return small_problem([4, 3, 3])


def test_rejects_wrong_number_of_features(problem):
    params, X, y = problem
    with pytest.raises(ValueError, match=r"`X` must have shape \(any, 4\)"):
        loss_and_grad(params, X[:, :3], y)


def test_rejects_mismatched_lengths(problem):
    params, X, y = problem
    with pytest.raises(ValueError, match="same number of samples"):
        train(params, X, y[:-1], rng=SEED)


def test_rejects_nan(problem):
    params, X, _ = problem
    X = X.copy()
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"`X` must contain only finite"):
        forward(params, X)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 1, 3], r"labels in 0, \.\.\., 2 .* got 3"),
        ([0, -1, 2], r"labels in 0, \.\.\., 2 .* got -1"),
        ([0, 1.5, 2], "integer class labels"),
    ],
)
def test_rejects_bad_labels(problem, labels, message):
    params, X, _ = problem
    with pytest.raises(ValueError, match=message):
        loss_and_grad(params, X[:3], labels)
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(np.zeros((3, 3)), labels)


@pytest.mark.parametrize("learning_rate", [0.0, -0.1])
def test_rejects_bad_learning_rate(problem, learning_rate):
    params, X, y = problem
    with pytest.raises(ValueError, match="`learning_rate` must be > 0"):
        train(params, X, y, learning_rate=learning_rate, rng=SEED)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"batch_size": 0}, ValueError, "`batch_size` must be >= 1"),
        ({"n_epochs": 2.0}, TypeError, "`n_epochs` must be an integer"),
        ({"momentum": 1.0}, ValueError, r"`momentum` must lie in \[0, 1\)"),
        ({"optimizer": "lbfgs"}, ValueError, "`optimizer` must be one of"),
        ({"activation": "gelu"}, ValueError, "`activation` must be one of"),
        ({"weight_decay": -1.0}, ValueError, "`weight_decay` must be >= 0"),
        ({"rng": "seed"}, TypeError, "`rng` must be an integer"),
        ({"X_val": np.zeros((2, 4))}, ValueError, "given together"),
    ],
)
def test_rejects_bad_hyper_parameters(problem, kwargs, error, message):
    params, X, y = problem
    with pytest.raises(error, match=message):
        train(params, X, y, **kwargs)


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ([64], ValueError, "at least two sizes"),
        ([64, 0, 10], ValueError, "`layer_sizes` must be >= 1"),
        ([64, 2.5, 10], TypeError, "`layer_sizes` must be an integer"),
        ("64", TypeError, "`layer_sizes` must be a sequence"),
        (64, TypeError, "`layer_sizes` must be a sequence"),
    ],
)
def test_rejects_bad_layer_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        init_params(sizes, "tanh", rng=SEED)


def test_rejects_bad_scheme():
    with pytest.raises(ValueError, match="`scheme` must be 'glorot' or 'he'"):
        init_params([2, 2], scheme="xavier")


def test_rejects_params_that_do_not_chain(problem):
    params, X, _ = problem
    (W1, b1), (W2, b2) = params
    with pytest.raises(ValueError, match=r"`W_2` must have shape \(3, any\)"):
        forward([(W1, b1), (W2[:2], b2)], X)
    with pytest.raises(ValueError, match=r"`b_1` must have shape \(3,\)"):
        forward([(W1, b1[:2]), (W2, b2)], X)
    with pytest.raises(TypeError, match="list of \\(W, b\\) pairs"):
        forward([W1, W2], X)


def test_rejects_foreign_cache(problem):
    params, X, y = problem
    with pytest.raises(TypeError, match="`cache` must be the ForwardCache"):
        backward(params, {"A": [X]}, y)


def test_rejects_mismatched_accuracy_input():
    with pytest.raises(ValueError, match="`y_true` and `y_pred` must have"):
        accuracy([0, 1], [0])


def test_rejects_theta_of_wrong_length(problem):
    params, _, _ = problem
    theta = flatten_params(params)
    with pytest.raises(ValueError, match=r"`theta` must have shape \(27,\)"):
        unflatten_params(theta[:-1], params)
    with pytest.raises(ValueError, match="`theta` must be a 1-D"):
        unflatten_params(theta[None, :], params)


def test_error_signals_rejects_bad_derivative_and_cache(problem):
    params, X, y = problem
    cache = forward(params, X)
    with pytest.raises(TypeError, match="`derivative` must be a function"):
        error_signals(params, cache, y, derivative="tanh")
    with pytest.raises(TypeError, match="`cache` must be the ForwardCache"):
        error_signals(params, (X,), y)


def test_forward_caches_every_layer():
    params, X, _ = small_problem([5, 4, 3, 3], n_samples=7)
    cache = forward(params, X)
    assert cache.Z[0] is None
    assert_array_equal(cache.A[0], X)
    assert [A.shape for A in cache.A] == [(7, 5), (7, 4), (7, 3), (7, 3)]
    assert [Z.shape for Z in cache.Z[1:]] == [(7, 4), (7, 3), (7, 3)]
    assert_allclose(cache.A[-1].sum(axis=1), 1.0, rtol=1e-15)


def test_starting_loss_label_term_vanishes_on_average(digits):
    # eq. net-start-loss: the term mean(zbar_i - Z_{i y_i}) changes sign
    # with W_L, whose distribution is symmetric, so its mean over
    # initialisations is zero (measured: 0.0018 with standard error 0.006)
    X_train, _, y_train, _ = digits
    rows = np.arange(len(y_train))
    middles = []
    for seed in range(1, 101):
        Z = forward(init_params(DIGITS_SIZES, rng=seed), X_train).Z[-1]
        middles.append(np.mean(Z.mean(axis=1) - Z[rows, y_train]))
    std_error = np.std(middles, ddof=1) / np.sqrt(len(middles))
    assert abs(np.mean(middles)) < 3 * std_error
    assert std_error > 1e-3  # a real spread, not a degenerate zero


@pytest.mark.parametrize(("scheme", "factor"), [("he", 1.0), ("glorot", 0.5)])
def test_second_moment_factor_in_deep_relu_networks(digits, scheme, factor):
    # eq. net-var-forward with E[relu(z)^2] = E[z^2] / 2: He keeps the
    # second moment of the pre-activations, Glorot (equal widths) halves it
    X_train = digits[0]
    X = (X_train - X_train.mean(axis=0)) / (X_train.std(axis=0) + 1e-12)
    sizes = [64] + [100] * 9 + [10]
    factors = []
    for seed in range(10):
        net = init_params(sizes, "relu", rng=seed, scheme=scheme)
        q = [np.mean(Z**2) for Z in forward(net, X, "relu").Z[1:10]]
        factors += list(np.array(q[1:]) / q[:-1])
    geometric_mean = np.exp(np.mean(np.log(factors)))
    assert_allclose(geometric_mean, factor, rtol=0.05)  # 80 factors
