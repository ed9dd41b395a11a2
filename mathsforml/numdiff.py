"""Numerical differentiation by finite differences.

The chapter on derivatives approximates them by difference quotients and
measures the two errors that compete as the step ``h`` shrinks: the
truncation error of the Taylor expansion, which falls with ``h``, and the
round-off error of subtracting nearly equal numbers, which grows like
``eps / h``. The helpers here are the ones it plots and the ones the rest
of the book uses to check analytic gradients [MML] [NW].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 5.1-5.2.
- [NW] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed.,
  Springer, 2006, sec. 8.1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mathsforml._validation import as_float_array, check_positive, check_shape

__all__ = [
    "GRADCHECK_RTOL",
    "central_difference",
    "derivative",
    "forward_difference",
    "gradient",
    "gradient_check",
    "hessian",
    "jacobian",
    "relative_error",
]

EPS = np.finfo(np.float64).eps
# Central differences: truncation h^2 |f'''|/6 + round-off eps |f|/h is
# smallest near h = eps^(1/3), eq. (fd-central-step).
CENTRAL_STEP = EPS ** (1 / 3)
# Second differences: truncation O(h^2) + round-off O(eps / h^2), so
# h = eps^(1/4), eq. (fd-second-step).
SECOND_STEP = EPS ** (1 / 4)
# Guards the relative error against 0 / 0 when both arrays are zero.
TINY = np.finfo(np.float64).tiny
#: Threshold of a gradient check in float64, eq. (rel-error): a correct
#: gradient compared with central differences gives about 1e-9 to 1e-11
#: (the round-off and truncation of eq. (deriv-central-best) relative to
#: the largest entry), a wrong one 1e-2 or more. The book's chapters use
#: this one value wherever they compare with central differences.
GRADCHECK_RTOL = 1e-7


def _check_callable(f: object, name: str) -> None:
    if not callable(f):
        raise TypeError(
            f"`{name}` must be a callable such as `np.exp` or a function "
            f"you defined; got {type(f).__name__}. Pass the function "
            "itself, not its value."
        )


def _as_steps(h: object) -> float | np.ndarray:
    """Validate a user step: a positive scalar or an array of them."""
    if np.ndim(h) == 0:
        return check_positive(
            h.item() if isinstance(h, np.ndarray) else h, "h"
        )
    steps = as_float_array(h, "h")
    if np.any(steps <= 0):
        raise ValueError(
            f"`h` must hold steps > 0; got minimum {steps.min()}. Pass "
            "positive steps, such as np.logspace(-12, -1, 12)."
        )
    return steps


def _scaled_steps(x: np.ndarray, h: object, base: float) -> np.ndarray:
    """Per-entry steps: ``h`` if given, else ``base * max(1, |x|)``."""
    if h is None:
        # A relative step keeps x + h distinct from x when |x| is large.
        return base * np.maximum(1.0, np.abs(x))
    return np.broadcast_to(_as_steps(h), x.shape)


def _as_output(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def forward_difference(
    f: Callable, x: object, h: object
) -> float | np.ndarray:
    r"""Forward-difference quotient of a scalar function.

    .. math:: f'(x) \approx \frac{f(x + h) - f(x)}{h},

    eq. (fd-forward), whose truncation error is
    :math:`\tfrac{h}{2} f''(\xi) = O(h)`.

    Parameters
    ----------
    f : callable
        A function of one real variable. When ``x`` or ``h`` is an array,
        ``f`` must act element-wise (as ``np.exp`` does).
    x : float or array_like
        Point(s) at which to differentiate.
    h : float or array_like
        Step(s) > 0; broadcast against ``x``. An array of steps gives the
        error curve of the chapter's V-shaped plot in one call.

    Returns
    -------
    float or numpy.ndarray
        The quotient; a float when ``x`` and ``h`` are scalars.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``x`` is not finite or a step is not positive.

    See Also
    --------
    central_difference : the O(h^2) symmetric quotient.

    Examples
    --------
    >>> round(forward_difference(np.exp, 1.0, 1e-8), 6)
    2.718282
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    h = _as_steps(h)
    return _as_output((f(x + h) - f(x)) / h)


