"""Reverse-mode automatic differentiation on NumPy arrays.

A function written with :class:`Node` arithmetic and this module's
functions (``exp``, ``tanh``, ``where``, ``softmax_cross_entropy``, ...),
or with the NumPy functions that dispatch to them (``np.tanh(x)``,
``np.sum(x)``), records a computational graph as it runs. :func:`grad`
then walks the graph backwards, multiplying each node's adjoint by the
vector-Jacobian product (VJP) of the primitive that made it, eq.
(vjp-chain). For a scalar loss this costs a small multiple of one
forward pass, whatever the number of inputs [MML] [DLB] [BPRS].

The VJP rules are written with the same primitives, so the backward pass
can itself be recorded (``create_graph``) and differentiated again: that
is how :func:`hessian`, :func:`hvp` and the forward-mode :func:`jvp` are
exact, with no finite differences.

Every transform takes the positions of the arguments to differentiate as
``argnums``, as JAX does. The engine never fails silently: a function
that returns something other than numbers (``None``, after a forgotten
``return``), a NumPy function without a rule, or an empty batch raises
an error that says what to do.

:func:`count_operations` and :func:`graph_size` measure the cost of
differentiation in operations rather than seconds, so the comparison of
forward and reverse mode is the same on every machine.

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

import math
from collections.abc import Callable

import numpy as np

from mathsforml._autodiff_checks import (
    _argnums,
    _check_callable,
    _check_output,
    _check_scalar,
    _one_argnum,
    _positional_names,
    _rejects_argnum,
    _split_vector,
)
from mathsforml._autodiff_cost import (
    OperationCount,
    _count_pass,
    _count_vjp,
    count_operations,
    graph_size,
)
from mathsforml._autodiff_functions import (
    concatenate,
    cos,
    log1p,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    softmax_cross_entropy,
    sqrt,
    stack,
    tanh,
)
from mathsforml._autodiff_graph import Node, _shape, _value
from mathsforml._autodiff_rules import (
    VJP_RULES,
    abs,
    exp,
    log,
    logsumexp,
    mean,
    unbroadcast,
    where,
)
from mathsforml._validation import as_float_array, check_shape

__all__ = [
    "VJP_RULES",
    "Node",
    "OperationCount",
    "abs",
    "concatenate",
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
    "log1p",
    "logsumexp",
    "maximum",
    "mean",
    "minimum",
    "relu",
    "sigmoid",
    "sin",
    "softmax_cross_entropy",
    "sqrt",
    "stack",
    "tanh",
    "unbroadcast",
    "value_and_grad",
    "where",
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


def _missing_rule(primitive: str) -> NotImplementedError:
    return NotImplementedError(
        f"no vector-Jacobian product is registered for the primitive "
        f"{primitive!r}. Add a rule `vjp_{primitive}(g, ans, *operands, "
        f"argnum)` to VJP_RULES, or write the operation with supported "
        f"primitives: {', '.join(sorted(VJP_RULES))}."
    )


def _local_rule(node: Node, create_graph: bool):
    """The node's VJP rule, and what it reads: values, or nodes."""
    rule = VJP_RULES.get(node.primitive)
    if rule is None:
        raise _missing_rule(node.primitive)
    if create_graph:  # the rules see nodes, so the backward pass records
        return rule, node, node.args
    return rule, node.value, [_value(a) for a in node.args]


def _backward(order, seed, leaves, create_graph=False) -> list:
    """Adjoints of ``leaves`` given ``seed``, the adjoint of ``order[0]``.

    With ``create_graph`` the rules see nodes, so the adjoints are nodes
    too (or arrays, where they do not depend on the graph).
    """
    useful = set(order)
    adjoints = {order[0]: seed} if order else {}
    for node in order:  # reverse topological order
        if not node.parents or node not in adjoints:
            continue
        g = adjoints.pop(node)  # complete: every child is done
        rule, ans, args = _local_rule(node, create_graph)
        for argnum, parent in node.parents:
            if parent in useful:
                local = rule(g, ans, *args, argnum=argnum, **node.params)
                _count_vjp(node)
                # A node used several times sums its adjoints,
                # eq. (vjp-accumulate).
                total = adjoints.get(parent)
                adjoints[parent] = local if total is None else total + local
    _count_pass()
    return [adjoints.get(leaf) for leaf in leaves]


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
    out = fun(*args, **kwargs)
    _check_output(out, fun)
    return leaves, out


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


