r"""MAP estimation for linear regression: ridge and the lasso.

Here :math:`\lambda` is the regularisation strength (not an eigenvalue).
A Gaussian prior :math:`\mathcal N(\mathbf 0, b^2\mathbf I)` on the
weights makes the MAP estimate minimise
:math:`\tfrac12\lVert\mathbf y - \boldsymbol\Phi\boldsymbol\theta\rVert^2
+ \tfrac\lambda2\lVert\boldsymbol\theta\rVert^2` with
:math:`\lambda = \sigma^2/b^2` (ridge, eq. map-ridge); a Laplace prior of
scale :math:`b` gives :math:`\tfrac12\lVert\mathbf y -
\boldsymbol\Phi\boldsymbol\theta\rVert^2 + \lambda\lVert\boldsymbol\theta
\rVert_1` with :math:`\lambda = \sigma^2/b` (the lasso, eq. map-lasso).
Ridge has a closed form; the lasso is solved by coordinate descent with
soft-thresholding (eq. map-soft-threshold), stopped on the duality gap,
with warm starts along a path of :math:`\lambda` [MML] [ESL] [FHT].

scikit-learn's ``Ridge(alpha)`` is ``Ridge(lam=alpha)`` here; its
``Lasso(alpha)`` scales the squared error by :math:`1/N` and is
``Lasso(lam=N * alpha)`` here. Intercepts are never penalised.

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 9.2.3.
- [ESL] T. Hastie, R. Tibshirani and J. Friedman, *The Elements of
  Statistical Learning*, 2nd ed., Springer, 2009, sec. 3.4.
- [FHT] J. Friedman, T. Hastie and R. Tibshirani, Regularization paths
  for generalized linear models via coordinate descent, *Journal of
  Statistical Software* 33(1), 2010.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mathsforml._models import (
    FitResult,
    check_X_predict,
    check_Xy,
    warn_not_converged,
)
from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_same_length,
)
from mathsforml.least_squares import solve_least_squares

__all__ = [
    "Lasso",
    "Ridge",
    "lasso_coordinate_descent",
    "lasso_path",
    "ridge",
    "soft_threshold",
]

# Stop when the duality gap is below GAP_TOL * ||y||^2 (scikit-learn's
# rule, with a tighter default than its 1e-4).
GAP_TOL = 1e-10
MAX_SWEEPS = 10_000  # per value of lambda along a path


def _check_lam(lam: object) -> float:
    return check_positive(lam, "lam")


def ridge(Phi: object, y: object, lam: float) -> np.ndarray:
    r"""The ridge estimate :math:`(\boldsymbol\Phi^\top\boldsymbol\Phi +
    \lambda\mathbf I)^{-1}\boldsymbol\Phi^\top\mathbf y`, eq. (map-ridge).

    It is the least-squares solution of the augmented system
    :math:`\begin{bmatrix}\boldsymbol\Phi \\ \sqrt\lambda\,\mathbf I
    \end{bmatrix}\boldsymbol\theta \approx \begin{bmatrix}\mathbf y \\
    \mathbf 0\end{bmatrix}`, solved by QR: no matrix is inverted, and the
    system has full rank for every :math:`\lambda > 0`.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
    y : array_like, shape (N,)
    lam : float
        :math:`\lambda > 0`.

    Returns
    -------
    numpy.ndarray, shape (P,)

    Examples
    --------
    >>> ridge(np.eye(2), [1.0, 2.0], lam=1.0)
    array([0.5, 1. ])
    """
    Phi = as_float_array(Phi, "Phi", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_length(Phi, y, ("Phi", "y"))
    lam = _check_lam(lam)
    p = Phi.shape[1]
    augmented = np.vstack([Phi, np.sqrt(lam) * np.eye(p)])
    return solve_least_squares(augmented, np.concatenate([y, np.zeros(p)]))


def soft_threshold(z: object, threshold: float) -> np.ndarray:
    r"""Soft-thresholding :math:`S_\tau(z) = \operatorname{sign}(z)
    \max(|z| - \tau, 0)`, eq. (map-soft-threshold).

    It solves :math:`\min_\theta \tfrac12(\theta - z)^2 + \tau|\theta|`:
    shrink towards zero by :math:`\tau`, and stop at zero.

    Examples
    --------
    >>> soft_threshold([-3.0, -0.5, 0.5, 3.0], 1.0)
    array([-2., -0.,  0.,  2.])
    """
    z = as_float_array(z, "z")
    threshold = check_positive(threshold, "threshold", strict=False)
    return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0)


class _Problem(NamedTuple):
    """A lasso problem through its Gram matrix: G = Phi^T Phi, c = Phi^T y.

    Lists of Python floats are faster than NumPy arrays for the scalar
    work of coordinate descent on a few features.
    """

    G: np.ndarray
    c: np.ndarray
    gram: list
    c_list: list
    yy: float

    @classmethod
    def of(cls, Phi: np.ndarray, y: np.ndarray) -> _Problem:
        G, c = Phi.T @ Phi, Phi.T @ y
        return cls(G, c, G.tolist(), c.tolist(), float(y @ y))


def _sweep(gram: list, q: list, theta: list, lam: float) -> None:
    """One cycle of coordinate descent, updating ``theta`` and ``q``.

    ``q`` holds Phi^T (y - Phi theta) and is kept current after every
    coordinate update.
    """
    for j, row in enumerate(gram):
        if row[j] == 0.0:  # a zero column: its weight stays 0
            continue
        old = theta[j]
        c = q[j] + row[j] * old  # phi_j^T (residual without feature j)
        # S_lam(c), eq. (map-soft-threshold), on plain floats
        new = c - lam if c > lam else c + lam if c < -lam else 0.0
        new /= row[j]  # eq. (map-cd-update)
        if new != old:
            theta[j], step = new, new - old
            q[:] = [qk - g * step for qk, g in zip(q, row, strict=True)]


def _duality_gap(problem, theta, q, lam) -> tuple[float, float]:
    """The lasso objective and its duality gap, from Phi^T r = q."""
    tc = sum(t * ci for t, ci in zip(theta, problem.c_list, strict=True))
    tq = sum(t * qi for t, qi in zip(theta, q, strict=True))
    rss = problem.yy - tc - tq  # ||y - Phi theta||^2
    primal = 0.5 * rss + lam * sum(abs(t) for t in theta)
    largest = max(abs(qi) for qi in q)
    s = min(1.0, lam / largest) if largest > 0 else 1.0
    dual = s * (problem.yy - tc) - 0.5 * s * s * rss  # at nu = s r
    return primal, primal - dual


def _signs(theta: list) -> list:
    return [(t > 0.0) - (t < 0.0) for t in theta]


def _polish(problem, theta, lam) -> list | None:
    """Solve the KKT equations on the current support and signs."""
    active = [j for j, t in enumerate(theta) if t != 0.0]
    if not active:
        return None
    signs = np.array(_signs(theta))[active]
    try:  # eq. (map-kkt) on the support: G_AA theta_A = c_A - lam s_A
        solution = np.linalg.solve(
            problem.G[active][:, active], problem.c[active] - lam * signs
        )
    except np.linalg.LinAlgError:
        return None
    if np.any(np.sign(solution) != signs):
        return None
    polished = [0.0] * len(theta)
    for j, value in zip(active, solution.tolist(), strict=True):
        polished[j] = value
    return polished


def _cd(problem, lam, theta, max_iter, tol):
    """Coordinate descent from ``theta`` (a list); return a FitResult."""
    lam, theta = float(lam), [float(t) for t in theta]
    q = (problem.c - problem.G @ np.array(theta)).tolist()
    history, support = [], None
    for k in range(1, max_iter + 1):
        _sweep(problem.gram, q, theta, lam)
        signs = _signs(theta)
        if signs == support:  # the support has settled: finish exactly
            polished = _polish(problem, theta, lam)
            if polished is not None:
                theta = polished
                q = (problem.c - problem.G @ np.array(theta)).tolist()
        support = signs
        objective, gap = _duality_gap(problem, theta, q, lam)
        history.append(objective)
        if gap <= tol * problem.yy or problem.yy == 0.0:
            return FitResult(np.array(theta), np.array(history), k, True)
    return FitResult(np.array(theta), np.array(history), max_iter, False)


def lasso_coordinate_descent(
    Phi: object,
    y: object,
    lam: float,
    theta0: object = None,
    max_iter: int = 10_000,
    tol: float = GAP_TOL,
) -> FitResult:
    r"""Minimise :math:`\tfrac12\lVert\mathbf y - \boldsymbol\Phi
    \boldsymbol\theta\rVert^2 + \lambda\lVert\boldsymbol\theta\rVert_1`
    by cyclic coordinate descent.

    Each coordinate is set to its exact minimiser with the others fixed,
    :math:`\theta_j \leftarrow S_\lambda(c_j)/\lVert\boldsymbol\phi_{:j}
    \rVert^2`, eq. (map-cd-update). When a sweep leaves the signs of
    :math:`\boldsymbol\theta` unchanged, the KKT equations (map-kkt) on
    that support are solved directly, which finishes in one step what
    coordinate descent would approach geometrically. It stops when the
    duality gap is below ``tol`` times :math:`\lVert\mathbf y\rVert^2`.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
        The design matrix (no intercept column: centre the data first).
    y : array_like, shape (N,)
    lam : float
        :math:`\lambda > 0`.
    theta0 : array_like of shape (P,), optional
        A warm start; zeros by default.
    max_iter : int, default 10000
        The largest number of sweeps.
    tol : float, default 1e-10
        The relative duality gap at which to stop.

    Returns
    -------
    FitResult
        ``history`` holds the objective after each sweep.

    Warns
    -----
    RuntimeWarning
        If it stops at ``max_iter``.

    Examples
    --------
    >>> fit = lasso_coordinate_descent(np.eye(2), [3.0, 0.5], lam=1.0)
    >>> fit.theta, fit.converged
    (array([2., 0.]), True)
    """
    Phi = as_float_array(Phi, "Phi", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_length(Phi, y, ("Phi", "y"))
    lam = _check_lam(lam)
    max_iter = check_integer(max_iter, "max_iter")
    tol = check_positive(tol, "tol")
    p = Phi.shape[1]
    theta0 = np.zeros(p) if theta0 is None else theta0
    theta0 = as_float_array(theta0, "theta0", ndim=1)
    if theta0.shape != (p,):
        raise ValueError(
            f"`theta0` must have shape ({p},); got {theta0.shape}. Pass "
            "one starting value per column of Phi."
        )
    result = _cd(_Problem.of(Phi, y), lam, theta0.tolist(), max_iter, tol)
    if not result.converged:
        warn_not_converged(
            "Coordinate descent",
            max_iter,
            "Increase max_iter or standardise the features.",
        )
    return result


def _centre(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def lasso_path(
    X: object,
    y: object,
    lams: object = None,
    n_lams: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    tol: float = GAP_TOL,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Lasso solutions along a decreasing grid of :math:`\lambda`.

    Each fit starts from the previous solution (a warm start). The default
    grid has ``n_lams`` values spaced evenly in :math:`\log\lambda` from
    :math:`\lambda_{\max} = \lVert\boldsymbol\Phi^\top\mathbf y
    \rVert_\infty`, the smallest :math:`\lambda` at which all weights are
    zero (eq. map-lambda-max), down to ``eps`` times it: scikit-learn's
    grid times :math:`N`.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
    lams : array_like, optional
        The grid (sorted into decreasing order).
    n_lams : int, default 100
    eps : float, default 1e-3
    fit_intercept : bool, default True
        Centre ``X`` and ``y`` first (the intercept is not penalised).
    tol : float, default 1e-10

    Returns
    -------
    lams : numpy.ndarray, shape (L,)
    coefs : numpy.ndarray, shape (L, D)
        The weights at each :math:`\lambda`.
    n_iter : numpy.ndarray, shape (L,)
        The sweeps each fit took.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    >>> lams, coefs, _ = lasso_path(X, [2.0, 1.0, -2.0, -1.0], n_lams=3)
    >>> lams
    array([4.        , 0.12649111, 0.004     ])
    >>> coefs[1]                  # (X^T y - lam) / 2 on each weight
    array([1.93675445, 0.93675445])
    """
    X, y = check_Xy(X, y)
    Xc, yc, _, _ = _centre(X, y, fit_intercept)
    problem = _Problem.of(Xc, yc)
    if lams is None:
        n_lams = check_integer(n_lams, "n_lams")
        lam_max = float(np.abs(problem.c).max())  # eq. (map-lambda-max)
        lams = lam_max * np.geomspace(1.0, check_positive(eps, "eps"), n_lams)
    lams = -np.sort(-as_float_array(lams, "lams", ndim=1))
    for lam in lams:
        _check_lam(lam)
    theta, coefs, n_iter = [0.0] * X.shape[1], [], []
    for lam in lams:
        fit = _cd(problem, lam, theta, MAX_SWEEPS, tol)
        if not fit.converged:
            warn_not_converged(
                f"Coordinate descent at lam={lam:.4g}",
                MAX_SWEEPS,
                "Standardise the features.",
            )
        theta = fit.theta.tolist()
        coefs.append(fit.theta)
        n_iter.append(fit.n_iter)
    return lams, np.array(coefs), np.array(n_iter)


