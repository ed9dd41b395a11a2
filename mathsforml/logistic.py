r"""Logistic regression: Bernoulli labels, cross-entropy, Newton and GD.

The model :math:`p(y_n = 1 \mid \boldsymbol\phi_n) =
\sigma(\boldsymbol\phi_n^\top\boldsymbol\theta)` has the negative
log-likelihood, gradient and Hessian

.. math::
    E(\boldsymbol\theta) = \sum_n \bigl[\operatorname{softplus}(z_n)
        - y_n z_n\bigr], \quad
    \nabla E = \boldsymbol\Phi^\top(\mathbf{p} - \mathbf{y}), \quad
    \nabla^2 E = \boldsymbol\Phi^\top\mathbf{W}\boldsymbol\Phi,

with :math:`z_n = \boldsymbol\phi_n^\top\boldsymbol\theta`,
:math:`p_n = \sigma(z_n)` and :math:`\mathbf{W} =
\operatorname{diag}(p_n(1 - p_n))`: eqs. (log-nll),
(log-gradient) and (log-hessian). :math:`E` is convex, and Newton's
method (iteratively reweighted least squares, eq. log-newton) reaches its
minimum in a handful of steps. When the classes are separable the minimum
is not attained; the fit then warns and says so [MML] [ESL] [Bishop].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 8.3.
- [ESL] T. Hastie, R. Tibshirani and J. Friedman, *The Elements of
  Statistical Learning*, 2nd ed., Springer, 2009, sec. 4.4.1.
- [Bishop] C. M. Bishop, *Pattern Recognition and Machine Learning*,
  Springer, 2006, sec. 4.3.3.
"""

from __future__ import annotations

import numpy as np

from mathsforml._models import (
    FitResult,
    check_X_predict,
    check_Xy,
    design,
    warn_not_converged,
)
from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_same_length,
    check_shape,
)
from mathsforml.likelihood import _check_binary_labels

__all__ = [
    "FitResult",
    "LogisticRegression",
    "gradient_descent_logistic",
    "logistic_gradient",
    "logistic_hessian",
    "logistic_nll",
    "newton_logistic",
]

# Newton stops when no parameter moves by more than NEWTON_TOL relative
# to the largest one: quadratic convergence makes the next step ~1e-16.
NEWTON_TOL = 1e-8
# Gradient descent stops when max |grad E| / N, the gradient of the mean
# cross-entropy, is below GD_TOL.
GD_TOL = 1e-6
# Fitted probabilities this close to their labels are "perfect": a sign
# that the coefficients are running off to infinity.
PERFECT_TOL = 1e-8
MAX_HALVINGS = 30  # step halvings before Newton gives up on a step


def _proba(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))  # sigma(z), stable both ways