def central_difference(
    f: Callable, x: object, h: object
) -> float | np.ndarray:
    r"""Central-difference quotient of a scalar function.

    .. math:: f'(x) \approx \frac{f(x + h) - f(x - h)}{2h},

    eq. (fd-central). The even terms of the Taylor expansions cancel, so
    the truncation error is :math:`\tfrac{h^2}{6} f'''(\xi) = O(h^2)`.

    Parameters
    ----------
    f : callable
        A function of one real variable, element-wise on arrays.
    x : float or array_like
        Point(s) at which to differentiate.
    h : float or array_like
        Step(s) > 0; broadcast against ``x``.

    Returns
    -------
    float or numpy.ndarray
        The quotient; a float when ``x`` and ``h`` are scalars.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``x`` is not finite or a step is not positive.

    See Also
    --------
    forward_difference : the O(h) one-sided quotient.
    derivative : the central quotient with a well-chosen step.

    Examples
    --------
    For ``exp`` at 1 the error is :math:`e h^2 / 6`:

    >>> error = central_difference(np.exp, 1.0, 1e-2) - np.e
    >>> print(f"{error:.1e}")
    4.5e-05
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    h = _as_steps(h)
    return _as_output((f(x + h) - f(x - h)) / (2 * h))


def derivative(f: Callable, x: object, h: object = None) -> float | np.ndarray:
    r"""Derivative of a scalar function by central differences.

    Uses eq. (fd-central) with the step
    :math:`h = \epsilon_{\text{mach}}^{1/3} \max(1, |x|)`, which
    balances the truncation error :math:`O(h^2)` against the round-off
    error :math:`O(\epsilon_{\text{mach}} / h)`; the total is then about
    :math:`\epsilon_{\text{mach}}^{2/3} \approx 4 \times 10^{-11}` relative
    to the scale of ``f`` (Nocedal & Wright, 2006, sec. 8.1).

    Parameters
    ----------
    f : callable
        A function of one real variable, element-wise on arrays.
    x : float or array_like
        Point(s) at which to differentiate.
    h : float or array_like, optional
        Step(s) > 0, overriding the default.

    Returns
    -------
    float or numpy.ndarray
        :math:`f'(x)`; a float when ``x`` is a scalar.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``x`` is not finite or a step is not positive.

    See Also
    --------
    gradient : the multivariate version.
    mathsforml.autodiff.grad : exact derivatives by reverse mode.

    Examples
    --------
    >>> print(f"{derivative(np.sin, 0.0):.10f}")
    1.0000000000
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    h = _scaled_steps(x, h, CENTRAL_STEP)
    return _as_output((f(x + h) - f(x - h)) / (2 * h))


def _central_slopes(f: Callable, x: np.ndarray, steps: np.ndarray):
    """Yield (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i) for each i."""
    # One pair of calls per coordinate: ``f`` is a black box that takes a
    # single point, so the loop over coordinates cannot be vectorised.
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = steps.flat[i]
        step = step.reshape(x.shape)
        up, down = np.asarray(f(x + step)), np.asarray(f(x - step))
        yield (up - down) / (2 * steps.flat[i])


