"""NumPy's functions applied to nodes of :mod:`mathsforml.autodiff`.

NumPy hands any call that involves a :class:`Node` to the node: a ufunc
such as ``np.tanh`` or ``ndarray + node`` through
``Node.__array_ufunc__`` (NEP 13), and a function such as ``np.sum``
through ``Node.__array_function__`` (NEP 18). This module maps each to
the engine's primitive of the same meaning, so ``np.tanh(node)`` records
a ``tanh`` node, as ``tanh(node)`` does. A NumPy function without a
primitive raises a ``TypeError`` that says so and names what to call,
instead of failing later, or silently, on an array of objects.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from mathsforml._autodiff_graph import _value

__all__ = ["array_function", "array_ufunc", "supported"]

# Comparisons give masks (constants), as the node's operators do.
_COMPARISONS = (np.less, np.less_equal, np.greater, np.greater_equal)


@functools.cache
def _ufuncs() -> dict:
    # Imported on first use: these modules import the node's module,
    # which imports this one.
    from mathsforml import _autodiff_functions as fn
    from mathsforml import _autodiff_rules as rules

    return {
        np.add: rules.add,
        np.subtract: rules.subtract,
        np.multiply: rules.multiply,
        np.divide: rules.divide,
        np.power: rules.power,
        np.negative: rules.negative,
        np.absolute: rules.abs,
        np.matmul: rules.matmul,
        np.exp: rules.exp,
        np.log: rules.log,
        np.log1p: fn.log1p,
        np.sqrt: fn.sqrt,
        np.sin: fn.sin,
        np.cos: fn.cos,
        np.tanh: fn.tanh,
        np.maximum: fn.maximum,
        np.minimum: fn.minimum,
    }


@functools.cache
def _functions() -> dict:
    """NumPy function -> (the engine's function, the name to call)."""
    from mathsforml import _autodiff_functions as fn
    from mathsforml import _autodiff_rules as rules

    return {
        np.sum: (rules.sum_, "node.sum"),
        np.mean: (rules.mean, "ad.mean"),
        np.where: (rules.where, "ad.where"),
        np.stack: (fn.stack, "ad.stack"),
        np.concatenate: (fn.concatenate, "ad.concatenate"),
        np.reshape: (rules.reshape, "node.reshape"),
        np.transpose: (rules.transpose, "node.T"),
        np.broadcast_to: (rules.broadcast_to, "np.broadcast_to"),
        np.dot: (rules.matmul, "a @ b"),
        np.shape: (lambda a: np.shape(_value(a)), "node.shape"),
        np.ndim: (lambda a: np.ndim(_value(a)), "node.ndim"),
        np.size: (lambda a: np.size(_value(a)), "node.size"),
    }


def supported() -> list[str]:
    """The NumPy functions that accept nodes, as ``np.name`` strings."""
    names = [u.__name__ for u in (*_ufuncs(), *_COMPARISONS)]
    names += [f.__name__ for f in _functions()]
    return sorted(f"np.{name}" for name in names)


def _numpy_name(func) -> str:
    """``np.sum`` or ``np.linalg.norm``, as a reader would write it."""
    module = getattr(func, "__module__", None) or "numpy"
    return f"{module.replace('numpy', 'np', 1)}.{func.__name__}"


def _unsupported(name: str) -> TypeError:
    return TypeError(
        f"`{name}` has no derivative rule in mathsforml.autodiff, so it "
        "cannot be applied to a Node. Write the computation with the "
        "engine's functions (the NumPy functions that dispatch to them "
        f"are {', '.join(supported())}), apply `{name}` to `node.value` "
        "if no derivative is needed, or register a new primitive in "
        "`ad.VJP_RULES`."
    )


def array_ufunc(ufunc, method: str, inputs: tuple, kwargs: dict):
    """Apply the primitive for ``ufunc`` to ``inputs`` (NEP 13)."""
    name = f"np.{ufunc.__name__}"
    if method != "__call__":
        raise TypeError(
            f"`{name}.{method}` cannot be applied to a Node: the engine "
            "records only direct calls, such as `np.add(a, b)`. For a sum "
            "over an axis use `node.sum(axis=...)`."
        )
    if kwargs:
        raise TypeError(
            f"`{name}` on a Node takes no keyword arguments; got "
            f"{', '.join(kwargs)}. The engine never writes into an "
            "existing array (`out=`, `+=`): assign the result, as in "
            "`a = a + node`."
        )
    if ufunc in _COMPARISONS:
        return ufunc(*(_value(x) for x in inputs))
    primitive = _ufuncs().get(ufunc)
    if primitive is None:
        raise _unsupported(name)
    return primitive(*inputs)


@functools.cache
def _signature(function) -> inspect.Signature:
    signature = inspect.signature(function)
    return signature.replace(
        parameters=[
            p.replace(annotation=p.empty)
            for p in signature.parameters.values()
        ],
        return_annotation=signature.empty,
    )


def array_function(func, args: tuple, kwargs: dict):
    """Call the engine's version of the NumPy function ``func`` (NEP 18)."""
    name = _numpy_name(func)
    entry = _functions().get(func)
    if entry is None:
        raise _unsupported(name)
    ours, ours_name = entry
    try:
        _signature(ours).bind(*args, **kwargs)
    except TypeError:
        given = ", ".join(
            [type(a).__name__ for a in args] + [f"{k}=..." for k in kwargs]
        )
        raise TypeError(
            f"`{name}` on a Node accepts the arguments "
            f"{_signature(ours)} of `{ours_name}`; got ({given}). Call it "
            "with those arguments only."
        ) from None
    return ours(*args, **kwargs)
