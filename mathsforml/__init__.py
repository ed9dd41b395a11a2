"""mathsforml: the companion library of *Mathematics for Data Science and
Machine Learning*.

Each module mirrors one part of the book and is imported on its own, so
that a chapter depends only on the modules it uses::

    from mathsforml import numdiff

The package itself imports nothing but its version, which keeps
``import mathsforml`` instant and lets the book re-execute only the chapters
whose modules changed.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
