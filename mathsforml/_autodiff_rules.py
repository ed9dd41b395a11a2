"""The computational graph of :mod:`mathsforml.autodiff` and its rules.

This private module holds the graph node and the primitives: the
operations whose derivatives the engine knows. Every primitive has the
same four beats:

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

The public names are re-exported by :mod:`mathsforml.autodiff`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mathsforml._validation import as_float_array

__all__ = [
    "VJP_RULES",
    "Node",
    "cos",
    "exp",
    "log",
    "logsumexp",
    "relu",
    "sigmoid",
    "sin",
    "softmax_cross_entropy",
    "sqrt",
    "tanh",
    "unbroadcast",
]


class Node:
    """A value in a computational graph: a float64 array and its history.

    A node remembers the primitive that produced it and its operands, so
    that :func:`mathsforml.autodiff.grad` can apply the chain rule
    backwards. Arithmetic (``+ - * / ** @``, unary ``-``) broadcasts like
    NumPy and mixes freely with arrays and scalars.

    Parameters
    ----------
    value : array_like
        The value of a leaf node (an input).

    Attributes
    ----------
    value : numpy.ndarray
        The float64 value.
    primitive : str or None
        The operation that produced the node; ``None`` for a leaf.

    See Also
    --------
    mathsforml.autodiff.grad : differentiate a function of nodes.

    Examples
    --------
    >>> x = Node([1.0, 2.0])
    >>> y = (x * x).sum()
    >>> y
    Node(array(5.), primitive='sum')
    >>> y.shape
    ()
    """

    __slots__ = ("args", "params", "parents", "primitive", "value")
    # Make NumPy defer to our reflected operators (array + node).
    __array_ufunc__ = None

    def __init__(self, value: object) -> None:
        if not (isinstance(value, np.ndarray) and value.dtype == np.float64):
            value = as_float_array(
                value, "value", allow_empty=True, finite=False
            )
        self.value = value
        self.primitive, self.args, self.parents = None, (), ()
        self.params = _NO_PARAMS

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def size(self) -> int:
        return self.value.size

    @property
    def T(self) -> Node:
        return transpose(self)

    def __repr__(self) -> str:
        if self.primitive is None:
            return f"Node({self.value!r})"
        return f"Node({self.value!r}, primitive={self.primitive!r})"

    def __add__(self, other) -> Node:
        return add(self, other)

    def __radd__(self, other) -> Node:
        return add(other, self)

    def __sub__(self, other) -> Node:
        return subtract(self, other)

    def __rsub__(self, other) -> Node:
        return subtract(other, self)

    def __mul__(self, other) -> Node:
        return multiply(self, other)

    def __rmul__(self, other) -> Node:
        return multiply(other, self)

    def __truediv__(self, other) -> Node:
        return divide(self, other)

    def __rtruediv__(self, other) -> Node:
        return divide(other, self)

    def __pow__(self, other) -> Node:
        return power(self, other)

    def __rpow__(self, other) -> Node:
        return power(other, self)

    def __matmul__(self, other) -> Node:
        return matmul(self, other)

    def __rmatmul__(self, other) -> Node:
        return matmul(other, self)

    def __neg__(self) -> Node:
        return negative(self)

    def __getitem__(self, index) -> Node:
        return getitem(self, index)

    def sum(self, axis=None, keepdims: bool = False) -> Node:
        """Sum over ``axis`` (all axes by default), as ``ndarray.sum``."""
        return sum_(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False) -> Node:
        """Mean over ``axis``: the sum divided by the number of terms."""
        total = sum_(self, axis=axis, keepdims=keepdims)
        return total / (self.size // max(total.size, 1))

    def reshape(self, *shape) -> Node:
        """Reshape; accepts ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return reshape(self, tuple(shape))


_NO_PARAMS: dict = {}  # shared and never written to


def _value(x):
    return x.value if isinstance(x, Node) else x


def _shape(x) -> tuple[int, ...]:
    try:
        return x.shape
    except AttributeError:  # a Python scalar or a list
        return np.shape(x)


def _record(primitive: str, value, args: tuple, params=None):
    """Wrap ``value`` in a node remembering how it was made (beat 3)."""
    parents = [(i, a) for i, a in enumerate(args) if isinstance(a, Node)]
    if not parents:
        return value
    node = object.__new__(Node)
    if type(value) is not np.ndarray or value.dtype != np.float64:
        value = np.asarray(value, dtype=np.float64)
    node.value = value
    node.primitive, node.args, node.parents = primitive, args, parents
    node.params = params or _NO_PARAMS
    return node


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
    # d(a^b)/da = b a^(b-1) and d(a^b)/db = a^b log a
    local = g * b * a ** (b - 1) if argnum == 0 else g * ans * log(a)
    return unbroadcast(local, _shape((a, b)[argnum]))


