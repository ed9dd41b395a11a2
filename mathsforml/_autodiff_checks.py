"""Argument and output checks of :mod:`mathsforml.autodiff`'s transforms.

Each transform (``grad``, ``jacobian``, ``hessian``, ...) checks what it
is given at the boundary: the function, the argument positions
``argnums`` (the one spelling for all of them, as in JAX), and what the
function returns. A function that returns no number, such as one that
forgot its ``return``, raises a ``TypeError`` rather than getting a zero
gradient.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable

import numpy as np

from mathsforml._autodiff_graph import Node, _shape
from mathsforml._validation import _describe, as_float_array, check_integer


def _argnums(argnums: int | tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
    single = not isinstance(argnums, (tuple, list))
    nums = (argnums,) if single else tuple(argnums)
    if not nums:
        raise ValueError(
            "`argnums` must name at least one argument; got (). Pass an "
            "int such as 0 or a tuple such as (0, 1)."
        )
    nums = tuple(check_integer(n, "argnums", minimum=0) for n in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(
            f"`argnums` must not repeat an argument; got {argnums}. List "
            "each argument once."
        )
    return nums, single


def _one_argnum(argnums: int, transform: str, instead: str) -> int:
    nums, single = _argnums(argnums)
    if not single:
        raise TypeError(
            f"`argnums` must be one int for `{transform}`, which takes a "
            f"vector `v` shaped like one argument; got {argnums!r}. Gather "
            "the arguments into one array, or use "
            f"`{instead}(fun, argnums={argnums!r})`."
        )
    return nums[0]


def _rejects_argnum(transform: Callable) -> Callable:
    """Make ``transform(fun, argnum=...)`` point to ``argnums``."""

    @functools.wraps(transform)
    def checked(*args, **kwargs):
        if "argnum" in kwargs:
            value = kwargs["argnum"]
            raise TypeError(
                f"{transform.__name__}() takes `argnums`, not `argnum`; "
                f"got argnum={value!r}. Write "
                f"`{transform.__name__}(fun, argnums={value!r})`."
            )
        return transform(*args, **kwargs)

    return checked


def _positional_names(fun: Callable) -> list[str]:
    """Parameter names of ``fun``, for error messages."""
    try:
        params = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
    return [p.name for p in params if p.kind in kinds]


def _check_callable(fun: object) -> None:
    if not callable(fun):
        raise TypeError(
            "`fun` must be a function of nodes; got "
            f"{type(fun).__name__}. Pass the function itself, such as "
            "`grad(loss)`, not its value."
        )


def _check_output(out: object, fun: Callable) -> None:
    """Reject an output that has no derivative, like a missing return."""
    if isinstance(out, Node):
        return
    try:
        kind = np.asarray(out).dtype.kind
    except (TypeError, ValueError):  # nodes in a list, a ragged list
        kind = "O"
    if kind in "iuf":
        return  # a constant: its derivative is zero
    name = getattr(fun, "__name__", "fun")
    if out is None:
        hint = f"Check that `{name}` ends with a `return` statement."
    elif kind == "b":
        hint = "A comparison has no derivative; return a real number."
    elif isinstance(out, (list, tuple)):
        hint = "Join several outputs into one node with `ad.stack`."
    else:
        hint = "Return a Node computed from the arguments."
    got = "None" if out is None else _describe(out)
    raise TypeError(
        "`fun` must return a Node or an array of real numbers; "
        f"`{name}` returned {got}. {hint}"
    )


def _check_scalar(out, what: str = "gradient") -> None:
    shape = _shape(out)
    if math.prod(shape) != 1:
        raise ValueError(
            f"`fun` must return a scalar to take its {what}; got an output "
            f"of shape {shape}. Reduce it to a scalar (for example with "
            "`.sum()` or `.mean()`), or use `jacobian` for a vector-valued "
            "function."
        )


def _split_vector(args: tuple, name: str) -> tuple[tuple, np.ndarray]:
    if not args:
        raise TypeError(
            f"call the returned function as f(*args, {name}); got no "
            f"arguments. Pass the point and then the vector `{name}`."
        )
    return args[:-1], as_float_array(args[-1], name)
