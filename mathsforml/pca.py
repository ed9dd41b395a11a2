r"""Principal component analysis, by three solvers that give one answer.

The PCA chapters centre the data :math:`\mathbf{X} \in \mathbb{R}^{N
\times D}` (samples are rows), optionally divide each feature by its
standard deviation, and find the orthonormal directions of largest
variance: the eigenvectors of the sample covariance

.. math::
    \mathbf{S} = \frac{1}{N-1}\mathbf{X}_c^\top\mathbf{X}_c,

which are the right singular vectors of :math:`\mathbf{X}_c`, with
:math:`\lambda_i = \sigma_i^2/(N-1)`. Three solvers compute them:

- ``"svd"``: the thin SVD of :math:`\mathbf{X}_c`, the most accurate;
- ``"eigh"``: the eigendecomposition of the :math:`D \times D` matrix
  :math:`\mathbf{X}_c^\top\mathbf{X}_c`, cheap when :math:`N \gg D`;
- ``"gram"``: the eigendecomposition of the :math:`N \times N` Gram
  matrix :math:`\mathbf{X}_c\mathbf{X}_c^\top`, cheap when :math:`N \ll
  D` (:func:`mathsforml.svd.svd_via_eigh` applied to
  :math:`\mathbf{X}_c^\top`).

Names follow scikit-learn's ``PCA`` [SK]: the 1/(N - 1) covariance, the
attributes ending in ``_``, and the sign convention of
:func:`mathsforml.svd.flip_signs` [MML] [J].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, ch. 10.
- [J] I. T. Jolliffe, *Principal Component Analysis*, 2nd ed., Springer,
  2002.
- [SK] F. Pedregosa et al., "Scikit-learn: machine learning in Python",
  *JMLR* 12, 2825-2830, 2011.
"""

from __future__ import annotations

import numbers

import numpy as np

from mathsforml._validation import as_float_array, check_integer, check_shape
from mathsforml.svd import flip_signs, svd_via_eigh

__all__ = ["PCA", "NotFittedError"]

SOLVERS = ("svd", "eigh", "gram")
# A feature whose standard deviation is below CONSTANT_RTOL * |mean| is
# constant up to round-off and cannot be standardised.
CONSTANT_RTOL = 1e-12


class NotFittedError(ValueError, AttributeError):
    """A method that needs a fitted model was called before ``fit``."""


def _solve_svd(Xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)  # (la-pca-svd)
    return sigma, Vt


