"""The primitives of :mod:`mathsforml.autodiff` and their derivative rules.

A primitive is an operation whose derivative the engine knows. Every
primitive has the same four beats:

1. read the operands' values (an operand is a :class:`Node` or a constant);
2. compute the output value with NumPy;
3. attach the backward step: record the primitive's name and operands, so
   that the backward pass can look up its vector-Jacobian product (VJP)
   in :data:`VJP_RULES`;
4. return the new node (or a plain array when no operand is a node).

Each VJP rule is defined right after its primitive. A rule receives the
output's adjoint ``g``, the output ``ans``, the operands and ``argnum``,
the position of the operand to differentiate, and returns that operand's
adjoint. Rules compute with the primitives themselves (NumPy appears only
for constants such as masks and one-hot labels), so they work on plain
arrays (a fast first-order backward pass) and on nodes alike; on nodes
the backward pass records a graph of its own, which the engine
differentiates again for exact Hessians.

This module holds arithmetic, reductions and shape changes, ``exp``,
``log``, ``where`` and ``logsumexp``, and the registry. The other
element-wise functions, the joins (``stack``, ``concatenate``) and the
loss live in :mod:`mathsforml._autodiff_functions`, which adds its rules
to the same registry. The public names are re-exported by
:mod:`mathsforml.autodiff`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from mathsforml._autodiff_graph import (
    Node,
    _operand,
    _record,
    _shape,
    _value,
)

__all__ = [
    "VJP_RULES",
    "abs",
    "exp",
    "log",
    "logsumexp",
    "mean",
    "unbroadcast",
    "where",
]


def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum ``grad`` over the axes that broadcasting added to ``shape``.

    If an operand of shape ``shape`` was broadcast to ``grad``'s shape in
    the forward pass, each of its entries fed several outputs, so its
    adjoint is the sum of theirs, eq. (vjp-broadcast): leading axes that
    broadcasting prepended are summed away, and axes of length 1 that it
    stretched are summed with ``keepdims``.

    Parameters
    ----------
    grad : numpy.ndarray or Node
        The adjoint of the broadcast result.
    shape : tuple of int
        The operand's shape before broadcasting.

    Returns
    -------
    numpy.ndarray or Node
        The operand's adjoint, of shape ``shape`` (``grad`` itself when
        nothing was broadcast).

    Notes
    -----
    This is the VJP of broadcasting, the forward operation it undoes.

    Examples
    --------
    >>> unbroadcast(np.ones((4, 3)), (3,))
    array([4., 4., 4.])
    >>> unbroadcast(np.ones((4, 3)), (4, 1)).shape
    (4, 1)
    """
    grad_shape = _shape(grad)
    if grad_shape == tuple(shape):
        return grad
    extra = len(grad_shape) - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(
        i
        for i, (n, m) in enumerate(zip(shape, _shape(grad), strict=True))
        if n == 1 and m != 1
    )
    return grad.sum(axis=axes, keepdims=True) if axes else grad


# --- arithmetic -------------------------------------------------------


def add(a, b):
    return _record("add", _value(a) + _value(b), (a, b))


def vjp_add(g, ans, a, b, *, argnum):
    return unbroadcast(g, _shape((a, b)[argnum]))


def subtract(a, b):
    return _record("subtract", _value(a) - _value(b), (a, b))


def vjp_subtract(g, ans, a, b, *, argnum):
    return unbroadcast(g if argnum == 0 else -g, _shape((a, b)[argnum]))


def multiply(a, b):
    return _record("multiply", _value(a) * _value(b), (a, b))


def vjp_multiply(g, ans, a, b, *, argnum):
    other = b if argnum == 0 else a
    return unbroadcast(g * other, _shape((a, b)[argnum]))


def divide(a, b):
    return _record("divide", _value(a) / _value(b), (a, b))


def vjp_divide(g, ans, a, b, *, argnum):
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b^2 = -ans/b
    local = g / b if argnum == 0 else -g * ans / b
    return unbroadcast(local, _shape((a, b)[argnum]))


def power(a, b):
    return _record("power", _value(a) ** _value(b), (a, b))


