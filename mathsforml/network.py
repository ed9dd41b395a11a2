r"""A feedforward network trained by explicit, matrix-form backpropagation.

Conventions: rows are samples. A batch is :math:`X \in \mathbb R^{n
\times n_0}` and layer :math:`l = 1, \dots, L` maps :math:`n_{l-1}` to
:math:`n_l` units:

.. math::

    A_0 = X, \qquad
    Z_l = A_{l-1} W_l + \mathbf 1 b_l^\top,

    A_l = \sigma(Z_l) \ (l < L), \qquad
    P = \operatorname{softmax}(Z_L),

with :math:`W_l` of shape ``(n_{l-1}, n_l)`` and :math:`b_l` of shape
``(n_l,)`` (eq. ``forward-pass``). The output layer is affine; its
logits :math:`Z_L` feed the mean softmax cross-entropy
:math:`\mathcal L = -\frac1n \sum_i \log P_{i y_i}`.

``params`` is a list of ``(W_l, b_l)`` pairs: ``params[l - 1]`` holds
layer :math:`l`. Gradients come back in the same structure.

Backpropagation (eqs. ``softmax-ce-grad``, ``backprop-delta``,
``backprop-weight``), with the error signals
:math:`\delta_l = \nabla_{Z_l} \mathcal L`:

.. math::

    \delta_L = \tfrac1n (P - Y), \qquad
    \delta_l = (\delta_{l+1} W_{l+1}^\top) \odot \sigma'(Z_l),

    \nabla_{W_l} \mathcal L = A_{l-1}^\top \delta_l, \qquad
    \nabla_{b_l} \mathcal L = \delta_l^\top \mathbf 1.

The public functions validate their input once; the private ``_forward``
and ``_backward`` do not, so the training loop pays nothing for checks.
The training loop itself is in :mod:`mathsforml.training`.

References:

- [MML] Deisenroth, M. P., Faisal, A. A. and Ong, C. S. (2020).
  *Mathematics for Machine Learning*. Cambridge University Press.
  Section 5.6.
- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Section 6.5.
- [RHW] Rumelhart, D. E., Hinton, G. E. and Williams, R. J. (1986).
  Learning representations by back-propagating errors. *Nature* 323,
  533-536.
- [GB] Glorot, X. and Bengio, Y. (2010). Understanding the difficulty
  of training deep feedforward neural networks. *AISTATS*, 249-256.
- [He] He, K., Zhang, X., Ren, S. and Sun, J. (2015). Delving deep into
  rectifiers. *ICCV*, 1026-1034.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_same_length,
    check_shape,
)
from mathsforml.activations import Activation, _softmax, get_activation
from mathsforml.losses import _check_labels, _softmax_cross_entropy

__all__ = [
    "ForwardCache",
    "accuracy",
    "backward",
    "error_signals",
    "flatten_params",
    "forward",
    "init_params",
    "loss_and_grad",
    "predict",
    "predict_proba",
    "unflatten_params",
]

Params = list[tuple[np.ndarray, np.ndarray]]


class ForwardCache(NamedTuple):
    """What the forward pass keeps for the backward pass.

    ``Z[l]`` is :math:`Z_l` and ``A[l]`` is :math:`A_l`, with the book's
    indices: ``Z[0]`` is ``None`` (the input has no pre-activation),
    ``A[0]`` is :math:`X` and ``A[L]`` is the softmax output :math:`P`.
    """

    Z: list
    A: list
    activation: Activation


def _as_generator(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is not None:
        rng = check_integer(rng, "rng", minimum=0)
    return np.random.default_rng(rng)


def init_params(
    layer_sizes: list[int],
    activation: str = "tanh",
    rng: np.random.Generator | int | None = None,
    scheme: str | None = None,
) -> Params:
    r"""Random weights and zero biases for a fully connected network.

    Glorot (Xavier) uniform [GB]_ keeps the variance of activations and
    gradients about constant through tanh layers; He normal [He]_ does
    the same for ReLU, which zeroes half its inputs:

    .. math::

        W_l \sim \mathcal U\Bigl(-\sqrt{\tfrac{6}{n_{l-1} + n_l}},
        \sqrt{\tfrac{6}{n_{l-1} + n_l}}\Bigr)
        \quad\text{or}\quad
        W_l \sim \mathcal N\Bigl(0, \tfrac{2}{n_{l-1}}\Bigr),
        \qquad b_l = 0.

    Parameters
    ----------
    layer_sizes : sequence of int
        :math:`(n_0, n_1, \dots, n_L)`: inputs, hidden widths, classes.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation; it chooses the default ``scheme``.
    rng : numpy.random.Generator or int, optional
        The random generator, or a seed for ``np.random.default_rng``.
    scheme : {"glorot", "he"}, optional
        The initialisation. Default: "he" for ReLU, "glorot" otherwise.

    Returns
    -------
    list of (W, b) tuples
        ``W`` of shape ``(n_{l-1}, n_l)`` and ``b`` of shape ``(n_l,)``.

    Raises
    ------
    TypeError
        If ``layer_sizes`` is not a sequence of integers, or ``rng`` is
        not a generator or seed.
    ValueError
        If there are fewer than two sizes, a size is below 1, or the
        activation or scheme is unknown.

    See Also
    --------
    forward : Runs the network.

    References
    ----------
    .. [GB] Glorot and Bengio (2010), AISTATS, eq. (16).
    .. [He] He, Zhang, Ren and Sun (2015), ICCV, eq. (10).

    Examples
    --------
    >>> params = init_params([64, 32, 10], "tanh", rng=0)
    >>> [(W.shape, b.shape) for W, b in params]
    [((64, 32), (32,)), ((32, 10), (10,))]
    """
    act = get_activation(activation)
    if isinstance(layer_sizes, str | bytes) or np.ndim(layer_sizes) != 1:
        raise TypeError(
            "`layer_sizes` must be a sequence of integers; got "
            f"{layer_sizes!r}. Pass e.g. [64, 32, 10]."
        )
    if len(layer_sizes) < 2:
        raise ValueError(
            "`layer_sizes` must list at least two sizes (inputs and "
            f"classes); got {list(layer_sizes)!r}. Pass e.g. [64, 32, 10]."
        )
    sizes = [check_integer(s, "layer_sizes") for s in layer_sizes]
    scheme = scheme or ("he" if act.name == "relu" else "glorot")
    if scheme not in ("glorot", "he"):
        raise ValueError(
            "`scheme` must be 'glorot' or 'he'; got "
            f"{scheme!r}. Pass one of those names."
        )
    gen = _as_generator(rng)
    params = []
    for n_in, n_out in itertools.pairwise(sizes):
        if scheme == "glorot":
            limit = np.sqrt(6.0 / (n_in + n_out))  # [GB] eq. (16)
            W = gen.uniform(-limit, limit, size=(n_in, n_out))
        else:
            W = gen.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
        params.append((W, np.zeros(n_out)))
    return params


def _check_params(params: object) -> Params:
    """Return ``params`` as float64 pairs whose shapes chain."""
    try:
        pairs = [(W, b) for W, b in params]
    except (TypeError, ValueError):
        raise TypeError(
            "`params` must be a list of (W, b) pairs; got "
            f"{type(params).__name__}. Build it with `init_params`."
        ) from None
    if not pairs:
        raise ValueError(
            "`params` must hold at least one layer; got none. Build it "
            "with `init_params`."
        )
    checked = []
    for layer, (W, b) in enumerate(pairs, start=1):
        W = as_float_array(W, f"W_{layer}", ndim=2)
        b = as_float_array(b, f"b_{layer}", ndim=1)
        n_in = checked[-1][0].shape[1] if checked else W.shape[0]
        hint = "Each W_l must have n_{l-1} rows and b_l n_l entries."
        check_shape(W, f"W_{layer}", (n_in, None), hint)
        check_shape(b, f"b_{layer}", (W.shape[1],), hint)
        checked.append((W, b))
    return checked


def _check_inputs(params: Params, X: object, name: str = "X") -> np.ndarray:
    X = as_float_array(X, name, ndim=2)
    check_shape(
        X,
        name,
        (None, params[0][0].shape[0]),
        "Its columns (features) must match the rows of W_1.",
    )
    return X


def _forward(params: Params, X: np.ndarray, act: Activation) -> ForwardCache:
    Z, A = [None], [X]
    L = len(params)
    for layer, (W, b) in enumerate(params, start=1):
        Z_l = A[-1] @ W
        Z_l += b  # eq. (forward-pass); in place saves a temporary
        Z.append(Z_l)
        A.append(act.function(Z_l) if layer < L else _softmax(Z_l))
    return ForwardCache(Z, A, act)


def forward(
    params: Params, X: object, activation: str = "tanh"
) -> ForwardCache:
    r"""Run the network and cache every :math:`Z_l` and :math:`A_l`.

    Computes eq. ``forward-pass``: :math:`Z_l = A_{l-1} W_l + \mathbf 1
    b_l^\top`, :math:`A_l = \sigma(Z_l)` for hidden layers and
    :math:`A_L = P = \operatorname{softmax}(Z_L)` for the output.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers, as returned by :func:`init_params`.
    X : array_like of shape (n_samples, n_features)
        The inputs, one row per sample.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation :math:`\sigma`.

    Returns
    -------
    ForwardCache
        ``Z`` and ``A`` lists indexed as in the book, and the activation.

    Raises
    ------
    TypeError
        If ``params`` is not a list of pairs or an array is not numeric.
    ValueError
        If shapes do not chain, ``X`` has NaN/inf, or the activation is
        unknown.

    See Also
    --------
    backward : Uses the cache to compute gradients.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       algorithm 6.3.

    Examples
    --------
    >>> params = init_params([3, 4, 2], rng=0)
    >>> cache = forward(params, np.ones((5, 3)))
    >>> cache.A[-1].shape, cache.A[-1].sum(axis=1)
    ((5, 2), array([1., 1., 1., 1., 1.]))
    """
    act = get_activation(activation)
    params = _check_params(params)
    return _forward(params, _check_inputs(params, X), act)


def _error_signals(
    params: Params, cache: ForwardCache, y: np.ndarray, derivative
) -> list[np.ndarray]:
    L, n = len(params), y.shape[0]
    delta = cache.A[L].copy()
    delta[np.arange(n), y] -= 1.0
    delta /= n  # eq. (softmax-ce-grad): delta_L = (P - Y) / N
    deltas = [delta]
    for layer in range(L - 1, 0, -1):  # eq. (backprop-delta)
        delta = delta @ params[layer][0].T  # params[l] holds W_{l+1}
        delta *= derivative(cache.Z[layer], cache.A[layer])
        deltas.insert(0, delta)
    return deltas


def _backward(params: Params, cache: ForwardCache, y: np.ndarray) -> Params:
    deltas = _error_signals(params, cache, y, cache.activation.derivative)
    # eq. (backprop-weight): A_{l-1}^T delta_l and delta_l^T 1
    return [
        (A.T @ d, d.sum(axis=0))
        for A, d in zip(cache.A[:-1], deltas, strict=True)
    ]


def _check_cache(params: Params, cache: object, y: object) -> np.ndarray:
    if not isinstance(cache, ForwardCache) or len(cache.A) != len(params) + 1:
        raise TypeError(
            "`cache` must be the ForwardCache that `forward(params, X)` "
            f"returned for these params; got {type(cache).__name__}. "
            "Call `forward` first."
        )
    labels = _check_labels(y, params[-1][0].shape[1])
    check_same_length(cache.A[0], labels, ("X", "y"))
    return labels


def error_signals(
    params: Params, cache: ForwardCache, y: object, derivative=None
) -> list[np.ndarray]:
    r"""The error signals :math:`\delta_l = \nabla_{Z_l} \mathcal L`.

    From :math:`\delta_L = (P - Y)/N` (eq. ``softmax-ce-grad``), the
    recursion of eq. ``backprop-delta`` runs down the layers:

    .. math::

        \delta_l = (\delta_{l+1} W_{l+1}^\top) \odot \sigma'(Z_l),
        \qquad l = L - 1, \dots, 1.

    Each :math:`\delta_l` is the adjoint :math:`\bar Z_l` that reverse
    mode computes for the pre-activations.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers used in the forward pass.
    cache : ForwardCache
        The result of :func:`forward` on ``params``.
    y : array_like of shape (n_samples,)
        Integer class labels in ``0, ..., n_classes - 1``.
    derivative : callable, optional
        :math:`\sigma'` as a function ``derivative(Z, A)``. Default: the
        derivative of the cached activation. Passing another one shows
        what a wrong :math:`\sigma'` does.

    Returns
    -------
    list of numpy.ndarray
        ``[delta_1, ..., delta_L]``; ``delta_l`` has the shape of
        :math:`Z_l`.

    Raises
    ------
    TypeError
        If ``cache`` is not a :class:`ForwardCache` for ``params``, or
        ``derivative`` is not callable.
    ValueError
        If ``y`` does not match the cache or holds invalid labels.

    See Also
    --------
    backward : The parameter gradients read off the error signals.

    Examples
    --------
    >>> params = init_params([3, 4, 2], rng=0)
    >>> cache = forward(params, np.ones((5, 3)))
    >>> [d.shape for d in error_signals(params, cache, [0, 1, 0, 1, 1])]
    [(5, 4), (5, 2)]
    """
    params = _check_params(params)
    labels = _check_cache(params, cache, y)
    if derivative is None:
        derivative = cache.activation.derivative
    if not callable(derivative):
        raise TypeError(
            "`derivative` must be a function of (Z, A); got "
            f"{type(derivative).__name__}. Omit it to use the activation's."
        )
    return _error_signals(params, cache, labels, derivative)


def backward(params: Params, cache: ForwardCache, y: object) -> Params:
    r"""Gradients of the mean cross-entropy by backpropagation.

    From the error signals :math:`\delta_l` of :func:`error_signals`,

    .. math::

        \nabla_{W_l} \mathcal L = A_{l-1}^\top \delta_l,
        \qquad
        \nabla_{b_l} \mathcal L = \delta_l^\top \mathbf 1

    (eq. ``backprop-weight``), as in [RHW]_. Each layer costs two matrix
    products, :math:`A_{l-1}^\top \delta_l` and :math:`\delta_l W_l^\top`
    (the second is skipped for layer 1), against one,
    :math:`A_{l-1} W_l`, in the forward pass. So the backward pass costs
    at most twice the forward pass, and forward plus backward at most
    three forward passes.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers used in the forward pass.
    cache : ForwardCache
        The result of :func:`forward` on ``params``.
    y : array_like of shape (n_samples,)
        Integer class labels in ``0, ..., n_classes - 1``.

    Returns
    -------
    list of (dW, db) tuples
        :math:`\nabla_{W_l} \mathcal L` and
        :math:`\nabla_{b_l} \mathcal L`, shaped like ``params``.

    Raises
    ------
    TypeError
        If ``cache`` is not a :class:`ForwardCache`.
    ValueError
        If ``y`` does not match the cache or holds invalid labels.

    See Also
    --------
    error_signals : The recursion of eq. ``backprop-delta``.
    loss_and_grad : Forward and backward in one call.

    References
    ----------
    .. [RHW] Rumelhart, Hinton and Williams (1986), *Nature* 323.
    .. [1] Deisenroth, Faisal and Ong (2020), *Mathematics for Machine
       Learning*, section 5.6.

    Examples
    --------
    >>> params = init_params([3, 4, 2], rng=0)
    >>> cache = forward(params, np.ones((5, 3)))
    >>> [dW.shape for dW, db in backward(params, cache, [0, 1, 0, 1, 1])]
    [(3, 4), (4, 2)]
    """
    params = _check_params(params)
    return _backward(params, cache, _check_cache(params, cache, y))


def loss_and_grad(
    params: Params,
    X: object,
    y: object,
    activation: str = "tanh",
    weight_decay: float = 0.0,
) -> tuple[float, Params]:
    r"""The mean cross-entropy and its gradient, with optional L2 penalty.

    .. math::

        J = \mathcal L + \frac{\lambda}{2} \sum_l \lVert W_l \rVert_F^2,
        \qquad
        \nabla_{W_l} J = \nabla_{W_l} \mathcal L + \lambda W_l,

    where :math:`\lambda` is ``weight_decay``; biases are not penalised.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers, as returned by :func:`init_params`.
    X : array_like of shape (n_samples, n_features)
        The inputs, one row per sample.
    y : array_like of shape (n_samples,)
        Integer class labels in ``0, ..., n_classes - 1``.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation.
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0`.

    Returns
    -------
    loss : float
        :math:`J`.
    grads : list of (dW, db) tuples
        Its gradient, shaped like ``params``.

    Raises
    ------
    TypeError, ValueError
        As :func:`forward` and :func:`backward`; also for a negative
        ``weight_decay``.

    See Also
    --------
    forward, backward : The two passes.

    Examples
    --------
    >>> params = init_params([64, 32, 10], rng=0)
    >>> params = [(0.01 * W, b) for W, b in params]  # small weights
    >>> loss, grads = loss_and_grad(params, np.ones((3, 64)), [0, 1, 2])
    >>> round(loss, 3)  # about ln 10 = 2.303
    2.303
    """
    act = get_activation(activation)
    params = _check_params(params)
    X = _check_inputs(params, X)
    labels = _check_labels(y, params[-1][0].shape[1])
    check_same_length(X, labels, ("X", "y"))
    weight_decay = check_positive(weight_decay, "weight_decay", strict=False)
    cache = _forward(params, X, act)
    loss = _softmax_cross_entropy(cache.Z[-1], labels)
    grads = _backward(params, cache, labels)
    if weight_decay:
        loss += 0.5 * weight_decay * sum(np.sum(W * W) for W, _ in params)
        grads = [
            (dW + weight_decay * W, db)
            for (dW, db), (W, _) in zip(grads, params, strict=True)
        ]
    return float(loss), grads


def predict_proba(
    params: Params, X: object, activation: str = "tanh"
) -> np.ndarray:
    r"""Class probabilities :math:`P = \operatorname{softmax}(Z_L)`.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers.
    X : array_like of shape (n_samples, n_features)
        The inputs.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation.

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_classes)
        Each row sums to 1.

    Raises
    ------
    TypeError, ValueError
        As :func:`forward`.

    See Also
    --------
    predict : The most probable class.

    Examples
    --------
    >>> params = [(np.eye(2), np.zeros(2))]
    >>> predict_proba(params, [[0.0, np.log(3.0)]])
    array([[0.25, 0.75]])
    """
    return forward(params, X, activation).A[-1]


def predict(params: Params, X: object, activation: str = "tanh") -> np.ndarray:
    r"""The most probable class of each sample, :math:`\arg\max_k Z_{L,ik}`.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers.
    X : array_like of shape (n_samples, n_features)
        The inputs.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation.

    Returns
    -------
    numpy.ndarray of shape (n_samples,)
        Integer labels.

    Raises
    ------
    TypeError, ValueError
        As :func:`forward`.

    See Also
    --------
    predict_proba, accuracy

    Examples
    --------
    >>> predict([(np.eye(2), np.zeros(2))], [[1.0, 0.0], [0.0, 2.0]])
    array([0, 1])
    """
    return np.argmax(forward(params, X, activation).Z[-1], axis=1)


def accuracy(y_true: object, y_pred: object) -> float:
    """The fraction of labels predicted correctly.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        True and predicted integer labels.

    Returns
    -------
    float
        A number in [0, 1].

    Raises
    ------
    ValueError
        If the lengths differ or the arrays are empty or not 1-D.

    See Also
    --------
    predict

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
    0.75
    """
    true = as_float_array(y_true, "y_true", ndim=1)
    pred = as_float_array(y_pred, "y_pred", ndim=1)
    check_same_length(true, pred, ("y_true", "y_pred"))
    return float(np.mean(true == pred))


def flatten_params(params: Params) -> np.ndarray:
    r"""All weights and biases in one vector :math:`\theta`.

    The order is :math:`W_1` (row by row), :math:`b_1`, :math:`W_2`,
    :math:`b_2`, ..., the order of ``autograd.misc.flatten``. A gradient
    check or a general-purpose optimizer sees the network this way.

    Parameters
    ----------
    params : list of (W, b) tuples
        The layers, or gradients shaped like them.

    Returns
    -------
    numpy.ndarray of shape (n_params,)
        A new array; ``params`` is not modified.

    Raises
    ------
    TypeError, ValueError
        If ``params`` is not a list of (W, b) pairs whose shapes chain.

    See Also
    --------
    unflatten_params : The inverse.

    Examples
    --------
    >>> params = [(np.ones((2, 3)), np.zeros(3))]
    >>> flatten_params(params)
    array([1., 1., 1., 1., 1., 1., 0., 0., 0.])
    """
    return np.concatenate(
        [a.ravel() for pair in _check_params(params) for a in pair]
    )


def unflatten_params(theta: object, like: Params) -> Params:
    r"""The inverse of :func:`flatten_params`, with the shapes of ``like``.

    Parameters
    ----------
    theta : array_like of shape (n_params,)
        A vector as made by :func:`flatten_params`.
    like : list of (W, b) tuples
        Layers whose shapes ``theta`` is cut into.

    Returns
    -------
    list of (W, b) tuples
        New arrays shaped like ``like``.

    Raises
    ------
    ValueError
        If ``theta`` is not a 1-D vector with one entry per parameter.

    See Also
    --------
    flatten_params : Lists the parameters in one vector.

    Examples
    --------
    >>> like = [(np.zeros((2, 3)), np.zeros(3))]
    >>> W, b = unflatten_params(np.arange(9.0), like)[0]
    >>> W
    array([[0., 1., 2.],
           [3., 4., 5.]])
    """
    like = _check_params(like)
    n_params = sum(W.size + b.size for W, b in like)
    theta = as_float_array(theta, "theta", ndim=1, finite=False)
    check_shape(theta, "theta", (n_params,), "Make it with `flatten_params`.")
    out, start = [], 0
    for W, b in like:
        stop = start + W.size
        out.append(
            (
                theta[start:stop].reshape(W.shape).copy(),
                theta[stop : stop + b.size].copy(),
            )
        )
        start = stop + b.size
    return out
