"""Tests for mathsforml.bayesian: the posterior against scikit-learn's
BayesianRidge at fixed hyper-parameters, the evidence against SciPy,
identities linking it to ridge and least squares, and bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from sklearn import linear_model

from mathsforml import bayesian, least_squares, model_selection
from mathsforml import regularisation as reg

B2, S2 = 2.0, 0.04  # prior variance b^2 and noise variance sigma^2
x, y = model_selection.make_curve_data(25, seed=0)
Phi = least_squares.polynomial_features(x, 6)
x_new = np.linspace(-1.5, 1.5, 7)
Phi_new = least_squares.polynomial_features(x_new, 6)


def _fixed_bayesian_ridge():
    """BayesianRidge whose Gamma hyper-priors pin alpha = 1/S2 and
    lambda = 1/B2: with shape k and rate k/value, the updates
    (gamma + 2k) / (rss + 2k/value) stay within ~N/k of value."""
    k = 1e14
    return linear_model.BayesianRidge(
        fit_intercept=False,
        alpha_init=1 / S2,
        lambda_init=1 / B2,
        alpha_1=k,
        alpha_2=k * S2,
        lambda_1=k,
        lambda_2=k * B2,
        tol=1e-12,
        max_iter=5,
    ).fit(Phi, y)


# --- reference ---------------------------------------------------------


def test_posterior_matches_bayesian_ridge_at_fixed_hyperparameters():
    ref = _fixed_bayesian_ridge()
    assert_allclose([ref.alpha_, ref.lambda_], [1 / S2, 1 / B2], rtol=1e-10)
    model = bayesian.BayesianLinearRegression(B2, S2).fit(Phi, y)
    assert_allclose(model.coef_, ref.coef_, rtol=1e-7)
    assert_allclose(
        model.covariance_,
        ref.sigma_,
        rtol=1e-7,
        atol=1e-10 * np.abs(ref.sigma_).max(),
    )
    mean, std = model.predict(Phi_new, return_std=True)
    ref_mean, ref_std = ref.predict(Phi_new, return_std=True)
    assert_allclose(mean, ref_mean, rtol=1e-7)
    assert_allclose(std, ref_std, rtol=1e-7)


def test_log_evidence_matches_scipy_multivariate_normal():
    cov = S2 * np.eye(len(y)) + B2 * Phi @ Phi.T  # eq. (bayes-evidence)
    want = stats.multivariate_normal(np.zeros(len(y)), cov).logpdf(y)
    assert_allclose(bayesian.log_evidence(Phi, y, B2, S2), want, rtol=1e-9)
    m0 = np.linspace(-1, 1, Phi.shape[1])
    want = stats.multivariate_normal(Phi @ m0, cov).logpdf(y)
    assert_allclose(bayesian.log_evidence(Phi, y, B2, S2, m0), want, rtol=1e-9)


# --- identities --------------------------------------------------------


def test_posterior_mean_is_ridge_with_lambda_sigma2_over_b2():
    model = bayesian.BayesianLinearRegression(B2, S2).fit(Phi, y)
    assert_allclose(model.coef_, reg.ridge(Phi, y, S2 / B2), rtol=1e-9)


def test_flat_prior_gives_least_squares():
    model = bayesian.BayesianLinearRegression(1e12, S2).fit(Phi, y)
    ols = least_squares.solve_least_squares(Phi, y)
    assert_allclose(model.coef_, ols, rtol=1e-6)
    assert_allclose(
        model.covariance_, S2 * np.linalg.inv(Phi.T @ Phi), rtol=1e-5
    )


def test_predictive_variance_bounds():
    model = bayesian.BayesianLinearRegression(B2, S2).fit(Phi, y)
    _, std_y = model.predict(Phi_new, return_std=True)
    _, std_f = model.predict(Phi_new, return_std=True, noise=False)
    assert_allclose(std_y**2 - std_f**2, S2, rtol=1e-9)
    assert np.all(std_f > 0)
    # beyond the data (|x| = 1.5) the band is wider than at x = 0
    assert std_f[0] > 10 * std_f[3] and std_f[-1] > 10 * std_f[3]


def test_posterior_samples_have_the_posterior_moments():
    model = bayesian.BayesianLinearRegression(B2, S2).fit(Phi[:, :3], y)
    draws = model.sample(40_000, seed=1)
    sd = np.sqrt(np.diag(model.covariance_))
    # Monte Carlo error of a mean: sd / 200
    assert np.all(np.abs(draws.mean(axis=0) - model.coef_) < 4 * sd / 200)
    assert_allclose(
        np.cov(draws.T),
        model.covariance_,
        rtol=0.05,
        atol=0.05 * sd.max() ** 2,
    )


def test_evidence_chain_rule():
    # p(y1, y2) = p(y1) p(y2 | y1): the second factor is the predictive
    # density of y2 under the posterior from y1, a Gaussian in y2.
    first = bayesian.BayesianLinearRegression(B2, S2).fit(Phi[:20], y[:20])
    mean = Phi[20:] @ first.coef_
    cov = Phi[20:] @ first.covariance_ @ Phi[20:].T + S2 * np.eye(5)
    conditional = stats.multivariate_normal(mean, cov).logpdf(y[20:])
    joint = bayesian.log_evidence(Phi, y, B2, S2)
    assert_allclose(joint, first.log_evidence_ + conditional, rtol=1e-9)


# --- bad input ---------------------------------------------------------


def test_bad_input():
    with pytest.raises(ValueError, match="`prior_variance` must be > 0"):
        bayesian.BayesianLinearRegression(0.0, S2).fit(Phi, y)
    with pytest.raises(ValueError, match="`noise_variance` must be > 0"):
        bayesian.log_evidence(Phi, y, B2, -1.0)
    with pytest.raises(least_squares.NotFittedError, match="not fitted yet"):
        bayesian.BayesianLinearRegression().predict(Phi)
    model = bayesian.BayesianLinearRegression().fit(Phi, y)
    with pytest.raises(ValueError, match=r"`Phi` must have shape \(any, 7"):
        model.predict(Phi[:, :3])
    with pytest.raises(ValueError, match="only finite values"):
        model.predict(np.full((1, 7), np.nan))
    with pytest.raises(ValueError, match=r"`prior_mean` must have shape"):
        bayesian.log_evidence(Phi, y, B2, S2, prior_mean=np.zeros(2))
