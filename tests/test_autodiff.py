"""Tests for mathsforml.autodiff: against autograd, identities, bad input."""

import autograd
import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from autograd.scipy.special import logsumexp as anp_logsumexp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathsforml import autodiff as ad
from mathsforml import numdiff

# Two implementations of the same float64 formulas agree to round-off.
RTOL, ATOL = 1e-10, 1e-12
# Central differences are accurate to about eps^(2/3).
FD_RTOL, FD_ATOL = 1e-6, 1e-8
# MML's worked example, quoted to 12 significant digits.
MML_DERIVATIVE = -1.87400170496
MML_ATOL = 1e-10
FEW = settings(max_examples=30, deadline=None)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _sigmoid(x):
    return 1 / (1 + anp.exp(-x))


def _softmax_ce(logits, labels):
    rows = np.arange(logits.shape[0])
    lse = anp_logsumexp(logits, axis=1)
    return anp.mean(lse - logits[rows, labels])


# --- reference: autograd ----------------------------------------------


BINARY = [
    ("add", lambda a, b: a + b),
    ("subtract", lambda a, b: a - b),
    ("multiply", lambda a, b: a * b),
    ("divide", lambda a, b: a / b),
    ("power", lambda a, b: a**b),
]


@pytest.mark.parametrize(("name", "op"), BINARY)
@FEW
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3))
def test_binary_broadcasting_matches_autograd(name, op, shapes):
    rng = _rng(1)
    # Positive operands keep a ** b and a / b smooth.
    a, b = (rng.uniform(0.5, 2.0, size=s) for s in shapes.input_shapes)
    weights = rng.standard_normal(shapes.result_shape)

    def loss(x, y):
        return (op(x, y) * weights).sum()

    ours = ad.grad(loss, argnums=(0, 1))(a, b)
    ref = autograd.grad(lambda x, y: anp.sum(op(x, y) * weights), (0, 1))
    for got, want in zip(ours, ref(a, b), strict=True):
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)


def test_broadcast_column_plus_row():
    a, b = _rng(2).standard_normal((3, 1)), _rng(3).standard_normal(4)
    da, db = ad.grad(lambda a, b: ad.tanh(a + b).sum(), (0, 1))(a, b)
    ra, rb = autograd.grad(lambda a, b: anp.sum(anp.tanh(a + b)), (0, 1))(a, b)
    assert da.shape == (3, 1) and db.shape == (4,)
    assert_allclose(da, ra, rtol=RTOL, atol=ATOL)
    assert_allclose(db, rb, rtol=RTOL, atol=ATOL)


UNARY = [
    (ad.exp, anp.exp),
    (ad.log, anp.log),
    (ad.sqrt, anp.sqrt),
    (ad.tanh, anp.tanh),
    (ad.sigmoid, _sigmoid),
    (ad.relu, lambda x: anp.maximum(x, 0.0)),
    (ad.sin, anp.sin),
    (ad.cos, anp.cos),
    (lambda x: -x, lambda x: -x),
]


@pytest.mark.filterwarnings("ignore:Output seems independent")
@pytest.mark.parametrize(("ours", "theirs"), UNARY)
def test_unary_gradient_and_hessian_match_autograd(ours, theirs):
    x = _rng(4).uniform(0.2, 2.0, size=5) * np.array([1, -1, 1, -1, 1])
    if ours in (ad.log, ad.sqrt):
        x = np.abs(x)
    weights = _rng(5).standard_normal(5)

    def f(x):
        return (ours(x) * weights).sum()

    def g(x):
        return anp.sum(theirs(x) * weights)

    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)
    h_ours, h_ref = ad.hessian(f)(x), autograd.hessian(g)(x)
    assert_allclose(h_ours, h_ref, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"),
    [((3, 4), (4, 2)), ((3, 4), (4,)), ((4,), (4, 2)), ((4,), (4,))],
)
def test_matmul_matches_autograd(shape_a, shape_b):
    rng = _rng(6)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)

    def f(a, b):
        return ad.sin(a @ b).sum()

    def g(a, b):
        return anp.sum(anp.sin(anp.dot(a, b)))

    ours, ref = ad.grad(f, (0, 1))(a, b), autograd.grad(g, (0, 1))(a, b)
    for got, want in zip(ours, ref, strict=True):
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f, 1)(a, b),
        autograd.hessian(g, 1)(a, b),
        rtol=RTOL,
        atol=ATOL,
    )


