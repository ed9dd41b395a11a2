r"""Bundled data sets, split the way the chapters use them.

The data ship with scikit-learn (``sklearn.datasets``), so nothing is
downloaded. scikit-learn is imported only when a loader is called: the
rest of the library needs NumPy alone.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mathsforml._validation import check_in_range, check_integer

__all__ = ["DigitsSplit", "digits_split"]

#: Largest pixel value of the 8 x 8 digits; dividing by it scales to [0, 1].
DIGITS_MAX_PIXEL = 16.0


class DigitsSplit(NamedTuple):
    """A train/test split: ``X_train, X_test, y_train, y_test``."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def digits_split(seed: int = 0, test_size: float = 0.25) -> DigitsSplit:
    r"""Load scikit-learn's handwritten digits, scaled and split.

    The 1797 images of 8 x 8 pixels become rows :math:`\mathbf x_i \in
    [0, 1]^{64}` (the grey levels 0 to 16 divided by 16); the labels are
    the digits 0 to 9. The split is stratified, so both parts keep the
    class proportions, and it is scikit-learn's ``train_test_split``,
    so a seed gives the same split as there. This is the split of the
    network, gradient-check and training chapters (seed 0).

    Parameters
    ----------
    seed : int, default 0
        Seeds the shuffle; the same seed gives the same split.
    test_size : float, default 0.25
        The fraction of images held out, in (0, 1).

    Returns
    -------
    DigitsSplit
        ``(X_train, X_test, y_train, y_test)``: float64 pixel rows and
        integer labels.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer or ``test_size`` not a number.
    ValueError
        If ``seed`` is negative or ``test_size`` is outside (0, 1).

    See Also
    --------
    mathsforml.model_selection.train_test_split : an unstratified split.

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = digits_split(seed=0)
    >>> X_train.shape, X_test.shape
    ((1347, 64), (450, 64))
    >>> float(X_train.min()), float(X_train.max())
    (0.0, 1.0)
    """
    seed = check_integer(seed, "seed", minimum=0)
    test_size = check_in_range(test_size, "test_size", 0, 1, closed="neither")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    parts = train_test_split(
        digits.data / DIGITS_MAX_PIXEL,
        digits.target,
        test_size=test_size,
        random_state=seed,
        stratify=digits.target,
    )
    return DigitsSplit(*parts)
