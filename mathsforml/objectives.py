r"""Test functions for optimizers: values, gradients and Hessians.

- :class:`Quadratic`: :math:`f(\mathbf{x}) = \tfrac12 (\mathbf{x} -
  \mathbf{x}^\ast)^\top \mathbf{H} (\mathbf{x} - \mathbf{x}^\ast)` with a
  chosen spectrum, the model on which every rate in the optimization
  chapters is derived (eq. ``gd-quadratic``);
- :class:`Rosenbrock`: a curved, narrow valley [Rosenbrock];
- :class:`Saddle`: a saddle point between two minima;
- :func:`rotation`: the 2-D rotation that tilts a quadratic's axes.

Each has ``value(x)``, ``gradient(x)`` and ``hessian(x)``. ``value``
and ``gradient`` accept a batch of points ``x`` of shape ``(..., D)``,
for contour plots. Points are not checked for NaN, so that a diverging
optimizer can report the NaN itself.

References:

- [Rosenbrock] Rosenbrock, H. H. (1960). An automatic method for finding
  the greatest or least value of a function. *The Computer Journal* 3(3),
  175-184.
- [NW] Nocedal, J. and Wright, S. J. (2006). *Numerical Optimization*,
  2nd ed. Springer. Sections 2.1 and 3.3.
"""

from __future__ import annotations

import numpy as np

from mathsforml._validation import as_float_array, check_positive

__all__ = ["Quadratic", "Rosenbrock", "Saddle", "rotation"]

ORTHOGONAL_ATOL = 1e-10  # |Q^T Q - I| of an orthogonal matrix in float64


def rotation(angle: float) -> np.ndarray:
    r"""The :math:`2 \times 2` rotation by ``angle`` radians.

    Its columns are orthonormal, so it can serve as the eigenvectors
    :math:`\mathbf{Q}` of a 2-D :class:`Quadratic` whose axes are tilted
    by ``angle`` from the coordinate axes.

    Examples
    --------
    >>> Q = rotation(np.pi / 2)
    >>> Q.round(12) + 0.0
    array([[ 0., -1.],
           [ 1.,  0.]])
    >>> Quadratic([1.0, 10.0], rotation(np.pi / 6)).condition_number
    10.0
    """
    angle = float(as_float_array(angle, "angle", ndim=0))
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def _as_points(x: object, n_dims: int | None = None) -> np.ndarray:
    x = as_float_array(x, "x", finite=False)
    if x.ndim == 0 or (n_dims is not None and x.shape[-1] != n_dims):
        want = "D" if n_dims is None else n_dims
        raise ValueError(
            f"`x` must have shape (..., {want}), one point per row; got "
            f"shape {x.shape}. Pass points with {want} coordinates."
        )
    return x


def _scalar(values: np.ndarray):
    """A float for one point, the array for a batch."""
    return float(values) if values.ndim == 0 else values


class Quadratic:
    r"""A quadratic with a chosen spectrum (eq. ``gd-quadratic``).

    .. math::

        f(\mathbf{x}) = \tfrac12 (\mathbf{x} - \mathbf{x}^\ast)^\top
        \mathbf{H} (\mathbf{x} - \mathbf{x}^\ast),
        \qquad \mathbf{H} = \mathbf{Q} \operatorname{diag}(\lambda_i)
        \mathbf{Q}^\top

    Parameters
    ----------
    eigenvalues : array_like of shape (D,)
        :math:`\lambda_i`; all positive for a minimum, a negative one
        makes :math:`\mathbf{x}^\ast` a saddle.
    eigenvectors : array_like of shape (D, D), optional
        An orthogonal :math:`\mathbf{Q}` (columns); the identity if
        omitted, so that the axes are the eigenvectors.
    x_star : array_like of shape (D,), optional
        The critical point :math:`\mathbf{x}^\ast`; zero if omitted.

    Attributes
    ----------
    matrix : numpy.ndarray of shape (D, D)
        :math:`\mathbf{H}`.

    Examples
    --------
    >>> f = Quadratic([1.0, 10.0], x_star=[1.0, 2.0])
    >>> f.value([2.0, 2.0]), f.gradient([2.0, 3.0])
    (0.5, array([ 1., 10.]))
    >>> f.condition_number
    10.0
    """

    def __init__(self, eigenvalues, eigenvectors=None, x_star=None):
        # copies: the object must not change when the caller's arrays do
        lam = as_float_array(eigenvalues, "eigenvalues", ndim=1).copy()
        n = lam.size
        Q = np.eye(n) if eigenvectors is None else eigenvectors
        Q = as_float_array(Q, "eigenvectors", ndim=2).copy()
        if Q.shape != (n, n) or not np.allclose(
            Q.T @ Q, np.eye(n), rtol=0, atol=ORTHOGONAL_ATOL
        ):
            raise ValueError(
                f"`eigenvectors` must be an orthogonal ({n}, {n}) matrix; "
                f"got shape {Q.shape}. Orthonormalise it, for example "
                "with np.linalg.qr."
            )
        x_star = np.zeros(n) if x_star is None else x_star
        self.x_star = as_float_array(x_star, "x_star", ndim=1).copy()
        if self.x_star.shape != (n,):
            raise ValueError(
                f"`x_star` must have shape ({n},), one entry per "
                f"eigenvalue; got shape {self.x_star.shape}."
            )
        self.eigenvalues, self.eigenvectors = lam, Q
        self.matrix = (Q * lam) @ Q.T

    @property
    def condition_number(self) -> float:
        r""":math:`\kappa = \lambda_{\max} / \lambda_{\min}` (positive
        eigenvalues only)."""
        if np.any(self.eigenvalues <= 0):
            raise ValueError(
                "The condition number needs positive eigenvalues; got "
                f"{self.eigenvalues}. This quadratic has no minimum."
            )
        return float(self.eigenvalues.max() / self.eigenvalues.min())

    def value(self, x):
        """:math:`f(\\mathbf{x})`, for one point or a batch ``(..., D)``."""
        d = _as_points(x, self.x_star.size) - self.x_star
        return _scalar(0.5 * np.einsum("...i,ij,...j->...", d, self.matrix, d))

    def gradient(self, x):
        r""":math:`\mathbf{H}(\mathbf{x} - \mathbf{x}^\ast)`."""
        d = _as_points(x, self.x_star.size) - self.x_star
        return d @ self.matrix  # H is symmetric

    def hessian(self, x):
        r""":math:`\mathbf{H}`, the same everywhere."""
        _as_points(x, self.x_star.size)
        return self.matrix.copy()