def test_matmul_with_constant_on_either_side():
    rng = _rng(7)
    W, x = rng.standard_normal((3, 4)), rng.standard_normal(4)
    got = ad.grad(lambda x: (W @ x).sum() + (x @ W.T).sum())(x)
    assert_allclose(got, 2 * W.sum(axis=0), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_autograd(axis, keepdims):
    x = _rng(8).standard_normal((2, 3, 4))
    weights = _rng(9).standard_normal(
        np.sum(x, axis=axis, keepdims=keepdims).shape
    )

    def f(x):
        s = x.sum(axis=axis, keepdims=keepdims)
        return (
            ad.exp(x.mean(axis=axis, keepdims=keepdims)) * s * weights
        ).sum()

    def g(x):
        s = anp.sum(x, axis=axis, keepdims=keepdims)
        m = anp.mean(x, axis=axis, keepdims=keepdims)
        return anp.sum(anp.exp(m) * s * weights)

    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(
    "index",
    [
        (slice(1, None), slice(None, None, 2)),
        (Ellipsis, 1),
        -1,
        ([0, 0, 2], slice(1, 3)),
        (np.array([2, 0, 2, 2]), np.array([1, 1, 3, 1])),
    ],
)
def test_indexing_matches_autograd_with_repeats(index):
    x = _rng(10).standard_normal((3, 4))

    def f(x):
        return (x[index] ** 3).sum()

    def g(x):
        return anp.sum(x[index] ** 3)

    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f)(x), autograd.hessian(g)(x), rtol=RTOL, atol=ATOL
    )


def test_reshape_and_transpose_match_autograd():
    x = _rng(11).standard_normal((2, 6))
    A = _rng(12).standard_normal((4, 4))

    def f(x):
        return ad.tanh(A @ x.reshape(4, 3) + x.reshape((3, 4)).T).sum()

    def g(x):
        return anp.sum(anp.tanh(A @ x.reshape(4, 3) + x.reshape(3, 4).T))

    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(
    ("axis", "keepdims"), [(None, False), (1, True), (0, False)]
)
def test_logsumexp_matches_autograd(axis, keepdims):
    x = _rng(13).standard_normal((4, 3))
    w = _rng(14).standard_normal(np.sum(x, axis=axis, keepdims=keepdims).shape)

    def f(x):
        return (ad.logsumexp(x, axis=axis, keepdims=keepdims) * w).sum()

    def g(x):
        return anp.sum(anp_logsumexp(x, axis=axis, keepdims=keepdims) * w)

    assert_allclose(f(ad.Node(x)).value, g(x), rtol=RTOL, atol=ATOL)
    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f)(x), autograd.hessian(g)(x), rtol=1e-9, atol=ATOL
    )


def test_softmax_cross_entropy_matches_autograd():
    rng = _rng(15)
    logits, labels = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)

    def f(z):
        return ad.softmax_cross_entropy(z, labels)

    assert_allclose(
        f(ad.Node(logits)).value, _softmax_ce(logits, labels), rtol=RTOL
    )
    ref_grad = autograd.grad(_softmax_ce)(logits, labels)
    assert_allclose(ad.grad(f)(logits), ref_grad, rtol=RTOL, atol=ATOL)
    ref_hess = autograd.hessian(_softmax_ce)(logits, labels)
    assert_allclose(ad.hessian(f)(logits), ref_hess, rtol=RTOL, atol=ATOL)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    labels = np.array([0, 2])
    value, dz = ad.value_and_grad(
        lambda z: ad.softmax_cross_entropy(z, labels)
    )(logits)
    # Row 1 puts probability 1/2 on each of two tied classes.
    assert_allclose(value, np.log(2) / 2, rtol=RTOL)
    want = np.array([[0.0, 0.0, 0.0], [0.0, 0.5, -0.5]]) / 2
    assert_allclose(dz, want, rtol=RTOL, atol=ATOL)


def _mlp_loss_autograd(W1, b1, W2, b2, X, y):
    return _softmax_ce(anp.tanh(X @ W1 + b1) @ W2 + b2, y)


def _mlp_loss(W1, b1, W2, b2, X, y):
    return ad.softmax_cross_entropy(ad.tanh(X @ W1 + b1) @ W2 + b2, y)


