r"""The softmax cross-entropy loss and its gradient.

For logits :math:`Z \in \mathbb R^{n \times K}` (one row per sample)
and integer labels :math:`y_i \in \{0, \dots, K-1\}`, the mean
cross-entropy is

.. math::

    \mathcal L(Z)
    = -\frac1n \sum_{i=1}^n \log \operatorname{softmax}(z_i)_{y_i}
    = \frac1n \sum_{i=1}^n
      \Bigl(\log \sum_k e^{z_{ik}} - z_{i y_i}\Bigr),

and its gradient is :math:`(P - Y)/n`, with :math:`P` the softmax
probabilities and :math:`Y` the one-hot labels (eq. ``softmax-ce-grad``).

Labels are integers, or floats that are whole numbers (``2.0``), as
scikit-learn accepts. :func:`mathsforml.autodiff.softmax_cross_entropy`,
the same loss as a primitive of the autodiff engine, takes the same
arguments ``(logits, y)`` and checks them with the same function, so the
two accept the same labels and raise the same errors. An empty batch is
an error that names the empty argument.

References:

- [MML] Deisenroth, M. P., Faisal, A. A. and Ong, C. S. (2020).
  *Mathematics for Machine Learning*. Cambridge University Press.
  Section 5.6.
- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Sections 4.1 and 6.2.2.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_same_length,
)
from mathsforml.activations import _log_softmax, _softmax

__all__ = ["one_hot", "softmax_cross_entropy", "softmax_cross_entropy_grad"]


def _check_labels(y: object, n_classes: int, name: str = "y") -> np.ndarray:
    """Return ``y`` as an int array of class indices in [0, n_classes)."""
    arr = as_float_array(y, name, ndim=1)
    whole = np.floor(arr) == arr
    if not np.all(whole):
        raise ValueError(
            f"`{name}` must hold integer class labels; got the value "
            f"{arr[~whole][0]}. Encode classes as 0, 1, ..., "
            f"{n_classes - 1}."
        )
    bad = (arr < 0) | (arr >= n_classes)
    if np.any(bad):
        raise ValueError(
            f"`{name}` must hold labels in 0, ..., {n_classes - 1} (one "
            f"per output unit); got {int(arr[bad][0])}. Encode classes as "
            "0, ..., n_classes - 1, for example with "
            "`np.unique(y, return_inverse=True)[1]`."
        )
    return arr.astype(np.intp)


def _check_logits_labels(
    logits: object, y: object
) -> tuple[np.ndarray, np.ndarray]:
    """Checked logits and labels; autodiff's loss uses the same checks."""
    Z = as_float_array(logits, "logits", ndim=2)
    labels = _check_labels(y, Z.shape[1])
    check_same_length(Z, labels, ("logits", "y"))
    return Z, labels


def _softmax_cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    log_P = _log_softmax(Z)
    return float(-log_P[np.arange(y.shape[0]), y].mean())


def _softmax_cross_entropy_grad(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    n = y.shape[0]
    delta = _softmax(Z)
    delta[np.arange(n), y] -= 1.0  # P - Y without forming Y
    delta /= n  # eq. (softmax-ce-grad): the loss is a mean
    return delta


def one_hot(y: object, n_classes: int) -> np.ndarray:
    """One-hot encode integer labels.

    Parameters
    ----------
    y : array_like of shape (n_samples,)
        Class labels in ``0, ..., n_classes - 1``: integers, or floats
        that are whole numbers.
    n_classes : int
        The number of classes :math:`K`.

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_classes)
        :math:`Y` with :math:`Y_{ik} = 1` if :math:`y_i = k`, else 0.

    Raises
    ------
    ValueError
        If ``y`` is empty or a label is not a whole number in
        ``0, ..., n_classes - 1``.

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    n_classes = check_integer(n_classes, "n_classes")
    labels = _check_labels(y, n_classes)
    Y = np.zeros((labels.shape[0], n_classes))
    Y[np.arange(labels.shape[0]), labels] = 1.0
    return Y


def softmax_cross_entropy(logits: object, y: object) -> float:
    r"""Mean cross-entropy of softmax probabilities, by log-sum-exp.

    .. math::

        \mathcal L = \frac1n \sum_{i=1}^n
            \Bigl(\log \sum_k e^{z_{ik}} - z_{i y_i}\Bigr)

    computed with :func:`~mathsforml.activations.log_softmax`, so it is
    finite for any finite logits (eq. ``softmax-ce``).

    Parameters
    ----------
    logits : array_like of shape (n_samples, n_classes)
        The network's outputs :math:`Z_L`, one row per sample.
    y : array_like of shape (n_samples,)
        Class labels in ``0, ..., n_classes - 1``: integers, or floats
        that are whole numbers.

    Returns
    -------
    float
        The mean loss :math:`\mathcal L \ge 0`.

    Raises
    ------
    TypeError
        If ``logits`` or ``y`` is not numeric.
    ValueError
        If the shapes disagree, an array is empty, a value is NaN or
        infinite, or a label is not a whole number in range.

    See Also
    --------
    softmax_cross_entropy_grad : Its gradient with respect to the logits.

    References
    ----------
    .. [1] Deisenroth, Faisal and Ong (2020), *Mathematics for Machine
       Learning*, section 5.6.
    .. [2] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       sections 4.1 and 6.2.2.

    Examples
    --------
    >>> softmax_cross_entropy(np.zeros((4, 10)), [0, 1, 2, 3])  # ln 10
    2.302585092994046
    >>> softmax_cross_entropy([[1e4, -1e4]], [1])
    20000.0
    """
    Z, labels = _check_logits_labels(logits, y)
    return _softmax_cross_entropy(Z, labels)


def softmax_cross_entropy_grad(logits: object, y: object) -> np.ndarray:
    r"""Gradient of the mean softmax cross-entropy with respect to logits.

    .. math::

        \frac{\partial \mathcal L}{\partial Z} = \frac1n (P - Y),
        \qquad P = \operatorname{softmax}(Z) \text{ row-wise},

    where :math:`Y` is the one-hot matrix of the labels
    (eq. ``softmax-ce-grad``). It is the :math:`\delta_L` that starts
    backpropagation.

    Parameters
    ----------
    logits : array_like of shape (n_samples, n_classes)
        The network's outputs :math:`Z_L`, one row per sample.
    y : array_like of shape (n_samples,)
        Class labels in ``0, ..., n_classes - 1``: integers, or floats
        that are whole numbers.

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_classes)
        :math:`(P - Y) / n`; each row sums to 0.

    Raises
    ------
    TypeError
        If ``logits`` or ``y`` is not numeric.
    ValueError
        If the shapes disagree, an array is empty, a value is NaN or
        infinite, or a label is not a whole number in range.

    See Also
    --------
    softmax_cross_entropy : The loss itself.

    References
    ----------
    .. [1] Deisenroth, Faisal and Ong (2020), *Mathematics for Machine
       Learning*, section 5.6.1.
    .. [2] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       section 6.5.4.

    Examples
    --------
    >>> softmax_cross_entropy_grad([[0.0, 0.0], [0.0, np.log(3.0)]], [0, 1])
    array([[-0.25 ,  0.25 ],
           [ 0.125, -0.125]])
    """
    Z, labels = _check_logits_labels(logits, y)
    return _softmax_cross_entropy_grad(Z, labels)
