r"""Bayesian linear regression: posterior, predictive and evidence.

With the prior :math:`\boldsymbol\theta \sim \mathcal N(\mathbf m_0,
b^2\mathbf I)` and the likelihood :math:`\mathbf y \mid \boldsymbol\theta
\sim \mathcal N(\boldsymbol\Phi\boldsymbol\theta, \sigma^2\mathbf I)`,
the posterior is Gaussian with

.. math::
    \mathbf S_N^{-1} = \frac{1}{b^2}\mathbf I
        + \frac{1}{\sigma^2}\boldsymbol\Phi^\top\boldsymbol\Phi, \qquad
    \mathbf m_N = \mathbf S_N\Bigl(\frac{1}{b^2}\mathbf m_0
        + \frac{1}{\sigma^2}\boldsymbol\Phi^\top\mathbf y\Bigr),

eq. (bayes-posterior); a new input :math:`\boldsymbol\phi_*` has the
predictive distribution :math:`\mathcal N(\boldsymbol\phi_*^\top
\mathbf m_N, \boldsymbol\phi_*^\top\mathbf S_N\boldsymbol\phi_* +
\sigma^2)`, eq. (bayes-predictive); and the marginal likelihood is
:math:`p(\mathbf y) = \mathcal N(\mathbf y \mid \boldsymbol\Phi\mathbf
m_0, \sigma^2\mathbf I + b^2\boldsymbol\Phi\boldsymbol\Phi^\top)`,
eq. (bayes-evidence). Everything goes through one Cholesky factor of the
posterior precision :math:`\mathbf S_N^{-1}` [MML] [Bishop].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 9.3.
- [Bishop] C. M. Bishop, *Pattern Recognition and Machine Learning*,
  Springer, 2006, sec. 3.3-3.5.
"""

from __future__ import annotations

import numpy as np

from mathsforml._models import check_fitted, check_Xy
from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_shape,
)
from mathsforml.model_selection import _generator

__all__ = ["BayesianLinearRegression", "log_evidence"]


def _check_hyper(prior_variance, noise_variance):
    return (
        check_positive(prior_variance, "prior_variance"),
        check_positive(noise_variance, "noise_variance"),
    )


def _prior_mean(prior_mean: object, p: int) -> np.ndarray:
    if prior_mean is None:
        return np.zeros(p)
    m0 = as_float_array(prior_mean, "prior_mean", ndim=1)
    check_shape(m0, "prior_mean", (p,), "Pass one mean per column of Phi.")
    return m0


def _posterior(Phi, y, b2, s2, m0):
    """Cholesky factor L of S_N^{-1}, and the posterior mean m_N."""
    precision = Phi.T @ Phi / s2 + np.eye(Phi.shape[1]) / b2
    L = np.linalg.cholesky(precision)  # S_N^{-1} = L L^T
    rhs = m0 / b2 + Phi.T @ y / s2  # eq. (bayes-posterior)
    mean = np.linalg.solve(L.T, np.linalg.solve(L, rhs))
    return L, mean


def _log_evidence(Phi, y, b2, s2, m0, L, mean) -> float:
    n, p = Phi.shape
    fit = np.sum((y - Phi @ mean) ** 2) / s2 + np.sum((mean - m0) ** 2) / b2
    log_det = 2 * np.sum(np.log(np.diag(L)))  # log |S_N^{-1}|
    return float(
        -0.5 * (n * np.log(2 * np.pi * s2) + p * np.log(b2) + log_det + fit)
    )  # eq. (bayes-log-evidence)


def log_evidence(
    Phi: object,
    y: object,
    prior_variance: float,
    noise_variance: float,
    prior_mean: object = None,
) -> float:
    r"""The log marginal likelihood :math:`\log p(\mathbf y)`.

    .. math::
        \log p(\mathbf y) = {}& -\frac N2\log(2\pi\sigma^2)
          - \frac P2\log b^2 - \frac12\log\lvert\mathbf S_N^{-1}\rvert
          \\
          & - \frac{\lVert\mathbf y - \boldsymbol\Phi\mathbf m_N
                 \rVert^2}{2\sigma^2}
          - \frac{\lVert\mathbf m_N - \mathbf m_0\rVert^2}{2b^2},

    eq. (bayes-log-evidence), equal to the log-density of eq.
    (bayes-evidence) but costing a :math:`P \times P` factorisation
    instead of an :math:`N \times N` one.

    Parameters
    ----------
    Phi : array_like, shape (N, P)
    y : array_like, shape (N,)
    prior_variance : float
        :math:`b^2 > 0`.
    noise_variance : float
        :math:`\sigma^2 > 0`.
    prior_mean : array_like of shape (P,), optional
        :math:`\mathbf m_0`; zeros by default.

    Returns
    -------
    float

    Examples
    --------
    >>> round(log_evidence(np.ones((1, 1)), [0.0], 1.0, 1.0), 6)
    -1.265512
    """
    Phi, y = check_Xy(Phi, y)
    b2, s2 = _check_hyper(prior_variance, noise_variance)
    m0 = _prior_mean(prior_mean, Phi.shape[1])
    L, mean = _posterior(Phi, y, b2, s2, m0)
    return _log_evidence(Phi, y, b2, s2, m0, L, mean)


