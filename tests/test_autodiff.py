"""Tests for mathsforml.autodiff: against autograd, identities, bad input."""

import operator

import autograd
import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from autograd.scipy.special import logsumexp as anp_logsumexp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mathsforml import autodiff as ad
from mathsforml import numdiff
from mathsforml._autodiff_cost import _ACTIVE_COUNTS

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
    (ad.abs, anp.abs),
    (ad.log1p, anp.log1p),
    (lambda x: -x, lambda x: -x),
]


@pytest.mark.filterwarnings("ignore:Output seems independent")
@pytest.mark.parametrize(("ours", "theirs"), UNARY)
def test_unary_gradient_and_hessian_match_autograd(ours, theirs):
    x = _rng(4).uniform(0.2, 2.0, size=5) * np.array([1, -1, 1, -1, 1])
    if ours in (ad.log, ad.sqrt, ad.log1p):
        x = np.abs(x)
    weights = _rng(5).standard_normal(5)

    def f(x):
        return (ours(x) * weights).sum()

    def g(x):
        return anp.sum(theirs(x) * weights)

    assert_allclose(f(ad.Node(x)).value, g(x), rtol=RTOL)
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


def test_matmul_jvp_is_the_product_rule_for_differentials():
    # eq. (jh-product-rule): d(AB) = dA B + A dB, exactly, since the
    # perturbed product is linear in each factor.
    rng = _rng(23)
    A, E = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    B, F = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    along = ad.jvp(lambda t: (A + t * E) @ (B + t * F))(0.0, 1.0)
    assert_allclose(along, E @ B + A @ F, rtol=RTOL, atol=ATOL)


_M_REF = _rng(24).standard_normal((4, 5))
PRIMITIVE_PAIRS = {  # name: (ours, autograd's); inputs are positive
    "exp": (ad.exp, anp.exp),
    "log": (ad.log, anp.log),
    "sqrt": (ad.sqrt, anp.sqrt),
    "sin": (ad.sin, anp.sin),
    "cos": (ad.cos, anp.cos),
    "tanh": (ad.tanh, anp.tanh),
    "sigmoid": (ad.sigmoid, _sigmoid),
    "relu": (lambda x: ad.relu(x - 1), lambda x: anp.maximum(x - 1, 0)),
    "power": (lambda x: x**2.5, lambda x: x**2.5),
    "divide": (lambda x: 1 / x, lambda x: 1 / x),
    "matmul": (lambda x: x @ _M_REF, lambda x: anp.dot(x, _M_REF)),
    "sum": (lambda x: x.sum(axis=0), lambda x: anp.sum(x, axis=0)),
    "logsumexp": (
        lambda x: ad.logsumexp(x, axis=1),
        lambda x: anp_logsumexp(x, axis=1),
    ),
    "log1p": (ad.log1p, anp.log1p),
    "abs": (lambda x: ad.abs(x - 1), lambda x: anp.abs(x - 1)),
    "maximum": (lambda x: ad.maximum(x, 1.0), lambda x: anp.maximum(x, 1.0)),
    "minimum": (lambda x: ad.minimum(x, 1.0), lambda x: anp.minimum(x, 1.0)),
    "where": (
        lambda x: ad.where(x > 1, x**2, 3 * x),
        lambda x: anp.where(x > 1, x**2, 3 * x),
    ),
    "mean": (lambda x: ad.mean(x, axis=0), lambda x: anp.mean(x, axis=0)),
    "stack": (lambda x: ad.stack([x, x**2]), lambda x: anp.stack([x, x**2])),
    "concatenate": (
        lambda x: ad.concatenate([x, x**2], axis=1),
        lambda x: anp.concatenate([x, x**2], axis=1),
    ),
}