@_rejects_argnum
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
        output of size 1, such as a loss. An output that does not depend
        on the arguments (a plain number) has a zero gradient.
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
        If ``fun`` is not callable, returns something other than a node
        or real numbers (such as ``None``, after a forgotten ``return``),
        or an argument is not numeric; or if the keyword ``argnum`` is
        used for ``argnums``.
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


@_rejects_argnum
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


def _reverse_jacobian(out, leaves: list[Node]) -> list[np.ndarray]:
    """Jacobians of ``out`` by one backward pass per output entry."""
    out_shape = _shape(out)
    blocks = [np.zeros((math.prod(out_shape), leaf.size)) for leaf in leaves]
    if isinstance(out, Node):
        order = _topological_order(out, leaves)
        for i in range(out.size):
            seed = np.zeros(out.size)
            seed[i] = 1.0
            adjoints = _backward(order, seed.reshape(out_shape), leaves)
            for rows, adjoint in zip(blocks, adjoints, strict=True):
                if adjoint is not None:
                    rows[i] = np.ravel(adjoint)
    return [
        rows.reshape(out_shape + leaf.shape)
        for rows, leaf in zip(blocks, leaves, strict=True)
    ]


def _transposed_graph(out, leaf: Node) -> tuple[Node, object]:
    """A leaf ``u`` and the node ``J^T u``, linear in ``u``.

    Differentiating ``<J^T u, v>`` with respect to ``u`` gives ``J v``:
    forward mode from two reverse passes, eq. (jvp-double-vjp).
    """
    u = Node(np.zeros(out.shape))
    order = _topological_order(out, [leaf])
    (vjp,) = _backward(order, u, [leaf], create_graph=True)
    return u, vjp


def _forward_jacobian(out: Node, leaf: Node) -> np.ndarray:
    """Jacobian of node ``out`` by one pass per input entry (plus one)."""
    u, vjp = _transposed_graph(out, leaf)
    if not isinstance(vjp, Node):  # J^T u is linear, so J = 0
        return np.zeros(out.shape + leaf.shape)
    # Rows of d(J^T u)/du are the columns of J.
    (columns,) = _reverse_jacobian(vjp, [u])
    columns = columns.reshape(leaf.size, out.size)
    return columns.T.reshape(out.shape + leaf.shape)