def vjp_power(g, ans, a, b, *, argnum):
    # d(a^b)/da = b a^(b-1) and d(a^b)/db = a^b log a. At a = 0 each can
    # be 0 * inf: the first where b = 0 (a^0 = 1 is constant in a), the
    # second where b > 0 (0^b = 0 is constant in b); the derivative is 0.
    # Masking the exponent b - 1 and the argument of log there, as
    # autograd does, gives that 0. The masks are constants, so the rule
    # can itself be differentiated (for Hessians).
    if argnum == 0:
        local = g * b * a ** where(_value(b) != 0, b - 1, 1.0)
    else:
        local = g * ans * log(where(_value(a) != 0, a, 1.0))
    return unbroadcast(local, _shape((a, b)[argnum]))


def negative(x):
    return _record("negative", -_value(x), (x,))


def vjp_negative(g, ans, x, *, argnum):
    return -g


def abs(x):
    r"""Element-wise absolute value :math:`|x|`, also ``abs(node)``.

    Its VJP is :math:`\bar{x} = \bar{y} \operatorname{sign}(x)`; the
    derivative at :math:`x = 0` is taken to be 0, the midpoint of the
    one-sided derivatives :math:`\pm 1` (as for :func:`relu`, and as in
    autograd and JAX). Second derivatives inherit the convention: that of
    ``abs(x) ** 2`` is 0 at 0, not 2.

    Parameters
    ----------
    x : Node or array_like
        Input.

    Returns
    -------
    Node or numpy.ndarray
        :math:`|x|`, a node when ``x`` is a node.

    Examples
    --------
    >>> abs(Node([-2.0, 0.0, 3.0]))
    Node(array([2., 0., 3.]), primitive='abs')
    """
    x = _operand(x, "x")
    return _record("abs", np.abs(_value(x)), (x,))


def vjp_abs(g, ans, x, *, argnum):
    # The sign is a constant: |x| is piecewise linear.
    return g * np.sign(_value(x))


def _check_matmul(a: np.ndarray, b: np.ndarray) -> None:
    if a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise ValueError(
            "matmul (`@`) supports 1-D and 2-D operands; got shapes "
            f"{a.shape} and {b.shape}. Reshape the operands, or loop over "
            "the batch axis."
        )
    if a.shape[-1] != b.shape[0]:
        raise ValueError(
            f"matmul (`@`) shapes {a.shape} and {b.shape} do not match: "
            f"the left operand's last axis ({a.shape[-1]}) must equal the "
            f"right operand's first axis ({b.shape[0]}). Transpose an "
            "operand (`.T`) or check the weight matrix's shape."
        )


def matmul(a, b):
    # Constants become arrays so that the VJP rule can use ``.T`` on them.
    a = a if isinstance(a, Node) else np.asarray(a, dtype=np.float64)
    b = b if isinstance(b, Node) else np.asarray(b, dtype=np.float64)
    a_value, b_value = _value(a), _value(b)
    _check_matmul(a_value, b_value)
    return _record("matmul", a_value @ b_value, (a, b))


def vjp_matmul(g, ans, a, b, *, argnum):
    # eq. (vjp-matmul): adj(A) = G B^T and adj(B) = A^T G
    if a.ndim == 2 and b.ndim == 2:
        return g @ b.T if argnum == 0 else a.T @ g
    # A vector operand acts as a row (left) or a column (right) matrix.
    a2 = reshape(a, (1, -1)) if a.ndim == 1 else a
    b2 = reshape(b, (-1, 1)) if b.ndim == 1 else b
    g2 = reshape(g, (a2.shape[0], b2.shape[1]))
    if argnum == 0:
        return reshape(g2 @ b2.T, a.shape)
    return reshape(a2.T @ g2, b.shape)


# --- reductions and shape changes -------------------------------------


def _reduced_axes(shape: tuple[int, ...], axis) -> set[int]:
    """The axes (non-negative) that a reduction over ``axis`` removes."""
    if axis is None:
        return set(range(len(shape)))
    return {a % len(shape) for a in np.atleast_1d(axis).tolist()}


