"""Tests for mathsforml.activations: the hidden activations, their
derivatives, and the stable softmax.

Three kinds, as in DESIGN.md: against a reference (SciPy, autograd),
identities (central differences, shift invariance, the kink convention)
and bad input (the error messages).
"""

from __future__ import annotations

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
import scipy.special
from autograd import elementwise_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mathsforml.activations import (
    ACTIVATIONS,
    get_activation,
    log_softmax,
    softmax,
)

SEED = 0
EXACT_RTOL = 1e-13  # the same function by another float64 formula
FD_RTOL = 1e-8  # central differences: h^2 + eps/h, about 1e-10 here
FD_ATOL = 1e-10  # their absolute round-off, eps |f| / h, matters in tails
# 1 - A^2 from the cached A: an absolute error of a few eps, which is a
# large relative error where tanh' is tiny (1e-11 at z = -6)
CANCELLATION_ATOL = 1e-15
FD_STEP = 1e-5
HYPOTHESIS = settings(max_examples=25, deadline=None)

AUTOGRAD = {
    "identity": lambda z: z,
    "relu": lambda z: anp.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "tanh": anp.tanh,
}

# away from the ReLU kink at 0, where no finite difference is reliable
Z_GRID = np.concatenate([np.linspace(-6, -0.1, 30), np.linspace(0.1, 6, 30)])


def derivative_of(name, Z):
    act = get_activation(name)
    return act.derivative(Z, act.function(Z))


# -- reference ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivatives_match_autograd(name):
    want = elementwise_grad(AUTOGRAD[name])(Z_GRID)
    assert_allclose(
        derivative_of(name, Z_GRID),
        want,
        rtol=EXACT_RTOL,
        atol=CANCELLATION_ATOL,
    )


def test_sigmoid_matches_scipy_expit_in_both_tails():
    Z = np.array([-800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow on the way
        got = get_activation("sigmoid").function(Z)
    assert_allclose(got, scipy.special.expit(Z), rtol=EXACT_RTOL, atol=0)


def test_softmax_matches_scipy():
    logits = np.random.default_rng(SEED).normal(size=(6, 5)) * 10
    assert_allclose(
        softmax(logits), scipy.special.softmax(logits, axis=1), rtol=1e-13
    )
    assert_allclose(
        log_softmax(logits),
        scipy.special.log_softmax(logits, axis=1),
        rtol=1e-13,
    )


# -- identities --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivatives_match_central_differences(name):
    f = get_activation(name).function
    numeric = (f(Z_GRID + FD_STEP) - f(Z_GRID - FD_STEP)) / (2 * FD_STEP)
    assert_allclose(
        derivative_of(name, Z_GRID), numeric, rtol=FD_RTOL, atol=FD_ATOL
    )


def test_derivative_values_at_zero():
    # relu'(0) = 0 is a convention (the subgradient every framework uses)
    values = {
        name: derivative_of(name, np.zeros(1))[0] for name in ACTIVATIONS
    }
    assert values == {
        "identity": 1.0,
        "relu": 0.0,
        "sigmoid": 0.25,
        "tanh": 1.0,
    }


def test_saturation():
    # |z| = 10: sigmoid' and tanh' are below 1e-4; relu' stays 1 for z > 0
    Z = np.array([-10.0, 10.0])
    assert np.all(derivative_of("sigmoid", Z) < 1e-4)
    assert np.all(derivative_of("tanh", Z) < 1e-4)
    assert_array_equal(derivative_of("relu", Z), [0.0, 1.0])


def test_inputs_unchanged():
    Z = np.linspace(-3, 3, 7)
    before = Z.copy()
    for name in ACTIVATIONS:
        derivative_of(name, Z)
    softmax(Z)
    log_softmax(Z)
    assert_array_equal(Z, before)


@HYPOTHESIS
@given(
    n_rows=st.integers(1, 5),
    n_classes=st.integers(1, 6),
    shift=st.floats(-1e3, 1e3),
    seed=st.integers(0, 2**16),
)
def test_softmax_shift_invariance(n_rows, n_classes, shift, seed):
    logits = np.random.default_rng(seed).normal(
        scale=30.0, size=(n_rows, n_classes)
    )
    probs = softmax(logits)
    assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-14)
    assert_allclose(softmax(logits + shift), probs, rtol=1e-9, atol=1e-300)


def test_naive_softmax_fails_where_the_stable_one_works():
    Z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4 - 1.0, -1e4 - 2.0]])
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        E = np.exp(Z)
        naive = E / E.sum(axis=1, keepdims=True)
    assert np.isnan(naive).any(axis=1).all()
    assert_allclose(softmax(Z)[1], softmax([0.0, -1.0, -2.0]), rtol=1e-15)
    assert_array_equal(log_softmax(Z)[0], [0.0, -1e4, -2e4])


# -- bad input ---------------------------------------------------------


def test_rejects_unknown_activation():
    with pytest.raises(ValueError, match="`activation` must be one of"):
        get_activation("gelu")
    with pytest.raises(ValueError, match="`activation` must be one of"):
        get_activation(None)


def test_rejects_bad_softmax_input():
    with pytest.raises(TypeError, match="`Z` must be an array of real"):
        softmax(["a", "b"])
    with pytest.raises(ValueError, match="`Z` must be a 1-D or 2-D"):
        log_softmax(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="`Z` must contain only finite"):
        softmax([0.0, np.inf])