@pytest.mark.parametrize("name", sorted(PRIMITIVE_PAIRS))
def test_vjp_of_each_primitive_matches_autograd_make_vjp(name):
    # eq. (vjp): ours as the gradient of <y_bar, phi(x)>, autograd's from
    # its own, independently written rule.
    ours, theirs = PRIMITIVE_PAIRS[name]
    rng = _rng(25)
    x = rng.uniform(0.2, 2.0, size=(3, 4))
    y_bar = rng.standard_normal(np.shape(theirs(x)))
    mine = ad.grad(lambda x: (ours(x) * y_bar).sum())(x)
    reference = autograd.make_vjp(theirs)(x)[0](y_bar)
    assert_allclose(mine, reference, rtol=1e-12, atol=1e-15)


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
    assert not _ACTIVE_COUNTS  # every record was released


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
    # The checks are those of mathsforml.losses; tests/test_losses.py
    # checks that both modules raise the same errors.
    z = ad.Node(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="`y` must hold integer class"):
        ad.softmax_cross_entropy(z, np.array([0.0, 1.5, 2.0]))
    with pytest.raises(ValueError, match="same number of samples"):
        ad.softmax_cross_entropy(z, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"labels in 0, \.\.\., 3 .* got 4"):
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


# --- a function must return numbers -----------------------------------


def _forgot_return(x):
    (x * x).sum()  # the classic bug: no `return`


TRANSFORMS = {
    "grad": lambda f, x: ad.grad(f)(x),
    "value_and_grad": lambda f, x: ad.value_and_grad(f)(x),
    "jacobian": lambda f, x: ad.jacobian(f)(x),
    "jacobian-forward": lambda f, x: ad.jacobian(f, mode="forward")(x),
    "hessian": lambda f, x: ad.hessian(f)(x),
    "hvp": lambda f, x: ad.hvp(f)(x, np.ones_like(x)),
    "jvp": lambda f, x: ad.jvp(f)(x, np.ones_like(x)),
}


@pytest.mark.parametrize("transform", TRANSFORMS.values(), ids=TRANSFORMS)
@pytest.mark.parametrize(
    ("fun", "returned"),
    [
        (_forgot_return, r"`_forgot_return` returned None\. Check that "),
        (lambda x: "loss", r"returned the string 'loss'"),
        (lambda x: x > 0, r"returned an array of shape \(2,\) and dtype bool"),
        (lambda x: [x[0], x[1]], r"returned list \[Node.*`ad\.stack`"),
    ],
)
def test_non_numeric_output_raises_type_error(transform, fun, returned):
    message = "`fun` must return a Node or an array of real numbers; "
    with pytest.raises(TypeError, match=message + ".*" + returned):
        transform(fun, np.array([0.5, -1.0]))


@pytest.mark.filterwarnings("ignore:Output seems independent")
def test_autograd_also_rejects_a_missing_return():
    # The convention this engine follows (JAX raises a TypeError too).
    for fun in (_forgot_return, lambda x: "loss"):
        with pytest.raises(TypeError):
            autograd.grad(fun)(np.array([0.5, -1.0]))


@pytest.mark.filterwarnings("ignore:Output seems independent")
@pytest.mark.parametrize("transform", TRANSFORMS.values(), ids=TRANSFORMS)
@pytest.mark.parametrize(
    "constant",
    [lambda x: 3, lambda x: np.float64(2.5), lambda x: ad.Node(2.0) * 3.0],
)
def test_output_independent_of_the_input_has_zero_derivative(
    transform, constant
):
    x = np.array([0.5, -1.0])
    got = transform(constant, x)
    if isinstance(got, tuple):  # value_and_grad
        assert got[0] in (3.0, 2.5, 6.0)
        got = got[1]
    assert_allclose(got, 0.0, rtol=0, atol=0)
    want = autograd.grad(lambda x: 3.0 + 0 * anp.sum(x))(x)
    assert_allclose(ad.grad(constant)(x), want, rtol=0, atol=0)


def test_constant_array_output_has_zero_jacobian():
    x = np.array([0.5, -1.0, 2.0])
    for mode in ("reverse", "forward"):
        J = ad.jacobian(lambda x: np.ones((4, 2)), mode=mode)(x)
        assert J.shape == (4, 2, 3)
        assert_allclose(J, 0.0, rtol=0, atol=0)
    assert_allclose(ad.jvp(lambda x: np.ones(4))(x, x), np.zeros(4))


# --- the power rule at a zero base ------------------------------------


