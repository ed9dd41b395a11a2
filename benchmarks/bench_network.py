"""Time the explicit-backprop network against PyTorch and the autodiff engine.

Run from the repository root::

    python benchmarks/bench_network.py [--repeats 7] [--threads 1]

(a) One training epoch on scikit-learn's digits (train split, 1347 x 64,
    scaled by 1/16): a 64-32-10 tanh network, Glorot-uniform init, plain
    mini-batch SGD with batch size 32 and learning rate 0.1, in float64.
    ``mathsforml`` runs the update loop of :func:`mathsforml.training.train`;
    PyTorch runs the idiomatic ``nn.Sequential`` + ``optim.SGD`` loop on the
    same initial weights and the same shuffled order, with
    ``torch.set_num_threads`` equal to NumPy's BLAS thread count (1 by
    default: at this size threads cost more than they save). Both
    epochs are checked to give the same weights. A second row times the
    public ``train(n_epochs=1)``, which also validates its input, copies
    the parameters and evaluates the loss and accuracy on the whole set,
    against the PyTorch epoch followed by the same evaluation.
    Target: ratio <= 1.5.
(b) The gradient of the same mean cross-entropy, by the reverse-mode engine
    ``mathsforml.autodiff.grad`` and by ``mathsforml.network.loss_and_grad``,
    on one batch of 32 rows and on the whole train split. Target: <= 2.

Each figure is the median of ``--repeats`` runs (``time.perf_counter``).
The PyTorch part is skipped, with a message, if torch is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time

import numpy as np

from mathsforml.activations import get_activation
from mathsforml.datasets import digits_split
from mathsforml.network import init_params, loss_and_grad
from mathsforml.optimizers import GradientDescent
from mathsforml.training import _run_epoch, train

SIZES = [64, 32, 10]
BATCH_SIZE = 32
LEARNING_RATE = 0.1
SEED = 0
SAME_WEIGHTS_ATOL = 1e-10


def median_time(fun, repeats):
    """Median wall time of ``fun()`` over ``repeats`` runs, after a warm-up."""
    fun()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fun()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def load_data():
    X_train, _, y_train, _ = digits_split(seed=SEED)
    return X_train, y_train


def blas_threads():
    """NumPy's BLAS thread count (threadpoolctl if present)."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return os.cpu_count() or 1
    from threadpoolctl import threadpool_info

    counts = [i["num_threads"] for i in threadpool_info()]
    return max(counts) if counts else 1


def numpy_epoch(params0, X, y, order):
    """One mathsforml SGD epoch from ``params0`` with a fixed order."""
    params = [(W.copy(), b.copy()) for W, b in params0]
    sgd = GradientDescent(LEARNING_RATE)

    class FixedOrder:  # stands in for the generator: same shuffle
        def permutation(self, n):
            return order

    act = get_activation("tanh")
    _run_epoch(params, sgd, X, y, act, BATCH_SIZE, 0.0, FixedOrder())
    return params


def torch_setup(params0, threads):
    import torch

    torch.set_num_threads(threads)
    torch.set_default_dtype(torch.float64)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]),
        torch.nn.Tanh(),
        torch.nn.Linear(SIZES[1], SIZES[2]),
    )

    def reset():
        with torch.no_grad():
            for layer, (W, b) in zip(model[::2], params0, strict=True):
                layer.weight.copy_(torch.from_numpy(W.T))
                layer.bias.copy_(torch.from_numpy(b))
        return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    return torch, model, reset


def torch_epoch(torch, model, optimizer, X, y, order):
    index = torch.from_numpy(order)
    X, y = X[index], y[index]
    loss_fn = torch.nn.functional.cross_entropy
    for start in range(0, X.shape[0], BATCH_SIZE):
        X_b, y_b = X[start : start + BATCH_SIZE], y[start : start + BATCH_SIZE]
        optimizer.zero_grad()
        loss_fn(model(X_b), y_b).backward()
        optimizer.step()


def torch_evaluate(torch, model, X, y):
    with torch.no_grad():
        logits = model(X)
        loss = torch.nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(dim=1) == y).double().mean().item()
    return loss, acc


