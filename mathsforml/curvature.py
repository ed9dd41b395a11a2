r"""Curvature: what the Hessian says about a function near a point.

The chapters on curvature and conditioning read a symmetric Hessian
:math:`\mathbf{H}` (from :func:`mathsforml.numdiff.hessian` or
:func:`mathsforml.autodiff.hessian`) through its eigenvalues: their signs
classify a critical point and their ratio, the condition number, predicts
how slowly gradient descent converges. With the gradient it gives the
second-order Taylor model, the exact line-search step on a quadratic and
the Newton step that minimises the model [MML] [DLB] [NW].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 5.7.
- [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT
  Press, 2016, sec. 4.3.
- [NW] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed.,
  Springer, 2006, sec. 2.2 and 3.3.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array, check_positive, check_shape

__all__ = [
    "classify_critical_point",
    "condition_number",
    "newton_step",
    "optimal_step",
    "quadratic_model",
]

# Hessians from differences or autodiff are symmetric up to round-off;
# a larger asymmetry means the matrix is not a Hessian.
SYMMETRY_RTOL = 1e-8
# |eigenvalue| <= ZERO_RTOL * max|eigenvalue| counts as zero: eigvalsh
# errs by about eps * max|eigenvalue|, so this leaves a wide margin.
ZERO_RTOL = 1e-8
_EPS = np.finfo(np.float64).eps


def _as_hessian(hessian: object) -> np.ndarray:
    """Validate a square, symmetric, finite matrix; return it symmetrised."""
    H = as_float_array(hessian, "hessian", ndim=2)
    n = H.shape[0]
    check_shape(H, "hessian", (n, n), "A Hessian is square: (D, D).")
    asymmetry = float(np.max(np.abs(H - H.T)))
    if asymmetry > SYMMETRY_RTOL * float(np.max(np.abs(H))):
        raise ValueError(
            "`hessian` must be symmetric; got max |H - H^T| = "
            f"{asymmetry:.3g}. Pass a Hessian of a twice continuously "
            "differentiable function, or symmetrise with (H + H.T) / 2."
        )
    # Only the symmetric part enters d^T H d, eq. (jh-taylor2).
    return (H + H.T) / 2


def _as_gradient(gradient: object, n: int) -> np.ndarray:
    g = as_float_array(gradient, "gradient", ndim=1)
    check_shape(g, "gradient", (n,), "Pass one entry per Hessian row.")
    return g


def condition_number(hessian: object) -> float:
    r"""Condition number of a symmetric positive definite matrix.

    .. math::
        \kappa(\mathbf{H}) = \frac{\lambda_{\max}(\mathbf{H})}
                                  {\lambda_{\min}(\mathbf{H})},

    eq. (jh-condition-number). It equals the spectral-norm condition
    number :math:`\lVert\mathbf{H}\rVert_2 \lVert\mathbf{H}^{-1}\rVert_2`
    (``numpy.linalg.cond``) and measures how elongated the level sets of
    :math:`\tfrac12 \mathbf{x}^\top\mathbf{H}\mathbf{x}` are.

    Parameters
    ----------
    hessian : array_like, shape (D, D)
        A symmetric positive definite matrix.

    Returns
    -------
    float
        :math:`\kappa \ge 1`.

    Raises
    ------
    TypeError, ValueError
        If ``hessian`` is not a square, symmetric, finite, positive
        definite array of numbers.

    See Also
    --------
    classify_critical_point : whether the matrix is definite at all.

    Examples
    --------
    >>> condition_number(np.diag([1.0, 100.0]))
    100.0
    """
    eigenvalues = np.linalg.eigvalsh(_as_hessian(hessian))
    if eigenvalues[0] <= 0:
        raise ValueError(
            "`hessian` must be positive definite; got smallest eigenvalue "
            f"{eigenvalues[0]:.3g}. The condition number lambda_max / "
            "lambda_min describes a minimum; use classify_critical_point "
            "to see what kind of point this is."
        )
    return float(eigenvalues[-1] / eigenvalues[0])


def classify_critical_point(hessian: object, tol: float = ZERO_RTOL) -> str:
    r"""Classify a critical point by the signs of the Hessian's eigenvalues.

    Theorem (jh-thm-second-order): at a point where :math:`\nabla f =
    \mathbf{0}`, all eigenvalues positive give a strict local minimum, all
    negative a strict local maximum, and both signs a saddle point. With
    zeros and one sign otherwise, the test cannot decide.

    Parameters
    ----------
    hessian : array_like, shape (D, D)
        The symmetric Hessian at a critical point.
    tol : float, default 1e-8
        Eigenvalues with :math:`|\lambda| \le \text{tol} \cdot
        \max_i |\lambda_i|` count as zero. Use about ``1e-5`` for a
        Hessian from finite differences, whose error is about
        :math:`\sqrt{\epsilon_{\text{mach}}}`.

    Returns
    -------
    str
        ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``.

    Raises
    ------
    TypeError, ValueError
        If ``hessian`` is not a square, symmetric, finite array of
        numbers, or ``tol`` is not a positive number.

    See Also
    --------
    condition_number : how elongated a minimum is.

    Examples
    --------
    >>> classify_critical_point([[2.0, 0.0], [0.0, -1.0]])
    'saddle'
    >>> classify_critical_point([[2.0, 0.0], [0.0, 0.0]])
    'degenerate'
    """
    H = _as_hessian(hessian)
    tol = check_positive(tol, "tol")
    eigenvalues = np.linalg.eigvalsh(H)
    threshold = tol * float(np.max(np.abs(eigenvalues)))
    positive = bool(np.any(eigenvalues > threshold))
    negative = bool(np.any(eigenvalues < -threshold))
    if positive and negative:
        return "saddle"
    if np.any(np.abs(eigenvalues) <= threshold):
        return "degenerate"
    return "minimum" if positive else "maximum"


def quadratic_model(
    f0: float, gradient: object, hessian: object, step: object
) -> float | np.ndarray:
    r"""Second-order Taylor model of a function around a point.

    .. math::
        m(\mathbf{d}) = f(\mathbf{x}) + \mathbf{g}^\top\mathbf{d}
            + \tfrac12 \mathbf{d}^\top \mathbf{H} \mathbf{d},

    eq. (jh-taylor2), with :math:`\mathbf{g} = \nabla f(\mathbf{x})` and
    :math:`\mathbf{H} = \nabla^2 f(\mathbf{x})`. For a smooth ``f`` the
    error :math:`f(\mathbf{x} + \mathbf{d}) - m(\mathbf{d})` is
    :math:`O(\lVert\mathbf{d}\rVert^3)`.

    Parameters
    ----------
    f0 : float
        The value :math:`f(\mathbf{x})`.
    gradient : array_like, shape (D,)
        The gradient at :math:`\mathbf{x}`.
    hessian : array_like, shape (D, D)
        The symmetric Hessian at :math:`\mathbf{x}`.
    step : array_like, shape (D,) or (K, D)
        One step :math:`\mathbf{d}`, or ``K`` steps as rows.

    Returns
    -------
    float or numpy.ndarray
        :math:`m(\mathbf{d})`: a float, or shape ``(K,)`` for ``K`` steps.

    Raises
    ------
    TypeError, ValueError
        If an argument is not numeric or finite, the shapes do not
        match, or ``hessian`` is not symmetric.

    Examples
    --------
    The model of a quadratic is the quadratic itself:

    >>> H = np.array([[2.0, 1.0], [1.0, 4.0]])
    >>> quadratic_model(0.0, [0.0, 0.0], H, [1.0, 1.0])
    4.0
    >>> quadratic_model(1.0, [1.0, 0.0], H, [[1.0, 0.0], [0.0, 1.0]])
    array([3., 3.])
    """
    f0 = float(as_float_array(f0, "f0", ndim=0))
    H = _as_hessian(hessian)
    g = _as_gradient(gradient, H.shape[0])
    d = as_float_array(step, "step", ndim=(1, 2))
    shape = (None,) * (d.ndim - 1) + (g.size,)
    check_shape(d, "step", shape, "Pass steps of the gradient's length.")
    # Row-wise d^T H d for all steps at once.
    curvature = np.einsum("...i,ij,...j->...", d, H, d)
    model = f0 + d @ g + 0.5 * curvature
    return float(model) if d.ndim == 1 else model


def optimal_step(gradient: object, hessian: object) -> float:
    r"""Exact line-search step along :math:`-\mathbf{g}` on a quadratic.

    .. math::
        \alpha^\ast = \frac{\mathbf{g}^\top\mathbf{g}}
                          {\mathbf{g}^\top\mathbf{H}\mathbf{g}},

    eq. (jh-optimal-step): the :math:`\alpha` that minimises the
    quadratic model :math:`m(-\alpha\mathbf{g})`, eq. (jh-taylor2). It
    lies between :math:`1/\lambda_{\max}` and :math:`1/\lambda_{\min}`.

    Parameters
    ----------
    gradient : array_like, shape (D,)
        The gradient :math:`\mathbf{g}`; not zero.
    hessian : array_like, shape (D, D)
        The symmetric Hessian :math:`\mathbf{H}`.

    Returns
    -------
    float
        :math:`\alpha^\ast > 0`.

    Raises
    ------
    TypeError, ValueError
        If the arguments are invalid as for :func:`quadratic_model`, the
        gradient is zero, or :math:`\mathbf{g}^\top\mathbf{H}\mathbf{g}
        \le 0` (then the model has no minimum along :math:`-\mathbf{g}`).

    See Also
    --------
    quadratic_model : the function this step minimises.

    Examples
    --------
    >>> H = np.diag([1.0, 10.0])
    >>> optimal_step([1.0, 1.0], H)
    0.18181818181818182
    """
    H = _as_hessian(hessian)
    g = _as_gradient(gradient, H.shape[0])
    squared_norm = float(g @ g)
    if squared_norm == 0:
        raise ValueError(
            "`gradient` must not be zero; got all zeros. The point is "
            "already critical: classify it with classify_critical_point."
        )
    curvature = float(g @ H @ g)
    if curvature <= 0:
        raise ValueError(
            "`hessian` must curve upwards along the gradient; got "
            f"g^T H g = {curvature:.3g} <= 0, so the quadratic model has "
            "no minimum along -g. Use a fixed step or a line search on f."
        )
    return squared_norm / curvature


def newton_step(gradient: object, hessian: object) -> np.ndarray:
    r"""Newton step: the critical point of the quadratic model.

    .. math::
        \mathbf{d} = -\mathbf{H}^{-1}\mathbf{g},

    eq. (newton-step): the step where the gradient
    :math:`\mathbf{g} + \mathbf{H}\mathbf{d}` of the model
    :math:`m(\mathbf{d})`, eq. (jh-taylor2), vanishes. It is computed by
    solving :math:`\mathbf{H}\mathbf{d} = -\mathbf{g}`, never by forming
    the inverse. When :math:`\mathbf{H}` is positive definite it
    minimises the model, and on a quadratic it lands on the minimum in one
    step, whatever the condition number. Otherwise it is a saddle or a
    maximum of the model, and need not point downhill.

    Parameters
    ----------
    gradient : array_like, shape (D,)
        The gradient :math:`\mathbf{g}`.
    hessian : array_like, shape (D, D)
        The symmetric, nonsingular Hessian :math:`\mathbf{H}`.

    Returns
    -------
    numpy.ndarray
        The step :math:`\mathbf{d}`, shape ``(D,)``.

    Raises
    ------
    TypeError, ValueError
        If the arguments are invalid as for :func:`quadratic_model`, or
        ``hessian`` is numerically singular (an eigenvalue at most
        :math:`D\,\epsilon_{\text{mach}}` times the largest in absolute
        value, NumPy's rank criterion), so that no unique step exists.
        Ill-conditioned but nonsingular Hessians are solved, with a
        relative error of about :math:`\kappa\,\epsilon_{\text{mach}}`.

    See Also
    --------
    optimal_step : the best step along :math:`-\mathbf{g}` alone.

    Examples
    --------
    On :math:`f(\mathbf{x}) = x_1^2 + 4x_2^2` at :math:`(1, 1)` one step
    reaches the minimum at the origin:

    >>> newton_step([2.0, 8.0], np.diag([2.0, 8.0]))
    array([-1., -1.])
    """
    H = _as_hessian(hessian)
    g = _as_gradient(gradient, H.shape[0])
    magnitudes = np.abs(np.linalg.eigvalsh(H))
    # numpy.linalg.matrix_rank's tolerance: below it, eigvalsh cannot
    # tell the smallest eigenvalue from zero.
    if magnitudes.min() <= H.shape[0] * _EPS * magnitudes.max():
        raise ValueError(
            "`hessian` must be nonsingular for a Newton step; got "
            f"smallest |eigenvalue| {magnitudes.min():.3g} against largest "
            f"{magnitudes.max():.3g}. The quadratic model has no unique "
            "critical point: use a gradient step, or add a multiple of "
            "the identity to the Hessian."
        )
    return -np.linalg.solve(H, g)
