"""Element-wise functions, joins and the loss of :mod:`mathsforml.autodiff`.

The primitives here follow the four beats of
:mod:`mathsforml._autodiff_rules`, and their VJP rules join the same
registry, :data:`~mathsforml._autodiff_rules.VJP_RULES`, when this module
is imported (:mod:`mathsforml.autodiff` imports it). They are:

- smooth element-wise functions: ``log1p``, ``sqrt``, ``sin``, ``cos``,
  ``tanh``, ``sigmoid``;
- piecewise-linear ones: ``relu``, ``maximum``, ``minimum``;
- joins of several arrays: ``stack`` and ``concatenate``;
- the softmax cross-entropy loss, eq. (softmax-ce).

The public names are re-exported by :mod:`mathsforml.autodiff`.
"""

from __future__ import annotations

import numbers

import numpy as np

from mathsforml._autodiff_graph import (
    Node,
    _operand,
    _record,
    _shape,
    _value,
)
from mathsforml._autodiff_rules import VJP_RULES, exp, logsumexp, unbroadcast
from mathsforml._validation import _describe
from mathsforml.losses import _check_logits_labels

__all__ = [
    "concatenate",
    "cos",
    "log1p",
    "maximum",
    "minimum",
    "relu",
    "sigmoid",
    "sin",
    "softmax_cross_entropy",
    "sqrt",
    "stack",
    "tanh",
]


# --- smooth element-wise functions ------------------------------------


def log1p(x):
    r"""Element-wise :math:`\log(1 + x)`, accurate for small :math:`x`.

    Its VJP is :math:`\bar{x} = \bar{y} / (1 + x)`. Unlike
    ``log(1 + x)``, it keeps full precision when :math:`|x| \ll 1`,
    where :math:`1 + x` rounds away the digits of :math:`x`.

    Parameters
    ----------
    x : Node or array_like
        Input, with :math:`x > -1`.

    Returns
    -------
    Node or numpy.ndarray
        A node when ``x`` is a node.

    Examples
    --------
    >>> log1p(Node([1e-20, np.e - 1]))
    Node(array([1.e-20, 1.e+00]), primitive='log1p')
    """
    x = _operand(x, "x")
    return _record("log1p", np.log1p(_value(x)), (x,))


def vjp_log1p(g, ans, x, *, argnum):
    return g / (1 + x)


def sqrt(x):
    """Element-wise square root; VJP :math:`\\bar{y} / (2\\sqrt{x})`.

    Examples
    --------
    >>> sqrt(Node([4.0]))
    Node(array([2.]), primitive='sqrt')
    """
    return _record("sqrt", np.sqrt(_value(x)), (x,))


def vjp_sqrt(g, ans, x, *, argnum):
    return g / (2 * ans)


def sin(x):
    """Element-wise sine; VJP :math:`\\bar{x} = \\bar{y} \\cos x`.

    Examples
    --------
    >>> sin(Node([0.0]))
    Node(array([0.]), primitive='sin')
    """
    return _record("sin", np.sin(_value(x)), (x,))


def vjp_sin(g, ans, x, *, argnum):
    return g * cos(x)


def cos(x):
    """Element-wise cosine; VJP :math:`\\bar{x} = -\\bar{y} \\sin x`.

    Examples
    --------
    >>> cos(Node([0.0]))
    Node(array([1.]), primitive='cos')
    """
    return _record("cos", np.cos(_value(x)), (x,))


def vjp_cos(g, ans, x, *, argnum):
    return -g * sin(x)


def tanh(x):
    """Element-wise tanh; VJP :math:`\\bar{y} (1 - \\tanh^2 x)`.

    Examples
    --------
    >>> tanh(Node([0.0]))
    Node(array([0.]), primitive='tanh')
    """
    return _record("tanh", np.tanh(_value(x)), (x,))


def vjp_tanh(g, ans, x, *, argnum):
    return g * (1 - ans * ans)


def sigmoid(x):
    """Logistic sigmoid :math:`1 / (1 + e^{-x})`, computed stably.

    Its VJP is :math:`\\bar{y}\\, \\sigma(x) (1 - \\sigma(x))`.

    Examples
    --------
    >>> sigmoid(Node([0.0, -1000.0]))
    Node(array([0.5, 0. ]), primitive='sigmoid')
    """
    value = _value(x)
    # exp(-|x|) never overflows; the two branches are algebraically equal.
    e = np.exp(-np.abs(value))
    out = np.where(value >= 0, 1 / (1 + e), e / (1 + e))
    return _record("sigmoid", out, (x,))


def vjp_sigmoid(g, ans, x, *, argnum):
    return g * ans * (1 - ans)


# --- piecewise-linear functions ---------------------------------------


def relu(x):
    """Rectified linear unit :math:`\\max(x, 0)`.

    Its VJP passes the adjoint where :math:`x > 0` (the derivative at 0
    is taken to be 0).

    Examples
    --------
    >>> relu(Node([-1.0, 2.0]))
    Node(array([0., 2.]), primitive='relu')
    """
    return _record("relu", np.maximum(_value(x), 0.0), (x,))