def test_exponent_gradient_at_zero_base_matches_autograd_and_exact():
    c = np.array([0.0, 0.5, 2.0, 0.0])
    p = np.array([2.0, 3.0, 0.5, 1.0])
    safe_log = np.log(np.where(c > 0, c, 1.0))
    # d(c^p)/dp = c^p log c, whose limit at c = 0 is 0 (p > 0).
    exact_grad = c**p * safe_log
    exact_hess = np.diag(c**p * safe_log**2)

    def f(p):
        return (c**p).sum()

    def g(p):
        return anp.sum(c**p)

    assert_allclose(ad.grad(f)(p), exact_grad, rtol=RTOL, atol=ATOL)
    assert_allclose(ad.grad(f)(p), autograd.grad(g)(p), rtol=RTOL, atol=ATOL)
    assert_allclose(ad.hessian(f)(p), exact_hess, rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f)(p), autograd.hessian(g)(p), rtol=RTOL, atol=ATOL
    )


def test_zeroth_power_has_zero_derivatives_at_zero():
    x = np.array([0.0, -1.5, 2.0])

    def f(x):
        return (x**0).sum()  # the constant 3

    assert_allclose(ad.grad(f)(x), np.zeros(3), rtol=0, atol=0)
    assert_allclose(ad.hessian(f)(x), np.zeros((3, 3)), rtol=0, atol=0)
    ref = autograd.grad(lambda x: anp.sum(x**0))(x)
    assert_allclose(ad.grad(f)(x), ref, rtol=0, atol=0)


def test_hessian_of_first_power_has_no_nan_at_zero():
    x = np.array([0.0, -1.0, 2.0])
    w = np.array([2.0, -3.0, 0.5])

    def f(x):
        return (x**1 * w).sum() + (x**3).sum()

    # The first power is linear: only x^3 curves, H = diag(6 x).
    hess = ad.hessian(f)(x)
    assert_allclose(hess, np.diag(6 * x), rtol=RTOL, atol=0)
    ref = autograd.hessian(lambda x: anp.sum(x**1 * w) + anp.sum(x**3))(x)
    assert_allclose(hess, ref, rtol=RTOL, atol=0)


def test_power_hessian_in_base_and_exponent_matches_autograd():
    # Bases then exponents; the zero bases meet exponents 2 and 0.
    z = np.array([0.0, 1.5, 0.0, 2.0, 3.0, 0.0])

    def f(z):
        return (z[:3] ** z[3:]).sum()

    def g(z):
        return anp.sum(z[:3] ** z[3:])

    hess = ad.hessian(f)(z)
    assert np.all(np.isfinite(hess))
    assert_allclose(ad.grad(f)(z), autograd.grad(g)(z), rtol=RTOL, atol=ATOL)
    assert_allclose(hess, autograd.hessian(g)(z), rtol=RTOL, atol=ATOL)

    # Where the power is smooth (base 1.5), against central differences.
    def smooth_part(u):
        return f(ad.Node(np.array([0.0, u[0], 0.0, 2.0, u[1], 0.0]))).value

    fd = numdiff.hessian(smooth_part, z[[1, 4]])
    assert_allclose(hess[np.ix_([1, 4], [1, 4])], fd, rtol=1e-5, atol=1e-6)


# --- argnums, one name for every transform ----------------------------


ALL_TRANSFORMS = [ad.grad, ad.value_and_grad, ad.jacobian, ad.hessian]
ALL_TRANSFORMS += [ad.hvp, ad.jvp]


def _call(transform, f, args, argnums=None):
    """Apply a transform; hvp and jvp also get a vector of ones."""
    kwargs = {} if argnums is None else {"argnums": argnums}
    extra = (np.ones_like(args[-1]),) if transform in (ad.hvp, ad.jvp) else ()
    return transform(f, **kwargs)(*args, *extra)


