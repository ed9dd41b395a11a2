r"""Adaptive methods: a step size per coordinate, from past gradients.

AdaGrad divides each coordinate's step by the root of its summed squared
gradients, RMSProp by the root of a moving average of them, and Adam
also averages the gradients themselves and corrects both averages for
their start at zero. Each class shares the interface of
:class:`mathsforml.optimizers.Optimizer`; their names in
:func:`mathsforml.optimizers.get_optimizer` are ``"adagrad"``,
``"rmsprop"`` and ``"adam"``.

The texts and libraries differ on where the small constant
:math:`\epsilon` goes and on the defaults; the chapter's table lists
them. Here :math:`\epsilon` is always added to the root, outside it.

References:

- [Duchi] Duchi, J., Hazan, E. and Singer, Y. (2011). Adaptive
  subgradient methods for online learning and stochastic optimization.
  *JMLR* 12, 2121-2159.
- [Hinton] Hinton, G. (2012). Neural networks for machine learning,
  lecture 6e: RMSProp.
- [Adam] Kingma, D. P. and Ba, J. (2015). Adam: a method for stochastic
  optimization. *ICLR*. Algorithm 1.
- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Algorithms 8.4, 8.5 and 8.7.
"""

from __future__ import annotations

import numpy as np

from mathsforml._update_rules import Optimizer, check_beta
from mathsforml._validation import check_positive

__all__ = ["AdaGrad", "Adam", "RMSProp"]


class AdaGrad(Optimizer):
    r"""AdaGrad [Duchi], as in [DLB] algorithm 8.4 (eq. ``adagrad-step``).

    .. math::

        \mathbf{s} \leftarrow \mathbf{s} + \mathbf{g}\odot\mathbf{g},
        \qquad \boldsymbol\theta \leftarrow \boldsymbol\theta
        - \frac{\alpha}{\epsilon + \sqrt{\mathbf{s}}}\odot\mathbf{g}

    Parameters
    ----------
    learning_rate : float or callable, default 0.01
        :math:`\alpha`.
    eps : float, default 1e-7
        :math:`\epsilon` (DLB's :math:`\delta`), added outside the root,
        as DLB and PyTorch do (Keras puts it inside).
    clip_norm : float, optional
        See :class:`~mathsforml.optimizers.Optimizer`.

    Examples
    --------
    >>> theta = np.array([0.0, 0.0])
    >>> AdaGrad(0.1).step(theta, np.array([1e-3, 1e3]))
    >>> theta.round(3)  # each coordinate moves by about alpha
    array([-0.1, -0.1])
    """

    name = "adagrad"
    n_buffers = 1

    def __init__(self, learning_rate=0.01, eps=1e-7, *, clip_norm=None):
        self.eps = check_positive(eps, "eps")
        super().__init__(learning_rate, clip_norm=clip_norm)

    def _update(self, theta, g, state, alpha) -> None:
        (s,) = state  # eq. (adagrad-step)
        s += g * g
        theta -= alpha * g / (self.eps + np.sqrt(s))


