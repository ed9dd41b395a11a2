"""Tests for mathsforml.datasets: the digits split against the one the
chapters made with scikit-learn, partition and stratification, seeds, and
bad input."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from mathsforml.datasets import digits_split

N_CLASSES = 10


# --- reference ---------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 7])
def test_equals_the_scikit_learn_split_of_the_chapters(seed):
    digits = load_digits()
    expected = train_test_split(
        digits.data / 16.0,
        digits.target,
        test_size=0.25,
        random_state=seed,
        stratify=digits.target,
    )
    for ours, theirs in zip(digits_split(seed=seed), expected, strict=True):
        assert np.array_equal(ours, theirs)


# --- identities --------------------------------------------------------


def test_partition_of_the_whole_set():
    X_train, X_test, y_train, y_test = digits_split(seed=0, test_size=0.3)
    digits = load_digits()
    assert len(y_test) == int(np.ceil(0.3 * len(digits.target)))
    together = np.vstack([X_train, X_test]) * 16.0
    order = np.lexsort(together.T)
    reference = np.lexsort(digits.data.T)
    assert np.array_equal(together[order], digits.data[reference])
    labels = np.concatenate([y_train, y_test])
    assert np.array_equal(np.bincount(labels), np.bincount(digits.target))


def test_stratified():
    # each class's test count is its share of the test set, rounded
    split, target = digits_split(seed=0), load_digits().target
    counts = np.bincount(split.y_test, minlength=N_CLASSES)
    share = np.bincount(target) * len(split.y_test) / len(target)
    assert np.all(np.abs(counts - share) <= 1)


def test_seed_decides_the_split():
    first, again = digits_split(seed=3), digits_split(seed=3)
    other = digits_split(seed=4)
    assert np.array_equal(first.y_train, again.y_train)
    assert np.array_equal(first.X_test, again.X_test)
    assert not np.array_equal(first.X_test, other.X_test)


# --- bad input ---------------------------------------------------------


def test_bad_seed():
    with pytest.raises(TypeError, match=r"`seed` must be an integer; got"):
        digits_split(seed=0.5)
    with pytest.raises(ValueError, match=r"`seed` must be >= 0; got -1"):
        digits_split(seed=-1)


@pytest.mark.parametrize("test_size", [0, 1.0, 1.5])
def test_bad_test_size(test_size):
    with pytest.raises(ValueError, match=r"`test_size` must lie in \(0, 1\)"):
        digits_split(test_size=test_size)