@pytest.mark.parametrize("transform", ALL_TRANSFORMS, ids=lambda t: t.__name__)
def test_every_transform_takes_argnums(transform):
    rng = _rng(30)
    a, x = rng.standard_normal(3), rng.standard_normal(3)

    def f(a, x):
        return (ad.sin(a * x) * x).sum()

    got = _call(transform, f, (a, x), argnums=1)
    want = _call(transform, lambda x: f(a, x), (x,))
    if transform is ad.value_and_grad:
        assert_allclose(got[0], want[0], rtol=RTOL)
        got, want = got[1], want[1]
    assert_allclose(got, want, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("transform", ALL_TRANSFORMS, ids=lambda t: t.__name__)
def test_old_argnum_keyword_names_argnums(transform):
    name = transform.__name__
    message = rf"{name}\(\) takes `argnums`, not `argnum`; got argnum=1\. "
    with pytest.raises(TypeError, match=message + rf"Write `{name}\(fun,"):
        transform(lambda x, y: x, argnum=1)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_jacobian_with_several_argnums_matches_autograd(mode):
    rng = _rng(31)
    A, x, y = (rng.standard_normal(s) for s in ((3, 2), 2, 3))

    def f(x, y):
        return ad.tanh(A @ x) * y

    def g(x, y):
        return anp.tanh(A @ x) * y

    jx, jy = ad.jacobian(f, argnums=(0, 1), mode=mode)(x, y)
    assert_allclose(jx, autograd.jacobian(g, 0)(x, y), rtol=RTOL, atol=ATOL)
    assert_allclose(jy, autograd.jacobian(g, 1)(x, y), rtol=RTOL, atol=ATOL)
    # The tuple follows the order of argnums.
    jy2, jx2 = ad.jacobian(f, argnums=[1, 0], mode=mode)(x, y)
    assert_allclose(jx2, jx, rtol=0, atol=0)
    assert_allclose(jy2, jy, rtol=0, atol=0)


def test_hessian_blocks_match_autograd_of_the_joined_argument():
    rng = _rng(32)
    x, W = rng.standard_normal(2), rng.standard_normal((2, 3))

    def f(x, W):
        return ad.logsumexp(ad.tanh(x @ W)) + (x**4).sum() * W[0, 1]

    def g(z):  # x and W joined into one vector of 2 + 6 entries
        x, W = z[:2], z[2:].reshape(2, 3)
        return anp_logsumexp(anp.tanh(x @ W)) + anp.sum(x**4) * W[0, 1]

    ((hxx, hxw), (hwx, hww)) = ad.hessian(f, argnums=(0, 1))(x, W)
    ref = autograd.hessian(g)(np.concatenate([x, W.ravel()]))
    assert (hxx.shape, hxw.shape) == ((2, 2), (2, 2, 3))
    assert (hwx.shape, hww.shape) == ((2, 3, 2), (2, 3, 2, 3))
    for got, want in [
        (hxx, ref[:2, :2]),
        (hxw, ref[:2, 2:].reshape(2, 2, 3)),
        (hwx, ref[2:, :2].reshape(2, 3, 2)),
        (hww, ref[2:, 2:].reshape(2, 3, 2, 3)),
    ]:
        assert_allclose(got, want, rtol=1e-9, atol=ATOL)


@pytest.mark.parametrize(
    ("transform", "instead"), [(ad.hvp, "hessian"), (ad.jvp, "jacobian")]
)
def test_hvp_and_jvp_reject_several_argnums(transform, instead):
    name = transform.__name__
    message = (
        rf"`argnums` must be one int for `{name}`.*"
        rf"`{instead}\(fun, argnums=\(0, 1\)\)`"
    )
    with pytest.raises(TypeError, match=message):
        transform(lambda x, y: (x * y).sum(), argnums=(0, 1))


# --- NumPy functions on nodes -----------------------------------------


@pytest.mark.parametrize(
    "ufunc",
    [np.exp, np.log, np.log1p, np.sqrt, np.sin, np.cos, np.tanh, np.abs],
    ids=lambda u: u.__name__,
)
def test_numpy_ufuncs_dispatch_to_primitives(ufunc):
    x = _rng(33).uniform(0.2, 2.0, size=4)
    w = _rng(34).standard_normal(4)
    theirs = getattr(anp, ufunc.__name__)

    def f(x):
        return np.sum(ufunc(x) * w)  # NumPy calls on a node

    def g(x):
        return anp.sum(theirs(x) * w)

    assert isinstance(ufunc(ad.Node(x)), ad.Node)
    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f)(x), autograd.hessian(g)(x), rtol=RTOL, atol=ATOL
    )