def _nll(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> float:
    z = Phi @ theta
    return float(np.sum(np.logaddexp(0.0, z) - y * z))  # eq. (log-nll)


def _check_args(theta, Phi, y=None):
    Phi = as_float_array(Phi, "Phi", ndim=2)
    theta = as_float_array(theta, "theta", ndim=1)
    check_shape(
        theta,
        "theta",
        (Phi.shape[1],),
        "Pass one parameter per column of Phi.",
    )
    if y is None:
        return theta, Phi, None
    y = _check_binary_labels(y)
    check_same_length(Phi, y, ("Phi", "y"))
    return theta, Phi, y


def logistic_nll(theta: object, Phi: object, y: object) -> float:
    r"""Negative log-likelihood :math:`E(\boldsymbol\theta)`, eq. (log-nll).

    A sum of :math:`\operatorname{softplus}(z_n) - y_n z_n` over samples
    (:math:`N` times the mean cross-entropy), computed without overflow.

    Examples
    --------
    >>> logistic_nll([0.0], [[1.0], [2.0]], [0, 1])   # 2 log 2
    1.3862943611198906
    """
    return _nll(*_check_args(theta, Phi, y))


def logistic_gradient(theta: object, Phi: object, y: object) -> np.ndarray:
    r"""Gradient :math:`\boldsymbol\Phi^\top(\mathbf{p} - \mathbf{y})`
    of :math:`E`, eq. (log-gradient).

    Examples
    --------
    >>> logistic_gradient([0.0], [[1.0], [2.0]], [0, 1])
    array([-0.5])
    """
    theta, Phi, y = _check_args(theta, Phi, y)
    return Phi.T @ (_proba(Phi @ theta) - y)


def logistic_hessian(theta: object, Phi: object) -> np.ndarray:
    r"""Hessian :math:`\boldsymbol\Phi^\top\mathbf{W}\boldsymbol\Phi` of
    :math:`E`, eq. (log-hessian): the observed Fisher information.

    Examples
    --------
    >>> logistic_hessian([0.0], [[1.0], [2.0]])   # (1 + 4) / 4
    array([[1.25]])
    """
    theta, Phi, _ = _check_args(theta, Phi)
    p = _proba(Phi @ theta)
    return (Phi.T * (p * (1.0 - p))) @ Phi


def _result(path, history, n_iter, converged) -> FitResult:
    path = np.array(path)
    return FitResult(path[-1], np.array(history), n_iter, converged, path)


def _diagnose(Phi: np.ndarray, y: np.ndarray, theta: np.ndarray) -> str:
    """Say why a fit did not converge: separation, or too few steps."""
    z = Phi @ theta
    if np.all((z > 0) == (y == 1)):
        return (
            "The coefficients classify every training sample correctly: "
            "the classes are linearly separable, so the likelihood has "
            "no maximum and the coefficients grow without bound. Add a "
            "penalty (ridge) or use fewer features."
        )
    perfect = int(np.sum(np.abs(_proba(z) - y) < PERFECT_TOL))
    if perfect:
        return (
            f"{perfect} of {y.size} samples are fitted with probability "
            f"within {PERFECT_TOL:g} of their labels: the classes look "
            "quasi-separated, the likelihood's maximum is at infinity and "
            "some coefficients diverge. Add a penalty (ridge) or use "
            "fewer features."
        )
    return "Increase max_iter, or standardise the features."


def _newton_step(Phi, y, theta, nll):
    """One damped Newton step; ``None`` if no step decreases E."""
    p = _proba(Phi @ theta)
    gradient = Phi.T @ (p - y)  # eq. (log-gradient)
    hessian = (Phi.T * (p * (1.0 - p))) @ Phi  # eq. (log-hessian)
    try:
        step = np.linalg.solve(hessian, gradient)  # eq. (log-newton)
    except np.linalg.LinAlgError:
        return None
    for _ in range(MAX_HALVINGS):  # halve only if E would increase
        new_theta = theta - step
        new_nll = _nll(new_theta, Phi, y)
        if np.isfinite(new_nll) and new_nll <= nll:
            return new_theta, new_nll, step
        step = step / 2
    return None


def newton_logistic(
    Phi: object, y: object, max_iter: int = 100, tol: float = NEWTON_TOL
) -> FitResult:
    r"""Minimise :math:`E` by Newton's method (IRLS), from
    :math:`\boldsymbol\theta = \mathbf{0}`.

    Each step solves :math:`\boldsymbol\Phi^\top\mathbf{W}\boldsymbol\Phi
    \,\boldsymbol\delta = \boldsymbol\Phi^\top(\mathbf{p} - \mathbf{y})`
    and sets :math:`\boldsymbol\theta \leftarrow \boldsymbol\theta -
    \boldsymbol\delta`, eq. (log-newton); the step is halved if it would
    increase :math:`E`. It stops when
    :math:`\lVert\boldsymbol\delta\rVert_\infty \le \text{tol}\,
    \max(1, \lVert\boldsymbol\theta\rVert_\infty)`.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
        The design matrix (include a column of ones for an intercept).
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.
    max_iter : int, default 100
        The largest number of Newton steps.
    tol : float, default 1e-8
        The relative step size at which to stop.

    Returns
    -------
    FitResult
        ``theta``, ``history`` (:math:`E` after each step), ``path``
        (:math:`\boldsymbol\theta` after each step), ``n_iter`` and
        ``converged``.

    Warns
    -----
    RuntimeWarning
        If it stops without converging; the message says whether the
        classes are separable.

    Examples
    --------
    >>> Phi = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> fit = newton_logistic(Phi, [0, 1, 0, 1])
    >>> fit.converged, fit.n_iter, fit.theta.round(4)
    (True, 5, array([-1.3623,  0.9082]))
    """
    Phi = as_float_array(Phi, "Phi", ndim=2)
    y = _check_binary_labels(y)
    check_same_length(Phi, y, ("Phi", "y"))
    max_iter = check_integer(max_iter, "max_iter")
    tol = check_positive(tol, "tol")
    path = [np.zeros(Phi.shape[1])]
    history = [_nll(path[0], Phi, y)]
    for k in range(1, max_iter + 1):
        taken = _newton_step(Phi, y, path[-1], history[-1])
        if taken is None:  # E cannot decrease further in float64
            break
        theta, nll, step = taken
        path.append(theta)
        history.append(nll)
        scale = max(1.0, float(np.max(np.abs(theta))))
        if np.max(np.abs(step)) <= tol * scale:
            return _result(path, history, k, True)
    diagnosis = _diagnose(Phi, y, path[-1])
    warn_not_converged("Newton's method", max_iter, diagnosis)
    return _result(path, history, len(history) - 1, False)


def gradient_descent_logistic(
    Phi: object,
    y: object,
    learning_rate: float | None = None,
    max_iter: int = 10_000,
    tol: float = GD_TOL,
) -> FitResult:
    r"""Minimise :math:`E` by gradient descent from
    :math:`\boldsymbol\theta = \mathbf{0}`.

    The update is :math:`\boldsymbol\theta \leftarrow \boldsymbol\theta
    - \alpha\boldsymbol\Phi^\top(\mathbf{p} - \mathbf{y})`. The
    default :math:`\alpha = 4/\lVert\boldsymbol\Phi\rVert_2^2` is
    :math:`1/L` for the bound :math:`\nabla^2 E \preceq
    \tfrac14\boldsymbol\Phi^\top\boldsymbol\Phi`, so :math:`E` decreases
    at every step. It stops when :math:`\lVert\nabla E\rVert_\infty / N
    \le \text{tol}`.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
        The design matrix.
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.
    learning_rate : float, optional
        The step size :math:`\alpha`.
    max_iter : int, default 10000
        The largest number of steps.
    tol : float, default 1e-6
        The mean-gradient size at which to stop.

    Returns
    -------
    FitResult
        As for :func:`newton_logistic`.

    Warns
    -----
    RuntimeWarning
        If it stops at ``max_iter``, saying whether the classes are
        separable.

    Examples
    --------
    >>> Phi = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> fit = gradient_descent_logistic(Phi, [0, 1, 0, 1])
    >>> fit.converged, round(float(fit.theta[1]), 4)
    (True, 0.9082)
    """
    Phi = as_float_array(Phi, "Phi", ndim=2)
    y = _check_binary_labels(y)
    check_same_length(Phi, y, ("Phi", "y"))
    if learning_rate is None:
        learning_rate = 4.0 / np.linalg.norm(Phi, 2) ** 2
    learning_rate = check_positive(learning_rate, "learning_rate")
    max_iter = check_integer(max_iter, "max_iter")
    tol = check_positive(tol, "tol")
    path = [np.zeros(Phi.shape[1])]
    history = [_nll(path[0], Phi, y)]
    for k in range(1, max_iter + 1):
        theta = path[-1]
        gradient = Phi.T @ (_proba(Phi @ theta) - y)  # eq. (log-gradient)
        if np.max(np.abs(gradient)) <= tol * y.size:
            return _result(path, history, k - 1, True)
        path.append(theta - learning_rate * gradient)
        history.append(_nll(path[-1], Phi, y))
    diagnosis = _diagnose(Phi, y, path[-1])
    warn_not_converged("Gradient descent", max_iter, diagnosis)
    return _result(path, history, max_iter, False)


class LogisticRegression:
    r"""Unpenalised logistic regression by maximum likelihood.

    Parameters
    ----------
    solver : {"newton", "gd"}, default "newton"
        Newton's method (:func:`newton_logistic`) or gradient descent
        (:func:`gradient_descent_logistic`).
    fit_intercept : bool, default True
        Whether to prepend a column of ones to ``X``.
    max_iter : int, optional
        Defaults to 100 for Newton and 10000 for gradient descent.
    tol : float, optional
        The solver's stopping tolerance (see the two functions).
    learning_rate : float, optional
        Gradient descent's step size.

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (D,)
    intercept_ : float
    n_iter_ : int
    converged_ : bool
    result_ : FitResult
        The solver's full result, with the history of :math:`E`.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = LogisticRegression().fit(X, [0, 1, 0, 1])
    >>> model.predict_proba([[1.5]]).round(4)
    array([0.5])
    """

    def __init__(
        self,
        solver: str = "newton",
        fit_intercept: bool = True,
        max_iter: int | None = None,
        tol: float | None = None,
        learning_rate: float | None = None,
    ):
        self.solver = solver
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.learning_rate = learning_rate
        self.coef_ = None

    def fit(self, X: object, y: object) -> LogisticRegression:
        """Fit to features ``X`` (N, D) and labels ``y`` in {0, 1}."""
        X, y = check_Xy(X, y)
        Phi = design(X, self.fit_intercept)
        default = {"newton": (100, NEWTON_TOL), "gd": (10_000, GD_TOL)}
        max_iter, tol = default.get(self.solver, (None, None))
        max_iter = max_iter if self.max_iter is None else self.max_iter
        tol = tol if self.tol is None else self.tol
        if self.solver == "newton":
            result = newton_logistic(Phi, y, max_iter, tol)
        elif self.solver == "gd":
            result = gradient_descent_logistic(
                Phi, y, self.learning_rate, max_iter, tol
            )
        else:
            raise ValueError(
                f"`solver` must be 'newton' or 'gd'; got {self.solver!r}. "
                "Use 'newton' (the default)."
            )
        theta = result.theta
        self.intercept_ = float(theta[0]) if self.fit_intercept else 0.0
        self.coef_ = theta[1:] if self.fit_intercept else theta
        self.n_iter_, self.converged_ = result.n_iter, result.converged
        self.result_ = result
        return self

    def decision_function(self, X: object) -> np.ndarray:
        """The logits :math:`z = \\mathbf{X}\\mathbf{w} + b`."""
        return check_X_predict(self, X) @ self.coef_ + self.intercept_

    def predict_proba(self, X: object) -> np.ndarray:
        """:math:`p(y = 1 \\mid \\mathbf{x}) = \\sigma(z)` (one column)."""
        return _proba(self.decision_function(X))

    def predict(self, X: object) -> np.ndarray:
        """The labels 0 or 1, by thresholding the probability at 1/2."""
        return (self.decision_function(X) > 0).astype(float)

    def score(self, X: object, y: object) -> float:
        """Accuracy: the fraction of ``y`` predicted correctly."""
        y = _check_binary_labels(y)
        return float(np.mean(self.predict(X) == y))
