r"""Activation functions, their derivatives, and a stable softmax.

The chapter on backpropagation needs each hidden activation
:math:`\sigma` together with its derivative :math:`\sigma'`. They sit
side by side in one registry, :data:`ACTIVATIONS`, so that adding an
activation means adding one pair of named functions.

Every derivative takes the pre-activation ``Z`` *and* the activation
``A = sigma(Z)`` that the forward pass has already cached, because
several derivatives are cheapest in terms of ``A``
(:math:`\tanh' = 1 - \tanh^2`, :math:`s' = s(1 - s)`).

The registry functions are private and unchecked: they run inside the
training loop. The public functions validate their input.

References:

- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Sections 4.1 (overflow and underflow) and 6.3
  (hidden units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from mathsforml._validation import as_float_array

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "log_softmax",
    "softmax",
]


def _identity(Z: np.ndarray) -> np.ndarray:
    return Z


def _identity_derivative(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    return np.ones_like(Z)


def _tanh(Z: np.ndarray) -> np.ndarray:
    return np.tanh(Z)


def _tanh_derivative(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # tanh'(z) = 1 - tanh(z)^2, from the cached A: no second tanh
    return 1.0 - A * A


def _relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0.0)


def _relu_derivative(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # the subgradient 0 at z = 0, the convention of every framework
    return (Z > 0.0).astype(Z.dtype)


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    # s(z) = exp(-softplus(-z)): no overflow, full relative precision
    # in both tails [DLB 3.10]
    return np.exp(-np.logaddexp(0.0, -Z))


def _sigmoid_derivative(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    # s'(z) = s(z) (1 - s(z)), from the cached A
    return A * (1.0 - A)


class Activation(NamedTuple):
    r"""An activation :math:`\sigma` and its derivative :math:`\sigma'`.

    ``function(Z)`` returns :math:`\sigma(Z)` element-wise and
    ``derivative(Z, A)`` returns :math:`\sigma'(Z)`, given also
    ``A = function(Z)``.
    """

    name: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]


#: The named registry of hidden-layer activations.
ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", _identity, _identity_derivative),
    "relu": Activation("relu", _relu, _relu_derivative),
    "sigmoid": Activation("sigmoid", _sigmoid, _sigmoid_derivative),
    "tanh": Activation("tanh", _tanh, _tanh_derivative),
}


def get_activation(name: str) -> Activation:
    """Look up an activation and its derivative by name.

    Parameters
    ----------
    name : {"tanh", "relu", "sigmoid", "identity"}
        The activation's name.

    Returns
    -------
    Activation
        A named tuple ``(name, function, derivative)``.

    Raises
    ------
    ValueError
        If ``name`` is not in :data:`ACTIVATIONS`.

    See Also
    --------
    mathsforml.network.forward : Uses the activation in hidden layers.

    Examples
    --------
    >>> act = get_activation("tanh")
    >>> Z = np.array([0.0, 1.0])
    >>> act.derivative(Z, act.function(Z))
    array([1.        , 0.41997434])
    """
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    raise ValueError(
        f"`activation` must be one of {sorted(ACTIVATIONS)}; got "
        f"{name!r}. Pass one of those names."
    )


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    # eq. (log-sum-exp): subtracting the row maximum leaves the result
    # unchanged and makes every exponent <= 0, so nothing overflows
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax(Z: np.ndarray) -> np.ndarray:
    # eq. (softmax-stable): the same shift; the largest exponent is 0,
    # so the denominator is at least 1
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    E /= E.sum(axis=-1, keepdims=True)
    return E


def softmax(Z: object) -> np.ndarray:
    r"""Softmax along the last axis, computed stably.

    .. math::

        \operatorname{softmax}(\mathbf z)_k
        = \frac{\exp(z_k - m)}{\sum_j \exp(z_j - m)},
        \qquad m = \max_j z_j,

    which equals :math:`e^{z_k} / \sum_j e^{z_j}` exactly, but never
    overflows (eq. ``softmax-stable``).

    Parameters
    ----------
    Z : array_like of shape (n_classes,) or (n_samples, n_classes)
        Logits; one row per sample.

    Returns
    -------
    numpy.ndarray
        Probabilities of the same shape; each row sums to 1.

    Raises
    ------
    TypeError
        If ``Z`` is not numeric.
    ValueError
        If ``Z`` is empty, not 1-D or 2-D, or holds NaN or infinity.

    See Also
    --------
    log_softmax : Its logarithm, without underflow.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       section 4.1.

    Examples
    --------
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    >>> softmax([[0.0, np.log(3.0)]])
    array([[0.25, 0.75]])
    """
    return _softmax(as_float_array(Z, "Z", ndim=(1, 2)))


def log_softmax(Z: object) -> np.ndarray:
    r"""Logarithm of the softmax along the last axis, by log-sum-exp.

    .. math::

        \log \operatorname{softmax}(\mathbf z)_k
        = z_k - m - \log \sum_j \exp(z_j - m),
        \qquad m = \max_j z_j

    (eq. ``log-sum-exp``). Unlike ``np.log(softmax(Z))``, it stays finite
    when a probability underflows to zero.

    Parameters
    ----------
    Z : array_like of shape (n_classes,) or (n_samples, n_classes)
        Logits; one row per sample.

    Returns
    -------
    numpy.ndarray
        Log-probabilities of the same shape.

    Raises
    ------
    TypeError
        If ``Z`` is not numeric.
    ValueError
        If ``Z`` is empty, not 1-D or 2-D, or holds NaN or infinity.

    See Also
    --------
    softmax : The probabilities themselves.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       section 4.1.

    Examples
    --------
    >>> log_softmax([0.0, -1e4])
    array([     0., -10000.])
    """
    return _log_softmax(as_float_array(Z, "Z", ndim=(1, 2)))
