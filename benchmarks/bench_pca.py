"""Time mathsforml's PCA against scikit-learn's, and the Gram crossover.

Run from the repository root::

    python benchmarks/bench_pca.py [--repeats 21] [--threads 1]

(a) ``PCA(n_components).fit`` with the default ``"svd"`` solver (a thin
    LAPACK SVD of the centred data) against scikit-learn's
    ``PCA(svd_solver="full")``, which does the same, on scikit-learn's
    digits (1797 x 64, 10 components) and on a seeded 2000 x 784 matrix
    of the size of an MNIST sample (50 components). The two fits are
    first checked to give the same components (to 1e-8). The
    ``"eigh"`` solver, which decomposes the D x D matrix X_c^T X_c, is
    timed too. Target: mathsforml / scikit-learn <= 1.2 for "svd".
(b) The crossover of the two eigendecomposition solvers: ``"eigh"``
    (D x D, cost ~ N D^2 + D^3) against ``"gram"`` (N x N, cost ~ N^2 D
    + N^3) at D = 784 as N grows from 50 to 1600. The Gram solver should
    win while N < D and lose beyond.

Each figure is the median of ``--repeats`` runs (``time.perf_counter``,
a quarter as many for the crossover) after one warm-up run, the
competing functions run in turn; NumPy's BLAS gets ``--threads`` threads (1 by
default, through threadpoolctl).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA as SkPCA

from mathsforml.pca import PCA

SEED = 0
SAME_ATOL = 1e-8
TARGET = 1.2
SOLVER_PAIR = ("eigh", "gram")


def median_times(funs, repeats):
    """Median wall time of each function, run in turn ``repeats`` times.

    Interleaving the runs exposes every function to the same background
    load, which on a shared machine matters more than any warm-up.
    """
    for fun in funs.values():
        fun()  # warm-up
    times = {name: [] for name in funs}
    for _ in range(repeats):
        for name, fun in funs.items():
            start = time.perf_counter()
            fun()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def mnist_sized(n_samples=2000, n_features=784, rank=60):
    """Low-rank structure plus noise, like images of digits."""
    rng = np.random.default_rng(SEED)
    scales = np.geomspace(30.0, 1.0, rank)
    signal = (rng.standard_normal((n_samples, rank)) * scales) @ (
        rng.standard_normal((rank, n_features))
    )
    return signal + rng.standard_normal((n_samples, n_features))


def compare_with_sklearn(name, X, k, repeats):
    ours, ref = PCA(k).fit(X), SkPCA(k, svd_solver="full").fit(X)
    assert np.allclose(ours.components_, ref.components_, atol=SAME_ATOL)
    t = median_times(
        {
            "sklearn": lambda: SkPCA(k, svd_solver="full").fit(X),
            "svd": lambda: PCA(k, solver="svd").fit(X),
            "eigh": lambda: PCA(k, solver="eigh").fit(X),
        },
        repeats,
    )
    print(f"{name} {X.shape}, k = {k}:")
    print(f"    scikit-learn full {t['sklearn'] * 1e3:8.1f} ms")
    for solver in ("svd", "eigh"):
        ratio = t[solver] / t["sklearn"]
        verdict = ""
        if solver == "svd":
            met = "met" if ratio <= TARGET else "MISSED"
            verdict = f"  (target <= {TARGET}: {met})"
        print(
            f"    mathsforml {solver:4s}   {t[solver] * 1e3:8.1f} ms"
            f"   ratio {ratio:5.2f}{verdict}"
        )


def crossover(repeats, n_features=784):
    print(
        f"\nGram (N x N) against covariance (D x D), D = {n_features}, k = 20:"
    )
    print("       N    eigh (ms)    gram (ms)   gram / eigh")
    rng = np.random.default_rng(SEED)
    for n in (50, 100, 200, 400, 800, 1600):
        X = rng.standard_normal((n, n_features))
        t = median_times(
            {
                s: lambda s=s, X=X: PCA(20, solver=s).fit(X)
                for s in SOLVER_PAIR
            },
            repeats,
        )
        print(
            f"    {n:5d}   {t['eigh'] * 1e3:10.1f}   {t['gram'] * 1e3:10.1f}"
            f"   {t['gram'] / t['eigh']:11.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads for NumPy (0: leave NumPy's default)",
    )
    args = parser.parse_args()
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)  # for the rest of the run
    compare_with_sklearn("digits", load_digits().data, 10, args.repeats)
    compare_with_sklearn("MNIST-sized", mnist_sized(), 50, args.repeats)
    crossover(max(3, args.repeats // 4))


if __name__ == "__main__":
    main()