@_rejects_argnum
def jacobian(
    fun: Callable,
    argnums: int | tuple[int, ...] = 0,
    *,
    mode: str = "reverse",
) -> Callable[..., np.ndarray | tuple[np.ndarray, ...]]:
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
    argnums : int or tuple of int, default 0
        The positional argument(s) to differentiate with respect to.
    mode : {"reverse", "forward"}, default "reverse"
        How to build the Jacobian.

    Returns
    -------
    callable
        Takes ``fun``'s arguments and returns the Jacobian array, or, when
        ``argnums`` is a tuple, a tuple of them, one per argument (as
        JAX's ``jacrev`` does).

    Raises
    ------
    TypeError
        As for :func:`grad`.
    ValueError
        If ``mode`` is unknown, or an argument is empty or not finite.

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

    With respect to two arguments, :math:`\mathbf{x} \odot \mathbf{y}`
    has the Jacobians :math:`\operatorname{diag}(\mathbf{y})` and
    :math:`\operatorname{diag}(\mathbf{x})`:

    >>> Jx, Jy = jacobian(lambda x, y: x * y, argnums=(0, 1))(
    ...     np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    >>> Jy
    array([[1., 0.],
           [0., 2.]])
    """
    _check_callable(fun)
    nums, single = _argnums(argnums)
    if mode not in ("reverse", "forward"):
        raise ValueError(
            f"`mode` must be 'reverse' or 'forward'; got {mode!r}. Use "
            "'reverse' when the output is smaller than the input."
        )
    names = _positional_names(fun)

    def jacobian_of_fun(*args, **kwargs):
        leaves, out = _trace(fun, args, kwargs, nums, names)
        if mode == "reverse" or not isinstance(out, Node):
            blocks = _reverse_jacobian(out, leaves)
        else:
            blocks = [_forward_jacobian(out, leaf) for leaf in leaves]
        return blocks[0] if single else tuple(blocks)

    return jacobian_of_fun


@_rejects_argnum
def hessian(
    fun: Callable, argnums: int | tuple[int, ...] = 0
) -> Callable[..., np.ndarray | tuple[tuple[np.ndarray, ...], ...]]:
    r"""Exact Hessian of a scalar function, by reverse-over-reverse.

    The backward pass is recorded as a graph whose output is
    :math:`\nabla f(\mathbf{x})`; the Jacobian of that graph, by one more
    backward pass per entry, is :math:`\mathbf{H} = \nabla^2 f`.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a scalar node.
    argnums : int or tuple of int, default 0
        The positional argument(s) to differentiate with respect to.

    Returns
    -------
    callable
        Returns the Hessian, of shape ``x.shape + x.shape``. When
        ``argnums`` is a tuple, returns its blocks as nested tuples, as
        JAX does: ``H[i][j]`` holds the second derivatives with respect
        to arguments ``argnums[i]`` and ``argnums[j]``, of shape
        ``x_i.shape + x_j.shape``.

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

    The blocks for :math:`f(x, y) = x^2 y`:

    >>> ((hxx, hxy), (hyx, hyy)) = hessian(
    ...     lambda x, y: x * x * y, argnums=(0, 1))(3.0, 2.0)
    >>> print(hxx, hxy, hyx, hyy)
    4.0 6.0 6.0 0.0
    """
    _check_callable(fun)
    nums, single = _argnums(argnums)
    names = _positional_names(fun)

    def hessian_of_fun(*args, **kwargs):
        leaves, out = _trace(fun, args, kwargs, nums, names)
        _check_scalar(out, "Hessian")
        gradients = _gradients(out, leaves, create_graph=True)
        rows = [_reverse_jacobian(g, leaves) for g in gradients]
        return rows[0][0] if single else tuple(map(tuple, rows))

    return hessian_of_fun


@_rejects_argnum
def hvp(fun: Callable, argnums: int = 0) -> Callable[..., np.ndarray]:
    r"""Hessian-vector product :math:`\mathbf{H}\mathbf{v}`, exactly.

    Computed as :math:`\nabla_{\mathbf{x}} \langle \nabla f(\mathbf{x}),
    \mathbf{v} \rangle`, eq. (hvp): two backward passes, about the cost
    of a few gradients, and the Hessian is never formed.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a scalar node.
    argnums : int, default 0
        The positional argument to differentiate with respect to. A
        tuple is rejected: ``v`` has the shape of one argument (use
        :func:`hessian` for blocks of several).

    Returns
    -------
    callable
        Called as ``hvp(fun)(*args, v)``, with ``v`` shaped like the
        argument; returns :math:`\mathbf{H}\mathbf{v}` in that shape.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`; also a ``TypeError`` if ``argnums`` is a
        tuple, and a ``ValueError`` if ``v`` has the wrong shape.

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
    num = _one_argnum(argnums, "hvp", instead="hessian")
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


@_rejects_argnum
def jvp(fun: Callable, argnums: int = 0) -> Callable[..., np.ndarray]:
    r"""Jacobian-vector product :math:`\mathbf{J}\mathbf{v}` (forward mode).

    The backward pass :math:`\bar{\mathbf{y}} \mapsto
    \mathbf{J}^\top\bar{\mathbf{y}}` is linear, and its own transpose is
    :math:`\mathbf{v} \mapsto \mathbf{J}\mathbf{v}`; so
    :math:`\mathbf{J}\mathbf{v} = \nabla_{\bar{\mathbf{y}}} \langle
    \mathbf{J}^\top\bar{\mathbf{y}}, \mathbf{v} \rangle`, eq.
    (jvp-double-vjp). This is not the tangent propagation of eq.
    (ad-forward-mode), but it gives the same product for one extra pass;
    building the Jacobian column by column this way costs one pass per
    input, the cost of forward mode.

    Parameters
    ----------
    fun : callable
        Takes nodes and returns a node.
    argnums : int, default 0
        The positional argument to differentiate with respect to. A
        tuple is rejected: ``v`` has the shape of one argument (use
        :func:`jacobian` for several).

    Returns
    -------
    callable
        Called as ``jvp(fun)(*args, v)``, with ``v`` shaped like the
        argument; returns :math:`\mathbf{J}\mathbf{v}`, shaped like the
        output.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As for :func:`grad`; also a ``TypeError`` if ``argnums`` is a
        tuple, and a ``ValueError`` if ``v`` has the wrong shape.

    See Also
    --------
    jacobian : with ``mode="forward"``, all columns.

    Examples
    --------
    >>> jvp(lambda x: x * x)(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([2., 0.])
    """
    _check_callable(fun)
    num = _one_argnum(argnums, "jvp", instead="jacobian")
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
