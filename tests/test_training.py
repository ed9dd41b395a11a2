"""Tests for mathsforml.training with the optimizers of Lesson 3.

The reference is scikit-learn's MLPClassifier, started from the same
weights and fed the same batches, with ``solver="adam"`` and with
``solver="sgd", nesterovs_momentum=True`` (the test of plain momentum
is in the training chapter of Lesson 1 and in test_optimizers.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn_mlp import warm_started_mlp

from mathsforml.datasets import digits_split
from mathsforml.network import init_params
from mathsforml.schedules import InverseTimeDecay
from mathsforml.training import train

SEED = 0
STEP_ATOL = 1e-12  # the same float64 steps; only summation orders differ
BATCH_SIZE = 32


@pytest.fixture(scope="module")
def digits():
    X_train, _, y_train, _ = digits_split(seed=SEED)
    return X_train, y_train


def sklearn_from(params, X, y, n_epochs, **solver):
    """MLPClassifier started from our params, taking the rows in order."""
    return warm_started_mlp(
        params,
        X,
        y,
        alpha=0.0,
        batch_size=BATCH_SIZE,
        max_iter=n_epochs,
        **solver,
    )


def largest_difference(a, b):
    return max(
        np.abs(u - v).max()
        for pa, pb in zip(a, b, strict=True)
        for u, v in zip(pa, pb, strict=True)
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            {"optimizer": "adam", "learning_rate": 0.01, "eps": 1e-30},
            {"solver": "adam", "learning_rate_init": 0.01, "epsilon": 1e-30},
        ),
        (
            {"optimizer": "nesterov", "learning_rate": 0.05, "momentum": 0.9},
            {
                "solver": "sgd",
                "learning_rate_init": 0.05,
                "momentum": 0.9,
                "nesterovs_momentum": True,
            },
        ),
    ],
)
def test_one_epoch_matches_mlpclassifier(digits, ours, theirs):
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    order = np.random.default_rng(SEED).permutation(len(y))  # epoch 1
    mine = train(params, X, y, n_epochs=1, rng=SEED, **ours).params
    reference = sklearn_from(params, X[order], y[order], 1, **theirs)
    assert largest_difference(mine, params) > 0.1  # 43 steps moved it
    assert largest_difference(mine, reference) < STEP_ATOL


def test_adam_with_default_eps_is_not_sklearn_adam(digits):
    # the epsilon conventions differ; the test can tell them apart
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    order = np.random.default_rng(SEED).permutation(len(y))
    mine = train(
        params,
        X,
        y,
        n_epochs=1,
        rng=SEED,
        optimizer="adam",
        learning_rate=0.01,
    ).params
    reference = sklearn_from(
        params, X[order], y[order], 1, solver="adam", learning_rate_init=0.01
    )
    assert largest_difference(mine, reference) > 1e-6


@pytest.mark.parametrize(
    ("optimizer", "learning_rate"),
    [
        ("sgd", 0.1),
        ("momentum", 0.05),
        ("nesterov", 0.05),
        ("adagrad", 0.03),
        ("rmsprop", 0.003),
        ("adam", 0.003),
    ],
)
def test_every_optimizer_trains_the_digits_network(
    digits, optimizer, learning_rate
):
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    result = train(
        params,
        X,
        y,
        optimizer=optimizer,
        learning_rate=learning_rate,
        n_epochs=5,
        rng=SEED,
    )
    loss = result.history["train_loss"]
    assert loss[-1] < 0.3 * loss[0]  # measured: 0.03 to 0.16 of the start


def test_schedule_and_clipping_pass_through(digits):
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    common = {"n_epochs": 1, "rng": SEED, "optimizer": "sgd"}
    constant = train(params, X, y, learning_rate=0.1, **common).params
    decayed = train(
        params, X, y, learning_rate=InverseTimeDecay(0.1, k0=5), **common
    ).params
    clipped = train(params, X, y, learning_rate=0.1, clip_norm=1e-3, **common)
    moved = largest_difference(clipped.params, params)
    assert largest_difference(constant, decayed) > 1e-3
    assert moved <= 43 * 0.1 * 1e-3 * (1 + 1e-12)  # 43 steps of length 1e-4


def test_same_seed_reproduces_a_run_to_the_last_bit(digits):
    """The adaptive chapter's tip on seeds: a shorter run with the same
    seed is exactly the start of a longer one; another seed differs."""
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    common = {
        "optimizer": "adam",
        "learning_rate": 0.01,
        "rng": SEED,
        "X_val": X[:100],
        "y_val": y[:100],
    }
    long = train(params, X, y, n_epochs=4, **common).history
    short = train(params, X, y, n_epochs=2, **common).history
    for key, values in short.items():
        np.testing.assert_array_equal(values, long[key][:3])
    other = train(params, X, y, n_epochs=2, **{**common, "rng": SEED + 1})
    assert not np.allclose(
        other.history["train_loss"][1:], short["train_loss"][1:]
    )


def test_rejects_unknown_optimizer_options(digits):
    X, y = digits
    params = init_params([64, 32, 10], "tanh", rng=SEED)
    with pytest.raises(ValueError, match="has no option 'rho'"):
        train(params, X, y, optimizer="adam", rho=0.9)
    with pytest.raises(ValueError, match="`optimizer` must be one of"):
        train(params, X, y, optimizer="newton")
    with pytest.raises(ValueError, match=r"`beta1` must lie in \[0, 1\)"):
        train(params, X, y, optimizer="adam", beta1=1.0)
