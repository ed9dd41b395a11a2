"""The cost of differentiation, counted in operations rather than seconds.

:func:`count_operations` records the backward passes and vector-Jacobian
products (VJPs) that :mod:`mathsforml.autodiff` evaluates inside a
``with`` block, and :func:`graph_size` the primitives of a recorded
graph: the cost of one evaluation of the function. Unlike timings, both
are the same on every machine, so they compare forward and reverse mode
exactly. Each count comes in two units: operations, and array entries
touched (a flop-like weighting by the size of the arrays each operation
reads or writes).

The public names are re-exported by :mod:`mathsforml.autodiff`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from mathsforml._autodiff_graph import Node, _shape
from mathsforml._validation import as_float_array

__all__ = ["OperationCount", "count_operations", "graph_size"]


@dataclass(eq=False)
class OperationCount:
    """Work done by the backward passes inside :func:`count_operations`.

    Attributes
    ----------
    backward_passes : int
        Sweeps through a recorded graph, one per seed: one for
        :func:`grad`, one per output entry for a reverse-mode Jacobian,
        and one per input entry (plus one) for a forward-mode Jacobian.
    vjp_calls : int
        Vector-Jacobian products evaluated, one per operand of each node
        that a pass visits, eq. (vjp-chain).
    vjp_entries : int
        The same VJPs, each weighted by the number of entries of the
        largest array among its node's value and operands (which bounds
        the adjoints it reads and returns): a flop-like measure that,
        unlike ``vjp_calls``, grows with the sizes of the arrays. It is
        proportional to the work of element-wise operations, reductions
        and indexing; a matrix product does more work per entry.

    See Also
    --------
    count_operations : creates and updates this record.
    """

    backward_passes: int = 0
    vjp_calls: int = 0
    vjp_entries: int = 0


# The records that _backward updates: one per enclosing count_operations.
_ACTIVE_COUNTS: list[OperationCount] = []


@contextmanager
def count_operations() -> Iterator[OperationCount]:
    r"""Count the backward passes and VJPs evaluated in a ``with`` block.

    Unlike a timing, the counts are the same on every machine and in
    every run, so they compare the cost of differentiation modes
    exactly. With :func:`graph_size`, the cost of one evaluation of
    :math:`f`, they measure the cheap gradient principle: :func:`grad`
    makes one pass with about one VJP per graph edge, whatever the
    number of inputs, while ``jacobian(..., mode="forward")`` makes one
    pass per input. Blocks may be nested; each record counts everything
    done inside its own block.

    Yields
    ------
    OperationCount
        A record whose ``backward_passes``, ``vjp_calls`` and
        ``vjp_entries`` grow as the block runs; read it after the block.

    See Also
    --------
    graph_size : the number of primitives in a recorded graph.

    Examples
    --------
    Each node of :math:`\sum_i x_i x_i` has its VJP evaluated once per
    operand: twice for the product (``x`` is both operands) and once for
    the sum. Each of the three touches arrays of 3 entries:

    >>> import numpy as np
    >>> from mathsforml.autodiff import grad, jacobian
    >>> with count_operations() as count:
    ...     g = grad(lambda x: (x * x).sum())(np.ones(3))
    >>> count
    OperationCount(backward_passes=1, vjp_calls=3, vjp_entries=9)

    A forward-mode Jacobian of a scalar function of 3 inputs makes one
    pass to record the transposed graph and then one per input:

    >>> with count_operations() as count:
    ...     J = jacobian(lambda x: (x * x).sum(), mode="forward")(np.ones(3))
    >>> count.backward_passes
    4
    """
    count = OperationCount()
    _ACTIVE_COUNTS.append(count)
    try:
        yield count
    finally:
        # By identity (eq=False), so equal counts of nested blocks differ.
        _ACTIVE_COUNTS.remove(count)


def _count_vjp(node: Node) -> None:
    """Record one VJP of ``node`` in every active count."""
    for count in _ACTIVE_COUNTS:
        count.vjp_calls += 1
        count.vjp_entries += _entries(node)


def _count_pass() -> None:
    """Record one backward pass in every active count."""
    for count in _ACTIVE_COUNTS:
        count.backward_passes += 1


def graph_size(output: object, *, entries: bool = False) -> int:
    r"""Number of primitive operations in the graph that made ``output``.

    Counts the nodes that ``output`` depends on and that a primitive
    produced (leaves, the inputs, are not operations). Each was evaluated
    once in the forward pass, so this is the cost of evaluating the
    function, measured in primitives; a node used several times is
    counted once.

    Parameters
    ----------
    output : Node or array_like
        What a function returned when called on :class:`Node` arguments.
        A plain number or array depends on no node and has no graph.
    entries : bool, default False
        If true, weight each primitive by the number of entries of the
        largest array it reads or writes (its value and operands; an
        index reads only the entries it selects), the unit of
        ``OperationCount.vjp_entries``.

    Returns
    -------
    int
        The number of primitive nodes (0 for a constant), or with
        ``entries`` the total of their weights.

    Raises
    ------
    TypeError
        If ``output`` is neither a node nor numeric, or ``entries`` is
        not a bool.

    See Also
    --------
    count_operations : the cost of the backward passes.

    Examples
    --------
    The six intermediate variables of the worked example of Deisenroth
    et al. (2020), sec. 5.6, are six primitives:

    >>> import numpy as np
    >>> from mathsforml.autodiff import Node, cos, exp, sqrt
    >>> x = Node(0.7)
    >>> a = x ** 2
    >>> c = a + exp(a)
    >>> graph_size(sqrt(c) + cos(c))
    6
    >>> graph_size(3.0)
    0

    Weighted by entries, the product of 3-vectors and their sum touch 3
    entries each, and picking one entry touches 1:

    >>> v = Node(np.ones(3))
    >>> graph_size((v * v).sum()), graph_size((v * v).sum(), entries=True)
    (2, 6)
    >>> graph_size(v[0] * 2.0, entries=True)
    2
    """
    if not isinstance(entries, bool):
        raise TypeError(
            f"`entries` must be True or False; got {entries!r}. Pass "
            "entries=True to weight each primitive by its array sizes."
        )
    if not isinstance(output, Node):
        as_float_array(output, "output", allow_empty=True, finite=False)
        return 0
    seen, stack = {output}, [output]
    while stack:  # iterative, like _topological_order, for deep graphs
        for _, parent in stack.pop().parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    nodes = [node for node in seen if node.primitive is not None]
    if not entries:
        return len(nodes)
    return sum(
        node.size if node.primitive == "getitem" else _entries(node)
        for node in nodes
    )


def _entries(node: Node) -> int:
    """Entries of the largest array among a node's value and operands."""
    return max([node.size] + [math.prod(_shape(a)) for a in node.args])