def _mlp_problem(seed=16, n=64, sizes=(64, 32, 10)):
    rng = _rng(seed)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, sizes[2], n)
    params = (
        rng.standard_normal(sizes[:2]) / np.sqrt(sizes[0]),
        rng.standard_normal(sizes[1]) * 0.1,
        rng.standard_normal(sizes[1:]) / np.sqrt(sizes[1]),
        rng.standard_normal(sizes[2]) * 0.1,
    )
    return params, X, y


def test_mlp_gradient_matches_autograd():
    params, X, y = _mlp_problem(n=20, sizes=(5, 4, 3))
    argnums = (0, 1, 2, 3)
    ours = ad.grad(_mlp_loss, argnums)(*params, X, y)
    ref = autograd.grad(_mlp_loss_autograd, argnums)(*params, X, y)
    for got, want in zip(ours, ref, strict=True):
        assert got.shape == want.shape
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)


def test_mml_worked_example():
    def f(x):
        a = x**2 + ad.exp(x**2)
        return ad.sqrt(a) + ad.cos(a)

    assert_allclose(ad.grad(f)(0.7), MML_DERIVATIVE, rtol=0, atol=MML_ATOL)


def test_jacobian_matches_autograd_in_both_modes():
    rng = _rng(17)
    A, x = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))

    def f(x):
        return ad.sigmoid(A @ x) * x[0]

    def g(x):
        return _sigmoid(A @ x) * x[0]

    want = autograd.jacobian(g)(x)
    assert want.shape == (3, 2, 4, 2)
    for mode in ("reverse", "forward"):
        got = ad.jacobian(f, mode=mode)(x)
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)


def test_gradient_matches_finite_differences():
    rng = _rng(18)
    A, x = rng.standard_normal((5, 3)), rng.standard_normal(3)

    def f(x):
        return ad.logsumexp(A @ x) + ad.sigmoid(x).sum() * ad.tanh(x[0])

    def f_np(x):
        return f(ad.Node(x)).value

    assert_allclose(
        ad.grad(f)(x), numdiff.gradient(f_np, x), rtol=FD_RTOL, atol=FD_ATOL
    )
    assert_allclose(
        ad.hessian(f)(x), numdiff.hessian(f_np, x), rtol=1e-5, atol=1e-6
    )


# --- identities -------------------------------------------------------


def _shared(x):
    a = ad.sin(x)
    return (a * a + a * x + x * x).sum()


def test_shared_subexpressions_accumulate():
    x = _rng(19).standard_normal(4)
    want = 2 * np.sin(x) * np.cos(x) + np.cos(x) * x + np.sin(x) + 2 * x
    assert_allclose(ad.grad(_shared)(x), want, rtol=RTOL, atol=ATOL)
    assert_allclose(ad.grad(lambda x: x * x)(3.0), 6.0, rtol=RTOL)


@FEW
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=4),
        elements=st.floats(-2, 2),
    )
)
def test_adjoint_identity(x):
    # <u, J v> = <J^T u, v>: forward mode against reverse mode.
    rng = _rng(20)

    def f(x):
        return ad.tanh(x * x[..., :1]) + ad.exp(x).sum()

    u = rng.standard_normal(x.shape)
    v = rng.standard_normal(x.shape)
    jv = ad.jvp(f)(x, v)
    jtu = ad.grad(lambda x: (f(x) * u).sum())(x)
    assert_allclose(np.sum(u * jv), np.sum(jtu * v), rtol=1e-9, atol=1e-9)


def test_hessian_is_symmetric_and_hvp_agrees():
    rng = _rng(21)
    A, x, v = (rng.standard_normal(s) for s in ((4, 3), 3, 3))

    def f(x):
        return ad.logsumexp(A @ x) * ad.cos(x).sum() + (x**4).sum()

    hessian = ad.hessian(f)(x)
    assert_allclose(hessian, hessian.T, rtol=1e-12, atol=1e-12)
    assert_allclose(ad.hvp(f)(x, v), hessian @ v, rtol=RTOL, atol=ATOL)
    ref = autograd.hessian(
        lambda x: anp_logsumexp(A @ x) * anp.sum(anp.cos(x)) + anp.sum(x**4)
    )(x)
    assert_allclose(hessian, ref, rtol=RTOL, atol=ATOL)