class _Penalised:
    """What Ridge and Lasso share: a centred fit and a linear predict."""

    def __init__(self, lam: float = 1.0, fit_intercept: bool = True):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.coef_ = None

    def fit(self, X: object, y: object):
        """Fit to features ``X`` (N, D) and targets ``y`` (N,)."""
        X, y = check_Xy(X, y)
        lam = _check_lam(self.lam)
        Xc, yc, x_mean, y_mean = _centre(X, y, self.fit_intercept)
        self.coef_ = self._solve(Xc, yc, lam)
        self.intercept_ = y_mean - float(x_mean @ self.coef_)
        return self

    def predict(self, X: object) -> np.ndarray:
        """Predictions :math:`\\mathbf X\\mathbf w + b`."""
        return check_X_predict(self, X) @ self.coef_ + self.intercept_


class Ridge(_Penalised):
    r"""Ridge regression, the MAP estimate under a Gaussian prior.

    Parameters
    ----------
    lam : float, default 1.0
        :math:`\lambda = \sigma^2/b^2 > 0`; scikit-learn's ``alpha``.
    fit_intercept : bool, default True

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (D,)
    intercept_ : float

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Ridge(lam=2.0).fit(X, [0.0, 1.0, 2.0]).coef_
    array([0.5])
    """

    def _solve(self, X, y, lam):
        return ridge(X, y, lam)


class Lasso(_Penalised):
    r"""The lasso, the MAP estimate under a Laplace prior.

    Parameters
    ----------
    lam : float, default 1.0
        :math:`\lambda = \sigma^2/b > 0`; scikit-learn's ``alpha`` times
        :math:`N`.
    fit_intercept : bool, default True
    max_iter : int, default 10000
    tol : float, default 1e-10

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (D,)
    intercept_ : float
    n_iter_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Lasso(lam=1.0).fit(X, [0.0, 1.0, 2.0]).coef_
    array([0.5])
    """

    def __init__(
        self, lam=1.0, fit_intercept=True, max_iter=10_000, tol=GAP_TOL
    ):
        super().__init__(lam, fit_intercept)
        self.max_iter = max_iter
        self.tol = tol

    def _solve(self, X, y, lam):
        fit = lasso_coordinate_descent(
            X, y, lam, max_iter=self.max_iter, tol=self.tol
        )
        self.n_iter_ = fit.n_iter
        return fit.theta