class RMSProp(Optimizer):
    r"""RMSProp [Hinton] (eq. ``rmsprop-step``).

    .. math::

        \mathbf{s} \leftarrow \rho\mathbf{s}
        + (1 - \rho)\,\mathbf{g}\odot\mathbf{g},
        \qquad \boldsymbol\theta \leftarrow \boldsymbol\theta
        - \frac{\alpha}{\sqrt{\mathbf{s}} + \epsilon}\odot\mathbf{g}

    Parameters
    ----------
    learning_rate : float or callable, default 0.001
        :math:`\alpha`, as in Hinton's lecture and Keras. PyTorch's
        default is 0.01.
    rho : float, default 0.9
        :math:`\rho \in [0, 1)`, the decay of the average. PyTorch calls
        it ``alpha`` and defaults to 0.99.
    eps : float, default 1e-8
        :math:`\epsilon`, added outside the root, as PyTorch does (Keras
        puts it inside).
    clip_norm : float, optional
        See :class:`~mathsforml.optimizers.Optimizer`.

    Examples
    --------
    >>> theta = np.array([0.0])
    >>> RMSProp(0.001).step(theta, np.array([5.0]))
    >>> theta.round(8)  # alpha / sqrt(1 - rho): s starts at zero
    array([-0.00316228])
    """

    name = "rmsprop"
    n_buffers = 1

    def __init__(
        self, learning_rate=0.001, rho=0.9, eps=1e-8, *, clip_norm=None
    ) -> None:
        self.rho = check_beta(rho, "rho")
        self.eps = check_positive(eps, "eps")
        super().__init__(learning_rate, clip_norm=clip_norm)

    def _update(self, theta, g, state, alpha) -> None:
        (s,) = state  # eq. (rmsprop-step)
        s *= self.rho
        s += (1 - self.rho) * (g * g)
        theta -= alpha * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    r"""Adam, Algorithm 1 of [Adam] (eqs. ``adam-moments``, ``adam-step``).

    At step :math:`k = 1, 2, \dots`

    .. math::

        \mathbf{m} \leftarrow \beta_1\mathbf{m} + (1-\beta_1)\mathbf{g},
        \qquad
        \mathbf{s} \leftarrow \beta_2\mathbf{s}
        + (1-\beta_2)\,\mathbf{g}\odot\mathbf{g},

        \boldsymbol\theta \leftarrow \boldsymbol\theta
        - \frac{\alpha\,\hat{\mathbf{m}}}{\sqrt{\hat{\mathbf{s}}}
        + \epsilon},
        \qquad
        \hat{\mathbf{m}} = \frac{\mathbf{m}}{1 - \beta_1^k},
        \quad
        \hat{\mathbf{s}} = \frac{\mathbf{s}}{1 - \beta_2^k}.

    Parameters
    ----------
    learning_rate : float or callable, default 0.001
        :math:`\alpha`.
    beta1, beta2 : float, default 0.9 and 0.999
        :math:`\beta_1, \beta_2 \in [0, 1)`, the decay rates of the two
        moment estimates.
    eps : float, default 1e-8
        :math:`\epsilon`, added to :math:`\sqrt{\hat{\mathbf{s}}}` as in
        Algorithm 1 (scikit-learn and Keras add it to
        :math:`\sqrt{\mathbf{s}}` instead).
    bias_correction : bool, default True
        If False, :math:`\hat{\mathbf{m}} = \mathbf{m}` and
        :math:`\hat{\mathbf{s}} = \mathbf{s}` (eq. ``adam-bias``).
    clip_norm : float, optional
        See :class:`~mathsforml.optimizers.Optimizer`.

    Examples
    --------
    >>> theta = np.array([0.0, 0.0])
    >>> Adam(0.001).step(theta, np.array([1e-4, -50.0]))
    >>> theta.round(6)  # the first step has length alpha, whatever |g|
    array([-0.001,  0.001])
    """

    name = "adam"
    n_buffers = 2

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        *,
        bias_correction=True,
        clip_norm=None,
    ) -> None:
        self.beta1 = check_beta(beta1, "beta1")
        self.beta2 = check_beta(beta2, "beta2")
        self.eps = check_positive(eps, "eps")
        self.bias_correction = bool(bias_correction)
        super().__init__(learning_rate, clip_norm=clip_norm)

    def _update(self, theta, g, state, alpha) -> None:
        m, s = state  # eq. (adam-moments)
        m *= self.beta1
        m += (1 - self.beta1) * g
        s *= self.beta2
        s += (1 - self.beta2) * (g * g)
        m_hat, s_hat = m, s
        if self.bias_correction:  # eq. (adam-bias)
            m_hat = m / (1 - self.beta1**self.n_steps)
            s_hat = s / (1 - self.beta2**self.n_steps)
        theta -= alpha * m_hat / (np.sqrt(s_hat) + self.eps)