def _solve_eigh(Xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # eigenvalues of X_c^T X_c are sigma_i^2, eq. (la-covariance)
    eigenvalues, V = np.linalg.eigh(Xc.T @ Xc)
    r = min(Xc.shape)
    eigenvalues, V = eigenvalues[::-1][:r], V[:, ::-1][:, :r]
    return np.sqrt(np.clip(eigenvalues, 0.0, None)), V.T


def _solve_gram(Xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # the left singular vectors of X_c^T, eq. (la-gram-components)
    U, sigma, _ = svd_via_eigh(Xc.T)
    return sigma, U.T


_SOLVE = {"svd": _solve_svd, "eigh": _solve_eigh, "gram": _solve_gram}


class PCA:
    r"""Principal component analysis.

    Parameters
    ----------
    n_components : int or float or None, default None
        An integer :math:`k` in :math:`[1, \min(N, D)]` keeps :math:`k`
        components. A float in :math:`(0, 1)` keeps the fewest components
        whose explained variance ratios add up to more than it. ``None``
        keeps all: :math:`\min(N, D)`, or for ``"gram"`` those of
        non-zero variance.
    solver : {"svd", "eigh", "gram"}, default "svd"
        How to compute the components (see the module docstring).
    standardize : bool, default False
        Divide each centred feature by its standard deviation (with
        :math:`1/N`, as scikit-learn's ``StandardScaler``) before the
        decomposition: PCA of the correlation matrix.

    Attributes
    ----------
    components_ : numpy.ndarray, shape (k, D)
        The principal directions :math:`\mathbf{v}_i^\top` as rows; the
        largest-magnitude entry of each is positive.
    explained_variance_ : numpy.ndarray, shape (k,)
        The eigenvalues :math:`\lambda_i = \sigma_i^2/(N-1)` of
        :math:`\mathbf{S}`, decreasing.
    explained_variance_ratio_ : numpy.ndarray, shape (k,)
        :math:`\lambda_i / \operatorname{tr}\mathbf{S}`.
    singular_values_ : numpy.ndarray, shape (k,)
        :math:`\sigma_i` of the centred (and scaled) data.
    mean_ : numpy.ndarray, shape (D,)
        The training mean :math:`\boldsymbol{\mu}`.
    scale_ : numpy.ndarray of shape (D,) or None
        The training standard deviations if ``standardize``.
    n_components_, n_features_in_, n_samples_ : int
        :math:`k`, :math:`D` and :math:`N`.

    Examples
    --------
    Points near the line :math:`x_2 = 2x_1`:

    >>> X = np.array([[1.0, 2.1], [2.0, 3.9], [3.0, 6.0], [4.0, 8.1]])
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.components_.round(3)
    array([[0.445, 0.896]])
    >>> pca.explained_variance_ratio_.round(5)
    array([0.99979])
    >>> pca.inverse_transform(pca.transform(X)).round(2)
    array([[1.04, 2.08],
           [1.95, 3.92],
           [2.99, 6.01],
           [4.02, 8.09]])
    """

    def __init__(
        self,
        n_components: int | float | None = None,
        *,
        solver: str = "svd",
        standardize: bool = False,
    ) -> None:
        self.n_components = n_components
        self.solver = solver
        self.standardize = standardize

    def __repr__(self) -> str:
        return (
            f"PCA(n_components={self.n_components!r}, "
            f"solver={self.solver!r}, standardize={self.standardize!r})"
        )

    def _check_params(self, n_samples: int, n_features: int) -> None:
        if self.solver not in SOLVERS:
            raise ValueError(
                f"`solver` must be one of {SOLVERS}; got {self.solver!r}."
            )
        k, most = self.n_components, min(n_samples, n_features)
        if k is None:
            return
        if isinstance(k, numbers.Real) and not isinstance(k, numbers.Integral):
            if not 0 < k < 1:
                raise ValueError(
                    "`n_components` must be an integer or a fraction in "
                    f"(0, 1) of the variance to keep; got {k}."
                )
            return
        if check_integer(k, "n_components") > most:
            raise ValueError(
                f"`n_components` must be <= min(n_samples, n_features) = "
                f"{most}; got {k}. Data with {n_samples} samples of "
                f"{n_features} features have at most {most} components."
            )

    def _n_kept(self, ratio: np.ndarray) -> int:
        k = self.n_components
        if k is None:
            return ratio.size
        if not isinstance(k, numbers.Integral):  # a variance fraction
            cumulative = np.cumsum(ratio)
            return min(
                int(np.searchsorted(cumulative, k, "right")) + 1, ratio.size
            )
        if k > ratio.size:
            raise ValueError(
                f"`n_components` = {k}, but the centred data have only "
                f"{ratio.size} components of non-zero variance, all that "
                "solver='gram' can find. Pass fewer components or use "
                "solver='svd'."
            )
        return int(k)

    def _fit_scale(self, Xc: np.ndarray) -> np.ndarray:
        scale = np.sqrt(np.mean(Xc**2, axis=0))  # 1/N, as StandardScaler
        constant = np.flatnonzero(scale <= CONSTANT_RTOL * abs(self.mean_))
        if constant.size:
            raise ValueError(
                f"`X` has {constant.size} constant column(s), at indices "
                f"{constant[:10].tolist()}; their standard deviation is 0, "
                "so they cannot be standardised. Drop them, or fit with "
                "standardize=False."
            )
        return scale

    def fit(self, X: object) -> PCA:
        """Fit the model to data ``X`` of shape (N, D); return ``self``."""
        X = as_float_array(X, "X", ndim=2)
        n_samples, n_features = X.shape
        if n_samples < 2:
            raise ValueError(
                f"`X` must have at least 2 samples (rows) to estimate a "
                f"variance; got {n_samples}."
            )
        self._check_params(n_samples, n_features)
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        self.scale_ = self._fit_scale(Xc) if self.standardize else None
        if self.scale_ is not None:
            Xc /= self.scale_
        sigma, Vt = _SOLVE[self.solver](Xc)  # singular values of X_c
        variance = sigma**2 / (n_samples - 1)  # eq. (la-pca-svd)
        total = np.sum(Xc**2) / (n_samples - 1)  # tr S, S the covariance
        k = self._n_kept(variance / total)
        self.components_, _ = flip_signs(Vt[:k])
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = variance[:k] / total
        self.singular_values_ = sigma[:k]
        self.n_components_, self.n_features_in_ = k, n_features
        self.n_samples_ = n_samples
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise NotFittedError(
                "This PCA is not fitted yet; call `fit(X)` (or "
                "`fit_transform(X)`) with training data first."
            )

    def transform(self, X: object) -> np.ndarray:
        r"""Coordinates :math:`(\mathbf{x} - \boldsymbol{\mu})^\top
        \mathbf{B}` in the principal directions, shape (N, k)."""
        self._check_fitted()
        X = as_float_array(X, "X", ndim=2)
        hint = (
            f"The model was fitted on {self.n_features_in_} features; "
            "transform data with the same columns."
        )
        check_shape(X, "X", (None, self.n_features_in_), hint)
        Xc = X - self.mean_  # the training mean, never the new data's
        if self.scale_ is not None:
            Xc = Xc / self.scale_
        return Xc @ self.components_.T

    def fit_transform(self, X: object) -> np.ndarray:
        """Fit to ``X`` and return its coordinates, shape (N, k)."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: object) -> np.ndarray:
        r"""Reconstructions :math:`\boldsymbol{\mu} + \mathbf{B}\mathbf{z}`
        in the original space, shape (N, D)."""
        self._check_fitted()
        Z = as_float_array(Z, "Z", ndim=2)
        hint = f"Pass coordinates with {self.n_components_} columns."
        check_shape(Z, "Z", (None, self.n_components_), hint)
        X = Z @ self.components_  # eq. (la-pca-reconstruction)
        if self.scale_ is not None:
            X = X * self.scale_
        return X + self.mean_