def _keepdims_shape(shape: tuple[int, ...], axis) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` has with ``keepdims=True``."""
    axes = _reduced_axes(shape, axis)
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _check_not_empty(x, name: str, what: str) -> None:
    shape = _shape(x)
    if math.prod(shape) == 0:
        raise ValueError(
            f"`{name}` must not be empty; got an array of shape {shape}. "
            f"{what} Pass at least one value (a batch of one or more "
            "rows)."
        )


def sum_(x, axis=None, keepdims=False):
    value = np.sum(_value(x), axis=axis, keepdims=keepdims)
    return _record("sum", value, (x,), {"axis": axis, "keepdims": keepdims})


def vjp_sum(g, ans, x, *, argnum, axis, keepdims):
    # Every summed entry receives the sum's adjoint, eq. (vjp-sum).
    g = reshape(g, _keepdims_shape(_shape(x), axis))
    return broadcast_to(g, _shape(x))


def mean(x, axis=None, keepdims: bool = False):
    r"""Mean over ``axis``: the sum divided by the number of terms.

    Recorded as a sum and a division, so its VJP spreads
    :math:`\bar{y} / n` over the :math:`n` averaged entries. Also
    available as ``node.mean()`` and ``np.mean(node)``.

    Parameters
    ----------
    x : Node or array_like
        Input.
    axis : int or tuple of int, optional
        Axes to average over; all by default.
    keepdims : bool, default False
        Keep the averaged axes with length 1.

    Returns
    -------
    Node or numpy.ndarray
        The mean, a node when ``x`` is a node.

    Raises
    ------
    ValueError
        If ``x`` is empty: the mean of no values is undefined.

    Examples
    --------
    >>> mean(Node([[1.0, 2.0], [3.0, 6.0]]), axis=0)
    Node(array([2., 4.]), primitive='divide')
    """
    x = _operand(x, "x")
    _check_not_empty(x, "x", "The mean of no values is undefined.")
    total = sum_(x, axis=axis, keepdims=keepdims)
    axes = _reduced_axes(_shape(x), axis)
    return total / math.prod(_shape(x)[i] for i in axes)


def broadcast_to(x, shape):
    value = np.broadcast_to(_value(x), shape)
    return _record("broadcast_to", value, (x,), {"shape": shape})


def vjp_broadcast_to(g, ans, x, *, argnum, shape):
    return unbroadcast(g, _shape(x))


def reshape(x, shape):
    value = np.reshape(_value(x), shape)
    return _record("reshape", value, (x,), {"shape": shape})


def vjp_reshape(g, ans, x, *, argnum, shape):
    return reshape(g, _shape(x))


def transpose(x):
    return _record("transpose", np.asarray(_value(x)).T, (x,))


def vjp_transpose(g, ans, x, *, argnum):
    return g.T


def getitem(x, index):
    if isinstance(index, Node):
        raise TypeError(
            "an index must be an int, a slice or an integer array; got a "
            "Node. Index with `node.value.astype(int)` if you mean its "
            "value."
        )
    return _record("getitem", _value(x)[index], (x,), {"index": index})


def vjp_getitem(g, ans, x, *, argnum, index):
    return scatter_add(g, index, _shape(x))


def scatter_add(x, index, shape):
    """Zeros of ``shape`` with ``x`` added at ``index`` (repeats add)."""
    value = np.zeros(shape)
    # np.add.at, unlike value[index] += x, adds once per repeated index.
    np.add.at(value, index, _value(x))
    return _record(
        "scatter_add", value, (x,), {"index": index, "shape": shape}
    )


def vjp_scatter_add(g, ans, x, *, argnum, index, shape):
    return getitem(g, index)


# --- exponential, logarithm and selection ---------------------------


def exp(x):
    """Element-wise :math:`e^x`; VJP :math:`\\bar{x} = \\bar{y} e^x`.

    Examples
    --------
    >>> exp(Node([0.0]))
    Node(array([1.]), primitive='exp')
    """
    return _record("exp", np.exp(_value(x)), (x,))


def vjp_exp(g, ans, x, *, argnum):
    return g * ans


def log(x):
    """Element-wise natural log; VJP :math:`\\bar{x} = \\bar{y} / x`.

    Examples
    --------
    >>> log(Node([1.0]))
    Node(array([0.]), primitive='log')
    """
    return _record("log", np.log(_value(x)), (x,))


def vjp_log(g, ans, x, *, argnum):
    return g / x


def _check_condition(condition: object) -> np.ndarray:
    if isinstance(condition, Node):
        raise TypeError(
            "`condition` must be a boolean array, not a Node: a condition "
            "has no derivative. Compare the node instead, as in "
            "`where(x > 0, x, 0.0)`."
        )
    cond = np.asarray(condition)
    if cond.dtype != bool:
        raise TypeError(
            f"`condition` must be a boolean array; got dtype {cond.dtype}. "
            "Build it with a comparison, such as `mask != 0`."
        )
    return cond


def where(condition, x, y):
    r"""Entries of ``x`` where ``condition`` holds, of ``y`` elsewhere.

    The three arguments broadcast together, as in ``np.where``. The
    condition is a constant (a comparison has no derivative), so the VJP
    routes the adjoint: ``x`` receives :math:`\bar{z}` where the
    condition holds and 0 elsewhere, and ``y`` the rest, each summed back
    to its own shape, eq. (vjp-broadcast).

    Parameters
    ----------
    condition : array_like of bool
        Where to take ``x``; for example ``x > 0`` for a node ``x``.
    x, y : Node or array_like
        The values to choose from.

    Returns
    -------
    Node or numpy.ndarray
        A node when ``x`` or ``y`` is a node.

    Raises
    ------
    TypeError
        If ``condition`` is a node or not boolean.

    Notes
    -----
    The branch that is not chosen is still computed, and its derivative
    is multiplied by 0; if that derivative is infinite the product is
    NaN. Guard the input too, as ``log(where(x > 0, x, 1.0))`` does.

    Examples
    --------
    A leaky ReLU, whose derivative is 1 for positive inputs, 0.1 else:

    >>> x = Node([-2.0, 3.0])
    >>> where(x > 0, x, 0.1 * x)
    Node(array([-0.2,  3. ]), primitive='where')
    """
    cond = _check_condition(condition)
    x, y = _operand(x, "x"), _operand(y, "y")
    value = np.where(cond, _value(x), _value(y))
    return _record("where", value, (x, y), {"condition": cond})


def vjp_where(g, ans, x, y, *, argnum, condition):
    if argnum == 0:
        chosen = where(condition, g, 0.0)
    else:
        chosen = where(condition, 0.0, g)
    return unbroadcast(chosen, _shape((x, y)[argnum]))


# --- stable log-sum-exp ----------------------------------------------


def logsumexp(x, axis=None, keepdims: bool = False):
    r"""Stable :math:`\log \sum_i e^{x_i}` over ``axis``.

    Computed as :math:`m + \log \sum_i e^{x_i - m}` with
    :math:`m = \max_i x_i`, eq. (logsumexp), so no exponential overflows.
    Its VJP is the adjoint times the softmax of ``x`` [DLB]_.

    Parameters
    ----------
    x : Node or array_like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    keepdims : bool, default False
        Keep the reduced axes with length 1.

    Returns
    -------
    Node or numpy.ndarray
        A node when ``x`` is a node.

    Raises
    ------
    ValueError
        If ``x`` is empty.

    References
    ----------
    .. [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*,
       MIT Press, 2016, sec. 4.1.

    Examples
    --------
    >>> logsumexp(Node([1000.0, 1000.0]))
    Node(array(1000.69314718), primitive='logsumexp')
    """
    _check_not_empty(x, "x", "The log of a sum of no terms is -inf.")
    value = np.asarray(_value(x))
    top = value.max(axis=axis, keepdims=True)
    if not np.isfinite(top).all():
        # An all -inf slice would give inf - inf; shift it by 0 instead.
        top = np.where(np.isfinite(top), top, 0.0)
    out = np.log(np.exp(value - top).sum(axis=axis, keepdims=True)) + top
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    params = {"axis": axis, "keepdims": keepdims}
    return _record("logsumexp", out, (x,), params)


def vjp_logsumexp(g, ans, x, *, argnum, axis, keepdims):
    shape = _keepdims_shape(_shape(x), axis)
    # eq. (vjp-logsumexp): adj(x) = adj(y) softmax(x)
    return reshape(g, shape) * exp(x - reshape(ans, shape))


# The registry: one vector-Jacobian product per primitive, eq. (vjp).
# mathsforml._autodiff_functions adds the rules of its primitives.
VJP_RULES: dict[str, Callable] = {
    "add": vjp_add,
    "subtract": vjp_subtract,
    "multiply": vjp_multiply,
    "divide": vjp_divide,
    "power": vjp_power,
    "negative": vjp_negative,
    "abs": vjp_abs,
    "matmul": vjp_matmul,
    "sum": vjp_sum,
    "broadcast_to": vjp_broadcast_to,
    "reshape": vjp_reshape,
    "transpose": vjp_transpose,
    "getitem": vjp_getitem,
    "scatter_add": vjp_scatter_add,
    "exp": vjp_exp,
    "log": vjp_log,
    "where": vjp_where,
    "logsumexp": vjp_logsumexp,
}
