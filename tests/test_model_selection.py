"""Tests for mathsforml.model_selection: folds and scores against
scikit-learn, partitions, seeds, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn import linear_model
from sklearn import model_selection as skms
from sklearn.datasets import load_diabetes

from mathsforml import least_squares as ls
from mathsforml import model_selection as ms

FEW = settings(max_examples=40, deadline=None)


# --- reference ---------------------------------------------------------


@given(st.integers(2, 60), st.integers(2, 10))
@FEW
def test_unshuffled_folds_equal_sklearn(n, k):
    if k > n:
        return
    ours = list(ms.KFold(k).split(n))
    theirs = list(skms.KFold(k).split(np.zeros(n)))
    for (tr, te), (tr_ref, te_ref) in zip(ours, theirs, strict=True):
        assert np.array_equal(te, te_ref) and np.array_equal(tr, tr_ref)


def test_shuffled_fold_sizes_equal_sklearn():
    ours = [len(te) for _, te in ms.KFold(4, True, seed=0).split(23)]
    ref = skms.KFold(4, shuffle=True, random_state=0)
    theirs = [len(te) for _, te in ref.split(np.zeros(23))]
    assert ours == theirs


def test_cross_val_mse_equals_sklearn_cross_val_score():
    X, y = load_diabetes(return_X_y=True)
    ours = ms.cross_val_mse(
        ls.LinearRegression(), X, y, cv=ms.KFold(5, shuffle=True, seed=1)
    )
    folds = list(ms.KFold(5, shuffle=True, seed=1).split(X))
    theirs = -skms.cross_val_score(
        linear_model.LinearRegression(),
        X,
        y,
        cv=folds,
        scoring="neg_mean_squared_error",
    )
    assert_allclose(ours, theirs, rtol=1e-10)


def test_train_test_split_sizes_equal_sklearn():
    for n, size in ((10, 0.25), (101, 0.3), (7, 0.5)):
        ours = ms.train_test_split(np.arange(n), test_size=size, seed=0)
        theirs = skms.train_test_split(np.arange(n), test_size=size)
        assert [len(a) for a in ours] == [len(a) for a in theirs]


# --- identities --------------------------------------------------------


@given(st.integers(2, 50), st.integers(2, 8), st.integers(0, 2**32 - 1))
@FEW
def test_folds_partition_the_samples(n, k, seed):
    if k > n:
        return
    tests = [te for _, te in ms.KFold(k, True, seed).split(n)]
    assert np.array_equal(np.sort(np.concatenate(tests)), np.arange(n))
    for train, test in ms.KFold(k, True, seed).split(n):
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == n


def test_seeds_reproduce_and_differ():
    a = [te for _, te in ms.KFold(3, True, seed=5).split(30)]
    b = [te for _, te in ms.KFold(3, True, seed=5).split(30)]
    c = [te for _, te in ms.KFold(3, True, seed=6).split(30)]
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not all(np.array_equal(u, v) for u, v in zip(a, c, strict=True))
    x1, y1 = ms.make_curve_data(20, seed=3)
    x2, y2 = ms.make_curve_data(20, seed=3)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


def test_split_keeps_rows_together():
    X = np.arange(20.0).reshape(10, 2)
    X_tr, X_te, y_tr, y_te = ms.train_test_split(X, X[:, 0], seed=2)
    assert np.array_equal(X_tr[:, 0], y_tr)
    assert np.array_equal(X_te[:, 0], y_te)


def test_curve_data_noise_has_the_stated_spread():
    x, y = ms.make_curve_data(20_000, noise_std=0.3, seed=0)
    residual = y - ms.true_curve(x)
    # the sample sd of 20000 normals errs by ~0.3 / sqrt(40000) = 0.0015
    assert abs(residual.std() - 0.3) < 0.006
    assert x.min() >= -1 and x.max() <= 1


def test_the_model_is_not_modified():
    model = ls.LinearRegression()
    X = np.arange(12.0).reshape(-1, 1)
    ms.cross_val_mse(model, X, X[:, 0] ** 2, cv=3)
    assert model.coef_ is None


# --- bad input ---------------------------------------------------------


def test_bad_arguments():
    with pytest.raises(ValueError, match="`n_splits` must be >= 2"):
        ms.KFold(1)
    with pytest.raises(ValueError, match="at least as many samples"):
        list(ms.KFold(5).split(3))
    with pytest.raises(ValueError, match=r"`test_size` must lie in \(0"):
        ms.train_test_split(np.arange(5), test_size=1.0)
    with pytest.raises(ValueError, match="same number of rows"):
        ms.train_test_split(np.arange(5), np.arange(4))
    with pytest.raises(ValueError, match="`noise_std` must be > 0"):
        ms.make_curve_data(5, noise_std=0.0)
    with pytest.raises(ValueError, match="only finite values"):
        ms.cross_val_mse(ls.LinearRegression(), [[1.0], [np.nan]], [1, 2])
