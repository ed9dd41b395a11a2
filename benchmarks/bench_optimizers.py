"""Time one step of each optimizer against the NumPy arithmetic it does.

Run from the repository root::

    python benchmarks/bench_optimizers.py [--size 1000000] [--repeats 51]

For a parameter vector of ``--size`` float64 entries and a fixed random
gradient, each row times ``optimizer.step(theta, g)`` of
:mod:`mathsforml.optimizers` and a bare NumPy function that performs the
same array operations in place, with no objects, lists, schedules or
checks. The ratio library / NumPy is the per-step overhead of the
interface; the target is at most 1.5. Before timing, the script checks
that ten steps of both give the same parameters (rtol 1e-12). Newton's
method is left out: its Hessian would have 10^12 entries.

Each figure is the median of ``--repeats`` steps (``time.perf_counter``)
after a warm-up, the library's and NumPy's steps taken in turns so that
both see the same load; BLAS plays no part (all operations are
element-wise).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mathsforml import optimizers

TARGET = 1.5
SAME_RTOL = 1e-12


def sgd(theta, g, state, k, alpha=0.01):
    theta -= alpha * g


def momentum(theta, g, state, k, alpha=0.01, beta=0.9):
    (v,) = state
    v *= beta
    v -= alpha * g
    theta += v


def nesterov(theta, g, state, k, alpha=0.01, beta=0.9):
    (v,) = state
    v *= beta
    v -= alpha * g
    theta += beta * v - alpha * g


def adagrad(theta, g, state, k, alpha=0.01, eps=1e-7):
    (r,) = state
    r += g * g
    theta -= alpha * g / (eps + np.sqrt(r))


def rmsprop(theta, g, state, k, alpha=0.001, rho=0.9, eps=1e-8):
    (r,) = state
    r *= rho
    r += (1 - rho) * (g * g)
    theta -= alpha * g / (np.sqrt(r) + eps)


def adam(theta, g, state, k, alpha=0.001, b1=0.9, b2=0.999, eps=1e-8):
    m, s = state
    m *= b1
    m += (1 - b1) * g
    s *= b2
    s += (1 - b2) * (g * g)
    m_hat = m / (1 - b1**k)
    s_hat = s / (1 - b2**k)
    theta -= alpha * m_hat / (np.sqrt(s_hat) + eps)


CASES = {
    "gd": (sgd, 0),
    "momentum": (momentum, 1),
    "nesterov": (nesterov, 1),
    "adagrad": (adagrad, 1),
    "rmsprop": (rmsprop, 1),
    "adam": (adam, 2),
}


class Bare:
    """The NumPy function with its state, stepped like an optimizer."""

    def __init__(self, rule, n_buffers, size):
        self.rule, self.k = rule, 0
        self.state = [np.zeros(size) for _ in range(n_buffers)]

    def step(self, theta, g):
        self.k += 1
        self.rule(theta, g, self.state, self.k)


def median_step_times(steppers, thetas, g, repeats):
    """Median time of one step of each stepper, measured in turns.

    Alternating the steppers step by step exposes them to the same load
    on a busy machine; timing one block after the other would not.
    """
    for stepper, theta in zip(steppers, thetas, strict=True):
        stepper.step(theta, g)  # warm-up: allocates the state
    times = [[] for _ in steppers]
    for _ in range(repeats):
        for stepper, theta, record in zip(
            steppers, thetas, times, strict=True
        ):
            start = time.perf_counter()
            stepper.step(theta, g)
            record.append(time.perf_counter() - start)
    return [float(np.median(record)) for record in times]


def same_steps(name, rule, n_buffers, theta0, g):
    ours, bare = theta0.copy(), theta0.copy()
    opt, ref = optimizers.get_optimizer(name), Bare(rule, n_buffers, g.size)
    for _ in range(10):
        opt.step(ours, g)
        ref.step(bare, g)
    np.testing.assert_allclose(ours, bare, rtol=SAME_RTOL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=51)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    theta0 = rng.normal(size=args.size)
    g = rng.normal(scale=1e-2, size=args.size)
    print(
        f"one step on {args.size:,} float64 parameters, "
        f"median of {args.repeats}\n"
    )
    print(
        f"{'optimizer':10s} {'mathsforml':>11s} {'NumPy':>9s} "
        f"{'ratio':>6s} {'target':>7s}  met"
    )
    for name, (rule, n_buffers) in CASES.items():
        same_steps(name, rule, n_buffers, theta0, g)
        ours, bare = median_step_times(
            [optimizers.get_optimizer(name), Bare(rule, n_buffers, args.size)],
            [theta0.copy(), theta0.copy()],
            g,
            args.repeats,
        )
        ratio = ours / bare
        print(
            f"{name:10s} {ours * 1e3:8.2f} ms {bare * 1e3:6.2f} ms "
            f"{ratio:6.2f} {'<=' + str(TARGET):>7s}  "
            f"{'yes' if ratio <= TARGET else 'NO'}"
        )


if __name__ == "__main__":
    main()
