"""The node of :mod:`mathsforml.autodiff`'s computational graph.

A :class:`Node` holds a float64 value and remembers the primitive that
made it and that primitive's operands. :func:`_record` is beat 3 of every
primitive (see :mod:`mathsforml._autodiff_rules`): it wraps a value in a
node when an operand is a node, and returns the plain value otherwise.

The operators of a node call the primitives of
:mod:`mathsforml._autodiff_rules`; NumPy's functions reach them through
:mod:`mathsforml._autodiff_numpy`. Both modules import this one, so this
one refers to them only when an operator runs.

The public names are re-exported by :mod:`mathsforml.autodiff`.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array

__all__ = ["Node"]


class Node:
    """A value in a computational graph: a float64 array and its history.

    A node remembers the primitive that produced it and its operands, so
    that :func:`mathsforml.autodiff.grad` can apply the chain rule
    backwards. Arithmetic (``+ - * / ** @``, unary ``-``, ``abs``)
    broadcasts like NumPy and mixes freely with arrays and scalars, on
    either side. NumPy functions that have a primitive dispatch to it
    (``np.tanh(node)`` is ``tanh(node)``, ``np.sum(node)`` is
    ``node.sum()``); any other raises a ``TypeError`` that says what to
    call instead. Comparisons (``<``, ``<=``, ``>``, ``>=``) compare the
    values and return a boolean array, a constant for :func:`where`.

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
    >>> np.tanh(x)
    Node(array([0.76159416, 0.96402758]), primitive='tanh')
    >>> x > 1.5
    array([False,  True])
    """

    __slots__ = ("args", "params", "parents", "primitive", "value")

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
        return _rules.transpose(self)

    def __repr__(self) -> str:
        if self.primitive is None:
            return f"Node({self.value!r})"
        return f"Node({self.value!r}, primitive={self.primitive!r})"

    def __add__(self, other) -> Node:
        return _rules.add(self, other)

    def __radd__(self, other) -> Node:
        return _rules.add(other, self)

    def __sub__(self, other) -> Node:
        return _rules.subtract(self, other)

    def __rsub__(self, other) -> Node:
        return _rules.subtract(other, self)

    def __mul__(self, other) -> Node:
        return _rules.multiply(self, other)

    def __rmul__(self, other) -> Node:
        return _rules.multiply(other, self)

    def __truediv__(self, other) -> Node:
        return _rules.divide(self, other)

    def __rtruediv__(self, other) -> Node:
        return _rules.divide(other, self)

    def __pow__(self, other) -> Node:
        return _rules.power(self, other)

    def __rpow__(self, other) -> Node:
        return _rules.power(other, self)

    def __matmul__(self, other) -> Node:
        return _rules.matmul(self, other)

    def __rmatmul__(self, other) -> Node:
        return _rules.matmul(other, self)

    def __neg__(self) -> Node:
        return _rules.negative(self)

    def __abs__(self) -> Node:
        return _rules.abs(self)

    def __getitem__(self, index) -> Node:
        return _rules.getitem(self, index)

    # Comparisons are piecewise constant: they give masks, not nodes.
    # (== is left to identity, so that nodes can be dictionary keys.)
    def __lt__(self, other) -> np.ndarray:
        return np.asarray(self.value < _value(other))

    def __le__(self, other) -> np.ndarray:
        return np.asarray(self.value <= _value(other))

    def __gt__(self, other) -> np.ndarray:
        return np.asarray(self.value > _value(other))

    def __ge__(self, other) -> np.ndarray:
        return np.asarray(self.value >= _value(other))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _numpy.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _numpy.array_function(func, args, kwargs)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "a Node cannot be converted to a NumPy array: the array would "
            "lose the graph that gradients need. Use `node.value` for its "
            "value, and mathsforml.autodiff's functions (such as "
            "`ad.stack`) to combine nodes."
        )

    def sum(self, axis=None, keepdims: bool = False) -> Node:
        """Sum over ``axis`` (all axes by default), as ``ndarray.sum``."""
        return _rules.sum_(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False) -> Node:
        """Mean over ``axis``: see :func:`mathsforml.autodiff.mean`."""
        return _rules.mean(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape) -> Node:
        """Reshape; accepts ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return _rules.reshape(self, tuple(shape))


_NO_PARAMS: dict = {}  # shared and never written to


def _value(x):
    return x.value if isinstance(x, Node) else x


def _shape(x) -> tuple[int, ...]:
    try:
        return x.shape
    except AttributeError:  # a Python scalar or a list
        return np.shape(x)


# Operands used as they are: nodes, float arrays and Python numbers.
_READY = (Node, float, int, np.floating)


def _operand(x, name: str):
    """``x``, or ``x`` as a float array if it is not ready (a list)."""
    if isinstance(x, _READY) and not isinstance(x, bool):
        return x
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x
    return as_float_array(x, name, allow_empty=True, finite=False)


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


# These modules import this one; by now Node is defined, so either may be
# imported first, and the operators look their primitives up when called.
from mathsforml import _autodiff_numpy as _numpy  # noqa: E402
from mathsforml import _autodiff_rules as _rules  # noqa: E402
