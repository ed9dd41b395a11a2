"""Reverse-mode automatic differentiation on NumPy arrays.

A function written with :class:`Node` arithmetic and this module's
functions (``exp``, ``tanh``, ``softmax_cross_entropy``, ...) records a
computational graph as it runs. :func:`grad` then walks the graph
backwards, multiplying each node's adjoint by the vector-Jacobian product
(VJP) of the primitive that made it, eq. (vjp-chain). For a scalar loss
this costs a small multiple of one forward pass, whatever the number of
inputs [MML] [DLB] [BPRS].

The VJP rules are written with the same primitives, so the backward pass
can itself be recorded (``create_graph``) and differentiated again: that
is how :func:`hessian`, :func:`hvp` and the forward-mode :func:`jvp` are
exact, with no finite differences.

:func:`count_operations` and :func:`graph_size` measure the cost of
differentiation in operations rather than seconds, so the comparison of
forward and reverse mode is the same on every machine. Each count comes
in two units: operations, and array entries touched (a flop-like
weighting by the size of the arrays each operation reads or writes).

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 5.6.
- [DLB] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT
  Press, 2016, sec. 6.5.
- [BPRS] A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind,
  "Automatic differentiation in machine learning: a survey", *JMLR* 18,
  2018.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from mathsforml._autodiff_rules import (
    VJP_RULES,
    Node,
    _shape,
    _value,
    cos,
    exp,
    log,
    logsumexp,
    relu,
    sigmoid,
    sin,
    softmax_cross_entropy,
    sqrt,
    tanh,
    unbroadcast,
)
from mathsforml._validation import as_float_array, check_integer, check_shape

__all__ = [
    "VJP_RULES",
    "Node",
    "OperationCount",
    "cos",
    "count_operations",
    "exp",
    "grad",
    "graph_size",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "log",
    "logsumexp",
    "relu",
    "sigmoid",
    "sin",
    "softmax_cross_entropy",
    "sqrt",
    "tanh",
    "unbroadcast",
    "value_and_grad",
]


def _topological_order(output: Node, leaves: list[Node]) -> list[Node]:
    """Nodes on a path from ``leaves`` to ``output``, ``output`` first.

    An explicit stack replaces recursion, so graphs of any depth work.
    """
    post_order, seen = [], set()
    stack = [(output, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            post_order.append(node)  # after all of its operands
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            for _, parent in node.parents:
                stack.append((parent, False))
    # Keep only nodes that lead to a leaf: other adjoints are never used.
    useful = set(leaves)
    for node in post_order:
        for _, parent in node.parents:
            if parent in useful:
                useful.add(node)
                break
    return [node for node in reversed(post_order) if node in useful]


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


def _missing_rule(primitive: str) -> NotImplementedError:
    return NotImplementedError(
        f"no vector-Jacobian product is registered for the primitive "
        f"{primitive!r}. Add a rule `vjp_{primitive}(g, ans, *operands, "
        f"argnum)` to VJP_RULES, or write the operation with supported "
        f"primitives: {', '.join(sorted(VJP_RULES))}."
    )


def _backward(order, seed, leaves, create_graph=False) -> list:
    """Adjoints of ``leaves`` given ``seed``, the adjoint of ``order[0]``.

    With ``create_graph`` the rules see nodes, so the adjoints are nodes
    too (or arrays, where they do not depend on the graph).
    """
    useful = set(order)
    adjoints = {order[0]: seed} if order else {}
    n_vjps = n_entries = 0
    for node in order:
        if not node.parents or node not in adjoints:
            continue
        g = adjoints.pop(node)
        rule = VJP_RULES.get(node.primitive)
        if rule is None:
            raise _missing_rule(node.primitive)
        ans, args = node, node.args
        if not create_graph:
            ans = node.value
            args = [a.value if isinstance(a, Node) else a for a in args]
        for argnum, parent in node.parents:
            if parent not in useful:
                continue
            local = rule(g, ans, *args, argnum=argnum, **node.params)
            n_vjps += 1
            n_entries += _entries(node)
            # A node used several times sums its adjoints,
            # eq. (vjp-accumulate).
            total = adjoints.get(parent)
            adjoints[parent] = local if total is None else total + local
    for count in _ACTIVE_COUNTS:
        count.backward_passes += 1
        count.vjp_calls += n_vjps
        count.vjp_entries += n_entries
    return [adjoints.get(leaf) for leaf in leaves]


def _argnums(argnums: int | tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
    single = not isinstance(argnums, tuple)
    nums = (argnums,) if single else argnums
    if not nums:
        raise ValueError(
            "`argnums` must name at least one argument; got (). Pass an "
            "int such as 0 or a tuple such as (0, 1)."
        )
    nums = tuple(check_integer(n, "argnums", minimum=0) for n in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(
            f"`argnums` must not repeat an argument; got {argnums}. List "
            "each argument once."
        )
    return nums, single


def _positional_names(fun: Callable) -> list[str]:
    """Parameter names of ``fun``, for error messages."""
    try:
        params = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
    return [p.name for p in params if p.kind in kinds]


def _check_callable(fun: object) -> None:
    if not callable(fun):
        raise TypeError(
            "`fun` must be a function of nodes; got "
            f"{type(fun).__name__}. Pass the function itself, such as "
            "`grad(loss)`, not its value."
        )


def _trace(fun, args, kwargs, argnums, names):
    """Call ``fun`` with leaf nodes at ``argnums``; return them and output."""
    args, leaves = list(args), []
    for i in argnums:
        if i >= len(args):
            raise ValueError(
                f"`argnums` asks for argument {i}, but `fun` was called "
                f"with {len(args)} positional argument(s). Pass that "
                "argument positionally or change `argnums`."
            )
        name = names[i] if i < len(names) else f"args[{i}]"
        leaves.append(Node(as_float_array(args[i], name)))
        args[i] = leaves[-1]
    return leaves, fun(*args, **kwargs)


def _check_scalar(out, what: str = "gradient") -> None:
    shape = _shape(out)
    if math.prod(shape) != 1:
        raise ValueError(
            f"`fun` must return a scalar to take its {what}; got an output "
            f"of shape {shape}. Reduce it to a scalar (for example with "
            "`.sum()` or `.mean()`), or use `jacobian` for a vector-valued "
            "function."
        )


def _gradients(out, leaves, create_graph=False) -> list:
    """Adjoints of ``leaves`` for a scalar ``out`` (zeros if unused)."""
    _check_scalar(out)
    adjoints = [None] * len(leaves)
    if isinstance(out, Node):
        order = _topological_order(out, leaves)
        seed = np.ones(out.shape)
        adjoints = _backward(order, seed, leaves, create_graph)
    return [
        np.zeros(leaf.shape)
        if a is None
        else (a if create_graph else np.array(a, dtype=np.float64))
        for leaf, a in zip(leaves, adjoints, strict=True)
    ]


def grad(
    fun: Callable, argnums: int | tuple[int, ...] = 0
) -> Callable[..., np.ndarray | tuple[np.ndarray, ...]]:
    r"""Gradient of a scalar function, by reverse-mode differentiation.

    Runs ``fun`` once forwards, recording the graph, and once backwards,
    where each node's adjoint :math:`\bar{v} = \partial f / \partial v` is
    the sum over the nodes :math:`w` that use it of
    :math:`\bar{w}\, \partial w / \partial v`, eq. (vjp-chain).

    Parameters
    ----------
    fun : callable
        Takes nodes (and any constants) and returns a scalar node: an
        output of size 1, such as a loss.
    argnums : int or tuple of int, default 0
        The positional argument(s) to differentiate with respect to.

    Returns
    -------
    callable
        Takes the same arguments as ``fun`` and returns the gradient, an
        array shaped like the argument, or a tuple of them when
        ``argnums`` is a tuple. The other arguments are passed through
        unchanged.

    Raises
    ------
    TypeError
        If ``fun`` is not callable or an argument is not numeric.
    ValueError
        If ``fun``'s output is not a scalar, or a differentiated argument
        is empty or holds NaN or infinite values.
    NotImplementedError
        If the graph holds a primitive with no rule in ``VJP_RULES``.

    See Also
    --------
    value_and_grad : the value too, at no extra cost.
    jacobian : for vector-valued functions.
    mathsforml.numdiff.gradient : the finite-difference approximation.

    Examples
    --------
    The worked example of Deisenroth et al. (2020), sec. 5.6,
    :math:`f(x) = \sqrt{x^2 + e^{x^2}} + \cos(x^2 + e^{x^2})`:

    >>> def f(x):
    ...     a = x ** 2 + exp(x ** 2)
    ...     return sqrt(a) + cos(a)
    >>> print(f"{grad(f)(0.7):.11f}")
    -1.87400170496

    Several arguments at once:

    >>> dW, db = grad(lambda W, b: tanh(W @ [1.0, 2.0] + b).sum(),
    ...               argnums=(0, 1))(np.zeros((3, 2)), np.zeros(3))
    >>> dW.shape, db
    ((3, 2), array([1., 1., 1.]))
    """
    _check_callable(fun)
    nums, single = _argnums(argnums)
    names = _positional_names(fun)

    def gradient_of_fun(*args, **kwargs):
        leaves, out = _trace(fun, args, kwargs, nums, names)
        grads = _gradients(out, leaves)
        return grads[0] if single else tuple(grads)

    return gradient_of_fun


def value_and_grad(
    fun: Callable, argnums: int | tuple[int, ...] = 0
) -> Callable[..., tuple[float, np.ndarray | tuple[np.ndarray, ...]]]:
    """Value and gradient of a scalar function, from one forward pass.

    Parameters
    ----------
    fun : callable
        As for :func:`grad`.
    argnums : int or tuple of int, default 0
        As for :func:`grad`.

    Returns
    -------
    callable
        Returns ``(value, gradient)``: the value as a float and the
        gradient as :func:`grad` returns it.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`.

    See Also
    --------
    grad

    Examples
    --------
    >>> value_and_grad(lambda x: (x * x).sum())(np.array([1.0, 2.0]))
    (5.0, array([2., 4.]))
    """
    _check_callable(fun)
    nums, single = _argnums(argnums)
    names = _positional_names(fun)

    def value_and_gradient_of_fun(*args, **kwargs):
        leaves, out = _trace(fun, args, kwargs, nums, names)
        grads = _gradients(out, leaves)
        value = np.asarray(_value(out), dtype=np.float64).item()
        return value, grads[0] if single else tuple(grads)

    return value_and_gradient_of_fun


def _reverse_jacobian(out, leaf: Node) -> np.ndarray:
    """Jacobian of node ``out`` by one backward pass per output entry."""
    out_shape = _shape(out)
    if not isinstance(out, Node):
        return np.zeros(out_shape + leaf.shape)
    order = _topological_order(out, [leaf])
    rows = np.zeros((out.size, leaf.size))
    for i in range(out.size):
        seed = np.zeros(out.size)
        seed[i] = 1.0
        (adjoint,) = _backward(order, seed.reshape(out_shape), [leaf])
        if adjoint is not None:
            rows[i] = np.ravel(adjoint)
    return rows.reshape(out_shape + leaf.shape)


def _transposed_graph(out, leaf: Node) -> tuple[Node, object]:
    """A leaf ``u`` and the node ``J^T u``, linear in ``u``.

    Differentiating ``<J^T u, v>`` with respect to ``u`` gives ``J v``:
    forward mode from two reverse passes, eq. (jvp-double-vjp).
    """
    u = Node(np.zeros(out.shape))
    order = _topological_order(out, [leaf])
    (vjp,) = _backward(order, u, [leaf], create_graph=True)
    return u, vjp


def jacobian(
    fun: Callable, argnum: int = 0, *, mode: str = "reverse"
) -> Callable[..., np.ndarray]:
    r"""Jacobian of an array function.

    Entry ``[i..., j...]`` is :math:`\partial f_i / \partial x_j`, so the
    shape is ``out.shape + x.shape`` (numerator layout). In reverse mode
    row :math:`i` is the VJP :math:`\mathbf{e}_i^\top \mathbf{J}`: one
    backward pass per output, sharing one forward pass. In forward mode
    column :math:`j` is the JVP :math:`\mathbf{J}\mathbf{e}_j`: one pass
    per input. So reverse mode suits :math:`m \ll n` (a loss), forward
    mode :math:`n \ll m` (Baydin et al., 2018).

    Parameters
    ----------
    fun : callable
        Takes nodes (and any constants) and returns a node.
    argnum : int, default 0
        The positional argument to differentiate with respect to.
    mode : {"reverse", "forward"}, default "reverse"
        How to build the Jacobian.

    Returns
    -------
    callable
        Takes ``fun``'s arguments and returns the Jacobian array.

    Raises
    ------
    TypeError
        If ``fun`` is not callable or the argument is not numeric.
    ValueError
        If ``mode`` is unknown, or the argument is empty or not finite.

    See Also
    --------
    jvp : one Jacobian-vector product.
    mathsforml.numdiff.jacobian : the finite-difference version.

    Examples
    --------
    The Jacobian of :math:`\mathbf{x} \mapsto \mathbf{W}\mathbf{x}` is
    :math:`\mathbf{W}`:

    >>> W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> jacobian(lambda x: W @ x)(np.ones(2))
    array([[1., 2.],
           [3., 4.],
           [5., 6.]])
    >>> jacobian(lambda x: W @ x, mode="forward")(np.ones(2))[2]
    array([5., 6.])
    """
    _check_callable(fun)
    (num,), _ = _argnums(argnum)
    if mode not in ("reverse", "forward"):
        raise ValueError(
            f"`mode` must be 'reverse' or 'forward'; got {mode!r}. Use "
            "'reverse' when the output is smaller than the input."
        )
    names = _positional_names(fun)

    def jacobian_of_fun(*args, **kwargs):
        (leaf,), out = _trace(fun, args, kwargs, (num,), names)
        if mode == "reverse" or not isinstance(out, Node):
            return _reverse_jacobian(out, leaf)
        u, vjp = _transposed_graph(out, leaf)
        if not isinstance(vjp, Node):  # J^T u is linear, so J = 0
            return np.zeros(out.shape + leaf.shape)
        # Rows of d(J^T u)/du are the columns of J.
        columns = _reverse_jacobian(vjp, u).reshape(leaf.size, out.size)
        return columns.T.reshape(out.shape + leaf.shape)

    return jacobian_of_fun


def hessian(fun: Callable, argnum: int = 0) -> Callable[..., np.ndarray]:
    r"""Exact Hessian of a scalar function, by reverse-over-reverse.

    The backward pass is recorded as a graph whose output is
    :math:`\nabla f(\mathbf{x})`; the Jacobian of that graph, by one more
    backward pass per entry, is :math:`\mathbf{H} = \nabla^2 f`.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a scalar node.
    argnum : int, default 0
        The positional argument to differentiate with respect to.

    Returns
    -------
    callable
        Returns the Hessian, of shape ``x.shape + x.shape``.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`.

    See Also
    --------
    hvp : one Hessian-vector product, without forming the matrix.
    mathsforml.numdiff.hessian : the finite-difference version.

    Examples
    --------
    For :math:`f(\mathbf{x}) = \mathbf{x}^\top\mathbf{B}\mathbf{x}`,
    :math:`\mathbf{H} = \mathbf{B} + \mathbf{B}^\top`:

    >>> B = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> hessian(lambda x: x @ B @ x)(np.array([0.3, -0.2]))
    array([[2., 2.],
           [2., 6.]])
    """
    _check_callable(fun)
    (num,), _ = _argnums(argnum)
    names = _positional_names(fun)

    def hessian_of_fun(*args, **kwargs):
        (leaf,), out = _trace(fun, args, kwargs, (num,), names)
        _check_scalar(out, "Hessian")
        (gradient,) = _gradients(out, [leaf], create_graph=True)
        return _reverse_jacobian(gradient, leaf)

    return hessian_of_fun


def _split_vector(args: tuple, name: str) -> tuple[tuple, np.ndarray]:
    if not args:
        raise TypeError(
            f"call the returned function as f(*args, {name}); got no "
            f"arguments. Pass the point and then the vector `{name}`."
        )
    return args[:-1], as_float_array(args[-1], name)


def hvp(fun: Callable, argnum: int = 0) -> Callable[..., np.ndarray]:
    r"""Hessian-vector product :math:`\mathbf{H}\mathbf{v}`, exactly.

    Computed as :math:`\nabla_{\mathbf{x}} \langle \nabla f(\mathbf{x}),
    \mathbf{v} \rangle`, eq. (hvp): two backward passes, about the cost
    of a few gradients, and the Hessian is never formed.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a scalar node.
    argnum : int, default 0
        The positional argument to differentiate with respect to.

    Returns
    -------
    callable
        Called as ``hvp(fun)(*args, v)``, with ``v`` shaped like the
        argument; returns :math:`\mathbf{H}\mathbf{v}` in that shape.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`; also a ``ValueError`` if ``v`` has the wrong
        shape.

    See Also
    --------
    hessian

    Examples
    --------
    >>> f = lambda x: (x ** 3).sum()
    >>> hvp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    _check_callable(fun)
    (num,), _ = _argnums(argnum)
    names = _positional_names(fun)

    def hvp_of_fun(*args_and_v, **kwargs):
        args, v = _split_vector(args_and_v, "v")
        (leaf,), out = _trace(fun, args, kwargs, (num,), names)
        check_shape(v, "v", leaf.shape, "`v` must match the argument.")
        _check_scalar(out, "Hessian")
        (gradient,) = _gradients(out, [leaf], create_graph=True)
        (product,) = _gradients((gradient * v).sum(), [leaf])
        return product

    return hvp_of_fun


def jvp(fun: Callable, argnum: int = 0) -> Callable[..., np.ndarray]:
    r"""Jacobian-vector product :math:`\mathbf{J}\mathbf{v}` (forward mode).

    The map :math:`\mathbf{u} \mapsto \mathbf{J}^\top\mathbf{u}` is
    linear, and its own transpose is :math:`\mathbf{v} \mapsto
    \mathbf{J}\mathbf{v}`; so :math:`\mathbf{J}\mathbf{v} =
    \nabla_{\mathbf{u}} \langle \mathbf{J}^\top\mathbf{u}, \mathbf{v}
    \rangle`, eq. (jvp-double-vjp). Building the Jacobian column by column
    this way costs one pass per input, the cost of forward mode.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a node.
    argnum : int, default 0
        The positional argument to differentiate with respect to.

    Returns
    -------
    callable
        Called as ``jvp(fun)(*args, v)``, with ``v`` shaped like the
        argument; returns :math:`\mathbf{J}\mathbf{v}`, shaped like the
        output.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`; also a ``ValueError`` if ``v`` has the wrong
        shape.

    See Also
    --------
    jacobian : with ``mode="forward"``, all columns.

    Examples
    --------
    >>> jvp(lambda x: x * x)(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([2., 0.])
    """
    _check_callable(fun)
    (num,), _ = _argnums(argnum)
    names = _positional_names(fun)

    def jvp_of_fun(*args_and_v, **kwargs):
        args, v = _split_vector(args_and_v, "v")
        (leaf,), out = _trace(fun, args, kwargs, (num,), names)
        check_shape(v, "v", leaf.shape, "`v` must match the argument.")
        if not isinstance(out, Node):
            return np.zeros(_shape(out))
        u, vjp = _transposed_graph(out, leaf)
        if not isinstance(vjp, Node):
            return np.zeros(out.shape)
        (product,) = _gradients((vjp * v).sum(), [u])
        return product

    return jvp_of_fun