def bench_torch(params0, X, y, order, repeats, threads):
    rows = []
    np_time = median_time(lambda: numpy_epoch(params0, X, y, order), repeats)
    torch, model, reset = torch_setup(params0, threads)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)

    def one_epoch(evaluate=False):
        optimizer = reset()
        torch_epoch(torch, model, optimizer, X_t, y_t, order)
        if evaluate:
            torch_evaluate(torch, model, X_t, y_t)

    one_epoch()
    ours = numpy_epoch(params0, X, y, order)
    diff = max(
        np.max(np.abs(W - layer.weight.detach().numpy().T))
        for (W, _), layer in zip(ours, model[::2], strict=True)
    )
    print(f"max |W_numpy - W_torch| after one epoch: {diff:.2e}")
    assert diff < SAME_WEIGHTS_ATOL, "the two epochs disagree"
    t_time = median_time(one_epoch, repeats)
    rows.append(("epoch, update loop", np_time, t_time))

    def public_train():
        train(
            params0,
            X,
            y,
            learning_rate=LEARNING_RATE,
            n_epochs=1,
            batch_size=BATCH_SIZE,
            rng=SEED,
        )

    np_full = median_time(public_train, repeats)
    t_full = median_time(lambda: one_epoch(evaluate=True), repeats)
    rows.append(("epoch, train() + evaluation", np_full, t_full))
    return rows


def bench_autodiff(params0, X, y, repeats):
    try:
        from mathsforml import autodiff as ad
    except ImportError:
        print("mathsforml.autodiff not found: skipping part (b).")
        return []
    (W1, b1), (W2, b2) = params0

    def fun(W1, b1, W2, b2, X=None, y=None):
        hidden = ad.tanh(X @ W1 + b1)
        return ad.softmax_cross_entropy(hidden @ W2 + b2, y)

    rows = []
    for label, rows_X, rows_y in (
        ("gradient, batch of 32", X[:BATCH_SIZE], y[:BATCH_SIZE]),
        ("gradient, 1347 rows", X, y),
    ):

        def loss(W1, b1, W2, b2, X=rows_X, y=rows_y):
            return fun(W1, b1, W2, b2, X, y)

        engine = ad.grad(loss, argnums=(0, 1, 2, 3))
        got = engine(W1, b1, W2, b2)
        want = [
            g
            for pair in loss_and_grad(params0, rows_X, rows_y)[1]
            for g in pair
        ]
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)
        t_engine = median_time(lambda e=engine: e(W1, b1, W2, b2), repeats)
        t_ours = median_time(
            lambda X=rows_X, y=rows_y: loss_and_grad(params0, X, y), repeats
        )
        rows.append((label, t_ours, t_engine))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS and torch threads; 0 keeps NumPy's BLAS default and "
        "gives torch as many (default: 1)",
    )
    args = parser.parse_args()
    if args.threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)  # for the rest of the run
    X, y = load_data()
    threads = args.threads or blas_threads()
    params0 = init_params(SIZES, "tanh", rng=SEED)
    order = np.random.default_rng(SEED).permutation(X.shape[0])
    print(
        f"digits train split {X.shape}, {SIZES} tanh, batch {BATCH_SIZE}, "
        f"float64, {threads} thread(s), median of {args.repeats}"
    )
    rows = []
    if importlib.util.find_spec("torch") is None:
        print(
            "torch is not installed: skipping part (a). "
            "Install it with `pip install torch` to compare."
        )
    else:
        part = bench_torch(params0, X, y, order, args.repeats, threads)
        rows += [(*r, "torch", 1.5) for r in part]
    rows += [
        (*r, "autodiff", 2.0)
        for r in bench_autodiff(params0, X, y, args.repeats)
    ]
    print(
        f"\n{'case':30s} {'mathsforml':>11s} {'other':>16s} "
        f"{'ratio':>6s} {'target':>7s} {'met':>4s}"
    )
    for label, ours, other, name, target in rows:
        ratio = ours / other if name == "torch" else other / ours
        met = "yes" if ratio <= target else "NO"
        print(
            f"{label:30s} {ours * 1e3:8.3f} ms {name:>8s} "
            f"{other * 1e3:6.3f} ms {ratio:6.2f} {'<=' + str(target):>7s} "
            f"{met:>4s}"
        )
    print(
        "\nratio: mathsforml / torch for epochs, engine / explicit for "
        "gradients."
    )


if __name__ == "__main__":
    main()