def jacobian(f: Callable, x: object, h: object = None) -> np.ndarray:
    r"""Jacobian of an array function by central differences.

    Column :math:`j` of :math:`\mathbf{J}` is the central quotient of
    :math:`\mathbf{f}` along the :math:`j`-th coordinate, eq. (fd-central),
    with the step of :func:`derivative` for each coordinate.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to an array of any shape.
    x : array_like
        The point.
    h : float, optional
        One step > 0 for every coordinate, overriding the default
        :math:`\epsilon_{\text{mach}}^{1/3} \max(1, |x_j|)`.

    Returns
    -------
    numpy.ndarray
        Shape ``f(x).shape + x.shape`` (numerator layout): entry
        ``[i..., j...]`` is :math:`\partial f_i / \partial x_j`.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``x`` is empty or not finite, or ``h`` is not positive.

    See Also
    --------
    gradient : for scalar functions.
    mathsforml.autodiff.jacobian : the exact Jacobian by reverse mode.

    Examples
    --------
    The Jacobian of :math:`\mathbf{x} \mapsto \mathbf{W}\mathbf{x}` is
    :math:`\mathbf{W}`:

    >>> W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> np.round(jacobian(lambda x: W @ x, np.ones(2)), 8)
    array([[1., 2.],
           [3., 4.],
           [5., 6.]])
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    steps = _scaled_steps(x, h, CENTRAL_STEP)
    columns = np.stack(list(_central_slopes(f, x, steps)), axis=-1)
    return columns.reshape(columns.shape[:-1] + x.shape)


def gradient(f: Callable, x: object, h: object = None) -> np.ndarray:
    r"""Gradient of a scalar function by central differences.

    .. math::
        \frac{\partial f}{\partial x_j} \approx
        \frac{f(\mathbf{x} + h_j \mathbf{e}_j)
              - f(\mathbf{x} - h_j \mathbf{e}_j)}{2 h_j},
        \qquad h_j = \epsilon_{\text{mach}}^{1/3} \max(1, |x_j|),

    eq. (fd-gradient). It costs :math:`2n` evaluations of ``f`` for
    :math:`n` coordinates.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar.
    x : array_like
        The point, of any shape (a vector, or a weight matrix).
    h : float, optional
        One step > 0 for every coordinate, overriding the default.

    Returns
    -------
    numpy.ndarray
        :math:`\nabla f(\mathbf{x})`, with the shape of ``x``.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``f`` does not return a scalar, ``x`` is empty or not finite,
        or ``h`` is not positive.

    See Also
    --------
    gradient_check : compare an analytic gradient with this one.
    mathsforml.autodiff.grad : the exact gradient by reverse mode.

    Examples
    --------
    >>> f = lambda x: x[0] ** 2 + 3 * x[0] * x[1]
    >>> np.round(gradient(f, np.array([1.0, 2.0])), 8)
    array([8., 3.])
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    steps = _scaled_steps(x, h, CENTRAL_STEP)
    slopes = list(_central_slopes(f, x, steps))
    if slopes[0].size != 1:
        raise ValueError(
            "`f` must return a scalar to take its gradient; got an output "
            f"of shape {slopes[0].shape}. Reduce the output to a scalar "
            "(for example with .sum()), or use `jacobian` instead."
        )
    return np.array([s.item() for s in slopes]).reshape(x.shape)


def _second_difference(
    f: Callable, x: np.ndarray, steps: np.ndarray, i: int, j: int
) -> float:
    """Central second difference for d^2 f / dx_i dx_j, eq. (fd-mixed)."""
    step_i, step_j = np.zeros(x.size), np.zeros(x.size)
    step_i[i], step_j[j] = steps.flat[i], steps.flat[j]
    step_i, step_j = step_i.reshape(x.shape), step_j.reshape(x.shape)
    total = (
        f(x + step_i + step_j)
        - f(x + step_i - step_j)
        - f(x - step_i + step_j)
        + f(x - step_i - step_j)
    )
    return float(np.asarray(total).item()) / (
        4 * steps.flat[i] * steps.flat[j]
    )


def hessian(f: Callable, x: object, h: object = None) -> np.ndarray:
    r"""Hessian of a scalar function by central second differences.

    .. math::
        \begin{aligned}
        H_{ij} \approx \frac{1}{4 h_i h_j} \bigl[
          &f(\mathbf{x} + h_i\mathbf{e}_i + h_j\mathbf{e}_j)
          - f(\mathbf{x} + h_i\mathbf{e}_i - h_j\mathbf{e}_j) \\
          - &f(\mathbf{x} - h_i\mathbf{e}_i + h_j\mathbf{e}_j)
          + f(\mathbf{x} - h_i\mathbf{e}_i - h_j\mathbf{e}_j) \bigr],
        \end{aligned}

    eq. (fd-mixed), with :math:`h_i = \epsilon_{\text{mach}}^{1/4}
    \max(1, |x_i|)`: the truncation error is :math:`O(h^2)` and the
    round-off error :math:`O(\epsilon_{\text{mach}} / h^2)`, so the best
    accuracy is about :math:`\sqrt{\epsilon_{\text{mach}}} \approx 10^{-8}`
    relative to the scale of ``f``. The formula is symmetric in
    :math:`i, j`, so only the upper triangle is evaluated and mirrored:
    the result is exactly symmetric. On the diagonal it reduces to the
    three-point second difference with step :math:`2h_i`.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar.
    x : array_like
        The point.
    h : float, optional
        One step > 0 for every coordinate, overriding the default.

    Returns
    -------
    numpy.ndarray
        Shape ``x.shape + x.shape``.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``f`` does not return a scalar, ``x`` is empty or not finite,
        or ``h`` is not positive.

    See Also
    --------
    mathsforml.autodiff.hessian : the exact Hessian.

    Examples
    --------
    The Hessian of :math:`\mathbf{x}^\top \mathbf{B} \mathbf{x}` is
    :math:`\mathbf{B} + \mathbf{B}^\top`:

    >>> B = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> np.round(hessian(lambda x: x @ B @ x, np.ones(2)), 6)
    array([[2., 2.],
           [2., 6.]])
    """
    _check_callable(f, "f")
    x = as_float_array(x, "x")
    if np.asarray(f(x)).size != 1:
        raise ValueError(
            "`f` must return a scalar to take its Hessian; got an output "
            f"of shape {np.shape(f(x))}. Reduce the output to a scalar "
            "(for example with .sum())."
        )
    steps = _scaled_steps(x, h, SECOND_STEP)
    n = x.size
    result = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            value = _second_difference(f, x, steps, i, j)
            result[i, j] = result[j, i] = value
    return result.reshape(x.shape + x.shape)


