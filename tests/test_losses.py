"""Tests for mathsforml.losses, and its agreement with mathsforml.autodiff.

The softmax cross-entropy exists twice: on arrays in ``losses`` (for the
network's explicit backpropagation) and as a primitive of the autodiff
engine. Both take ``(logits, y)`` and share one label check, so they must
agree on values, on gradients and on every error message.
"""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.special
from autograd.scipy.special import logsumexp as anp_logsumexp
from numpy.testing import assert_allclose, assert_array_equal

from mathsforml import autodiff as ad
from mathsforml import losses

# Two implementations of the same float64 formulas agree to round-off.
RTOL, ATOL = 1e-12, 1e-14


def _problem(seed=0, n_samples=7, n_classes=4):
    rng = np.random.default_rng(seed)
    logits = 3.0 * rng.standard_normal((n_samples, n_classes))
    return logits, rng.integers(0, n_classes, n_samples)


def _all_three(logits, y):
    """The loss from losses, and from autodiff on a node and an array."""
    return (
        losses.softmax_cross_entropy(logits, y),
        ad.softmax_cross_entropy(ad.Node(logits), y).value,
        ad.softmax_cross_entropy(logits, y),
    )


# --- reference --------------------------------------------------------


def test_loss_matches_scipy_log_softmax():
    logits, y = _problem()
    log_p = scipy.special.log_softmax(logits, axis=1)
    want = -log_p[np.arange(len(y)), y].mean()
    for got in _all_three(logits, y):
        assert_allclose(got, want, rtol=RTOL)


def test_gradients_match_autograd_and_each_other():
    logits, y = _problem(1)

    def reference(z):
        return anp.mean(anp_logsumexp(z, axis=1) - z[np.arange(len(y)), y])

    want = autograd.grad(reference)(logits)
    by_losses = losses.softmax_cross_entropy_grad(logits, y)
    engine = ad.grad(lambda z: ad.softmax_cross_entropy(z, y))(logits)
    assert_allclose(by_losses, want, rtol=RTOL, atol=ATOL)
    assert_allclose(engine, want, rtol=RTOL, atol=ATOL)


# --- identities -------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda y: y,
        lambda y: y.astype(float),  # whole-number floats are accepted
        lambda y: y.astype(np.uint8),
        lambda y: y.tolist(),
    ],
    ids=["int", "whole float", "uint8", "list"],
)
def test_both_modules_agree_for_every_label_encoding(encode):
    logits, y = _problem(2)
    want = losses.softmax_cross_entropy(logits, y)
    for got in _all_three(logits, encode(y)):
        assert_allclose(got, want, rtol=0, atol=0)
    grad = ad.grad(lambda z: ad.softmax_cross_entropy(z, encode(y)))(logits)
    by_losses = losses.softmax_cross_entropy_grad(logits, encode(y))
    assert_allclose(grad, by_losses, rtol=RTOL, atol=ATOL)


def test_uniform_logits_give_log_k_and_row_shifts_change_nothing():
    logits, y = _problem(3, n_classes=5)
    for got in _all_three(np.zeros_like(logits), y):
        assert_allclose(got, np.log(5), rtol=RTOL)
    shift = np.arange(len(y))[:, None] * 100.0  # softmax is shift-invariant
    for got, want in zip(
        _all_three(logits + shift, y), _all_three(logits, y), strict=True
    ):
        assert_allclose(got, want, rtol=1e-10)
    grad = losses.softmax_cross_entropy_grad(logits, y)
    assert_allclose(grad.sum(axis=1), 0.0, atol=ATOL)  # P - Y rows sum to 0


def test_one_hot_rows_pick_the_labels():
    y = np.array([2, 0, 2, 1])
    Y = losses.one_hot(y, 3)
    assert_array_equal(Y.sum(axis=1), np.ones(4))
    assert_array_equal(Y.argmax(axis=1), y)
    assert_array_equal(losses.one_hot(y.astype(float), 3), Y)


# --- bad input --------------------------------------------------------


BAD = {
    "non-whole label": (np.zeros((3, 4)), [0, 1.5, 2], ValueError),
    "label too large": (np.zeros((3, 4)), [0, 1, 4], ValueError),
    "negative label": (np.zeros((3, 4)), [0, -1, 2], ValueError),
    "NaN label": (np.zeros((2, 4)), [0, np.nan], ValueError),
    "string labels": (np.zeros((2, 4)), ["a", "b"], TypeError),
    "2-D labels": (np.zeros((3, 4)), [[0, 1, 2]], ValueError),
    "too few labels": (np.zeros((3, 4)), [0, 1], ValueError),
    "1-D logits": (np.zeros(4), [0], ValueError),
    "NaN logits": (np.full((2, 2), np.nan), [0, 1], ValueError),
    "empty batch": (np.zeros((0, 4)), [], ValueError),
    "no classes": (np.zeros((3, 0)), [0, 0, 0], ValueError),
    "no labels": (np.zeros((3, 4)), [], ValueError),
}


@pytest.mark.parametrize(("logits", "y", "error"), BAD.values(), ids=BAD)
def test_both_modules_raise_the_same_error(logits, y, error):
    raised = []
    for loss in (
        losses.softmax_cross_entropy,
        losses.softmax_cross_entropy_grad,
        lambda z, y: ad.softmax_cross_entropy(ad.Node(z), y),
    ):
        with pytest.raises(error, match=r"^`(logits|y)` ") as info:
            loss(logits, y)
        raised.append(str(info.value))
    assert raised[0] == raised[1] == raised[2]


@pytest.mark.parametrize(
    ("logits", "y", "message"),
    [
        (
            np.zeros((0, 4)),
            [],
            r"`logits` must not be empty; got an array of shape \(0, 4\)",
        ),
        (np.zeros((3, 4)), [], r"`y` must not be empty; got .* \(0,\)"),
        (np.zeros((3, 4)), [0, 1.5, 2], "`y` must hold integer class"),
        (np.zeros((3, 4)), [0, 1, 4], r"labels in 0, \.\.\., 3 .* got 4"),
        (np.zeros((3, 4)), [0, 1], "`logits` and `y` must have the same"),
    ],
)
def test_error_messages_name_the_argument(logits, y, message):
    with pytest.raises(ValueError, match=message):
        losses.softmax_cross_entropy(logits, y)
    with pytest.raises(ValueError, match=message):
        ad.softmax_cross_entropy(ad.Node(logits), y)


def test_one_hot_rejects_bad_input():
    with pytest.raises(ValueError, match="`y` must not be empty"):
        losses.one_hot([], 3)
    with pytest.raises(ValueError, match=r"`n_classes` must be >= 1"):
        losses.one_hot([0], 0)
    with pytest.raises(TypeError, match="`n_classes` must be an integer"):
        losses.one_hot([0], 3.0)
    with pytest.raises(ValueError, match=r"labels in 0, \.\.\., 1 .* got 2"):
        losses.one_hot([0, 2], 2)