def vjp_relu(g, ans, x, *, argnum):
    # The mask is a constant: relu is piecewise linear.
    return g * (_value(x) > 0)


def _share(mine, ans, other):
    """1 where ``mine`` is the extreme, 1/2 at a tie, else 0 (constants)."""
    mine, ans, other = _value(mine), _value(ans), _value(other)
    return (mine == ans) / (1.0 + (mine == other))


def maximum(a, b):
    r"""Element-wise maximum of ``a`` and ``b``, broadcast as in NumPy.

    Its VJP sends the adjoint to the larger operand. At a tie,
    :math:`a = b`, each operand receives half of it: the midpoint of the
    one-sided derivatives 0 and 1, the convention of autograd and JAX,
    which gives ``maximum(x, x)`` its true derivative, 1. (:func:`relu`
    takes 0 at its kink instead.)

    Parameters
    ----------
    a, b : Node or array_like
        Operands.

    Returns
    -------
    Node or numpy.ndarray
        A node when ``a`` or ``b`` is a node.

    See Also
    --------
    minimum, where

    Examples
    --------
    >>> maximum(Node([1.0, 2.0, 3.0]), 2.0)
    Node(array([2., 2., 3.]), primitive='maximum')
    """
    a, b = _operand(a, "a"), _operand(b, "b")
    return _record("maximum", np.maximum(_value(a), _value(b)), (a, b))


def minimum(a, b):
    r"""Element-wise minimum of ``a`` and ``b``, broadcast as in NumPy.

    Its VJP sends the adjoint to the smaller operand; at a tie each
    receives half, as for :func:`maximum`.

    Parameters
    ----------
    a, b : Node or array_like
        Operands.

    Returns
    -------
    Node or numpy.ndarray
        A node when ``a`` or ``b`` is a node.

    See Also
    --------
    maximum

    Examples
    --------
    >>> minimum(Node([1.0, 2.0, 3.0]), 2.0)
    Node(array([1., 2., 2.]), primitive='minimum')
    """
    a, b = _operand(a, "a"), _operand(b, "b")
    return _record("minimum", np.minimum(_value(a), _value(b)), (a, b))


def vjp_maximum(g, ans, a, b, *, argnum):
    # The masks are constants: both functions are piecewise linear.
    mask = _share(a, ans, b) if argnum == 0 else _share(b, ans, a)
    return unbroadcast(g * mask, _shape((a, b)[argnum]))


vjp_minimum = vjp_maximum  # the same routing: to the operand equal to ans


# --- joins ------------------------------------------------------------


def _operands(arrays: object, axis: object) -> tuple:
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(
            "`arrays` must be a list or tuple of arrays and nodes; got "
            f"{_describe(arrays)}. Wrap them in a list, as in "
            "`stack([a, b])`."
        )
    if not arrays:
        raise ValueError(
            "`arrays` must hold at least one array; got an empty "
            f"{type(arrays).__name__}. Pass the arrays to join."
        )
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(
            f"`axis` must be an integer; got {_describe(axis)}. Pass the "
            "position of the axis, such as 0."
        )
    return tuple(_operand(a, f"arrays[{i}]") for i, a in enumerate(arrays))


def _join(primitive: str, arrays, axis):
    operands = _operands(arrays, axis)
    join = np.stack if primitive == "stack" else np.concatenate
    try:
        value = join([_value(a) for a in operands], axis=axis)
    except ValueError as error:  # also NumPy's AxisError
        raise ValueError(
            f"cannot {primitive} `arrays` along axis {axis}: {error}. Give "
            "the arrays matching shapes, or choose another `axis`."
        ) from None
    return _record(primitive, value, operands, {"axis": int(axis)})


def stack(arrays, axis: int = 0):
    r"""Join arrays of one shape along a new axis, as ``np.stack``.

    Operand :math:`i` becomes slice :math:`i` of the result along
    ``axis``, so its VJP is that slice of the adjoint.

    Parameters
    ----------
    arrays : list or tuple of Node or array_like
        Arrays of the same shape.
    axis : int, default 0
        The position of the new axis in the result.

    Returns
    -------
    Node or numpy.ndarray
        A node when any operand is a node.

    Raises
    ------
    TypeError
        If ``arrays`` is not a list or tuple, or ``axis`` not an integer.
    ValueError
        If ``arrays`` is empty or the shapes differ.

    See Also
    --------
    concatenate : join along an existing axis.

    Examples
    --------
    >>> x = Node([1.0, 2.0])
    >>> stack([x, 3 * x, [0.0, 0.0]])
    Node(array([[1., 2.],
           [3., 6.],
           [0., 0.]]), primitive='stack')
    """
    return _join("stack", arrays, axis)


def vjp_stack(g, ans, *arrays, argnum, axis):
    axis %= len(_shape(ans))
    return g[(slice(None),) * axis + (argnum,)]


