r"""Learning-rate schedules: the step size :math:`\alpha_k` at step k.

A schedule is a callable ``schedule(k)`` for the step count
:math:`k = 0, 1, \dots` (an int or an array of ints). Pass one as the
``learning_rate`` of any optimizer in :mod:`mathsforml.optimizers`.

Stochastic gradient descent converges to a minimum, rather than
wandering around it, when the steps satisfy the Robbins-Monro conditions
:math:`\sum_k \alpha_k = \infty` and :math:`\sum_k \alpha_k^2 < \infty`
(eq. ``robbins-monro``) [RM]. :class:`InverseTimeDecay` with
:math:`\tfrac12 < p \le 1` satisfies both; the exponential and step
decays stop moving after a finite distance
(:math:`\sum_k \alpha_k < \infty`); cosine decay is for a fixed budget
of steps [SGDR].

References:

- [RM] Robbins, H. and Monro, S. (1951). A stochastic approximation
  method. *The Annals of Mathematical Statistics* 22(3), 400-407.
- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Section 8.3.1.
- [SGDR] Loshchilov, I. and Hutter, F. (2017). SGDR: stochastic gradient
  descent with warm restarts. *ICLR*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mathsforml._validation import (
    as_float_array,
    check_in_range,
    check_integer,
    check_positive,
)

__all__ = [
    "CosineDecay",
    "ExponentialDecay",
    "InverseTimeDecay",
    "StepDecay",
]


def _steps(k: object) -> np.ndarray:
    """The step counts as a float array, checked to be >= 0."""
    k = as_float_array(k, "k")
    if np.any(k < 0):
        raise ValueError(
            f"The step count `k` must be >= 0; got {k.min():g}. Count "
            "steps from 0."
        )
    return k


def _result(values: np.ndarray):
    return float(values) if values.ndim == 0 else values


@dataclass(frozen=True)
class StepDecay:
    r"""Multiply the rate by ``factor`` every ``step_size`` steps.

    .. math:: \alpha_k = \alpha_0\,\gamma^{\lfloor k / s \rfloor}

    Examples
    --------
    >>> StepDecay(0.1, factor=0.5, step_size=10)(np.array([0, 9, 10, 25]))
    array([0.1  , 0.1  , 0.05 , 0.025])
    """

    learning_rate: float
    factor: float = 0.5
    step_size: int = 100

    def __post_init__(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_in_range(self.factor, "factor", 0, 1, closed="right")
        check_integer(self.step_size, "step_size")

    def __call__(self, k):
        k = _steps(k)
        return _result(
            self.learning_rate * self.factor ** np.floor(k / self.step_size)
        )


@dataclass(frozen=True)
class ExponentialDecay:
    r"""Multiply the rate by ``decay_rate`` at every step.

    .. math:: \alpha_k = \alpha_0\,\gamma^k

    The total distance :math:`\sum_k \alpha_k = \alpha_0 / (1 - \gamma)`
    is finite, so this schedule breaks the first Robbins-Monro condition.

    Examples
    --------
    >>> ExponentialDecay(0.1, decay_rate=0.5)(3)
    0.0125
    """

    learning_rate: float
    decay_rate: float = 0.99

    def __post_init__(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_in_range(self.decay_rate, "decay_rate", 0, 1, closed="right")

    def __call__(self, k):
        return _result(self.learning_rate * self.decay_rate ** _steps(k))


@dataclass(frozen=True)
class InverseTimeDecay:
    r"""Decay as a power of the step count.

    .. math:: \alpha_k = \frac{\alpha_0}{(1 + k / k_0)^p}

    For :math:`\tfrac12 < p \le 1` it satisfies the Robbins-Monro
    conditions (eq. ``robbins-monro``): :math:`\sum_k \alpha_k` diverges
    and :math:`\sum_k \alpha_k^2` converges. :math:`k_0` is how many
    steps pass before the rate has halved (for :math:`p = 1`).

    Examples
    --------
    >>> InverseTimeDecay(0.1, k0=10)(np.array([0, 10, 30]))
    array([0.1  , 0.05 , 0.025])
    """

    learning_rate: float
    k0: float = 100.0
    power: float = 1.0

    def __post_init__(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_positive(self.k0, "k0")
        check_positive(self.power, "power")

    def __call__(self, k):
        return _result(
            self.learning_rate / (1 + _steps(k) / self.k0) ** self.power
        )


@dataclass(frozen=True)
class CosineDecay:
    r"""Half a cosine from the initial to the final rate in ``n_steps``.

    .. math::

        \alpha_k = \alpha_{\min} + \tfrac12 (\alpha_0 - \alpha_{\min})
        \bigl(1 + \cos(\pi k / K)\bigr), \qquad 0 \le k \le K,

    and :math:`\alpha_{\min}` after :math:`K` steps [SGDR].

    Examples
    --------
    >>> CosineDecay(0.1, n_steps=100)(np.array([0, 50, 100, 200]))
    array([0.1 , 0.05, 0.  , 0.  ])
    """

    learning_rate: float
    n_steps: int = 1000
    final_learning_rate: float = 0.0

    def __post_init__(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        check_integer(self.n_steps, "n_steps")
        check_in_range(
            self.final_learning_rate,
            "final_learning_rate",
            0,
            self.learning_rate,
        )

    def __call__(self, k):
        progress = np.minimum(_steps(k) / self.n_steps, 1.0)
        low, high = self.final_learning_rate, self.learning_rate
        return _result(
            low + 0.5 * (high - low) * (1 + np.cos(np.pi * progress))
        )