@pytest.mark.parametrize(
    "ufunc",
    [
        np.add,
        np.subtract,
        np.multiply,
        np.divide,
        np.power,
        np.maximum,
        np.minimum,
    ],
    ids=lambda u: u.__name__,
)
def test_numpy_binary_ufuncs_with_an_array_on_either_side(ufunc):
    rng = _rng(35)
    a, x = rng.uniform(0.5, 2.0, (3, 1)), rng.uniform(0.5, 2.0, 4)
    w = rng.standard_normal((3, 4))
    theirs = getattr(anp, ufunc.__name__)

    def f(x):
        return np.sum((ufunc(a, x) + ufunc(x, a)) * w)

    def g(x):
        return anp.sum((theirs(a, x) + theirs(x, a)) * w)

    assert_allclose(ad.grad(f)(x), autograd.grad(g)(x), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(
    ("op", "primitive"),
    [
        (operator.add, "add"),
        (operator.sub, "subtract"),
        (operator.mul, "multiply"),
        (operator.truediv, "divide"),
        (operator.pow, "power"),
    ],
)
def test_array_and_numpy_scalar_on_the_left_build_nodes(op, primitive):
    x = np.array([0.5, 1.5])
    for left in (np.array([2.0, 3.0]), np.float64(2.0), 2.0):
        out = op(left, ad.Node(x))
        assert isinstance(out, ad.Node) and out.primitive == primitive
        got = ad.grad(lambda x, left=left: op(left, x).sum())(x)
        want = autograd.grad(lambda x, left=left: anp.sum(op(left, x)))(x)
        assert_allclose(got, want, rtol=RTOL, atol=ATOL)


def test_matmul_and_abs_with_numpy_operands():
    W, x = _rng(36).standard_normal((3, 2)), np.array([-0.5, 1.5])
    assert (W @ ad.Node(x)).primitive == "matmul"
    assert abs(ad.Node(x)).primitive == "abs"
    got = ad.grad(lambda x: abs(W @ x).sum())(x)
    want = autograd.grad(lambda x: anp.sum(anp.abs(W @ x)))(x)
    assert_allclose(got, want, rtol=RTOL, atol=ATOL)


A_DOT = _rng(37).standard_normal((2, 3))
NUMPY_FUNCTIONS = {
    "sum": lambda m, x: m.sum(x, axis=0, keepdims=True),
    "mean": lambda m, x: m.mean(x, axis=1),
    "where": lambda m, x: m.where(x > 0, x**2, -x),
    "stack": lambda m, x: m.stack([x, 2 * x], axis=1),
    "concatenate": lambda m, x: m.concatenate([x, x[:1]], axis=0),
    "reshape": lambda m, x: m.reshape(x, (2, 3)),
    "transpose": lambda m, x: m.transpose(x),
    "dot": lambda m, x: m.dot(A_DOT, x),
    # (autograd's broadcast_to cannot add leading axes; ours can)
    "broadcast_to": lambda m, x: m.broadcast_to(x[:1], (3, 2)),
}


@pytest.mark.parametrize("fn", NUMPY_FUNCTIONS.values(), ids=NUMPY_FUNCTIONS)
def test_numpy_functions_dispatch_to_the_engine(fn):
    x = _rng(38).uniform(-1.0, 1.0, (3, 2))
    w = _rng(39).standard_normal(np.shape(fn(np, x)))

    def loss(m, x):
        return m.sum(m.sin(fn(m, x)) * w)

    assert isinstance(fn(np, ad.Node(x)), ad.Node)
    got = ad.grad(lambda x: loss(np, x))(x)
    want = autograd.grad(lambda x: loss(anp, x))(x)
    assert_allclose(got, want, rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(lambda x: loss(np, x))(x),
        autograd.hessian(lambda x: loss(anp, x))(x),
        rtol=RTOL,
        atol=ATOL,
    )


def test_shape_queries_and_comparisons_work_on_values():
    x = ad.Node([-1.0, 0.0, 2.0])
    assert (np.shape(x), np.ndim(x), np.size(x)) == ((3,), 1, 3)
    assert_array_equal(x > 0, [False, False, True])
    assert_array_equal(0 <= x, [False, True, True])
    assert_array_equal(np.less(np.zeros(3), x), [False, False, True])
    assert_array_equal(x <= ad.Node([0.0, 0.0, 0.0]), [True, True, False])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (np.arctan, r"`np\.arctan` has no derivative rule in mathsforml"),
        (np.linalg.norm, r"`np\.linalg\.norm` has no derivative rule"),
        (
            lambda x: np.sum(x, dtype=float),
            r"`np\.sum` on a Node accepts the arguments "
            r"\(x, axis=None, keepdims=False\) of `node\.sum`",
        ),
        (np.add.reduce, r"`np\.add\.reduce` cannot be applied to a Node"),
        (
            lambda x: np.exp(x, out=np.empty(2)),
            r"`np\.exp` on a Node takes no keyword arguments; got out",
        ),
        (np.asarray, "cannot be converted to a NumPy array.*`node.value`"),
        (lambda x: np.array([x[0], x[1]]), "cannot be converted"),
    ],
)
def test_unsupported_numpy_calls_say_what_to_do(call, message):
    with pytest.raises(TypeError, match=message):
        call(ad.Node([1.0, 2.0]))


