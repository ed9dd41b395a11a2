"""Tests for mathsforml.likelihood: against scipy.stats and
scipy.optimize, identities of the maximum likelihood, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize, stats
from sklearn.metrics import log_loss

from mathsforml import likelihood as lik
from mathsforml import numdiff

RTOL = 1e-12  # sums of logs of float64 densities
OPT_RTOL = 1e-6  # scipy.optimize with tight tolerances
SCORE_ATOL = 1e-6  # central differences of a log-likelihood of size ~100
FEW = settings(max_examples=40, deadline=None)

rng = np.random.default_rng(0)
x = rng.normal(2.0, 1.5, 200)
labels = (rng.uniform(size=300) < 0.3).astype(float)


# --- reference ---------------------------------------------------------


def test_gaussian_log_likelihood_matches_scipy():
    mean = rng.normal(size=x.size)
    want = stats.norm.logpdf(x, mean, np.sqrt(2.5)).sum()
    assert_allclose(lik.gaussian_log_likelihood(x, mean, 2.5), want, rtol=RTOL)


def test_bernoulli_log_likelihood_matches_scipy():
    mu = rng.uniform(0.05, 0.95, labels.size)
    want = stats.bernoulli.logpmf(labels, mu).sum()
    assert_allclose(lik.bernoulli_log_likelihood(labels, mu), want, rtol=RTOL)


def test_laplace_log_likelihood_matches_scipy():
    want = stats.laplace.logpdf(x, 1.0, 0.7).sum()
    assert_allclose(lik.laplace_log_likelihood(x, 1.0, 0.7), want, rtol=RTOL)


def test_binary_cross_entropy_matches_sklearn_log_loss():
    z = rng.normal(0, 3, labels.size)
    want = log_loss(labels, 1 / (1 + np.exp(-z)))
    assert_allclose(lik.binary_cross_entropy(z, labels), want, rtol=1e-10)


def test_gaussian_mle_is_scipy_optimum():
    def nll(params):
        return -lik.gaussian_log_likelihood(x, params[0], np.exp(params[1]))

    result = optimize.minimize(
        nll, [0.0, 0.0], method="BFGS", options={"gtol": 1e-10}
    )
    mean, variance = lik.gaussian_mle(x)
    assert_allclose(
        [mean, variance], [result.x[0], np.exp(result.x[1])], rtol=OPT_RTOL
    )
    assert_allclose(
        [mean, np.sqrt(variance)], stats.norm.fit(x), rtol=OPT_RTOL
    )


def test_bernoulli_mle_is_scipy_optimum():
    result = optimize.minimize_scalar(
        lambda p: -lik.bernoulli_log_likelihood(labels, p),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert_allclose(lik.bernoulli_mle(labels), result.x, rtol=OPT_RTOL)


def test_laplace_mle_is_scipy_optimum():
    odd = x[:199]  # an odd N: a unique median
    result = optimize.minimize(
        lambda p: -lik.laplace_log_likelihood(odd, p[0], np.exp(p[1])),
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000},
    )
    location, scale = lik.laplace_mle(odd)
    assert_allclose(
        [location, scale], [result.x[0], np.exp(result.x[1])], rtol=OPT_RTOL
    )
    assert_allclose([location, scale], stats.laplace.fit(odd), rtol=1e-8)


# --- identities --------------------------------------------------------


def test_zero_score_at_the_gaussian_mle():
    mean, variance = lik.gaussian_mle(x)
    score = numdiff.gradient(
        lambda p: lik.gaussian_log_likelihood(x, p[0], p[1]),
        np.array([mean, variance]),
    )
    assert_allclose(score, 0.0, atol=SCORE_ATOL)


def test_zero_score_at_the_bernoulli_mle():
    mu = lik.bernoulli_mle(labels)
    score = numdiff.derivative(
        lambda p: lik.bernoulli_log_likelihood(labels, p), mu
    )
    assert_allclose(score, 0.0, atol=SCORE_ATOL)


def test_gaussian_variance_mle_is_biased_by_n_minus_1_over_n():
    samples = np.random.default_rng(1).normal(0, 2, (20_000, 5))
    estimates = np.array([lik.gaussian_mle(s)[1] for s in samples])
    # E = 4 * 4/5 = 3.2; the Monte Carlo standard error is ~0.013
    assert abs(estimates.mean() - 3.2) < 4 * estimates.std() / np.sqrt(2e4)


# Beyond |z| ~ 10 the probability route loses digits in log(1 - sigma):
# that loss is why binary_cross_entropy works from logits.
@given(
    st.lists(st.floats(-10, 10), min_size=1, max_size=20),
    st.integers(0, 2**32 - 1),
)
@FEW
def test_cross_entropy_is_minus_mean_bernoulli_log_likelihood(z, seed):
    z = np.array(z)
    y = np.random.default_rng(seed).integers(0, 2, z.size)
    want = -lik.bernoulli_log_likelihood(y, lik.sigmoid(z)) / z.size
    assert_allclose(
        lik.binary_cross_entropy(z, y), want, rtol=1e-10, atol=1e-10
    )


@given(st.floats(-700, 700))
@FEW
def test_softplus_identities(z):
    assert_allclose(lik.softplus(z) - lik.softplus(-z), z, atol=1e-12)
    assert_allclose(lik.sigmoid(z) + lik.sigmoid(-z), 1.0, rtol=1e-15)


def test_stable_at_extreme_logits():
    assert lik.binary_cross_entropy([1000.0, -1000.0], [0, 1]) == 1000.0
    assert lik.binary_cross_entropy([1000.0, -1000.0], [1, 0]) == 0.0
    assert lik.sigmoid(-1000.0) == 0.0
    assert lik.bernoulli_log_likelihood([1, 0], [1.0, 0.0]) == 0.0
    assert lik.bernoulli_log_likelihood([1], [0.0]) == -np.inf


def test_inputs_are_not_modified():
    y = labels.copy()
    lik.bernoulli_log_likelihood(y, 0.3)
    lik.binary_cross_entropy(np.zeros(y.size), y)
    assert_allclose(y, labels)


# --- bad input ---------------------------------------------------------


def test_labels_must_be_binary():
    with pytest.raises(
        ValueError,
        match=r"binary labels 0 and 1; got the "
        r"value 2 at index 1",
    ):
        lik.bernoulli_log_likelihood([1, 2], 0.5)
    with pytest.raises(ValueError, match="binary labels"):
        lik.binary_cross_entropy([0.0, 1.0], [-1, 1])


def test_variances_and_scales_must_be_positive():
    with pytest.raises(ValueError, match=r"`variance` must be > 0; got 0"):
        lik.gaussian_log_likelihood(x, 0.0, 0.0)
    with pytest.raises(ValueError, match=r"`scale` must be > 0; got -1"):
        lik.laplace_log_likelihood(x, 0.0, -1.0)


def test_probabilities_must_lie_in_unit_interval():
    with pytest.raises(ValueError, match=r"`proba` must lie in \[0, 1\]"):
        lik.bernoulli_log_likelihood([0, 1], [0.5, 1.5])


def test_nan_and_shape_errors():
    with pytest.raises(ValueError, match="only finite values"):
        lik.gaussian_mle([1.0, np.nan])
    with pytest.raises(ValueError, match=r"shape of `y`, \(3,\)"):
        lik.gaussian_log_likelihood([1.0, 2.0, 3.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="same number of samples"):
        lik.binary_cross_entropy([0.0, 1.0], [1])