def negative(x):
    return _record("negative", -_value(x), (x,))


def vjp_negative(g, ans, x, *, argnum):
    return -g


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


def _keepdims_shape(shape: tuple[int, ...], axis) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` has with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in np.atleast_1d(axis).tolist()}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def sum_(x, axis=None, keepdims=False):
    value = np.sum(_value(x), axis=axis, keepdims=keepdims)
    return _record("sum", value, (x,), {"axis": axis, "keepdims": keepdims})


def vjp_sum(g, ans, x, *, argnum, axis, keepdims):
    # Every summed entry receives the sum's adjoint, eq. (vjp-sum).
    g = reshape(g, _keepdims_shape(_shape(x), axis))
    return broadcast_to(g, _shape(x))


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


# --- element-wise functions -------------------------------------------


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


# --- stable log-sum-exp and softmax cross-entropy ---------------------


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

    References
    ----------
    .. [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*,
       MIT Press, 2016, sec. 4.1.

    Examples
    --------
    >>> logsumexp(Node([1000.0, 1000.0]))
    Node(array(1000.69314718), primitive='logsumexp')
    """
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


def _check_labels(labels: object, logits: np.ndarray) -> np.ndarray:
    if logits.ndim != 2:
        raise ValueError(
            "`logits` must be a 2-D array of shape (n_samples, n_classes); "
            f"got shape {logits.shape}. Use `.reshape(1, -1)` for one "
            "sample."
        )
    labels = np.asarray(labels)
    n_samples, n_classes = logits.shape
    if labels.dtype.kind not in "iu" or labels.shape != (n_samples,):
        raise ValueError(
            f"`labels` must be {n_samples} integer class indices, one per "
            f"row of `logits`; got {labels.dtype} array of shape "
            f"{labels.shape}. Pass y.astype(int) with shape ({n_samples},)."
        )
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"`labels` must lie in [0, {n_classes - 1}] for {n_classes} "
            f"classes; got values from {labels.min()} to {labels.max()}. "
            "Encode the classes as 0, 1, ..., n_classes - 1."
        )
    return labels


def softmax_cross_entropy(logits, labels) -> Node:
    r"""Mean cross-entropy of softmax probabilities, computed stably.

    .. math::
        \mathcal{L} = \frac{1}{N} \sum_{n=1}^{N} \Bigl(
        \operatorname{logsumexp}(\mathbf{z}_n) - z_{n, y_n} \Bigr),

    eq. (softmax-ce), which never forms a probability, so logits of
    :math:`\pm 10^4` are fine. Its VJP is
    :math:`\bar{\mathcal{L}}\, (\mathbf{P} - \mathbf{Y}) / N`, with
    :math:`\mathbf{P}` the softmax of each row and :math:`\mathbf{Y}` the
    one-hot labels, eq. (softmax-ce-grad) [MML]_ [DLB]_.

    Parameters
    ----------
    logits : Node or array_like, shape (n_samples, n_classes)
        Unnormalised log-probabilities :math:`\mathbf{Z}`.
    labels : array_like of int, shape (n_samples,)
        Class indices in ``0 .. n_classes - 1``.

    Returns
    -------
    Node or float
        The mean loss; a node when ``logits`` is a node.

    Raises
    ------
    ValueError
        If ``logits`` is not 2-D, or ``labels`` are not integer indices
        of the right length and range.

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
    z = np.asarray(_value(logits))
    labels = _check_labels(labels, z)
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


# The registry: one vector-Jacobian product per primitive, eq. (vjp).
VJP_RULES: dict[str, Callable] = {
    "add": vjp_add,
    "subtract": vjp_subtract,
    "multiply": vjp_multiply,
    "divide": vjp_divide,
    "power": vjp_power,
    "negative": vjp_negative,
    "matmul": vjp_matmul,
    "sum": vjp_sum,
    "broadcast_to": vjp_broadcast_to,
    "reshape": vjp_reshape,
    "transpose": vjp_transpose,
    "getitem": vjp_getitem,
    "scatter_add": vjp_scatter_add,
    "exp": vjp_exp,
    "log": vjp_log,
    "sqrt": vjp_sqrt,
    "sin": vjp_sin,
    "cos": vjp_cos,
    "tanh": vjp_tanh,
    "sigmoid": vjp_sigmoid,
    "relu": vjp_relu,
    "logsumexp": vjp_logsumexp,
    "softmax_cross_entropy": vjp_softmax_cross_entropy,
}
