"""Input validation shared by every public function.

Each public function validates its arguments once, at the boundary, with
these helpers, and then works on clean float64 arrays. Every error message
has the same four parts: the argument's name, what was expected, what was
received, and how to fix it.

These helpers are private: their names and signatures may change between
versions. They are documented because contributors use them.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "as_float_array",
    "check_in_range",
    "check_integer",
    "check_positive",
    "check_same_length",
    "check_shape",
]


def _describe(x: object) -> str:
    """Say what was received, briefly, for an error message."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, str):
        return f"the string {x!r}"
    return f"{type(x).__name__} {x!r}"[:80]


def _ndim_phrase(ndim: int | tuple[int, ...]) -> str:
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    return " or ".join(f"{d}-D" for d in dims)


def as_float_array(
    x: object,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Convert ``x`` to a float64 array and check it.

    The caller's data are never modified: the result is a new array
    whenever a conversion is needed, and the library never writes into
    its inputs.

    Parameters
    ----------
    x : array_like
        The value to convert: a scalar, a nested sequence or an array of
        real numbers (booleans and integers are accepted and converted).
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        The allowed number of dimensions. ``None`` allows any.
    allow_empty : bool, default False
        Whether an array with no elements is acceptable.
    finite : bool, default True
        Whether to reject NaN and infinite values.

    Returns
    -------
    numpy.ndarray
        ``x`` as a float64 array.

    Raises
    ------
    TypeError
        If ``x`` is not numeric (strings, objects, complex numbers).
    ValueError
        If ``x`` is ragged, has the wrong number of dimensions, is empty,
        or holds NaN or infinite values.

    Examples
    --------
    >>> as_float_array([1, 2, 3], "x", ndim=1)
    array([1., 2., 3.])
    >>> as_float_array([[1.0, float("nan")]], "X")
    Traceback (most recent call last):
    ...
    ValueError: `X` must contain only finite values; got 1 NaN or \
infinite entry at index (0, 1). Remove or impute the missing values first.
    """
    try:
        arr = np.asarray(x)
    except ValueError:
        # NumPy refuses ragged nested sequences: a shape problem.
        raise ValueError(
            f"`{name}` must be a rectangular array of real numbers; got "
            f"{_describe(x)}, whose rows have different lengths. Pass a "
            "NumPy array, or nested lists of equal lengths."
        ) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"`{name}` must be an array of real numbers; got "
            f"{_describe(x)} with dtype {arr.dtype}. Convert it to floats, "
            f"for example with `np.asarray({name}, dtype=float)`."
        )
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim not in np.atleast_1d(ndim):
        raise ValueError(
            f"`{name}` must be a {_ndim_phrase(ndim)} array; got an array "
            f"of shape {arr.shape} ({arr.ndim}-D). Reshape it, for example "
            "with `np.atleast_2d` or `.reshape(-1, 1)` for one feature."
        )
    if arr.size == 0 and not allow_empty:
        raise ValueError(
            f"`{name}` must not be empty; got an array of shape "
            f"{arr.shape}. Pass at least one value."
        )
    if finite and not np.all(np.isfinite(arr)):
        bad = ~np.isfinite(arr)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {first}" if arr.ndim else ""
        count = int(bad.sum())
        plural = "entry" if count == 1 else "entries"
        raise ValueError(
            f"`{name}` must contain only finite values; got {count} NaN "
            f"or infinite {plural}{where}. Remove or impute the missing "
            "values first."
        )
    return arr


def check_shape(
    arr: np.ndarray, name: str, shape: Sequence[int | None], hint: str = ""
) -> None:
    """Check that ``arr`` has ``shape``, where ``None`` matches any size.

    Parameters
    ----------
    arr : numpy.ndarray
        The array to check.
    name : str
        The argument's name, used in error messages.
    shape : sequence of int or None
        The expected shape; ``None`` entries match any length.
    hint : str, optional
        How to fix a mismatch; a generic sentence is used if empty.

    Raises
    ------
    ValueError
        If the shapes differ.

    Examples
    --------
    >>> check_shape(np.zeros((3, 2)), "W", (3, None))
    >>> check_shape(np.zeros((3, 2)), "W", (2, 2))
    Traceback (most recent call last):
    ...
    ValueError: `W` must have shape (2, 2); got shape (3, 2). Pass an \
array of the expected shape.
    """
    ok = len(arr.shape) == len(shape) and all(
        want is None or want == got
        for want, got in zip(shape, arr.shape, strict=True)
    )
    if ok:
        return
    wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape)
    wanted += ",)" if len(shape) == 1 else ")"
    raise ValueError(
        f"`{name}` must have shape {wanted}; got shape {arr.shape}. "
        + (hint or "Pass an array of the expected shape.")
    )


def check_same_length(
    a: np.ndarray, b: np.ndarray, names: tuple[str, str]
) -> None:
    """Check that two arrays have the same number of rows (samples).

    Parameters
    ----------
    a, b : numpy.ndarray
        Arrays whose first axes must agree.
    names : tuple of str
        Their argument names, used in error messages.

    Raises
    ------
    ValueError
        If ``len(a) != len(b)``.

    Examples
    --------
    >>> check_same_length(np.zeros((4, 2)), np.zeros(3), ("X", "y"))
    Traceback (most recent call last):
    ...
    ValueError: `X` and `y` must have the same number of samples (rows); \
got 4 and 3. Check that the labels belong to these inputs.
    """
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"`{names[0]}` and `{names[1]}` must have the same number of "
            f"samples (rows); got {a.shape[0]} and {b.shape[0]}. Check "
            "that the labels belong to these inputs."
        )


def _check_real_scalar(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a real number; got {_describe(value)}. "
            "Pass an int or a float."
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(
            f"`{name}` must be finite; got {value}. Pass a finite number."
        )
    return value


def check_positive(value: object, name: str, *, strict: bool = True) -> float:
    """Check that a hyper-parameter is a positive (or non-negative) number.

    Parameters
    ----------
    value : float
        The value to check.
    name : str
        The argument's name, used in error messages.
    strict : bool, default True
        Require ``value > 0``; otherwise ``value >= 0``.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If ``value`` is not finite or not positive.

    Examples
    --------
    >>> check_positive(0.1, "learning_rate")
    0.1
    >>> check_positive(-1, "learning_rate")
    Traceback (most recent call last):
    ...
    ValueError: `learning_rate` must be > 0; got -1.0. Pass a positive \
number, such as 0.1.
    """
    value = _check_real_scalar(value, name)
    if value > 0 or (not strict and value == 0):
        return value
    sign = ">" if strict else ">="
    raise ValueError(
        f"`{name}` must be {sign} 0; got {value}. Pass a positive number, "
        "such as 0.1."
    )


def check_in_range(
    value: object,
    name: str,
    low: float,
    high: float,
    *,
    closed: str = "both",
) -> float:
    """Check that a hyper-parameter lies in an interval.

    Parameters
    ----------
    value : float
        The value to check.
    name : str
        The argument's name, used in error messages.
    low, high : float
        The interval's end points.
    closed : {"both", "left", "right", "neither"}, default "both"
        Which end points belong to the interval.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If ``value`` lies outside the interval.

    Examples
    --------
    >>> check_in_range(0.9, "momentum", 0, 1, closed="left")
    0.9
    >>> check_in_range(1.0, "momentum", 0, 1, closed="left")
    Traceback (most recent call last):
    ...
    ValueError: `momentum` must lie in [0, 1); got 1.0. Pass a value \
inside that interval.
    """
    value = _check_real_scalar(value, name)
    left_ok = value >= low if closed in ("both", "left") else value > low
    right_ok = value <= high if closed in ("both", "right") else value < high
    if left_ok and right_ok:
        return value
    left = "[" if closed in ("both", "left") else "("
    right = "]" if closed in ("both", "right") else ")"
    raise ValueError(
        f"`{name}` must lie in {left}{low}, {high}{right}; got {value}. "
        "Pass a value inside that interval."
    )


def check_integer(value: object, name: str, *, minimum: int = 1) -> int:
    """Check that a count (iterations, components, sizes) is an integer.

    Parameters
    ----------
    value : int
        The value to check. NumPy integers are accepted; floats are not,
        even when whole, because they usually signal a mistake.
    name : str
        The argument's name, used in error messages.
    minimum : int, default 1
        The smallest allowed value.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value < minimum``.

    Examples
    --------
    >>> check_integer(10, "max_iter")
    10
    >>> check_integer(2.5, "n_components")
    Traceback (most recent call last):
    ...
    TypeError: `n_components` must be an integer; got float 2.5. Pass a \
whole number, such as 10.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"`{name}` must be an integer; got {_describe(value)}. Pass a "
            "whole number, such as 10."
        )
    if value < minimum:
        raise ValueError(
            f"`{name}` must be >= {minimum}; got {value}. Pass a larger value."
        )
    return int(value)
