r"""Low-rank approximation by the truncated SVD, and what it costs to store.

The chapter on low-rank approximation keeps the first :math:`k` terms of
the SVD written as a sum of rank-1 outer products,

.. math::
    \mathbf{A}_k = \sum_{i=1}^{k} \sigma_i \mathbf{u}_i \mathbf{v}_i^\top,

stores the three thin factors instead of the matrix, and proves
(Eckart–Young–Mirsky) that no rank-:math:`k` matrix is closer to
:math:`\mathbf{A}` in the spectral or the Frobenius norm [EY] [MML].

References:

- [EY] C. Eckart and G. Young, "The approximation of one matrix by
  another of lower rank", *Psychometrika* 1(3), 211-218, 1936.
- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 4.6.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array, check_integer
from mathsforml.svd import flip_signs

__all__ = [
    "eckart_young_curve",
    "eckart_young_error",
    "low_rank_approximation",
    "storage_cost",
    "truncated_svd",
]


def _check_rank(rank: object, shape: tuple[int, int]) -> int:
    rank = check_integer(rank, "rank", minimum=0)
    if rank > min(shape):
        raise ValueError(
            f"`rank` must be <= min(m, n) = {min(shape)} for a matrix of "
            f"shape {shape}; got {rank}. A rank above that is the matrix "
            "itself."
        )
    return rank


def truncated_svd(
    A: object, rank: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The first ``rank`` singular triplets of a matrix.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any real matrix.
    rank : int
        How many triplets to keep, :math:`0 \le k \le \min(m, n)`.

    Returns
    -------
    U : numpy.ndarray, shape (m, k)
        Left singular vectors as columns.
    S : numpy.ndarray, shape (k,)
        Singular values, decreasing.
    Vt : numpy.ndarray, shape (k, n)
        Right singular vectors as rows, signs fixed by
        :func:`mathsforml.svd.flip_signs`.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite 2-D array of numbers, or ``rank`` is not
        an integer in :math:`[0, \min(m, n)]`.

    Examples
    --------
    >>> U, S, Vt = truncated_svd(np.diag([3.0, 2.0, 1.0]), 2)
    >>> S
    array([3., 2.])
    """
    A = as_float_array(A, "A", ndim=2)
    rank = _check_rank(rank, A.shape)
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    Vt, U = flip_signs(Vt[:rank], U[:, :rank])
    return U, S[:rank], Vt


def low_rank_approximation(
    A: object, rank: int, *, svd: tuple | None = None
) -> np.ndarray:
    r"""The best rank-:math:`k` approximation :math:`\mathbf{A}_k`.

    .. math::
        \mathbf{A}_k = \mathbf{U}_k\boldsymbol{\Sigma}_k\mathbf{V}_k^\top
        = \sum_{i=1}^{k} \sigma_i \mathbf{u}_i \mathbf{v}_i^\top,

    eq. (la-low-rank-sum).

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any real matrix.
    rank : int
        The rank :math:`k` of the approximation, :math:`0 \le k \le
        \min(m, n)`.
    svd : tuple (U, S, Vt), optional
        A thin SVD of ``A`` computed earlier, so that many ranks cost one
        decomposition. It is not checked against ``A``.

    Returns
    -------
    numpy.ndarray, shape (m, n)

    Raises
    ------
    TypeError, ValueError
        As :func:`truncated_svd`.

    See Also
    --------
    eckart_young_error : its error, from the singular values alone.

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [0.0, 1.0]])
    >>> low_rank_approximation(A, 1)
    array([[3., 0.],
           [0., 0.]])
    """
    A = as_float_array(A, "A", ndim=2)
    rank = _check_rank(rank, A.shape)
    U, S, Vt = (
        svd if svd is not None else np.linalg.svd(A, full_matrices=False)
    )
    # Scale the k columns of U (mk flops), then one product (2kmn).
    return (U[:, :rank] * S[:rank]) @ Vt[:rank]


