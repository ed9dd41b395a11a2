"""Time Lesson 3's estimators against scikit-learn.

Run from the repository root::

    python benchmarks/bench_estimation.py [--repeats 21] [--threads 1]

(a) Unpenalised logistic regression on scikit-learn's breast cancer data,
    four standardised features (mean radius, texture, smoothness and
    concave points) and an intercept: ``mathsforml.logistic`` by Newton's
    method against ``sklearn.linear_model.LogisticRegression(C=inf)``
    (penalty None) with its default lbfgs solver, at its default
    tolerance (1e-4, which leaves the coefficients ~2% from the optimum)
    and at 1e-10 (checked to agree with Newton to 1e-6). Target: ratio
    <= 1.
(b) The lasso path on the diabetes data (442 x 10, centred), on
    scikit-learn's default grid of 100 values: ``mathsforml.
    regularisation.lasso_path`` against ``sklearn.linear_model.lasso_path``
    on the same grid (lambda = N * alpha). Two rows: scikit-learn at its
    default tolerance (duality gap 1e-4 ||y||^2) and at ours (1e-10). The
    paths are checked against a tightly converged scikit-learn path, and
    the script prints each one's largest coefficient error. Target: ratio
    <= 2.

Each figure is the median of ``--repeats`` runs (``time.perf_counter``)
after a warm-up run.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
import warnings

import numpy as np
from sklearn import linear_model
from sklearn.datasets import load_breast_cancer, load_diabetes

from mathsforml import logistic, regularisation

FEATURES = (
    "mean radius",
    "mean texture",
    "mean smoothness",
    "mean concave points",
)
AGREE_RTOL = 1e-6  # lbfgs at tol=1e-10 against Newton


def median_time(fun, repeats):
    """Median wall time of ``fun()`` over ``repeats`` runs, after a
    warm-up."""
    fun()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fun()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def logistic_case(repeats):
    data = load_breast_cancer()
    columns = [list(data.feature_names).index(f) for f in FEATURES]
    X = data.data[:, columns]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = data.target.astype(float)

    def ours():
        return logistic.LogisticRegression().fit(X, y)

    model = ours()
    print(f"(a) Newton: {model.n_iter_} iterations")
    t_ours = median_time(ours, repeats)
    for tol in (1e-4, 1e-10):

        def theirs(tol=tol):
            return linear_model.LogisticRegression(C=np.inf, tol=tol).fit(X, y)

        ref = theirs()
        error = np.abs(model.coef_ - ref.coef_[0]).max()
        if tol < 1e-4:
            np.testing.assert_allclose(
                model.coef_, ref.coef_[0], rtol=AGREE_RTOL
            )
        t_theirs = median_time(theirs, repeats)
        print(
            f"    mathsforml Newton {1e3 * t_ours:.2f} ms, scikit-learn "
            f"lbfgs (tol {tol:g}, {ref.n_iter_[0]} iterations, max |coef "
            f"difference| {error:.1e}) {1e3 * t_theirs:.2f} ms: ratio "
            f"{t_ours / t_theirs:.2f} (target <= 1)"
        )


def lasso_case(repeats):
    X, y = load_diabetes(return_X_y=True)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    alphas, exact, _ = linear_model.lasso_path(
        Xc, yc, tol=1e-14, max_iter=10**6
    )
    lams = alphas * n

    def ours():
        return regularisation.lasso_path(X, y, lams=lams)

    _, coefs, sweeps = ours()
    print(
        f"(b) lasso path, {len(lams)} values: {sweeps.sum()} sweeps; max "
        f"|coef - exact| {np.abs(coefs - exact.T).max():.1e}"
    )
    t_ours = median_time(ours, repeats)
    for tol in (1e-4, 1e-10):

        def theirs(tol=tol):
            return linear_model.lasso_path(Xc, yc, alphas=alphas, tol=tol)

        error = np.abs(theirs()[1] - exact).max()
        t_theirs = median_time(theirs, repeats)
        print(
            f"    mathsforml {1e3 * t_ours:.2f} ms, scikit-learn (tol "
            f"{tol:g}, max |coef - exact| {error:.1e}) "
            f"{1e3 * t_theirs:.2f} ms: ratio {t_ours / t_theirs:.2f} "
            "(target <= 2)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads (0: leave NumPy's default)",
    )
    args = parser.parse_args()
    if args.threads and importlib.util.find_spec("threadpoolctl"):
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    with warnings.catch_warnings():
        # scikit-learn warns that lbfgs/coordinate descent stopped at its
        # (loose) default tolerance; that is the setting being timed.
        warnings.simplefilter("ignore")
        logistic_case(args.repeats)
        lasso_case(args.repeats)


if __name__ == "__main__":
    main()
