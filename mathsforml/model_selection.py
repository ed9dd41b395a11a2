r"""Held-out data: seeded splits, :math:`k`-fold cross-validation, and a
toy curve.

A model chosen for its error on data it was fitted to is chosen for
memorising noise. These helpers hold data out: a random train/test
split, :math:`k`-fold splits (:class:`KFold`, with scikit-learn's folds),
and the cross-validated mean squared error, eq. (ms-cv-error). All
randomness goes through a seeded ``numpy.random.Generator`` [ESL].

References:

- [ESL] T. Hastie, R. Tibshirani and J. Friedman, *The Elements of
  Statistical Learning*, 2nd ed., Springer, 2009, sec. 7.10.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import numpy as np

from mathsforml._validation import (
    as_float_array,
    check_in_range,
    check_integer,
    check_positive,
)

__all__ = [
    "KFold",
    "cross_val_mse",
    "make_curve_data",
    "train_test_split",
    "true_curve",
]


def _generator(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None:
        seed = check_integer(seed, "seed", minimum=0)
    return np.random.default_rng(seed)


def _n_samples(X: object) -> int:
    if isinstance(X, int | np.integer):
        return check_integer(X, "X")
    return as_float_array(X, "X", ndim=(1, 2)).shape[0]


class KFold:
    r"""Split :math:`N` samples into :math:`k` folds for cross-validation.

    Fold :math:`j` is held out once while the model is fitted on the
    other :math:`k - 1`. The first :math:`N \bmod k` folds have
    :math:`\lfloor N/k\rfloor + 1` samples and the rest
    :math:`\lfloor N/k\rfloor`, exactly as in scikit-learn's ``KFold``;
    without shuffling the folds are the same index sets.

    Parameters
    ----------
    n_splits : int, default 5
        The number of folds :math:`k \ge 2`.
    shuffle : bool, default False
        Whether to permute the samples before cutting the folds.
    seed : int or numpy.random.Generator, optional
        Seeds the permutation when ``shuffle`` is true. (scikit-learn's
        ``random_state`` uses the legacy generator, so its shuffled folds
        differ from these.)

    Examples
    --------
    >>> [test.tolist() for _, test in KFold(3).split(7)]
    [[0, 1, 2], [3, 4], [5, 6]]
    """

    def __init__(
        self, n_splits: int = 5, shuffle: bool = False, seed: object = None
    ):
        self.n_splits = check_integer(n_splits, "n_splits", minimum=2)
        self.shuffle = shuffle
        self.seed = seed

    def get_n_splits(self) -> int:
        """The number of folds :math:`k`."""
        return self.n_splits

    def split(
        self, X: object, y: object = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_indices, test_indices)`` for each fold.

        ``X`` is the data (only its length is used) or the number of
        samples :math:`N \\ge k`.
        """
        n = _n_samples(X)
        if n < self.n_splits:
            raise ValueError(
                f"`n_splits` = {self.n_splits} needs at least as many "
                f"samples; got {n}. Use fewer folds."
            )
        order = np.arange(n)
        if self.shuffle:
            order = _generator(self.seed).permutation(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        stops = np.cumsum(sizes)
        for start, stop in zip(stops - sizes, stops, strict=True):
            test = order[start:stop]
            train = np.concatenate([order[:start], order[stop:]])
            yield train, test


def train_test_split(
    *arrays: object, test_size: float = 0.25, seed: object = None
) -> list[np.ndarray]:
    r"""Split arrays into random train and test parts by rows.

    The test part has :math:`\lceil \text{test\_size} \cdot N\rceil` rows,
    as in scikit-learn.

    Parameters
    ----------
    *arrays : array_like
        Arrays with the same number of rows.
    test_size : float, default 0.25
        The fraction of rows held out, in (0, 1).
    seed : int or numpy.random.Generator, optional
        Seeds the permutation.

    Returns
    -------
    list of numpy.ndarray
        ``[a_train, a_test, b_train, b_test, ...]``.

    Examples
    --------
    >>> X_tr, X_te = train_test_split(np.arange(8.0), test_size=0.25,
    ...                               seed=0)
    >>> len(X_tr), len(X_te)
    (6, 2)
    """
    if not arrays:
        raise ValueError("Pass at least one array to split; got none.")
    test_size = check_in_range(test_size, "test_size", 0, 1, closed="neither")
    arrs = [as_float_array(a, f"arrays[{i}]") for i, a in enumerate(arrays)]
    n = arrs[0].shape[0] if arrs[0].ndim else 0
    if any(a.ndim == 0 or a.shape[0] != n for a in arrs):
        raise ValueError(
            "All arrays must have the same number of rows; got lengths "
            f"{[a.shape[0] if a.ndim else 0 for a in arrs]}. Split arrays "
            "that belong together."
        )
    n_test = int(np.ceil(test_size * n))
    if not 0 < n_test < n:
        raise ValueError(
            f"`test_size` = {test_size} leaves an empty part of {n} rows. "
            "Use more rows or another fraction."
        )
    order = _generator(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return [part for a in arrs for part in (a[train], a[test])]


def cross_val_mse(
    model: object, X: object, y: object, cv: object = 5
) -> np.ndarray:
    r"""Held-out mean squared error of a model on each fold.

    For fold :math:`j` the model is fitted on the other folds and scored
    on fold :math:`j`; the cross-validation error, eq. (ms-cv-error), is
    the mean of the returned array.

    Parameters
    ----------
    model : object
        An unfitted model with ``fit(X, y)`` and ``predict(X)``; it is
        copied for each fold and never modified.
    X : array_like, shape (N, D)
        Features (a design matrix).
    y : array_like, shape (N,)
        Targets.
    cv : int or KFold, default 5
        The folds, or their number (unshuffled).

    Returns
    -------
    numpy.ndarray, shape (k,)
        The mean squared error on each held-out fold.

    Examples
    --------
    >>> from mathsforml.least_squares import LinearRegression
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> cross_val_mse(LinearRegression(), X, 2 * X[:, 0] + 1, cv=5)
    array([0., 0., 0., 0., 0.])
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    folds = cv if isinstance(cv, KFold) else KFold(cv)
    errors = []
    for train, test in folds.split(X):
        fitted = copy.deepcopy(model).fit(X[train], y[train])
        errors.append(np.mean((y[test] - fitted.predict(X[test])) ** 2))
    return np.array(errors)


def true_curve(x: object) -> np.ndarray:
    r"""The curve :math:`f(x) = \cos(5x) - \sin(x)` behind
    :func:`make_curve_data`.

    It is the function of the workshop's tutorial,
    :math:`\cos(t) - \sin(t/5)` on :math:`t \in [-5, 5]`, with
    :math:`x = t/5`, so that polynomial features stay well scaled.

    Examples
    --------
    >>> true_curve([0.0])
    array([1.])
    """
    x = as_float_array(x, "x")
    return np.cos(5 * x) - np.sin(x)


def make_curve_data(
    n_samples: int, noise_std: float = 0.2, seed: object = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Noisy samples :math:`y_n = f(x_n) + \varepsilon_n` of
    :func:`true_curve`.

    :math:`x_n \sim \mathcal U(-1, 1)` and :math:`\varepsilon_n \sim
    \mathcal N(0, \sigma^2)`, all independent.

    Parameters
    ----------
    n_samples : int
        :math:`N`.
    noise_std : float, default 0.2
        The noise standard deviation :math:`\sigma > 0`.
    seed : int or numpy.random.Generator, optional
        Seeds the draws.

    Returns
    -------
    x, y : numpy.ndarray, shape (N,)

    Examples
    --------
    >>> x, y = make_curve_data(3, seed=0)
    >>> x.shape, y.shape
    ((3,), (3,))
    """
    n_samples = check_integer(n_samples, "n_samples")
    noise_std = check_positive(noise_std, "noise_std")
    rng = _generator(seed)
    x = rng.uniform(-1.0, 1.0, n_samples)
    return x, true_curve(x) + noise_std * rng.standard_normal(n_samples)