def storage_cost(shape: tuple[int, int], rank: int) -> int:
    r"""Numbers stored by the rank-:math:`k` factors of an m x n matrix.

    .. math::
        k\,(m + n + 1) \quad\text{against}\quad mn,

    eq. (la-storage): :math:`k` columns of :math:`\mathbf{U}` and of
    :math:`\mathbf{V}`, and :math:`k` singular values. The factors are
    smaller than the matrix when :math:`k < mn/(m + n + 1)`.

    Parameters
    ----------
    shape : tuple of int
        ``(m, n)``.
    rank : int
        :math:`k`, at most :math:`\min(m, n)`.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If ``shape`` is not two positive integers or ``rank`` is out of
        range.

    Examples
    --------
    >>> storage_cost((600, 512), 20), 600 * 512
    (22260, 307200)
    """
    if not isinstance(shape, tuple | list) or len(shape) != 2:
        raise TypeError(
            f"`shape` must be a pair (m, n); got {shape!r}. Pass A.shape."
        )
    m, n = (check_integer(s, "shape") for s in shape)
    return _check_rank(rank, (m, n)) * (m + n + 1)


def _check_singular_values(singular_values: object) -> np.ndarray:
    S = as_float_array(singular_values, "singular_values", ndim=1)
    if np.any(S < 0) or np.any(np.diff(S) > 0):
        raise ValueError(
            "`singular_values` must be non-negative and decreasing; got "
            f"{np.array2string(S[:5], precision=3)}... Pass the S of "
            "numpy.linalg.svd, which is sorted."
        )
    return S


def eckart_young_error(
    singular_values: object, rank: int
) -> tuple[float, float]:
    r"""The error of the best rank-:math:`k` approximation, in two norms.

    By the Eckart–Young–Mirsky theorem, eqs. (la-eckart-young-2) and
    (la-eckart-young-f),

    .. math::
        \lVert\mathbf{A} - \mathbf{A}_k\rVert_2 = \sigma_{k+1}, \qquad
        \lVert\mathbf{A} - \mathbf{A}_k\rVert_F =
        \Bigl(\sum_{i>k} \sigma_i^2\Bigr)^{1/2},

    and no matrix of rank at most :math:`k` does better.

    Parameters
    ----------
    singular_values : array_like, shape (r,)
        All the singular values of :math:`\mathbf{A}`, decreasing.
    rank : int
        :math:`k`, from 0 to :math:`r`.

    Returns
    -------
    spectral, frobenius : float
        The two errors (0 when :math:`k = r`).

    Raises
    ------
    TypeError, ValueError
        If the singular values are not finite, non-negative and
        decreasing, or ``rank`` is out of range.

    Examples
    --------
    >>> eckart_young_error([4.0, 3.0, 0.0], 1)
    (3.0, 3.0)
    """
    S = _check_singular_values(singular_values)
    rank = check_integer(rank, "rank", minimum=0)
    if rank > S.size:
        raise ValueError(
            f"`rank` must be <= {S.size}, the number of singular values; "
            f"got {rank}."
        )
    tail = S[rank:]
    spectral = float(tail[0]) if tail.size else 0.0
    return spectral, float(np.linalg.norm(tail))


def eckart_young_curve(
    singular_values: object,
) -> tuple[np.ndarray, np.ndarray]:
    r"""The errors of the best approximations of every rank, at once.

    :func:`eckart_young_error` for :math:`k = 0, 1, \dots, r`: the
    spectral errors :math:`\sigma_{k+1}` and the Frobenius errors
    :math:`(\sum_{i>k}\sigma_i^2)^{1/2}`, eqs. (la-eckart-young-2) and
    (la-eckart-young-f), from one cumulative sum.

    Parameters
    ----------
    singular_values : array_like, shape (r,)
        All the singular values of :math:`\mathbf{A}`, decreasing.

    Returns
    -------
    spectral, frobenius : numpy.ndarray, shape (r + 1,)
        Entry :math:`k` is the error of rank :math:`k` (0 at :math:`k =
        r`).

    Raises
    ------
    TypeError, ValueError
        If the singular values are not finite, non-negative and
        decreasing.

    Examples
    --------
    >>> spectral, frobenius = eckart_young_curve([4.0, 3.0, 0.0])
    >>> spectral, frobenius
    (array([4., 3., 0., 0.]), array([5., 3., 0., 0.]))
    """
    S = _check_singular_values(singular_values)
    scale = S[0] if S.size and S[0] > 0 else 1.0  # no overflow in squares
    # Sum from the smallest term up, so small tails keep their digits.
    tail = scale * np.sqrt(np.cumsum((S[::-1] / scale) ** 2)[::-1])
    return np.append(S, 0.0), np.append(tail, 0.0)
