r"""Eigenvalues of symmetric matrices by power iteration and deflation.

The chapter on eigenvalues multiplies a vector by a symmetric matrix
over and over. Each product stretches the component along the dominant
eigenvector by :math:`|\lambda_1|` and the others by at most
:math:`|\lambda_2|`, so the direction converges at the rate
:math:`|\lambda_2/\lambda_1|` and the Rayleigh quotient at its square.
Subtracting :math:`\lambda_1\mathbf{v}_1\mathbf{v}_1^\top` (deflation)
and repeating gives the next eigenpairs [MML] [GVL].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 4.2, 4.4
  and 10.2.
- [GVL] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed.,
  Johns Hopkins University Press, 2013, sec. 8.2.1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from mathsforml._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_shape,
)
from mathsforml.svd import flip_signs

__all__ = [
    "ConvergenceWarning",
    "PowerIterationResult",
    "power_iteration",
    "rayleigh_quotient",
]

# A matrix with max |A - A^T| above this (relative to max |A|) is not
# symmetric; below it, the difference is round-off and is averaged away.
SYMMETRY_RTOL = 1e-8
# Stop when the residual ||A x - rho x|| <= TOL * |rho|: the eigenvector
# is then accurate to about TOL / gap and the eigenvalue to TOL^2.
TOL = 1e-10


class ConvergenceWarning(UserWarning):
    """An iterative routine stopped at ``max_iter`` before converging."""


@dataclass(frozen=True)
class PowerIterationResult:
    """The outcome of :func:`power_iteration`.

    Attributes
    ----------
    eigenvalues : numpy.ndarray, shape (k,)
        The eigenvalues found, largest magnitude first.
    eigenvectors : numpy.ndarray, shape (D, k)
        Unit eigenvectors as columns; the entry of largest magnitude of
        each is positive.
    n_iter : numpy.ndarray, shape (k,)
        Matrix-vector products spent on each eigenpair.
    converged : numpy.ndarray, shape (k,)
        Whether each eigenpair met the tolerance before ``max_iter``.
    history : list of numpy.ndarray
        For each eigenpair, the Rayleigh quotient at every iteration.
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    history: list[np.ndarray] = field(default_factory=list)


def _as_symmetric(A: object) -> np.ndarray:
    A = as_float_array(A, "A", ndim=2)
    check_shape(A, "A", (A.shape[0], A.shape[0]), "Pass a square matrix.")
    asymmetry = float(np.max(np.abs(A - A.T)))
    if asymmetry > SYMMETRY_RTOL * float(np.max(np.abs(A))):
        raise ValueError(
            f"`A` must be symmetric; got max |A - A^T| = {asymmetry:.3g}. "
            "Power iteration with deflation here assumes a symmetric "
            "matrix, such as a covariance X^T X / (N - 1)."
        )
    return (A + A.T) / 2


def rayleigh_quotient(A: object, x: object) -> float:
    r"""The Rayleigh quotient of a symmetric matrix at a vector.

    .. math::
        \rho(\mathbf{x}) = \frac{\mathbf{x}^\top\mathbf{A}\mathbf{x}}
                                {\mathbf{x}^\top\mathbf{x}},

    eq. (la-rayleigh). It equals :math:`\lambda` when :math:`\mathbf{x}`
    is an eigenvector, and lies between the extreme eigenvalues.

    Parameters
    ----------
    A : array_like, shape (D, D)
        A symmetric matrix.
    x : array_like, shape (D,)
        A non-zero vector.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not symmetric, ``x`` has the wrong length, or is zero.

    Examples
    --------
    >>> rayleigh_quotient([[2.0, 0.0], [0.0, 1.0]], [1.0, 1.0])
    1.5
    """
    A = _as_symmetric(A)
    x = as_float_array(x, "x", ndim=1)
    check_shape(x, "x", (A.shape[0],), "Pass one entry per row of `A`.")
    if not np.any(x):
        raise ValueError("`x` must be non-zero; got the zero vector.")
    return float(x @ A @ x / (x @ x))