def test_in_place_numpy_update_with_a_node_is_rejected():
    total = np.zeros(2)
    with pytest.raises(TypeError, match=r"`a = a \+ node`"):
        total += ad.Node([1.0, 2.0])
    assert_allclose(total, np.zeros(2), rtol=0, atol=0)


# --- abs, maximum, minimum, where, log1p, mean, stack, concatenate ----


def test_new_primitives_are_registered():
    new = {"abs", "maximum", "minimum", "where", "log1p"}
    assert new | {"stack", "concatenate"} <= set(ad.VJP_RULES)


def test_abs_derivative_at_zero_is_zero_as_in_autograd():
    x = np.array([-2.0, 0.0, 3.0])
    got = ad.grad(lambda x: ad.abs(x).sum())(x)
    assert_allclose(got, [-1.0, 0.0, 1.0], rtol=0, atol=0)
    want = autograd.grad(lambda x: anp.sum(anp.abs(x)))(x)
    assert_allclose(got, want, rtol=0, atol=0)


def _plain(x):
    return x.value if isinstance(x, ad.Node) else x


def test_abs_identities():
    # |x|^2 = x^2 has gradient 2x, even at 0; and |x| = where(x > 0, x, -x).
    x = np.array([-1.5, 0.0, 0.0, 2.0])
    square = ad.grad(lambda x: (ad.abs(x) ** 2).sum())
    assert_allclose(square(x), 2 * x, rtol=RTOL, atol=0)
    # Its second derivative is 2 away from 0; at 0 the convention
    # sign(0) = 0 gives 0, as autograd does.
    curvature = ad.hessian(lambda x: (ad.abs(x) ** 2).sum())(x)
    assert_allclose(curvature, np.diag([2.0, 0.0, 0.0, 2.0]), rtol=RTOL)
    ref = autograd.hessian(lambda x: anp.sum(anp.abs(x) ** 2))(x)
    assert_allclose(curvature, ref, rtol=RTOL, atol=0)
    by_abs = ad.grad(lambda x: ad.abs(x).sum())(x)
    by_where = ad.grad(lambda x: ad.where(x > 0, x, -x).sum())(x)
    assert_allclose(by_abs[[0, 3]], by_where[[0, 3]], rtol=0, atol=0)


@pytest.mark.parametrize("name", ["maximum", "minimum", "where"])
@FEW
@given(data=st.data())
def test_piecewise_broadcasting_and_ties_match_autograd(name, data):
    n = 3 if name == "where" else 2
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=3)
    )
    rng = _rng(40)
    # Few distinct values, so that ties are common.
    args = [rng.integers(-2, 3, size=s) * 0.5 for s in shapes.input_shapes]
    weights = rng.standard_normal(shapes.result_shape)
    ours, theirs = getattr(ad, name), getattr(anp, name)
    if name == "where":  # the condition is a constant first argument
        cond = args.pop(0) > 0
        ours = lambda x, y, w=ours: w(cond, x, y)  # noqa: E731
        # autograd's where does not sum a broadcast operand's adjoint
        # back to its shape; this blend is where for finite values.
        theirs = lambda x, y: cond * x + ~cond * y  # noqa: E731

    want_value = theirs(*args)
    assert_allclose(_plain(ours(*args)), want_value, rtol=0, atol=0)
    got = ad.grad(lambda a, b: (ours(a, b) * weights).sum(), (0, 1))(*args)
    want = autograd.grad(lambda a, b: anp.sum(theirs(a, b) * weights), (0, 1))(
        *args
    )
    for mine, ref in zip(got, want, strict=True):
        assert_allclose(mine, ref, rtol=RTOL, atol=ATOL)


