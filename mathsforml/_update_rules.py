r"""The optimizer interface, and the rules of gradient descent and momentum.

An optimizer holds its hyper-parameters and the state its update rule
needs (a velocity, running averages, the step count :math:`k`), and one
call of :meth:`Optimizer.step` updates a list of parameter arrays in
place. This private module holds the interface and the rules of plain
gradient descent, heavy-ball and Nesterov momentum and Newton's method;
:mod:`mathsforml.adaptive` holds AdaGrad, RMSProp and Adam. Import them
all from :mod:`mathsforml.optimizers`.

References:

- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Sections 4.3, 8.3 and 8.6.
- [Polyak] Polyak, B. T. (1964). Some methods of speeding up the
  convergence of iteration methods. *USSR Computational Mathematics and
  Mathematical Physics* 4(5), 1-17.
- [Sutskever] Sutskever, I., Martens, J., Dahl, G. and Hinton, G.
  (2013). On the importance of initialization and momentum in deep
  learning. *ICML*.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mathsforml._validation import check_in_range, check_positive
from mathsforml.curvature import newton_step

__all__ = [
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "Newton",
    "Optimizer",
    "clip_by_norm",
]


def check_learning_rate(learning_rate: object) -> float | Callable:
    """A positive number, or a schedule: a callable of the step count."""
    if callable(learning_rate):
        return learning_rate
    return check_positive(learning_rate, "learning_rate")


def check_beta(value: object, name: str) -> float:
    """A decay rate or momentum coefficient in [0, 1)."""
    return check_in_range(value, name, 0, 1, closed="left")


def clip_by_norm(gradient, max_norm: float):
    r"""Rescale a gradient whose Euclidean norm exceeds ``max_norm``.

    .. math::

        \mathbf{g} \leftarrow \mathbf{g}\,
        \min\!\Bigl(1, \frac{\tau}{\lVert \mathbf{g} \rVert}\Bigr)

    (eq. ``clip-norm``). The direction is kept; only the length is cut
    to :math:`\tau`. A list of arrays is clipped by its joint norm, as if it
    were one vector [Pascanu].

    Parameters
    ----------
    gradient : numpy.ndarray or list of numpy.ndarray
        The gradient, never modified.
    max_norm : float
        The threshold :math:`\tau > 0`.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        The clipped gradient, with the structure of ``gradient``; the
        input itself when it is short enough.

    References
    ----------
    .. [Pascanu] Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the
       difficulty of training recurrent neural networks. *ICML*.

    Examples
    --------
    >>> clip_by_norm(np.array([3.0, 4.0]), 1.0)
    array([0.6, 0.8])
    >>> clip_by_norm([np.array([0.3]), np.array([0.4])], 1.0)
    [array([0.3]), array([0.4])]
    """
    max_norm = check_positive(max_norm, "max_norm")
    arrays = [gradient] if isinstance(gradient, np.ndarray) else gradient
    norm = np.sqrt(sum(float(np.vdot(g, g)) for g in arrays))
    if not norm > max_norm:  # short enough, or NaN: left for the caller
        return gradient
    scale = max_norm / norm
    if isinstance(gradient, np.ndarray):
        return gradient * scale
    return [g * scale for g in gradient]


class Optimizer:
    r"""The interface every optimizer shares; subclasses add a rule.

    Parameters
    ----------
    learning_rate : float or callable
        :math:`\alpha > 0`, or a schedule ``k -> alpha_k`` from
        :mod:`mathsforml.schedules`, evaluated at the step count.
    clip_norm : float, optional
        If given, each gradient is first clipped to this norm
        (:func:`clip_by_norm`).

    Attributes
    ----------
    n_steps : int
        The number of steps taken, :math:`k`.
    """

    name = "optimizer"
    needs_hessian = False
    n_buffers = 0  # state arrays kept per parameter array

    def __init__(self, learning_rate, *, clip_norm=None) -> None:
        self.learning_rate = check_learning_rate(learning_rate)
        self.clip_norm = None
        if clip_norm is not None:
            self.clip_norm = check_positive(clip_norm, "clip_norm")
        self.reset()

    def reset(self) -> None:
        """Forget the state, so that the next step is a first step."""
        self.n_steps = 0
        self._state = None

    def current_learning_rate(self) -> float:
        r"""The step size :math:`\alpha_k` of the next step."""
        if callable(self.learning_rate):
            return float(self.learning_rate(self.n_steps))
        return self.learning_rate

    def step(self, params, grads, hessian=None) -> None:
        """Update ``params`` in place from ``grads``.

        Parameters
        ----------
        params : numpy.ndarray or list of numpy.ndarray
            The parameters, overwritten with the new values.
        grads : numpy.ndarray or list of numpy.ndarray
            Their gradients, in the same structure; never modified.
        hessian : numpy.ndarray, optional
            Used by :class:`~mathsforml.optimizers.Newton` only.
        """
        if isinstance(params, np.ndarray):
            params, grads = [params], [grads]
        if self.clip_norm is not None:
            grads = clip_by_norm(list(grads), self.clip_norm)
        if self._state is None:
            self._state = self._new_state(params, grads)
        alpha = self.current_learning_rate()
        self.n_steps += 1
        for theta, g, state in zip(params, grads, self._state, strict=True):
            self._update(theta, g, state, alpha)

    def _new_state(self, params, grads) -> list:
        if len(params) != len(grads):
            raise ValueError(
                f"`grads` must hold one array per parameter array; got "
                f"{len(grads)} gradients for {len(params)} parameters. "
                "Pass the gradients in the order of the parameters."
            )
        for i, (theta, g) in enumerate(zip(params, grads, strict=True)):
            if np.shape(theta) != np.shape(g):
                raise ValueError(
                    f"gradient {i} must have the shape of its parameter, "
                    f"{np.shape(theta)}; got {np.shape(g)}. Pass the "
                    "gradients in the order of the parameters."
                )
        return [
            [np.zeros_like(theta) for _ in range(self.n_buffers)]
            for theta in params
        ]

    def _update(self, theta, g, state, alpha) -> None:
        raise NotImplementedError(
            f"{type(self).__name__} must define its update rule, _update."
        )

    def __repr__(self) -> str:
        hyper = ", ".join(
            f"{key}={value!r}"
            for key, value in vars(self).items()
            if not key.startswith("_") and key != "n_steps"
        )
        return f"{type(self).__name__}({hyper})"


class GradientDescent(Optimizer):
    r"""Gradient descent, :math:`\boldsymbol\theta \leftarrow
    \boldsymbol\theta - \alpha\,\mathbf{g}` (eq. ``gd-step``).

    With a mini-batch gradient it is SGD (eq. ``sgd-minibatch``).

    Examples
    --------
    >>> theta = np.array([1.0, -2.0])
    >>> GradientDescent(0.1).step(theta, np.array([1.0, 1.0]))
    >>> theta
    array([ 0.9, -2.1])
    """

    name = "gd"

    def __init__(self, learning_rate=0.01, *, clip_norm=None) -> None:
        super().__init__(learning_rate, clip_norm=clip_norm)

    def _update(self, theta, g, state, alpha) -> None:
        theta -= alpha * g  # eq. (gd-step)


class Momentum(Optimizer):
    r"""Heavy-ball momentum [Polyak] (eq. ``momentum-step``).

    .. math::

        \mathbf{v} \leftarrow \beta\mathbf{v} - \alpha\mathbf{g},
        \qquad \boldsymbol\theta \leftarrow \boldsymbol\theta + \mathbf{v}

    scikit-learn's ``MLPClassifier(solver="sgd",
    nesterovs_momentum=False)`` takes the same steps.

    Examples
    --------
    >>> theta, opt = np.array([0.0]), Momentum(0.1, momentum=0.5)
    >>> for _ in range(2):
    ...     opt.step(theta, np.array([1.0]))
    >>> theta  # -0.1, then -0.1 + (0.5 * (-0.1) - 0.1)
    array([-0.25])
    """

    name = "momentum"
    n_buffers = 1

    def __init__(self, learning_rate=0.01, momentum=0.9, *, clip_norm=None):
        self.momentum = check_beta(momentum, "momentum")
        super().__init__(learning_rate, clip_norm=clip_norm)

    def _update(self, theta, g, state, alpha) -> None:
        (v,) = state  # eq. (momentum-step)
        v *= self.momentum
        v -= alpha * g
        theta += v


class Nesterov(Momentum):
    r"""Nesterov momentum, written as scikit-learn and PyTorch write it.

    With :math:`\mathbf{g}` taken at the current parameters (eq.
    ``nesterov-sklearn``),

    .. math::

        \mathbf{v} \leftarrow \beta\mathbf{v} - \alpha\mathbf{g},
        \qquad \boldsymbol\theta \leftarrow \boldsymbol\theta
        + \beta\mathbf{v} - \alpha\mathbf{g}.

    This is the look-ahead form [Sutskever] :math:`\mathbf{v} \leftarrow
    \beta\mathbf{v} - \alpha\nabla f(\boldsymbol\phi + \beta\mathbf{v})`,
    :math:`\boldsymbol\phi \leftarrow \boldsymbol\phi + \mathbf{v}`
    (eq. ``nesterov-lookahead``), rewritten for the look-ahead point
    :math:`\boldsymbol\theta = \boldsymbol\phi + \beta\mathbf{v}`.

    Examples
    --------
    >>> theta, opt = np.array([0.0]), Nesterov(0.1, momentum=0.5)
    >>> opt.step(theta, np.array([1.0]))
    >>> theta  # 0.5 * (-0.1) - 0.1
    array([-0.15])
    """

    name = "nesterov"

    def _update(self, theta, g, state, alpha) -> None:
        (v,) = state  # eq. (nesterov-sklearn)
        v *= self.momentum
        v -= alpha * g
        theta += self.momentum * v - alpha * g


class Newton(Optimizer):
    r"""Newton's method, :math:`\boldsymbol\theta \leftarrow
    \boldsymbol\theta - \alpha\,\mathbf{H}^{-1}\mathbf{g}`
    (eq. ``newton-step``; :math:`\alpha = 1` is the pure step).

    It needs the Hessian of one parameter vector, passed to
    :meth:`step`; the step itself is :func:`mathsforml.curvature.newton_step`.
    It jumps to the critical point of the local quadratic model, whether
    that is a minimum, a maximum or a saddle [DLB].

    Examples
    --------
    >>> H = np.array([[2.0, 0.0], [0.0, 20.0]])
    >>> theta = np.array([1.0, 1.0])
    >>> Newton().step(theta, H @ theta, hessian=H)
    >>> theta  # the minimum of the quadratic, in one step
    array([0., 0.])
    """

    name = "newton"
    needs_hessian = True

    def __init__(self, learning_rate=1.0, *, clip_norm=None) -> None:
        super().__init__(learning_rate, clip_norm=clip_norm)

    def step(self, params, grads, hessian=None) -> None:
        if not isinstance(params, np.ndarray) or params.ndim != 1:
            raise ValueError(
                "Newton's method updates one 1-D parameter vector; got "
                f"{type(params).__name__}. Flatten the parameters."
            )
        if hessian is None:
            raise ValueError(
                "Newton's method needs `hessian`, the (D, D) Hessian at "
                "the current parameters. Pass it to step(), or a "
                "callable to minimize(..., hessian=...)."
            )
        if self.clip_norm is not None:
            grads = clip_by_norm(grads, self.clip_norm)
        alpha = self.current_learning_rate()
        step = newton_step(grads, hessian)  # eq. (newton-step), checked
        self.n_steps += 1
        params += alpha * step
