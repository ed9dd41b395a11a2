r"""Linear regression by maximum likelihood, and polynomial features.

Under the model :math:`y_n = \boldsymbol\phi_n^\top\boldsymbol\theta +
\varepsilon_n` with i.i.d. :math:`\varepsilon_n \sim
\mathcal{N}(0, \sigma^2)`, maximising the likelihood means minimising the
residual sum of squares, and

.. math::
    \boldsymbol\Phi^\top\boldsymbol\Phi\,\boldsymbol\theta_{\text{ML}}
    = \boldsymbol\Phi^\top\mathbf{y}, \qquad
    \sigma^2_{\text{ML}} = \frac{1}{N}\lVert\mathbf{y}
    - \boldsymbol\Phi\boldsymbol\theta_{\text{ML}}\rVert^2,

eqs. (ls-normal-equations) and (ls-sigma-ml). The normal equations are
never solved by inverting :math:`\boldsymbol\Phi^\top\boldsymbol\Phi`,
which squares the condition number: :func:`solve_least_squares` uses a QR
factorisation or ``numpy.linalg.lstsq`` (SVD) [MML] [GVL].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 9.2.
- [GVL] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed.,
  Johns Hopkins University Press, 2013, sec. 5.3.
"""

from __future__ import annotations

import numpy as np

from mathsforml._models import (
    NotFittedError,
    check_X_predict,
    check_Xy,
    design,
)
from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_same_length,
)

__all__ = [
    "LinearRegression",
    "NotFittedError",
    "polynomial_features",
    "r2_score",
    "rmse",
    "solve_least_squares",
]

_METHODS = ("qr", "lstsq")
EPS = np.finfo(np.float64).eps


def _singular_error(rank: int, n_columns: int) -> ValueError:
    return ValueError(
        f"The design matrix is singular: rank {rank} < {n_columns} "
        "columns, so the least-squares solution is not unique (some "
        "columns are linear combinations of others, or there are fewer "
        "samples than parameters). Drop the redundant columns, or add a "
        "penalty: mathsforml.regularisation.Ridge has a unique solution "
        "for any lam > 0."
    )


def _solve_qr(Phi: np.ndarray, y: np.ndarray) -> np.ndarray:
    Q, R = np.linalg.qr(Phi)  # Phi = QR, Q^T Q = I, R upper triangular
    s = np.linalg.svd(R, compute_uv=False)  # the singular values of Phi
    # numpy.linalg.matrix_rank's threshold
    if s[-1] <= s[0] * max(Phi.shape) * EPS:
        raise _singular_error(
            int(np.sum(s > s[0] * max(Phi.shape) * EPS)), Phi.shape[1]
        )
    # R theta = Q^T y, eq. (ls-qr): a general solve keeps the library
    # NumPy-only (scipy.linalg.solve_triangular would back-substitute)
    return np.linalg.solve(R, Q.T @ y)