def concatenate(arrays, axis: int = 0):
    r"""Join arrays along an existing axis, as ``np.concatenate``.

    Operand :math:`i` fills a block of the result along ``axis``, so its
    VJP is that block of the adjoint.

    Parameters
    ----------
    arrays : list or tuple of Node or array_like
        Arrays whose shapes agree except along ``axis``.
    axis : int, default 0
        The axis to join along.

    Returns
    -------
    Node or numpy.ndarray
        A node when any operand is a node.

    Raises
    ------
    TypeError
        If ``arrays`` is not a list or tuple, or ``axis`` not an integer.
    ValueError
        If ``arrays`` is empty or the shapes do not fit.

    See Also
    --------
    stack : join along a new axis.

    Examples
    --------
    Append a column of ones to a design matrix:

    >>> X = Node([[2.0], [3.0]])
    >>> concatenate([X, np.ones((2, 1))], axis=1)
    Node(array([[2., 1.],
           [3., 1.]]), primitive='concatenate')
    """
    return _join("concatenate", arrays, axis)


def vjp_concatenate(g, ans, *arrays, argnum, axis):
    axis %= len(_shape(ans))
    sizes = [_shape(a)[axis] for a in arrays]
    start = sum(sizes[:argnum])
    block = slice(start, start + sizes[argnum])
    return g[(slice(None),) * axis + (block,)]


# --- softmax cross-entropy --------------------------------------------


def softmax_cross_entropy(logits, y) -> Node:
    r"""Mean cross-entropy of softmax probabilities, computed stably.

    .. math::
        \mathcal{L} = \frac{1}{N} \sum_{n=1}^{N} \Bigl(
        \operatorname{logsumexp}(\mathbf{z}_n) - z_{n, y_n} \Bigr),

    eq. (softmax-ce), which never forms a probability, so logits of
    :math:`\pm 10^4` are fine. Its VJP is
    :math:`\bar{\mathcal{L}}\, (\mathbf{P} - \mathbf{Y}) / N`, with
    :math:`\mathbf{P}` the softmax of each row and :math:`\mathbf{Y}` the
    one-hot labels, eq. (softmax-ce-grad) [MML]_ [DLB]_. Its arguments
    and their checks are those of
    :func:`mathsforml.losses.softmax_cross_entropy`, which computes the
    same value on plain arrays.

    Parameters
    ----------
    logits : Node or array_like, shape (n_samples, n_classes)
        Unnormalised log-probabilities :math:`\mathbf{Z}`.
    y : array_like, shape (n_samples,)
        Class labels in ``0, ..., n_classes - 1``: integers, or floats
        that are whole numbers (such as ``2.0``).

    Returns
    -------
    Node or float
        The mean loss; a node when ``logits`` is a node.

    Raises
    ------
    TypeError
        If ``logits`` or ``y`` is not numeric.
    ValueError
        If ``logits`` is not 2-D, is empty (no samples or no classes) or
        not finite, or ``y`` has the wrong length or holds a label that
        is not a whole number in range.

    References
    ----------
    .. [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics
       for Machine Learning*, Cambridge University Press, 2020, sec. 5.6.
    .. [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*,
       MIT Press, 2016, sec. 6.2.2.3 and 6.5.

    Examples
    --------
    Uniform logits over 10 classes give :math:`\log 10`:

    >>> softmax_cross_entropy(Node(np.zeros((2, 10))), [3, 7])
    Node(array(2.30258509), primitive='softmax_cross_entropy')
    """
    z, labels = _check_logits_labels(_value(logits), y)
    shifted = z - z.max(axis=1, keepdims=True)  # eq. (logsumexp)
    unnormalised = np.exp(shifted)
    total = unnormalised.sum(axis=1)
    picked = shifted[np.arange(z.shape[0]), labels]
    loss = np.sum(np.log(total) - picked) / z.shape[0]
    proba = unnormalised / total[:, None]
    params = {"labels": labels, "proba": proba}
    return _record("softmax_cross_entropy", loss, (logits,), params)


def vjp_softmax_cross_entropy(g, ans, logits, *, argnum, labels, proba):
    n_samples = _shape(logits)[0]
    onehot = np.zeros(_shape(logits))
    onehot[np.arange(n_samples), labels] = 1.0
    if isinstance(logits, Node):
        # The backward pass is being recorded: recompute the softmax
        # from the logits node so that it can be differentiated again.
        proba = exp(logits - logsumexp(logits, axis=1, keepdims=True))
    # eq. (softmax-ce-grad): adj(Z) = adj(L) (P - Y) / N
    return (g / n_samples) * (proba - onehot)


# Add the rules of this module's primitives to the one registry.
VJP_RULES.update(
    {
        "log1p": vjp_log1p,
        "sqrt": vjp_sqrt,
        "sin": vjp_sin,
        "cos": vjp_cos,
        "tanh": vjp_tanh,
        "sigmoid": vjp_sigmoid,
        "relu": vjp_relu,
        "maximum": vjp_maximum,
        "minimum": vjp_minimum,
        "stack": vjp_stack,
        "concatenate": vjp_concatenate,
        "softmax_cross_entropy": vjp_softmax_cross_entropy,
    }
)
