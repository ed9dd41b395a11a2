r"""Standard errors, confidence intervals and the bootstrap.

Near the maximum likelihood estimate the negative log-likelihood is
approximately quadratic, and its Hessian, the observed Fisher information
:math:`\mathcal{I}`, sets the spread of the estimate:
:math:`\operatorname{Cov}(\hat{\boldsymbol\theta}) \approx
\mathcal{I}^{-1}`, eq. (ci-wald-cov). A Wald interval is
:math:`\hat\theta_j \pm c\,\operatorname{se}_j`, eq. (ci-wald), with
:math:`c` a quantile of Student's :math:`t` (least squares, with
:math:`s^2 = \text{RSS}/(N - P)`, eq. ci-s2) or of the standard normal
(logistic regression). The bootstrap estimates the same spread by
resampling the data instead [ESL] [Wasserman] [Efron].

The quantiles are computed with NumPy and the standard library only.

References:

- [ESL] T. Hastie, R. Tibshirani and J. Friedman, *The Elements of
  Statistical Learning*, 2nd ed., Springer, 2009, sec. 3.2 and 8.2.
- [Wasserman] L. Wasserman, *All of Statistics*, Springer, 2004,
  ch. 9 and 13.
- [Efron] B. Efron and R. J. Tibshirani, *An Introduction to the
  Bootstrap*, Chapman & Hall, 1993.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from mathsforml._models import check_Xy, design
from mathsforml._validation import (
    as_float_array,
    check_in_range,
    check_integer,
)
from mathsforml.least_squares import solve_least_squares
from mathsforml.logistic import newton_logistic
from mathsforml.model_selection import _generator

__all__ = [
    "WaldResult",
    "bootstrap",
    "logistic_confidence",
    "normal_quantile",
    "ols_confidence",
    "percentile_interval",
    "t_quantile",
]

# Gauss-Legendre nodes on [-1, 1]: exact for polynomials of degree 127;
# the t integrand below is a polynomial in cos(u), so nearly exact.
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
QUANTILE_TOL = 1e-14  # Newton on the t CDF: stop at this step size
MAX_NEWTON = 50
# Beyond this many degrees of freedom the Cornish-Fisher series is used:
# its first omitted term is below 1e-13 for |z| < 5.
CORNISH_FISHER_DOF = 1000


@dataclass
class WaldResult:
    """Estimates with Wald standard errors and confidence intervals.

    Attributes
    ----------
    params : numpy.ndarray, shape (P,)
        The estimates (intercept first when there is one).
    standard_errors : numpy.ndarray, shape (P,)
        :math:`\\sqrt{\\operatorname{diag}(\\widehat{\\operatorname{Cov}})}`.
    lower, upper : numpy.ndarray, shape (P,)
        The interval :math:`\\hat\\theta_j \\mp c\\,\\operatorname{se}_j`.
    covariance : numpy.ndarray, shape (P, P)
        The estimated covariance of the estimates.
    quantile : float
        The multiplier :math:`c`.
    dof : float or None
        The degrees of freedom of the :math:`t` quantile, or ``None`` for
        a normal quantile.
    """

    params: np.ndarray
    standard_errors: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covariance: np.ndarray
    quantile: float
    dof: float | None = None


def _check_q(q: object) -> float:
    return check_in_range(q, "q", 0.0, 1.0, closed="neither")


def normal_quantile(q: float) -> float:
    r"""The standard normal quantile :math:`z_q = \Phi^{-1}(q)`.

    Examples
    --------
    >>> round(normal_quantile(0.975), 6)
    1.959964
    """
    return NormalDist().inv_cdf(_check_q(q))


def _integral_cos_power(angle: float, power: int) -> float:
    r"""The integral of cos(u)^power over [0, angle], by Gauss-Legendre."""
    # With t = sqrt(nu) tan(u) the t density becomes c cos(u)^(nu - 1).
    u = 0.5 * angle * (_NODES + 1.0)
    return 0.5 * angle * float(_WEIGHTS @ np.cos(u) ** power)


def _cornish_fisher(z: float, dof: float) -> float:
    """t quantile from the normal one, to O(1/dof^4) (A&S 26.7.5)."""
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / dof + g2 / dof**2 + g3 / dof**3


def t_quantile(q: float, dof: int) -> float:
    r"""The quantile :math:`t_{\nu, q}` of Student's :math:`t`
    distribution.

    For :math:`\nu \le 1000` it solves :math:`F_\nu(t) = q` by
    safeguarded Newton steps on the angle :math:`u = \arctan(t/\sqrt\nu)`,
    in which the density is :math:`c_\nu\cos^{\nu-1}u`, a polynomial in
    :math:`\cos u` integrated by Gauss-Legendre quadrature. Beyond, the
    Cornish-Fisher expansion around the normal quantile is exact to
    float64 precision for the usual levels.

    Parameters
    ----------
    q : float
        A probability in (0, 1).
    dof : int
        The degrees of freedom :math:`\nu \ge 1`, such as :math:`N - P`.

    Returns
    -------
    float

    Examples
    --------
    >>> round(t_quantile(0.975, 431), 6)   # diabetes: N - P = 442 - 11
    1.965483
    >>> round(t_quantile(0.75, 1), 12)     # Cauchy: tan(pi / 4)
    1.0
    """
    q = _check_q(q)
    dof = check_integer(dof, "dof")
    if q < 0.5:
        return -t_quantile(1.0 - q, dof)
    if dof > CORNISH_FISHER_DOF:
        return _cornish_fisher(normal_quantile(q), dof)
    log_c = math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2)
    c = math.exp(log_c) / math.sqrt(math.pi)
    target, low, high = q - 0.5, 0.0, math.pi / 2
    angle = math.atan(normal_quantile(q) / math.sqrt(dof))
    for _ in range(MAX_NEWTON):
        excess = c * _integral_cos_power(angle, dof - 1) - target
        low, high = (angle, high) if excess < 0 else (low, angle)
        new = angle - excess / (c * math.cos(angle) ** (dof - 1))
        if not low < new < high:  # Newton left the bracket: bisect
            new = 0.5 * (low + high)
        done = abs(new - angle) <= QUANTILE_TOL
        angle = new
        if done:
            break
    return math.sqrt(dof) * math.tan(angle)


def _wald(params, covariance, quantile, dof=None) -> WaldResult:
    se = np.sqrt(np.diag(covariance))
    return WaldResult(
        params,
        se,
        params - quantile * se,
        params + quantile * se,
        covariance,
        quantile,
        dof,
    )


def _inverse_spd(M: np.ndarray) -> np.ndarray:
    """The inverse of a symmetric positive definite M, via Cholesky."""
    L_inv = np.linalg.solve(np.linalg.cholesky(M), np.eye(M.shape[0]))
    return L_inv.T @ L_inv


def ols_confidence(
    X: object, y: object, fit_intercept: bool = True, level: float = 0.95
) -> WaldResult:
    r"""Least-squares estimates with :math:`t` standard errors and
    intervals.

    :math:`\widehat{\operatorname{Cov}} = s^2(\boldsymbol\Phi^\top
    \boldsymbol\Phi)^{-1}` with :math:`s^2 = \text{RSS}/(N - P)`,
    eq. (ci-s2), and :math:`c = t_{N-P,\,(1+\text{level})/2}`, as in
    statsmodels' ``OLS``. Under Gaussian noise the intervals are exact.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
    fit_intercept : bool, default True
    level : float, default 0.95
        The confidence level, in (0, 1).

    Returns
    -------
    WaldResult
        With ``dof`` :math:`= N - P`.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> res = ols_confidence(X, [1.0, 3.0, 4.0, 7.0])
    >>> res.params, res.standard_errors.round(4)
    (array([0.9, 1.9]), array([0.495 , 0.2646]))
    """
    X, y = check_Xy(X, y)
    level = check_in_range(level, "level", 0.0, 1.0, closed="neither")
    Phi = design(X, fit_intercept)
    n, p = Phi.shape
    if n <= p:
        raise ValueError(
            f"`X` needs more samples than parameters to estimate the "
            f"noise; got N = {n} and P = {p}. Use more samples."
        )
    theta = solve_least_squares(Phi, y)
    s2 = float(np.sum((y - Phi @ theta) ** 2)) / (n - p)  # eq. (ci-s2)
    R = np.linalg.qr(Phi, mode="r")  # Phi^T Phi = R^T R
    R_inv = np.linalg.solve(R, np.eye(p))
    covariance = s2 * (R_inv @ R_inv.T)  # eq. (ci-s2)
    c = t_quantile((1 + level) / 2, n - p)
    return _wald(theta, covariance, c, float(n - p))


def logistic_confidence(
    X: object, y: object, fit_intercept: bool = True, level: float = 0.95
) -> WaldResult:
    r"""Logistic-regression estimates with Wald (:math:`z`) intervals.

    :math:`\widehat{\operatorname{Cov}} = (\boldsymbol\Phi^\top\mathbf{W}
    \boldsymbol\Phi)^{-1}`, the inverse observed Fisher information at the
    estimate, eq. (ci-wald-cov), and :math:`c = z_{(1+\text{level})/2}`,
    as in statsmodels' ``Logit``.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.
    fit_intercept : bool, default True
    level : float, default 0.95

    Returns
    -------
    WaldResult

    Warns
    -----
    RuntimeWarning
        If Newton's method does not converge (separable classes): the
        intervals are then meaningless.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    >>> res = logistic_confidence(X, [0, 0, 1, 0, 1])
    >>> res.standard_errors.round(3)
    array([2.563, 0.975])
    """
    X, y = check_Xy(X, y)
    level = check_in_range(level, "level", 0.0, 1.0, closed="neither")
    Phi = design(X, fit_intercept)
    theta = newton_logistic(Phi, y).theta
    p = np.exp(-np.logaddexp(0.0, -(Phi @ theta)))
    information = (Phi.T * (p * (1 - p))) @ Phi  # eq. (log-hessian)
    try:
        covariance = _inverse_spd(information)
    except np.linalg.LinAlgError:
        raise ValueError(
            "The Fisher information is singular at the fitted "
            "coefficients, so the standard errors are infinite: the "
            "classes are (quasi-)separable or the columns of `X` are "
            "collinear. Use fewer features or a penalised fit."
        ) from None
    return _wald(theta, covariance, normal_quantile((1 + level) / 2))


def bootstrap(
    statistic: Callable,
    *arrays: object,
    n_resamples: int = 1000,
    seed: object = None,
) -> np.ndarray:
    r"""Bootstrap replicates of a statistic, resampling rows jointly.

    Each replicate draws :math:`N` row indices with replacement and
    evaluates ``statistic`` on those rows of every array (the "pairs"
    bootstrap for regression).

    Parameters
    ----------
    statistic : callable
        ``statistic(*resampled_arrays)``, returning a number or an array.
    *arrays : array_like
        Arrays with the same number of rows :math:`N`.
    n_resamples : int, default 1000
        The number of replicates :math:`B`.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray, shape (B, ...)
        The replicates; their standard deviation is the bootstrap
        standard error.

    Examples
    --------
    >>> reps = bootstrap(np.mean, np.arange(10.0), n_resamples=200,
    ...                  seed=0)
    >>> reps.shape
    (200,)
    """
    if not callable(statistic):
        raise TypeError(
            f"`statistic` must be callable; got {type(statistic).__name__}"
            ". Pass a function of the resampled arrays."
        )
    if not arrays:
        raise ValueError("Pass at least one array to resample; got none.")
    arrs = [
        as_float_array(a, f"arrays[{i}]", ndim=(1, 2))
        for i, a in enumerate(arrays)
    ]
    n = arrs[0].shape[0]
    if any(a.shape[0] != n for a in arrs):
        raise ValueError(
            "All arrays must have the same number of rows; got "
            f"{[a.shape[0] for a in arrs]}. Resample rows that belong "
            "together."
        )
    n_resamples = check_integer(n_resamples, "n_resamples")
    rows = _generator(seed).integers(0, n, size=(n_resamples, n))
    return np.array([statistic(*(a[r] for a in arrs)) for r in rows])


def percentile_interval(replicates: object, level: float = 0.95):
    r"""The bootstrap percentile interval: the
    :math:`(1 \mp \text{level})/2` quantiles of the replicates.

    Examples
    --------
    >>> percentile_interval(np.arange(101.0), 0.9)
    (5.0, 95.0)
    """
    reps = as_float_array(replicates, "replicates", ndim=(1, 2))
    level = check_in_range(level, "level", 0.0, 1.0, closed="neither")
    lower, upper = np.quantile(
        reps, [(1 - level) / 2, (1 + level) / 2], axis=0
    )
    if reps.ndim == 1:
        return float(lower), float(upper)
    return lower, upper