def test_jvp_equals_jacobian_times_vector():
    rng = _rng(22)
    W, x, v = (rng.standard_normal(s) for s in ((3, 4), 4, 4))

    def f(x):
        return ad.relu(W @ x) + ad.sqrt(x * x + 1.0)[:3]

    assert_allclose(
        ad.jvp(f)(x, v), ad.jacobian(f)(x) @ v, rtol=RTOL, atol=ATOL
    )


def test_deep_chain_does_not_hit_recursion_limit():
    depth = 100_000
    rate = 1.0 + 1.0 / depth

    def f(x):
        for _ in range(depth):
            x = x * rate
        return x

    # d/dx of rate^depth x is rate^depth, close to e.
    assert_allclose(ad.grad(f)(1.0), rate**depth, rtol=1e-9)


def test_value_and_grad_agrees_with_grad_and_inputs_are_untouched():
    x = _rng(23).standard_normal(5)
    before = x.copy()
    value, dx = ad.value_and_grad(_shared)(x)
    assert isinstance(value, float)
    assert_allclose(value, _shared(ad.Node(x)).value, rtol=RTOL)
    assert_allclose(dx, ad.grad(_shared)(x), rtol=RTOL, atol=ATOL)
    assert_allclose(x, before, rtol=0, atol=0)


def test_gradients_are_independent_writeable_arrays():
    gx, gy = ad.grad(lambda x, y: (x + y).sum(), (0, 1))(
        np.ones(3), np.ones(3)
    )
    gx[0] = 5.0
    assert_allclose(gy, np.ones(3), rtol=0, atol=0)


def test_constants_mix_with_nodes():
    x = np.array([1.0, 2.0])

    def f(x):
        c = np.array([3.0, 4.0])
        return (c - x + 2.0**x + 1.0 / x + np.float64(2.0) * x).sum()

    want = -1 + np.log(2) * 2.0**x - 1 / x**2 + 2
    assert_allclose(ad.grad(f)(x), want, rtol=RTOL, atol=ATOL)


def test_unused_argument_gets_zero_gradient():
    _, dy = ad.grad(lambda x, y: ad.exp(x).sum(), (0, 1))(
        np.zeros(2), np.ones((2, 2))
    )
    assert_allclose(dy, np.zeros((2, 2)), rtol=0, atol=0)
    assert_allclose(ad.hessian(lambda x: (3 * x).sum())(np.ones(2)), 0.0)


def test_node_repr_and_attributes():
    x = ad.Node([[1.0, 2.0, 3.0]])
    assert x.shape == (1, 3) and x.ndim == 2 and x.size == 3
    assert repr(x) == "Node(array([[1., 2., 3.]]))"
    assert "primitive='transpose'" in repr(x.T)
    assert x.T.shape == (3, 1)


def test_engine_matches_hand_written_backprop():
    params, X, y = _mlp_problem()
    engine = ad.grad(_mlp_loss, argnums=(0, 1, 2, 3))
    rows = np.arange(len(y))

    def by_hand(W1, b1, W2, b2):
        # eq. (backprop-delta) for a tanh hidden layer and softmax output
        A1 = np.tanh(X @ W1 + b1)
        Z2 = A1 @ W2 + b2
        Z2 = Z2 - Z2.max(axis=1, keepdims=True)
        P = np.exp(Z2)
        P /= P.sum(axis=1, keepdims=True)
        delta2 = P.copy()
        delta2[rows, y] -= 1.0
        delta2 /= len(y)
        delta1 = (delta2 @ W2.T) * (1 - A1**2)
        return X.T @ delta1, delta1.sum(0), A1.T @ delta2, delta2.sum(0)

    for got, want in zip(engine(*params, X, y), by_hand(*params), strict=True):
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)

    # Speed is measured in benchmarks/bench_network.py, not here.


# --- operation counts -------------------------------------------------


def _mml(x):
    a = x**2
    c = a + ad.exp(a)
    return ad.sqrt(c) + ad.cos(c)


def _logistic_loss(w, X, s):
    return -ad.log(ad.sigmoid(s * (X @ w))).mean()