def relative_error(a: object, b: object) -> float:
    r"""Normwise relative error between two arrays.

    .. math::
        \operatorname{rel}(\mathbf{a}, \mathbf{b}) =
        \frac{\max_i |a_i - b_i|}{\max\bigl(\max_i (|a_i| + |b_i|),\;
        \text{tiny}\bigr)},

    eq. (rel-error), where tiny is the smallest normal float64. It is
    symmetric, lies in :math:`[0, 1]`, and is 0 when both arrays are
    zero. Unlike the entry-wise ratio it does not blow up on entries
    that are zero in both arrays up to round-off.

    Parameters
    ----------
    a, b : array_like
        Arrays of the same shape, such as an analytic and a numerical
        gradient.

    Returns
    -------
    float
        The relative error.

    Raises
    ------
    ValueError
        If the shapes differ or an entry is not finite.

    See Also
    --------
    gradient_check : uses it to compare gradients.

    Examples
    --------
    >>> print(f"{relative_error([1.0, 2.0], [1.0, 2.0 + 1e-6]):.2e}")
    2.50e-07
    """
    a = as_float_array(a, "a", allow_empty=True)
    b = as_float_array(b, "b", allow_empty=True)
    check_shape(b, "b", a.shape, "Compare arrays of the same shape.")
    if a.size == 0:
        return 0.0
    scale = float(np.max(np.abs(a) + np.abs(b)))
    return float(np.max(np.abs(a - b))) / max(scale, TINY)


def gradient_check(
    analytic_grad: Callable | object,
    f: Callable,
    x: object,
    h: object = None,
) -> float:
    r"""Compare an analytic gradient with central differences.

    Returns :math:`\operatorname{rel}(\nabla f_{\text{analytic}},
    \nabla f_{\text{numerical}})`, eq. (rel-error). In float64 with the
    default step, a correct gradient gives less than ``GRADCHECK_RTOL``
    :math:`= 10^{-7}` (typically :math:`10^{-9}` to :math:`10^{-11}`); a
    wrong one gives :math:`10^{-2}` or more.

    Parameters
    ----------
    analytic_grad : callable or array_like
        The gradient to check: a function of ``x`` returning an array of
        its shape, or that array itself.
    f : callable
        The scalar function whose gradient it claims to be.
    x : array_like
        The point at which to compare.
    h : float, optional
        Step for :func:`gradient`.

    Returns
    -------
    float
        The relative error.

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If the analytic gradient's shape differs from ``x``'s, or an
        input is not finite.

    See Also
    --------
    gradient, relative_error

    Examples
    --------
    >>> f = lambda x: np.sum(x ** 3)
    >>> x = np.array([0.5, -1.0, 2.0])
    >>> gradient_check(lambda x: 3 * x ** 2, f, x) < GRADCHECK_RTOL
    True
    >>> gradient_check(lambda x: 2 * x ** 2, f, x) < GRADCHECK_RTOL
    False
    """
    x = as_float_array(x, "x")
    analytic = analytic_grad(x) if callable(analytic_grad) else analytic_grad
    analytic = as_float_array(analytic, "analytic_grad")
    check_shape(
        analytic,
        "analytic_grad",
        x.shape,
        "The gradient must have the shape of `x`.",
    )
    return relative_error(analytic, gradient(f, x, h))
