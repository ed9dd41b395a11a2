"""What the fitted models of Lesson 3 share.

A model is fitted by ``fit(X, y)`` and then sets attributes whose names
end in an underscore (``coef_``, ``intercept_``), as in scikit-learn.
Iterative fits also keep a :class:`FitResult`. These helpers are private:
the public names are re-exported by the modules that use them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from mathsforml._validation import as_float_array, check_same_length

__all__ = ["FitResult", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit`` (as in scikit-learn)."""


@dataclass
class FitResult:
    """The outcome of an iterative fit.

    Attributes
    ----------
    theta : numpy.ndarray
        The final parameters (intercept first when there is one).
    history : numpy.ndarray
        The objective after each iteration; entry 0 is the start.
    path : numpy.ndarray
        The parameters after each iteration, one row each; row 0 is the
        start (empty for solvers that do not record it).
    n_iter : int
        The number of iterations run.
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    """

    theta: np.ndarray
    history: np.ndarray = field(default_factory=lambda: np.empty(0))
    n_iter: int = 0
    converged: bool = False
    path: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))


def warn_not_converged(name: str, max_iter: int, why: str) -> None:
    """Warn that an iterative fit stopped at ``max_iter``, and why."""
    warnings.warn(
        f"{name} did not converge in max_iter={max_iter} iterations. " + why,
        RuntimeWarning,
        stacklevel=3,
    )


def check_Xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate a 2-D feature matrix and a 1-D target of equal length."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_length(X, y, ("X", "y"))
    return X, y


def design(X: np.ndarray, fit_intercept: bool) -> np.ndarray:
    r"""The design matrix :math:`\boldsymbol\Phi`: ``X``, with a column
    of ones in front when there is an intercept."""
    if not fit_intercept:
        return X
    return np.column_stack([np.ones(X.shape[0]), X])


def check_fitted(model: object, attribute: str = "coef_") -> None:
    """Raise :class:`NotFittedError` if ``fit`` has not been called."""
    if getattr(model, attribute, None) is None:
        name = type(model).__name__
        raise NotFittedError(
            f"This {name} is not fitted yet: `{attribute}` is not set. "
            f"Call `{name}.fit(X, y)` before using it to predict."
        )


def check_X_predict(model: object, X: object) -> np.ndarray:
    """Validate ``X`` for a fitted model with ``coef_`` of length D."""
    check_fitted(model)
    X = as_float_array(X, "X", ndim=2)
    n_features = model.coef_.shape[0]
    if X.shape[1] != n_features:
        raise ValueError(
            f"`X` must have {n_features} columns, as in fit; got "
            f"{X.shape[1]}. Pass the same features the model was "
            "fitted on."
        )
    return X
