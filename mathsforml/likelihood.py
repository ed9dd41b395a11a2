r"""Log-likelihoods of i.i.d. samples, their maximisers, and cross-entropy.

For independent samples the likelihood is a product and its logarithm a
sum, eq. (lik-iid-log):

.. math::
    \ell(\boldsymbol\theta) = \sum_{n=1}^N \log p(y_n \mid \boldsymbol\theta).

This module evaluates :math:`\ell` for the Gaussian, Bernoulli and Laplace
models, gives their maximum likelihood estimates in closed form, and
computes the binary cross-entropy from logits in the stable softplus form
(eq. log-softplus) [MML] [DLB].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 8.3 and 9.2.
- [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT
  Press, 2016, sec. 3.10 and 5.5.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array, check_same_length

__all__ = [
    "bernoulli_log_likelihood",
    "bernoulli_mle",
    "binary_cross_entropy",
    "gaussian_log_likelihood",
    "gaussian_mle",
    "laplace_log_likelihood",
    "laplace_mle",
    "sigmoid",
    "softplus",
]

LOG_2PI = float(np.log(2 * np.pi))


def _check_binary_labels(y: object, name: str = "y") -> np.ndarray:
    """Return labels as a float array of zeros and ones, or raise."""
    arr = as_float_array(y, name, ndim=1)
    bad = (arr != 0) & (arr != 1)
    if np.any(bad):
        raise ValueError(
            f"`{name}` must hold binary labels 0 and 1; got the value "
            f"{arr[bad][0]:g} at index {int(np.argmax(bad))}. Encode the "
            "two classes as 0 and 1, for example with `(y == positive)`."
        )
    return arr


def _positive_array(value: object, name: str) -> np.ndarray:
    arr = as_float_array(value, name)
    if np.any(arr <= 0):
        raise ValueError(
            f"`{name}` must be > 0; got {arr[arr <= 0].flat[0]:g}. Pass a "
            "positive number (a variance or a scale), such as 1.0."
        )
    return arr


def _broadcast(y: np.ndarray, value: np.ndarray, name: str) -> None:
    if value.ndim and value.shape != y.shape:
        raise ValueError(
            f"`{name}` must be a scalar or have the shape of `y`, "
            f"{y.shape}; got shape {value.shape}. Pass one value per "
            "sample or a single value for all."
        )


def softplus(z: object) -> np.ndarray:
    r"""The softplus :math:`\log(1 + e^{z})`, without overflow.

    Computed as ``np.logaddexp(0, z)``, that is :math:`\max(z, 0) +
    \log(1 + e^{-|z|})` (eq. log-softplus), which is exact for large
    :math:`|z|` where the naive form overflows or loses all digits.

    Parameters
    ----------
    z : array_like
        Logits.

    Returns
    -------
    numpy.ndarray
        :math:`\log(1 + e^{z})`, entry-wise.

    Examples
    --------
    >>> softplus([-800.0, 0.0, 800.0])
    array([0.00000000e+00, 6.93147181e-01, 8.00000000e+02])
    """
    return np.logaddexp(0.0, as_float_array(z, "z"))


def sigmoid(z: object) -> np.ndarray:
    r"""The logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    Computed as :math:`\exp(-\operatorname{softplus}(-z))`, with full
    relative precision in both tails and no overflow.

    Parameters
    ----------
    z : array_like
        Logits (log-odds).

    Returns
    -------
    numpy.ndarray
        Probabilities in :math:`[0, 1]`.

    Examples
    --------
    >>> sigmoid([-1000.0, 0.0, 2.0])
    array([0.        , 0.5       , 0.88079708])
    """
    return np.exp(-np.logaddexp(0.0, -as_float_array(z, "z")))


def gaussian_log_likelihood(
    y: object, mean: object = 0.0, variance: object = 1.0
) -> float:
    r"""Log-likelihood of independent Gaussian samples.

    .. math::
        \ell = -\frac{N}{2}\log(2\pi\sigma^2)
               - \frac{1}{2\sigma^2}\sum_{n=1}^N (y_n - \mu_n)^2,

    eq. (ls-log-likelihood) when :math:`\mu_n` and :math:`\sigma^2` are
    per-sample (each term then uses its own variance).

    Parameters
    ----------
    y : array_like, shape (N,)
        Observations.
    mean : float or array_like of shape (N,), default 0
        The means :math:`\mu_n`.
    variance : float or array_like of shape (N,), default 1
        The variances :math:`\sigma^2 > 0`.

    Returns
    -------
    float
        :math:`\ell`.

    Raises
    ------
    ValueError
        If an argument is not finite, a variance is not positive, or the
        shapes disagree.

    Examples
    --------
    >>> gaussian_log_likelihood([0.0], 0.0, 1.0)   # -log(2 pi) / 2
    -0.9189385332046727
    """
    y = as_float_array(y, "y", ndim=1)
    mean = as_float_array(mean, "mean")
    variance = _positive_array(variance, "variance")
    _broadcast(y, mean, "mean")
    _broadcast(y, variance, "variance")
    terms = LOG_2PI + np.log(variance) + (y - mean) ** 2 / variance
    return float(-0.5 * np.sum(np.broadcast_to(terms, y.shape)))


def bernoulli_log_likelihood(y: object, proba: object) -> float:
    r"""Log-likelihood of independent Bernoulli labels.

    .. math::
        \ell = \sum_{n=1}^N \bigl[y_n \log \mu_n
               + (1 - y_n)\log(1 - \mu_n)\bigr],

    eq. (lik-bernoulli), with the convention :math:`0 \log 0 = 0`, so a
    probability of exactly 0 or 1 is allowed where it matches the label.

    Parameters
    ----------
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.
    proba : float or array_like of shape (N,)
        The probabilities :math:`\mu_n = p(y_n = 1)` in :math:`[0, 1]`.

    Returns
    -------
    float
        :math:`\ell \le 0` (:math:`-\infty` if a label has probability 0).

    Raises
    ------
    ValueError
        If a label is not 0 or 1, or a probability lies outside [0, 1].

    Examples
    --------
    >>> bernoulli_log_likelihood([1, 0, 1], 2 / 3)   # 2 log(2/3) + log(1/3)
    -1.909542504884438
    """
    y = _check_binary_labels(y)
    mu = as_float_array(proba, "proba")
    _broadcast(y, mu, "proba")
    if np.any((mu < 0) | (mu > 1)):
        raise ValueError(
            "`proba` must lie in [0, 1]; got values from "
            f"{mu.min():g} to {mu.max():g}. Pass probabilities, or use "
            "binary_cross_entropy for logits."
        )
    mu = np.broadcast_to(mu, y.shape)
    # Pick the probability of the observed label: no 0 * log(0) = nan.
    with np.errstate(divide="ignore"):
        return float(np.sum(np.log(np.where(y == 1, mu, 1 - mu))))


def laplace_log_likelihood(
    y: object, location: object = 0.0, scale: object = 1.0
) -> float:
    r"""Log-likelihood of independent Laplace samples.

    .. math::
        \ell = -N\log(2b) - \frac{1}{b}\sum_{n=1}^N |y_n - \mu_n|,

    the density of eq. (map-laplace-prior) with location :math:`\mu_n`
    and scale :math:`b`.

    Parameters
    ----------
    y : array_like, shape (N,)
        Observations.
    location : float or array_like of shape (N,), default 0
        The locations :math:`\mu_n`.
    scale : float or array_like of shape (N,), default 1
        The scales :math:`b > 0`.

    Returns
    -------
    float
        :math:`\ell`.

    Raises
    ------
    ValueError
        If an argument is not finite, a scale is not positive, or the
        shapes disagree.

    Examples
    --------
    >>> laplace_log_likelihood([1.0, -1.0], 0.0, 1.0)   # -2 log 2 - 2
    -3.386294361119891
    """
    y = as_float_array(y, "y", ndim=1)
    location = as_float_array(location, "location")
    scale = _positive_array(scale, "scale")
    _broadcast(y, location, "location")
    _broadcast(y, scale, "scale")
    terms = np.log(2 * scale) + np.abs(y - location) / scale
    return float(-np.sum(np.broadcast_to(terms, y.shape)))


def binary_cross_entropy(logits: object, y: object) -> float:
    r"""Mean binary cross-entropy of labels given logits, computed stably.

    With :math:`\mu_n = \sigma(z_n)`, minus the Bernoulli log-likelihood
    per sample is

    .. math::
        -\frac{1}{N}\ell = \frac{1}{N}\sum_{n=1}^N
        \bigl[\operatorname{softplus}(z_n) - y_n z_n\bigr],

    eq. (log-softplus), which never forms :math:`\sigma(z_n)` and so
    neither overflows nor takes the logarithm of 0.

    Parameters
    ----------
    logits : array_like, shape (N,)
        The logits :math:`z_n = \boldsymbol\phi_n^\top\boldsymbol\theta`.
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.

    Returns
    -------
    float
        The mean cross-entropy, :math:`\ge 0`.

    Raises
    ------
    ValueError
        If a label is not 0 or 1, or the lengths differ.

    See Also
    --------
    bernoulli_log_likelihood : the same quantity from probabilities.

    Examples
    --------
    >>> binary_cross_entropy([0.0, 0.0], [0, 1])   # log 2
    0.6931471805599453
    >>> binary_cross_entropy([1000.0], [0])        # finite, not inf
    1000.0
    """
    z = as_float_array(logits, "logits", ndim=1)
    y = _check_binary_labels(y)
    check_same_length(z, y, ("logits", "y"))
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def gaussian_mle(x: object) -> tuple[float, float]:
    r"""Maximum likelihood estimates of a Gaussian's mean and variance.

    .. math::
        \mu_{\text{ML}} = \frac1N\sum_n x_n, \qquad
        \sigma^2_{\text{ML}} = \frac1N\sum_n (x_n - \mu_{\text{ML}})^2,

    eq. (lik-gaussian-mle). The variance divides by :math:`N`, not
    :math:`N - 1`, and is biased low by the factor :math:`(N-1)/N`.

    Parameters
    ----------
    x : array_like, shape (N,)
        Samples.

    Returns
    -------
    tuple of float
        :math:`(\mu_{\text{ML}}, \sigma^2_{\text{ML}})`.

    Examples
    --------
    >>> gaussian_mle([1.0, 2.0, 3.0, 6.0])
    (3.0, 3.5)
    """
    x = as_float_array(x, "x", ndim=1)
    mean = float(np.mean(x))
    return mean, float(np.mean((x - mean) ** 2))


def bernoulli_mle(y: object) -> float:
    r"""Maximum likelihood estimate of a Bernoulli probability.

    :math:`\mu_{\text{ML}} = \frac1N\sum_n y_n`, the fraction of ones,
    eq. (lik-bernoulli-mle).

    Parameters
    ----------
    y : array_like, shape (N,)
        Labels in :math:`\{0, 1\}`.

    Returns
    -------
    float
        :math:`\mu_{\text{ML}} \in [0, 1]`.

    Examples
    --------
    >>> bernoulli_mle([1, 0, 1, 1])
    0.75
    """
    return float(np.mean(_check_binary_labels(y)))


def laplace_mle(x: object) -> tuple[float, float]:
    r"""Maximum likelihood estimates of a Laplace location and scale.

    The location maximising :math:`-\sum_n|x_n - \mu|` is a median, and
    then :math:`b_{\text{ML}} = \frac1N\sum_n |x_n - \mu_{\text{ML}}|`.
    For an even :math:`N` every point between the two middle samples is a
    maximiser; this returns their midpoint, ``np.median``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Samples.

    Returns
    -------
    tuple of float
        :math:`(\mu_{\text{ML}}, b_{\text{ML}})`.

    Examples
    --------
    >>> laplace_mle([0.0, 1.0, 5.0])
    (1.0, 1.6666666666666667)
    """
    x = as_float_array(x, "x", ndim=1)
    location = float(np.median(x))
    return location, float(np.mean(np.abs(x - location)))