def test_maximum_and_minimum_split_a_tie_equally():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0])
    da, db = ad.grad(lambda a, b: ad.maximum(a, b).sum(), (0, 1))(a, b)
    assert_allclose(da, [0.5, 1.0, 0.0], rtol=0, atol=0)
    assert_allclose(db, [0.5, 0.0, 1.0], rtol=0, atol=0)
    da, db = ad.grad(lambda a, b: ad.minimum(a, b).sum(), (0, 1))(a, b)
    assert_allclose(da, [0.5, 0.0, 1.0], rtol=0, atol=0)
    assert_allclose(db, [0.5, 1.0, 0.0], rtol=0, atol=0)
    # So maximum(x, x) = x gets its true derivative, 1, at every point,
    # and max + min = a + b has gradient 1 in both arguments.
    same = ad.grad(lambda x: ad.maximum(x, x).sum())(a)
    assert_allclose(same, np.ones(3), rtol=0, atol=0)
    both = ad.grad(
        lambda a, b: (ad.maximum(a, b) + ad.minimum(a, b)).sum(), (0, 1)
    )(a, b)
    assert_allclose(both, np.ones((2, 3)), rtol=0, atol=0)


def test_where_hessian_matches_autograd_with_broadcast_condition():
    rng = _rng(41)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal(4)
    cond = y > 0  # shape (4,), broadcast over the rows of x

    def f(x, y):
        return (ad.where(cond, x**3, ad.sin(x * y)) ** 2).sum()

    def g(x, y):
        return anp.sum(anp.where(cond, x**3, anp.sin(x * y)) ** 2)

    for argnum in (0, 1):
        assert_allclose(
            ad.hessian(f, argnum)(x, y),
            autograd.hessian(g, argnum)(x, y),
            rtol=RTOL,
            atol=ATOL,
        )


def test_where_guards_a_branch_the_way_its_docstring_says():
    # Without the guard, log's derivative at 0 times 0 is NaN.
    x = np.array([0.0, 2.0])

    def guarded(x):
        return ad.where(x > 0, ad.log(ad.where(x > 0, x, 1.0)), 0.0).sum()

    assert_allclose(ad.grad(guarded)(x), [0.0, 0.5], rtol=RTOL, atol=0)


def test_log1p_keeps_the_digits_that_log_of_one_plus_x_loses():
    x = np.array([1e-20, 1e-10])
    series = x - x**2 / 2 + x**3 / 3  # exact to round-off for these x
    assert_allclose(ad.log1p(ad.Node(x)).value, series, rtol=1e-15)
    assert_allclose(ad.log(1 + ad.Node(x)).value[0], 0.0, atol=0)
    assert_allclose(ad.grad(lambda x: ad.log1p(x).sum())(x), 1 / (1 + x))