class BayesianLinearRegression:
    r"""Bayesian linear regression with known prior and noise variances.

    Parameters
    ----------
    prior_variance : float, default 1.0
        :math:`b^2`, the prior variance of each weight.
    noise_variance : float, default 1.0
        :math:`\sigma^2`.
    prior_mean : array_like of shape (P,), optional
        :math:`\mathbf m_0`; zeros by default.

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (P,)
        The posterior mean :math:`\mathbf m_N`.
    covariance_ : numpy.ndarray, shape (P, P)
        The posterior covariance :math:`\mathbf S_N`.
    log_evidence_ : float
        :math:`\log p(\mathbf y)` for the training data.

    Examples
    --------
    >>> Phi = np.array([[1.0, -1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> model = BayesianLinearRegression(1.0, 0.5).fit(Phi, [0., 1., 2.])
    >>> model.coef_
    array([0.85714286, 0.8       ])
    >>> mean, std = model.predict([[1.0, 3.0]], return_std=True)
    >>> mean.round(4), std.round(4)
    (array([3.2571]), array([1.563]))
    """

    def __init__(
        self,
        prior_variance: float = 1.0,
        noise_variance: float = 1.0,
        prior_mean: object = None,
    ):
        self.prior_variance = prior_variance
        self.noise_variance = noise_variance
        self.prior_mean = prior_mean
        self.coef_ = None

    def fit(self, Phi: object, y: object) -> BayesianLinearRegression:
        """The posterior given design ``Phi`` (N, P) and targets ``y``."""
        Phi, y = check_Xy(Phi, y)
        b2, s2 = _check_hyper(self.prior_variance, self.noise_variance)
        m0 = _prior_mean(self.prior_mean, Phi.shape[1])
        L, self.coef_ = _posterior(Phi, y, b2, s2, m0)
        self._L_inv = np.linalg.solve(L, np.eye(L.shape[0]))
        self.covariance_ = self._L_inv.T @ self._L_inv  # S_N = L^-T L^-1
        self.log_evidence_ = _log_evidence(Phi, y, b2, s2, m0, L, self.coef_)
        return self

    def _check_Phi(self, Phi: object) -> np.ndarray:
        check_fitted(self)
        Phi = as_float_array(Phi, "Phi", ndim=2)
        check_shape(
            Phi,
            "Phi",
            (None, self.coef_.size),
            "Pass the features the model was fitted on.",
        )
        return Phi

    def predict(
        self, Phi: object, return_std: bool = False, noise: bool = True
    ):
        r"""The predictive mean, and optionally its standard deviation.

        The variance is :math:`\boldsymbol\phi_*^\top\mathbf S_N
        \boldsymbol\phi_* + \sigma^2` (eq. bayes-predictive), or without
        :math:`\sigma^2` when ``noise`` is false: the uncertainty about
        the function :math:`f(\mathbf x_*)` rather than about a new
        observation :math:`y_*`.
        """
        Phi = self._check_Phi(Phi)
        mean = Phi @ self.coef_
        if not return_std:
            return mean
        variance = np.sum((self._L_inv @ Phi.T) ** 2, axis=0)
        if noise:
            variance = variance + check_positive(
                self.noise_variance, "noise_variance"
            )
        return mean, np.sqrt(variance)

    def sample(self, n_samples: int, seed: object = None) -> np.ndarray:
        r"""Draws :math:`\boldsymbol\theta \sim \mathcal N(\mathbf m_N,
        \mathbf S_N)`, shape (n_samples, P)."""
        check_fitted(self)
        n_samples = check_integer(n_samples, "n_samples")
        z = _generator(seed).standard_normal((n_samples, self.coef_.size))
        return self.coef_ + z @ self._L_inv  # Cov = L^-T L^-1 = S_N