class Rosenbrock:
    r"""Rosenbrock's function in :math:`D \ge 2` dimensions.

    .. math::

        f(\mathbf{x}) = \sum_{i=1}^{D-1} b\,(x_{i+1} - x_i^2)^2
        + (1 - x_i)^2,

    as ``scipy.optimize.rosen`` for :math:`b = 100`. Its minimum is
    :math:`\mathbf{x}^\ast = (1, \dots, 1)` with :math:`f = 0`, at the
    bottom of a curved valley whose floor is nearly flat.

    Parameters
    ----------
    b : float, default 100
        The steepness of the valley walls.

    Examples
    --------
    >>> f = Rosenbrock()
    >>> f.value([1.0, 1.0]), f.value([-1.2, 1.0])
    (0.0, 24.2)
    >>> f.gradient([1.0, 1.0])
    array([0., 0.])
    """

    def __init__(self, b: float = 100.0) -> None:
        self.b = check_positive(b, "b")

    def x_star(self, n_dims: int = 2) -> np.ndarray:
        """The minimiser in ``n_dims`` dimensions: all ones."""
        return np.ones(n_dims)

    def value(self, x):
        """:math:`f(\\mathbf{x})`, for one point or a batch ``(..., D)``."""
        x = _as_points(x)
        head, tail = x[..., :-1], x[..., 1:]
        terms = self.b * (tail - head**2) ** 2 + (1 - head) ** 2
        return _scalar(terms.sum(axis=-1))

    def gradient(self, x):
        """The gradient, shaped like ``x``."""
        x = _as_points(x)
        head, tail = x[..., :-1], x[..., 1:]
        inner = tail - head**2  # x_{i+1} - x_i^2
        g = np.zeros_like(x)
        g[..., :-1] = -4 * self.b * head * inner - 2 * (1 - head)
        g[..., 1:] += 2 * self.b * inner
        return g

    def hessian(self, x):
        """The tridiagonal Hessian at one point, shape ``(D, D)``."""
        x = as_float_array(x, "x", ndim=1, finite=False)
        head, tail = x[:-1], x[1:]
        diag = np.zeros_like(x)
        diag[:-1] = 12 * self.b * head**2 - 4 * self.b * tail + 2
        diag[1:] += 2 * self.b
        off = -4 * self.b * head
        return np.diag(diag) + np.diag(off, 1) + np.diag(off, -1)


class Saddle:
    r"""A saddle point between two minima.

    .. math::

        f(x_1, x_2) = \tfrac12 x_1^2 + \tfrac14 x_2^4 - \tfrac12 x_2^2

    has a saddle at the origin (Hessian eigenvalues :math:`1, -1`) and
    minima at :math:`(0, \pm 1)` with :math:`f = -\tfrac14` (eigenvalues
    :math:`1, 2`). Near the origin it is the quadratic
    :math:`\tfrac12(x_1^2 - x_2^2)`.

    Examples
    --------
    >>> f = Saddle()
    >>> f.gradient([[0.0, 0.0], [0.0, 1.0]])
    array([[0., 0.],
           [0., 0.]])
    >>> np.linalg.eigvalsh(f.hessian([0.0, 0.0]))
    array([-1.,  1.])
    """

    saddle_point = np.zeros(2)
    minima = np.array([[0.0, 1.0], [0.0, -1.0]])

    def value(self, x):
        """:math:`f(\\mathbf{x})`, for one point or a batch ``(..., 2)``."""
        x = _as_points(x, 2)
        x1, x2 = x[..., 0], x[..., 1]
        return _scalar(0.5 * x1**2 + 0.25 * x2**4 - 0.5 * x2**2)

    def gradient(self, x):
        """The gradient :math:`(x_1, x_2^3 - x_2)`."""
        x = _as_points(x, 2)
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([x1, x2**3 - x2], axis=-1)

    def hessian(self, x):
        r"""The Hessian :math:`\operatorname{diag}(1, 3x_2^2 - 1)`."""
        x = as_float_array(x, "x", ndim=1, finite=False)
        _as_points(x, 2)
        return np.diag([1.0, 3 * x[1] ** 2 - 1])