@pytest.mark.parametrize(
    ("axis", "keepdims"), [(None, False), (0, True), (-1, False), ((0, 2), 1)]
)
def test_mean_function_matches_autograd_node_mean_and_np_mean(axis, keepdims):
    x = _rng(42).standard_normal((2, 3, 4))
    w = _rng(43).standard_normal(np.mean(x, axis, keepdims=keepdims).shape)

    def f(x):
        return (ad.exp(ad.mean(x, axis, keepdims)) * w).sum()

    want = autograd.grad(
        lambda x: anp.sum(anp.exp(anp.mean(x, axis, keepdims=keepdims)) * w)
    )(x)
    assert_allclose(ad.grad(f)(x), want, rtol=RTOL, atol=ATOL)
    node = ad.Node(x)
    by_method = node.mean(axis=axis, keepdims=keepdims).value
    by_numpy = np.mean(node, axis=axis, keepdims=keepdims).value
    assert_allclose(ad.mean(node, axis, keepdims).value, by_method, rtol=0)
    assert_allclose(by_numpy, by_method, rtol=0, atol=0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_stack_and_concatenate_match_autograd(axis):
    rng = _rng(44)
    a, b, c = (rng.standard_normal((2, 3)) for _ in range(3))

    def parts(m, a, b):
        stacked = m.stack([a, b * a, c], axis=axis)
        joined = m.concatenate([a, b, c, a[:, :1] ** 2], axis=-1)
        return stacked, joined

    def f(a, b):
        stacked, joined = parts(ad, a, b)
        return (ad.sin(stacked) ** 2).sum() + ad.cos(joined).sum()

    def g(a, b):
        stacked, joined = parts(anp, a, b)
        return anp.sum(anp.sin(stacked) ** 2) + anp.sum(anp.cos(joined))

    assert_allclose(f(ad.Node(a), b).value, g(a, b), rtol=RTOL)
    got, want = ad.grad(f, (0, 1))(a, b), autograd.grad(g, (0, 1))(a, b)
    for mine, ref in zip(got, want, strict=True):
        assert_allclose(mine, ref, rtol=RTOL, atol=ATOL)
    assert_allclose(
        ad.hessian(f)(a, b), autograd.hessian(g)(a, b), rtol=RTOL, atol=ATOL
    )


def test_concatenate_of_the_pieces_of_an_array_is_the_identity():
    x = _rng(45).standard_normal((5, 2))
    w = _rng(46).standard_normal((5, 2))

    def f(x):
        return (ad.concatenate([x[:2], x[2:3], x[3:]]) * w).sum()

    assert_allclose(ad.grad(f)(x), w, rtol=0, atol=0)
    rows = ad.grad(lambda x: (ad.stack([x[i] for i in range(5)]) * w).sum())
    assert_allclose(rows(x), w, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda x: ad.stack(x), TypeError, "`arrays` must be a list or tuple"),
        (lambda x: ad.stack([]), ValueError, "`arrays` must hold at least"),
        (
            lambda x: ad.stack([x, x[:1]]),
            ValueError,
            r"cannot stack `arrays` along axis 0: .*shape",
        ),
        (
            lambda x: ad.concatenate([x, x], axis=2),
            ValueError,
            "cannot concatenate `arrays` along axis 2",
        ),
        (
            lambda x: ad.concatenate([x, x], axis=0.5),
            TypeError,
            "`axis` must be an integer",
        ),
        (lambda x: ad.abs("x"), TypeError, "`x` must be an array of real"),
        (lambda x: ad.log1p([None]), TypeError, "`x` must be an array of"),
        (lambda x: ad.mean("abc"), TypeError, "`x` must be an array of real"),
        (lambda x: ad.maximum(x, "b"), TypeError, "`b` must be an array of"),
        (lambda x: ad.minimum([[1], [2, 3]], x), ValueError, "`a` must be"),
        (lambda x: ad.where(x > 0, x, "y"), TypeError, "`y` must be an array"),
        (
            lambda x: ad.stack([x, "z"]),
            TypeError,
            r"`arrays\[1\]` must be an array of real numbers",
        ),
        (
            lambda x: ad.where(x, x, 0.0),
            TypeError,
            "`condition` must be a boolean array, not a Node",
        ),
        (
            lambda x: ad.where(x.value, x, 0.0),
            TypeError,
            "`condition` must be a boolean array; got dtype float64",
        ),
    ],
)
def test_bad_input_to_the_new_primitives(call, error, message):
    with pytest.raises(error, match=message):
        call(ad.Node([1.0, 2.0]))


# --- empty batches ----------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ad.softmax_cross_entropy(ad.Node(np.zeros((0, 3))), []),
            r"`logits` must not be empty; got an array of shape \(0, 3\)",
        ),
        (
            lambda: ad.logsumexp(ad.Node(np.zeros((0, 3))), axis=1),
            r"`x` must not be empty; got an array of shape \(0, 3\)",
        ),
        (lambda: ad.mean(ad.Node(np.zeros(0))), "`x` must not be empty"),
        (lambda: ad.Node(np.zeros((0, 2))).mean(), "`x` must not be empty"),
        (
            lambda: ad.grad(lambda w: w.sum())(np.zeros((0, 2))),
            "`w` must not be empty",
        ),
    ],
)
def test_empty_batch_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