def solve_least_squares(
    Phi: object, y: object, method: str = "qr"
) -> np.ndarray:
    r"""The least-squares solution :math:`\boldsymbol\theta_{\text{ML}}`.

    With :math:`\boldsymbol\Phi = \mathbf{Q}\mathbf{R}`, the normal
    equations (ls-normal-equations) reduce to the triangular system
    :math:`\mathbf{R}\boldsymbol\theta = \mathbf{Q}^\top\mathbf{y}`,
    eq. (ls-qr), whose condition number is that of
    :math:`\boldsymbol\Phi`, not its square.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
        The design matrix, one row :math:`\boldsymbol\phi_n^\top` per
        sample.
    y : array_like, shape (N,)
        Targets.
    method : {"qr", "lstsq"}, default "qr"
        A QR factorisation, or ``numpy.linalg.lstsq`` (via the SVD).

    Returns
    -------
    numpy.ndarray, shape (P,)
        :math:`\boldsymbol\theta_{\text{ML}}`.

    Raises
    ------
    ValueError
        If the design is singular (numerical rank below :math:`P`): the
        message points to ridge regression.

    Examples
    --------
    >>> Phi = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> solve_least_squares(Phi, [1.0, 3.0, 5.0])
    array([1., 2.])
    """
    Phi = as_float_array(Phi, "Phi", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_length(Phi, y, ("Phi", "y"))
    if method not in _METHODS:
        raise ValueError(
            f"`method` must be one of {_METHODS}; got {method!r}. Use "
            "'qr' (the default) or 'lstsq'."
        )
    n, p = Phi.shape
    if n < p:
        raise _singular_error(n, p)
    if method == "qr":
        return _solve_qr(Phi, y)
    theta, _, rank, _ = np.linalg.lstsq(Phi, y, rcond=None)
    if rank < p:
        raise _singular_error(int(rank), p)
    return theta


def polynomial_features(x: object, degree: int) -> np.ndarray:
    r"""Polynomial features :math:`\phi(x) = (1, x, x^2, \dots, x^K)`.

    The model :math:`\boldsymbol\phi(x)^\top\boldsymbol\theta` is a
    polynomial of degree :math:`K` in :math:`x`, yet linear in
    :math:`\boldsymbol\theta`, so least squares still fits it. Keep
    :math:`x` in about :math:`[-1, 1]`: monomials of large arguments make
    an ill-conditioned design.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, 1)
        A single input variable.
    degree : int
        :math:`K \ge 0`.

    Returns
    -------
    numpy.ndarray, shape (N, K + 1)
        Columns :math:`x^0, x^1, \dots, x^K`, as scikit-learn's
        ``PolynomialFeatures(K)`` for one variable.

    Examples
    --------
    >>> polynomial_features([2.0, -1.0], 3)
    array([[ 1.,  2.,  4.,  8.],
           [ 1., -1.,  1., -1.]])
    """
    x = as_float_array(x, "x", ndim=(1, 2))
    if x.ndim == 2 and x.shape[1] != 1:
        raise ValueError(
            f"`x` must be one variable, shape (N,) or (N, 1); got shape "
            f"{x.shape}. Pass a single column."
        )
    degree = check_integer(degree, "degree", minimum=0)
    return x.reshape(-1, 1) ** np.arange(degree + 1)


def rmse(y: object, y_pred: object) -> float:
    r"""Root-mean-square error :math:`\sqrt{\frac1N\sum_n (y_n -
    \hat y_n)^2}`.

    Examples
    --------
    >>> rmse([0.0, 0.0], [3.0, 4.0])
    3.5355339059327378
    """
    y = as_float_array(y, "y", ndim=1)
    y_pred = as_float_array(y_pred, "y_pred", ndim=1)
    check_same_length(y, y_pred, ("y", "y_pred"))
    return float(np.sqrt(np.mean((y - y_pred) ** 2)))


def r2_score(y: object, y_pred: object) -> float:
    r"""Coefficient of determination :math:`R^2 = 1 - \text{RSS} /
    \sum_n (y_n - \bar y)^2`.

    Examples
    --------
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    y = as_float_array(y, "y", ndim=1)
    y_pred = as_float_array(y_pred, "y_pred", ndim=1)
    check_same_length(y, y_pred, ("y", "y_pred"))
    total = np.sum((y - y.mean()) ** 2)
    return float(1.0 - np.sum((y - y_pred) ** 2) / total)


class LinearRegression:
    r"""Linear regression fitted by maximum likelihood.

    Parameters
    ----------
    fit_intercept : bool, default True
        Whether to prepend a column of ones to ``X``.
    method : {"qr", "lstsq"}, default "qr"
        How to solve the least-squares problem.

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (D,)
        The weights of the features.
    intercept_ : float
        The intercept (0 without ``fit_intercept``).
    noise_variance_ : float
        :math:`\sigma^2_{\text{ML}} = \text{RSS}/N`, eq. (ls-sigma-ml).
    log_likelihood_ : float
        :math:`\ell(\boldsymbol\theta_{\text{ML}}, \sigma^2_{\text{ML}})
        = -\frac N2\bigl(\log(2\pi\sigma^2_{\text{ML}}) + 1\bigr)`,
        eq. (ls-max-log-likelihood).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = LinearRegression().fit(X, [1.0, 3.0, 4.0, 7.0])
    >>> model.intercept_, model.coef_
    (0.9, array([1.9]))
    >>> model.predict([[4.0]])
    array([8.5])
    """

    def __init__(self, fit_intercept: bool = True, method: str = "qr"):
        self.fit_intercept = fit_intercept
        self.method = method
        self.coef_ = None

    def fit(self, X: object, y: object) -> LinearRegression:
        """Fit to features ``X`` (N, D) and targets ``y`` (N,)."""
        X, y = check_Xy(X, y)
        theta = solve_least_squares(
            design(X, self.fit_intercept), y, self.method
        )
        self.intercept_ = float(theta[0]) if self.fit_intercept else 0.0
        self.coef_ = theta[1:] if self.fit_intercept else theta
        n = y.shape[0]
        self.noise_variance_ = float(np.mean((y - self.predict(X)) ** 2))
        self.log_likelihood_ = (
            -0.5 * n * (np.log(2 * np.pi * self.noise_variance_) + 1.0)
        )
        return self

    def predict(self, X: object) -> np.ndarray:
        """Predictions :math:`\\hat{\\mathbf{y}} = \\mathbf{X}\\mathbf{w} +
        b`."""
        X = check_X_predict(self, X)
        return X @ self.coef_ + self.intercept_

    def score(self, X: object, y: object) -> float:
        """:math:`R^2` of the predictions on ``X`` against ``y``."""
        return r2_score(y, self.predict(X))