def _counted_rules(monkeypatch):
    """Wrap every VJP rule so that the test counts calls independently.

    Each call records its weight in array entries, computed from what the
    rule receives: the largest of its node's value and its operands.
    """
    calls = []
    for name, rule in list(ad.VJP_RULES.items()):

        def counted(g, ans, *args, _rule=rule, **kwargs):
            calls.append(max(np.size(a) for a in (ans, *args)))
            return _rule(g, ans, *args, **kwargs)

        monkeypatch.setitem(ad.VJP_RULES, name, counted)
    return calls


@pytest.mark.parametrize(
    "transform",
    [
        lambda f, x: ad.grad(f)(x),
        lambda f, x: ad.hessian(f)(x),
        lambda f, x: ad.jacobian(f, mode="forward")(x),
        lambda f, x: ad.hvp(f)(x, np.ones_like(x)),
    ],
)
def test_vjp_count_matches_instrumented_rules(monkeypatch, transform):
    rng = _rng(24)
    X, s = rng.standard_normal((7, 3)), rng.choice([-1.0, 1.0], 7)
    calls = _counted_rules(monkeypatch)
    with ad.count_operations() as count:
        transform(lambda w: _logistic_loss(w, X, s), rng.standard_normal(3))
    assert count.vjp_calls == len(calls) > 0
    assert count.vjp_entries == sum(calls) > count.vjp_calls


def test_backward_passes_per_mode():
    rng = _rng(25)
    n_out, n_in = 4, 6
    W, x = rng.standard_normal((n_out, n_in)), rng.standard_normal(n_in)

    def f(x):
        return ad.tanh(W @ x)

    def counted(transform):
        with ad.count_operations() as count:
            transform()
        return count.backward_passes

    assert counted(lambda: ad.grad(lambda x: f(x).sum())(x)) == 1
    assert counted(lambda: ad.jacobian(f)(x)) == n_out
    assert counted(lambda: ad.jacobian(f, mode="forward")(x)) == 1 + n_in
    assert counted(lambda: ad.hvp(lambda x: f(x).sum())(x, x)) == 2
    assert counted(lambda: ad.jvp(f)(x, x)) == 2


def test_gradient_costs_a_constant_multiple_of_the_graph():
    # One VJP per operand of each node: at most twice the graph's size,
    # for every input dimension (the cheap gradient principle).
    rng = _rng(26)
    for n_features in (1, 5, 20):
        X = rng.standard_normal((9, n_features))
        s = rng.choice([-1.0, 1.0], 9)
        w = rng.standard_normal(n_features)
        size = ad.graph_size(_logistic_loss(ad.Node(w), X, s))
        with ad.count_operations() as count:
            ad.grad(_logistic_loss)(w, X, s)
        assert size <= count.vjp_calls <= 2 * size


def _feature_loop_loss(w, X, s):
    """The logistic loss with the score built one feature at a time."""
    z = 0.0
    for j in range(X.shape[1]):
        z = z + w[j] * X[:, j]
    return -ad.log(ad.sigmoid(s * z)).mean()


def test_entry_counts_are_exact_polynomials():
    # Forward: per feature an index (1 entry) and two length-N vector
    # operations, then 4 more of length N and 2 scalars. Backward: per
    # feature the add's two operands and the product (N each) and the
    # index's VJP, which writes a D-vector; then 4 of length N and 2
    # scalars; less N, as the first add's operand 0.0 is a constant.
    rng = _rng(27)
    n = 9
    s = rng.choice([-1.0, 1.0], n)
    for d in (1, 4, 12):
        X, w = rng.standard_normal((n, d)), rng.standard_normal(d)
        out = _feature_loop_loss(ad.Node(w), X, s)
        assert ad.graph_size(out) == 3 * d + 6
        assert ad.graph_size(out, entries=True) == (2 * n + 1) * d + 4 * n + 2
        with ad.count_operations() as count:
            ad.grad(_feature_loop_loss)(w, X, s)
        assert count.vjp_calls == 4 * d + 5
        assert count.vjp_entries == d**2 + 3 * n * d + 3 * n + 2


def test_entry_counts_equal_operation_counts_for_scalars():
    # Every array has one entry, so both units agree.
    out = _mml(ad.Node(0.7))
    assert ad.graph_size(out, entries=True) == ad.graph_size(out) == 6
    with ad.count_operations() as count:
        ad.hessian(_mml)(0.7)
    assert count.vjp_entries == count.vjp_calls > 0