def _as_generator(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is not None:
        rng = check_integer(rng, "rng", minimum=0)
    return np.random.default_rng(rng)


def _dominant_pair(A, x, tol, max_iter):
    """Power iteration on A from the unit vector x, eq. (la-power-step)."""
    history = []
    for n_iter in range(1, max_iter + 1):
        y = A @ x
        rho = float(x @ y)  # eq. (la-rayleigh) with ||x|| = 1
        history.append(rho)
        if np.linalg.norm(y - rho * x) <= tol * abs(rho):
            return rho, x, n_iter, True, np.array(history)
        norm = np.linalg.norm(y)
        if norm == 0:  # x in the null space of A: an eigenvalue 0
            return 0.0, x, n_iter, True, np.array(history)
        x = y / norm
    return rho, x, max_iter, False, np.array(history)


def power_iteration(
    A: object,
    n_components: int = 1,
    *,
    tol: float = TOL,
    max_iter: int = 1000,
    rng: np.random.Generator | int | None = 0,
) -> PowerIterationResult:
    r"""Leading eigenpairs of a symmetric matrix by power iteration.

    From a random unit vector, repeat eq. (la-power-step),

    .. math::
        \mathbf{x}_{t+1} = \frac{\mathbf{A}\mathbf{x}_t}
                                {\lVert\mathbf{A}\mathbf{x}_t\rVert},

    until the residual :math:`\lVert\mathbf{A}\mathbf{x}_t -
    \rho_t\mathbf{x}_t\rVert \le \text{tol}\,|\rho_t|`, where
    :math:`\rho_t` is the Rayleigh quotient (la-rayleigh). The angle to
    :math:`\mathbf{v}_1` shrinks by :math:`|\lambda_2/\lambda_1|` per
    step, eq. (la-power-rate). For ``n_components > 1`` each eigenpair
    found is removed by deflation, eq. (la-deflation),
    :math:`\mathbf{A} \leftarrow \mathbf{A} -
    \lambda\mathbf{v}\mathbf{v}^\top`, and the iteration restarts.

    Parameters
    ----------
    A : array_like, shape (D, D)
        A symmetric matrix.
    n_components : int, default 1
        How many eigenpairs to find, largest :math:`|\lambda|` first.
    tol : float, default 1e-10
        Relative tolerance on the residual.
    max_iter : int, default 1000
        Matrix-vector products allowed per eigenpair.
    rng : numpy.random.Generator or int or None, default 0
        Source (or seed) of the random starting vectors.

    Returns
    -------
    PowerIterationResult
        Eigenvalues, eigenvectors (columns), iteration counts,
        convergence flags and Rayleigh-quotient histories.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite symmetric matrix, or a hyper-parameter
        is out of range.

    Warns
    -----
    ConvergenceWarning
        If an eigenpair is not converged after ``max_iter`` products,
        for example when :math:`\lambda_2 = -\lambda_1`.

    See Also
    --------
    rayleigh_quotient : the eigenvalue estimate at each step.

    Notes
    -----
    Every eigenpair of a small dense matrix is cheaper to get from
    ``numpy.linalg.eigh``. Power iteration needs only products
    :math:`\mathbf{A}\mathbf{x}`, which suits large matrices when a few
    eigenpairs with a clear gap are wanted.

    Examples
    --------
    >>> A = np.array([[2.0, 1.0], [1.0, 2.0]])
    >>> result = power_iteration(A, n_components=2)
    >>> result.eigenvalues
    array([3., 1.])
    >>> result.eigenvectors[:, 0]
    array([0.70710678, 0.70710678])
    """
    A = _as_symmetric(A)
    size = A.shape[0]
    k = check_integer(n_components, "n_components")
    if k > size:
        raise ValueError(
            f"`n_components` must be <= {size}, the size of `A`; got {k}. "
            "Ask for fewer eigenpairs."
        )
    tol = check_positive(tol, "tol")
    max_iter = check_integer(max_iter, "max_iter")
    gen = _as_generator(rng)
    pairs = []
    for _ in range(k):
        x = gen.standard_normal(size)
        pair = _dominant_pair(A, x / np.linalg.norm(x), tol, max_iter)
        A = A - pair[0] * np.outer(pair[1], pair[1])  # eq. (la-deflation)
        pairs.append(pair)
    values, vectors, n_iter, converged, history = zip(*pairs, strict=True)
    if not all(converged):
        warnings.warn(
            f"power_iteration stopped at max_iter = {max_iter} before the "
            f"residual fell below tol = {tol:g}; the eigenvalues are "
            "probably close in magnitude. Raise `max_iter` or use "
            "numpy.linalg.eigh.",
            ConvergenceWarning,
            stacklevel=2,
        )
    Vt, _ = flip_signs(np.array(vectors))
    return PowerIterationResult(
        np.array(values),
        Vt.T,
        np.array(n_iter),
        np.array(converged),
        list(history),
    )
