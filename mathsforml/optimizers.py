r"""Gradient-based optimizers behind one interface, and a minimize loop.

Every optimizer turns gradients into steps with the rule of the chapter
that explains it, and keeps the state that rule needs. One call of
``step(params, grads)`` updates a list of parameter arrays in place, so
the same object trains a network layer by layer
(:func:`mathsforml.training.train`) or minimises a function of one
vector (:func:`minimize`).

====================  ======================================  ================
name                  class                                   rule (eq.)
====================  ======================================  ================
``"gd"``, ``"sgd"``   :class:`GradientDescent`                gd-step
``"momentum"``        :class:`Momentum`                       momentum-step
``"nesterov"``        :class:`Nesterov`                       nesterov-sklearn
``"adagrad"``         :class:`~mathsforml.adaptive.AdaGrad`   adagrad-step
``"rmsprop"``         :class:`~mathsforml.adaptive.RMSProp`   rmsprop-step
``"adam"``            :class:`~mathsforml.adaptive.Adam`      adam-step
``"newton"``          :class:`Newton`                         newton-step
====================  ======================================  ================

The rules of the first four live in a private module and the adaptive
methods in :mod:`mathsforml.adaptive`; all are re-exported here. A
learning rate may be a number or a schedule from
:mod:`mathsforml.schedules`. :func:`heavy_ball_rate` is the theory that
the momentum chapter measures against.

References:

- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Sections 4.3, 8.1-8.6.
- [Goh] Goh, G. (2017). Why momentum really works. *Distill*.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mathsforml._update_rules import (
    GradientDescent,
    Momentum,
    Nesterov,
    Newton,
    Optimizer,
    check_beta,
    clip_by_norm,
)
from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
)
from mathsforml.adaptive import AdaGrad, Adam, RMSProp

__all__ = [
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "GradientDescent",
    "MinimizeResult",
    "Momentum",
    "Nesterov",
    "Newton",
    "Optimizer",
    "RMSProp",
    "clip_by_norm",
    "get_optimizer",
    "heavy_ball_rate",
    "minimize",
]


#: The optimizers by name, as :func:`get_optimizer` and
#: :func:`mathsforml.training.train` accept them.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "gd": GradientDescent,
    "sgd": GradientDescent,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
    "newton": Newton,
}


def get_optimizer(name: str, **options) -> Optimizer:
    """A new optimizer from its name and hyper-parameters.

    Parameters
    ----------
    name : str
        A key of :data:`OPTIMIZERS`: ``"gd"``, ``"sgd"``, ``"momentum"``,
        ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"`` or
        ``"newton"``.
    **options
        The class's keyword arguments (``learning_rate``, ``momentum``,
        ``beta1``, ...).

    Raises
    ------
    ValueError
        For an unknown name or option.

    Examples
    --------
    >>> get_optimizer("adam", learning_rate=0.01)
    Adam(beta1=0.9, beta2=0.999, eps=1e-08, bias_correction=True, \
learning_rate=0.01, clip_norm=None)
    """
    if name not in OPTIMIZERS:
        raise ValueError(
            f"`optimizer` must be one of {sorted(OPTIMIZERS)}; got "
            f"{name!r}. Check the spelling."
        )
    cls = OPTIMIZERS[name]
    accepted = list(inspect.signature(cls).parameters)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ValueError(
            f"The {name!r} optimizer has no option {unknown[0]!r}; it "
            f"takes {accepted}. Remove the option or pick another "
            "optimizer."
        )
    return cls(**options)


def heavy_ball_rate(learning_rate: float, momentum: float, eigenvalues):
    r"""The linear rate of heavy-ball momentum on a quadratic.

    Along an eigenvector of the Hessian with eigenvalue :math:`\lambda`,
    momentum multiplies the pair (error, velocity) by a :math:`2 \times 2`
    matrix whose eigenvalues are the roots of :math:`t^2 - (1 + \beta -
    \alpha\lambda)\,t + \beta` (eq. ``hb-characteristic``). The rate is
    the largest root modulus over all :math:`\lambda`: the error shrinks
    like :math:`\text{rate}^k`, and the iteration diverges if it exceeds
    1. With ``momentum=0`` it is the rate :math:`\max_i |1 -
    \alpha\lambda_i|` of gradient descent.

    Parameters
    ----------
    learning_rate : float
        :math:`\alpha > 0`.
    momentum : float
        :math:`\beta \in [0, 1)`.
    eigenvalues : array_like
        The eigenvalues :math:`\lambda_i` of the Hessian.

    Returns
    -------
    float
        The spectral radius, maximised over the eigenvalues.

    Examples
    --------
    >>> kappa = 100.0  # eigenvalues 1 and kappa; the optimal alpha, beta
    >>> alpha = (2 / (1 + np.sqrt(kappa))) ** 2
    >>> beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    >>> round(heavy_ball_rate(alpha, beta, [1.0, kappa]), 6)  # 9 / 11
    0.818182
    >>> heavy_ball_rate(0.1, 0.0, [1.0, 30.0])  # |1 - 0.1 * 30|
    2.0
    """
    alpha = check_positive(learning_rate, "learning_rate")
    beta = check_beta(momentum, "momentum")
    lam = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    # the roots of t^2 - b t + beta, eq. (hb-characteristic)
    b = 1 + beta - alpha * lam
    disc = b * b - 4 * beta
    real_roots = (np.abs(b) + np.sqrt(np.maximum(disc, 0.0))) / 2
    return float(np.max(np.where(disc >= 0, real_roots, np.sqrt(beta))))


@dataclass
class MinimizeResult:
    """The outcome of :func:`minimize`.

    Attributes
    ----------
    x : numpy.ndarray
        The last iterate.
    history : dict of str to numpy.ndarray
        ``"x"`` (every iterate, one per row, the start first),
        ``"grad_norm"`` and, when ``value`` was given, ``"value"``.
    n_iter : int
        The number of steps taken.
    converged : bool
        Whether the gradient norm fell to ``tol`` before ``max_iter``.
    """

    x: np.ndarray
    history: dict[str, np.ndarray] = field(default_factory=dict)
    n_iter: int = 0
    converged: bool = False


def _resolve(optimizer, options) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if options:
            raise ValueError(
                "Pass hyper-parameters to the optimizer object or as "
                f"options to minimize, not both; got {sorted(options)}."
            )
        optimizer.reset()
        return optimizer
    if not isinstance(optimizer, str):
        raise TypeError(
            "`optimizer` must be a name or an Optimizer; got "
            f"{type(optimizer).__name__}. Pass, for example, 'adam'."
        )
    return get_optimizer(optimizer, **options)


def _gradient_at(gradient, x, k) -> tuple[np.ndarray, float]:
    g = np.asarray(gradient(x), dtype=float)
    if g.shape != x.shape:
        raise ValueError(
            f"`gradient` must return an array of shape {x.shape}, like "
            f"x0; got shape {g.shape}. Return the gradient as a 1-D array."
        )
    norm = float(np.sqrt(g @ g))
    if not np.isfinite(norm):
        raise FloatingPointError(
            f"The gradient at iteration {k} is not finite (NaN or inf): "
            "the iterates diverged or `gradient` failed. Lower "
            "`learning_rate`, or pass `clip_norm`."
        )
    return g, norm


def minimize(
    gradient: Callable,
    x0: object,
    optimizer: str | Optimizer = "gd",
    *,
    value: Callable | None = None,
    hessian: Callable | None = None,
    tol: float | None = 1e-6,
    max_iter: int = 1000,
    **options,
) -> MinimizeResult:
    r"""Minimise a function from its gradient with any optimizer.

    From :math:`\mathbf{x}_0`, take steps until
    :math:`\lVert\nabla f(\mathbf{x}_k)\rVert \le` ``tol`` or ``max_iter``
    steps, recording every iterate.

    Parameters
    ----------
    gradient : callable
        ``gradient(x)`` returns :math:`\nabla f(\mathbf{x})`, shaped like
        ``x``. It may be stochastic (a mini-batch gradient).
    x0 : array_like of shape (D,)
        The start; never modified.
    optimizer : str or Optimizer, default "gd"
        A name for :func:`get_optimizer`, or an optimizer object (which
        is reset first).
    value : callable, optional
        ``value(x)`` returns :math:`f(\mathbf{x})`, recorded in the
        history.
    hessian : callable, optional
        ``hessian(x)`` returns the Hessian; needed by ``"newton"``.
    tol : float or None, default 1e-6
        Stop when the gradient norm is at most ``tol``. ``None`` turns
        the test off: exactly ``max_iter`` steps, and no warning.
    max_iter : int, default 1000
        The largest number of steps.
    **options
        Hyper-parameters for the named optimizer, such as
        ``learning_rate``, ``momentum`` or ``clip_norm``.

    Returns
    -------
    MinimizeResult
        ``x``, ``history``, ``n_iter`` and ``converged``.

    Raises
    ------
    ValueError, TypeError
        For a bad start, optimizer name or option, or a missing Hessian.
    FloatingPointError
        If a gradient is NaN or infinite (the iteration diverged).

    Warns
    -----
    RuntimeWarning
        If ``max_iter`` steps do not reach ``tol`` (not if it is None).

    Examples
    --------
    >>> from mathsforml.objectives import Quadratic
    >>> f = Quadratic([1.0, 10.0])
    >>> result = minimize(f.gradient, [1.0, 1.0], "gd",
    ...                   learning_rate=2 / 11, tol=1e-8)
    >>> result.converged, result.n_iter  # |g_k| = (9/11)^k |g_0|
    (True, 104)
    """
    opt = _resolve(optimizer, options)
    if opt.needs_hessian and hessian is None:
        raise ValueError(
            f"The {opt.name!r} optimizer needs `hessian`, a callable "
            "returning the (D, D) Hessian. Pass hessian=..."
        )
    x = as_float_array(x0, "x0", ndim=1).copy()
    fixed = tol is None  # a fixed budget of steps, no convergence test
    tol = -1.0 if fixed else check_positive(tol, "tol", strict=False)
    max_iter = check_integer(max_iter, "max_iter", minimum=0)
    path, norms, values = [x.copy()], [], []
    for k in range(max_iter + 1):
        g, norm = _gradient_at(gradient, x, k)
        norms.append(norm)
        if value is not None:
            values.append(float(value(x)))
        if norm <= tol or k == max_iter:
            break
        opt.step(x, g, hessian(x) if opt.needs_hessian else None)
        path.append(x.copy())
    history = {"x": np.array(path), "grad_norm": np.array(norms)}
    if value is not None:
        history["value"] = np.array(values)
    converged = norms[-1] <= tol
    if not (converged or fixed):
        warnings.warn(
            f"minimize did not converge in max_iter={max_iter} steps: "
            f"the gradient norm is {norms[-1]:.3g} > tol={tol:.3g}. "
            "Raise max_iter or tune the learning rate.",
            RuntimeWarning,
            stacklevel=2,
        )
    return MinimizeResult(x, history, len(path) - 1, converged)