def test_nested_counts_and_exceptions():
    with ad.count_operations() as outer:
        ad.grad(lambda x: ad.exp(x).sum())(np.ones(2))
        with ad.count_operations() as inner:
            ad.grad(lambda x: ad.exp(x).sum())(np.ones(2))
    assert (inner.backward_passes, inner.vjp_calls) == (1, 2)
    assert (outer.backward_passes, outer.vjp_calls) == (2, 4)
    with pytest.raises(ValueError), ad.count_operations() as failed:
        ad.grad(lambda x: x * 2)(np.ones(3))
    assert failed.backward_passes == 0
    assert not ad._ACTIVE_COUNTS  # every record was released


def test_graph_size_counts_each_primitive_once():
    assert ad.graph_size(_mml(ad.Node(0.7))) == 6
    x = ad.Node(1.0)
    y = x
    for _ in range(10):
        y = y * y  # 2**10 paths from x to y, but only 10 nodes
    assert ad.graph_size(y) == 10
    assert ad.graph_size(x) == 0
    assert ad.graph_size(np.ones(3)) == 0


# --- bad input --------------------------------------------------------


def test_mismatched_matmul_shapes():
    W = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"shapes \(3, 4\) and \(3,\) do not"):
        ad.grad(lambda x: (W @ x).sum())(np.ones(3))
    with pytest.raises(ValueError, match="1-D and 2-D operands"):
        ad.grad(lambda x: (x @ W).sum())(np.ones((2, 2, 3)))


def test_nan_input_is_rejected_with_the_argument_name():
    with pytest.raises(ValueError, match="`weights` must contain only finite"):
        ad.grad(lambda weights: weights.sum())(np.array([1.0, np.nan]))


def test_non_scalar_output():
    with pytest.raises(ValueError, match=r"scalar.*shape \(3,\).*\.sum\(\)"):
        ad.grad(lambda x: x * 2)(np.ones(3))
    with pytest.raises(ValueError, match="must return a scalar"):
        ad.hessian(lambda x: x * 2)(np.ones(3))


def test_missing_rule_raises_not_implemented(monkeypatch):
    monkeypatch.delitem(ad.VJP_RULES, "sin")
    with pytest.raises(NotImplementedError, match="primitive 'sin'"):
        ad.grad(lambda x: ad.sin(x).sum())(np.ones(2))


def test_bad_arguments_to_the_transforms():
    with pytest.raises(TypeError, match="`fun` must be a function"):
        ad.grad(3.0)
    with pytest.raises(TypeError, match="`argnums` must be an integer"):
        ad.grad(lambda x: x, argnums=0.5)
    with pytest.raises(ValueError, match="must not repeat"):
        ad.grad(lambda x: x, argnums=(0, 0))
    with pytest.raises(ValueError, match="asks for argument 1"):
        ad.grad(lambda x: x.sum(), argnums=1)(np.ones(2))
    with pytest.raises(ValueError, match="`mode` must be"):
        ad.jacobian(lambda x: x, mode="sideways")
    with pytest.raises(ValueError, match=r"`v` must have shape \(2,\)"):
        ad.hvp(lambda x: (x * x).sum())(np.ones(2), np.ones(3))
    with pytest.raises(TypeError, match="real numbers"):
        ad.grad(lambda x: x.sum())("abc")


def test_bad_softmax_cross_entropy_input():
    z = ad.Node(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="integer class indices"):
        ad.softmax_cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="integer class indices"):
        ad.softmax_cross_entropy(z, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"must lie in \[0, 3\]"):
        ad.softmax_cross_entropy(z, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match="`logits` must be a 2-D"):
        ad.softmax_cross_entropy(ad.Node(np.zeros(4)), np.array([0]))


def test_indexing_with_a_node_is_rejected():
    x = ad.Node([1.0, 2.0])
    with pytest.raises(TypeError, match="index must be"):
        x[ad.Node([0.0])]


def test_graph_size_rejects_non_bool_entries():
    with pytest.raises(TypeError, match="`entries` must be True or False"):
        ad.graph_size(ad.Node(1.0) * 2, entries=1)


def test_graph_size_rejects_non_numeric_output():
    with pytest.raises(TypeError, match="`output` must be an array of real"):
        ad.graph_size("loss")
