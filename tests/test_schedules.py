"""Tests for mathsforml.schedules: closed forms, the Robbins-Monro sums,
and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mathsforml.schedules import (
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    StepDecay,
)

K = np.arange(0, 2001)


def test_closed_forms():
    assert_allclose(StepDecay(0.1, 0.1, 3)(K[:7]), 0.1 * 0.1 ** (K[:7] // 3))
    assert_allclose(ExponentialDecay(0.2, 0.9)(K), 0.2 * 0.9**K)
    assert_allclose(
        InverseTimeDecay(0.5, 4, 0.75)(K), 0.5 / (1 + K / 4) ** 0.75
    )
    cosine = CosineDecay(1.0, n_steps=1000, final_learning_rate=0.1)(K)
    assert_allclose(cosine[[0, 500, 1000, 2000]], [1.0, 0.55, 0.1, 0.1])
    assert np.all(np.diff(cosine) <= 0)
    assert isinstance(InverseTimeDecay(0.1)(3), float)


def test_robbins_monro_partial_sums():
    # 1/k: sum alpha grows like k0 ln k, sum alpha^2 stays below its
    # integral bound; the exponential's sum stops at alpha_0 / (1 - gamma)
    k = np.arange(10**6)
    inverse = InverseTimeDecay(1.0, k0=1.0)(k)
    assert inverse.sum() > np.log(10**6)
    assert (inverse**2).sum() < np.pi**2 / 6 + 1e-12
    exponential = ExponentialDecay(1.0, 0.99)(k)
    assert_allclose(exponential.sum(), 1 / (1 - 0.99), rtol=1e-9)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: StepDecay(0.0), ValueError, "`learning_rate` must be > 0"),
        (lambda: StepDecay(0.1, factor=1.5), ValueError, "`factor` must lie"),
        (lambda: StepDecay(0.1, step_size=2.5), TypeError, "`step_size`"),
        (lambda: ExponentialDecay(0.1, 0.0), ValueError, "`decay_rate`"),
        (lambda: InverseTimeDecay(0.1, k0=-1), ValueError, "`k0` must be > 0"),
        (
            lambda: CosineDecay(0.1, 10, 0.5),
            ValueError,
            "`final_learning_rate`",
        ),
        (lambda: InverseTimeDecay(0.1)(-1), ValueError, "must be >= 0"),
    ],
)
def test_rejects_bad_input(make, error, message):
    with pytest.raises(error, match=message):
        make()
