r"""The singular value decomposition, built from an eigendecomposition.

The chapter on the SVD proves that every matrix has one by constructing
it from the spectral decomposition of the symmetric matrix
:math:`\mathbf{A}^\top\mathbf{A}`. :func:`svd_via_eigh` is that proof as
code. It squares the condition number, so it loses the small singular
values that ``numpy.linalg.svd`` keeps, but it is what makes principal
component analysis cheap when there are fewer samples than features: the
Gram-matrix solver of :class:`mathsforml.pca.PCA` is this function
applied to :math:`\mathbf{X}_c^\top` [MML] [GVL].

References:

- [MML] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for
  Machine Learning*, Cambridge University Press, 2020, sec. 4.5.
- [GVL] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed.,
  Johns Hopkins University Press, 2013, sec. 8.6.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array, check_positive

__all__ = ["flip_signs", "svd_via_eigh"]

# Eigenvalues of A^T A below RANK_RTOL * lambda_1 count as zero. eigh
# errs by about eps * lambda_1, so smaller ones are noise; above it, the
# singular values sqrt(lambda) keep at least a few digits.
RANK_RTOL = 1e-12


def flip_signs(
    Vt: np.ndarray, U: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    r"""Fix the signs of singular (or eigen-) vectors.

    A pair :math:`(\mathbf{u}_i, \mathbf{v}_i)` can be replaced by
    :math:`(-\mathbf{u}_i, -\mathbf{v}_i)` without changing
    :math:`\mathbf{A}`. This picks the sign that makes the entry of
    largest magnitude of each row of ``Vt`` positive, as scikit-learn's
    ``svd_flip(u_based_decision=False)`` does, so that results are
    deterministic and comparable across solvers.

    Parameters
    ----------
    Vt : numpy.ndarray, shape (r, n)
        Right singular vectors as rows.
    U : numpy.ndarray, shape (m, r), optional
        Left singular vectors as columns, flipped with the same signs.

    Returns
    -------
    Vt, U : numpy.ndarray
        New arrays (``U`` is ``None`` if not given).

    Examples
    --------
    >>> Vt, U = flip_signs(np.array([[0.6, -0.8]]), np.array([[1.0]]))
    >>> Vt, U
    (array([[-0.6,  0.8]]), array([[-1.]]))
    """
    rows = np.arange(Vt.shape[0])
    signs = np.sign(Vt[rows, np.argmax(np.abs(Vt), axis=1)])
    signs[signs == 0] = 1.0  # a zero row keeps its sign
    Vt = Vt * signs[:, None]
    return Vt, None if U is None else U * signs


def svd_via_eigh(
    A: object, *, rtol: float = RANK_RTOL
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Thin SVD from the eigendecomposition of A^T A.

    With :math:`\mathbf{A}^\top\mathbf{A} = \mathbf{V}\boldsymbol{\Lambda}
    \mathbf{V}^\top` (spectral theorem), eq. (la-svd-from-eig):

    .. math::
        \sigma_i = \sqrt{\lambda_i}, \qquad
        \mathbf{u}_i = \frac{\mathbf{A}\mathbf{v}_i}{\sigma_i},
        \qquad i = 1, \dots, r,

    where :math:`r` is the number of eigenvalues above
    ``rtol`` :math:`\cdot\,\lambda_1`. Then :math:`\mathbf{A} =
    \mathbf{U}_r \boldsymbol{\Sigma}_r \mathbf{V}_r^\top`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any real matrix.
    rtol : float, default 1e-12
        Relative threshold on the eigenvalues :math:`\lambda_i =
        \sigma_i^2` below which they count as zero.

    Returns
    -------
    U : numpy.ndarray, shape (m, r)
        Left singular vectors, orthonormal columns.
    S : numpy.ndarray, shape (r,)
        Singular values, decreasing and positive.
    Vt : numpy.ndarray, shape (r, n)
        Right singular vectors as rows, signs fixed by :func:`flip_signs`.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite 2-D array of numbers, or ``rtol`` is not
        positive.

    Notes
    -----
    Forming :math:`\mathbf{A}^\top\mathbf{A}` squares the singular
    values, so a singular value below about
    :math:`\sqrt{\epsilon_{\text{mach}}}\,\sigma_1` loses all its digits.
    ``numpy.linalg.svd`` works on :math:`\mathbf{A}` itself and does not.

    Examples
    --------
    The example of [MML], sec. 4.5: singular values :math:`\sqrt 6` and 1.

    >>> U, S, Vt = svd_via_eigh([[1.0, 0.0, 1.0], [-2.0, 1.0, 0.0]])
    >>> S**2
    array([6., 1.])
    """
    A = as_float_array(A, "A", ndim=2)
    rtol = check_positive(rtol, "rtol")
    eigenvalues, V = np.linalg.eigh(A.T @ A)
    eigenvalues, V = eigenvalues[::-1], V[:, ::-1]  # decreasing
    keep = eigenvalues > rtol * max(eigenvalues[0], 0.0)
    S = np.sqrt(eigenvalues[keep])  # eq. (la-svd-from-eig)
    U = (A @ V[:, keep]) / S
    Vt, U = flip_signs(V[:, keep].T, U)
    return U, S, Vt
