"""Math macros shared by the HTML (MathJax) and PDF (LaTeX) builds.

:data:`MACROS` is the one list of the book's math macros. At
``config-inited`` this extension turns it into

- MathJax macros, merged into ``mathjax3_config["tex"]["macros"]`` (any
  configuration already there is kept), for the HTML site, and
- LaTeX definitions, appended to ``latex_elements["preamble"]`` after
  whatever sphinx-jupyterbook-latex puts there, for the PDF.

A definition is either a string (a macro without arguments) or a pair
``(body, n_args)`` whose body uses ``#1`` ... ``#n``. A body that is
exactly ``\\operatorname{Name}`` or ``\\operatorname*{Name}`` becomes
``\\DeclareMathOperator`` (starred: limits go below in display math) in
LaTeX.

In LaTeX a new macro must not reuse a name that is already taken, so that
LaTeX itself reports a clash (``Command \\X already defined``) instead of
silently changing what, say, ``\\L`` means. The only exceptions are listed
in :data:`REPLACES`: names that the LaTeX class of sphinx-jupyterbook-latex
defines already, which the book defines its own way.
"""

from __future__ import annotations

import re

Definition = str | tuple[str, int]

MACROS: dict[str, Definition] = {
    # Number sets and probability.
    "R": r"\mathbb{R}",
    "N": r"\mathbb{N}",
    "E": r"\mathbb{E}",
    "Var": r"\operatorname{Var}",
    "Cov": r"\operatorname{Cov}",
    # Operators.
    "argmin": r"\operatorname*{arg\,min}",
    "argmax": r"\operatorname*{arg\,max}",
    "diag": r"\operatorname{diag}",
    "tr": r"\operatorname{tr}",
    "rank": r"\operatorname{rank}",
    "sign": r"\operatorname{sign}",
    # Transpose, written after its argument: \mX\T.
    "T": r"^{\top}",
    # Norms and absolute values: \norm{\vx}, \abs{x}.
    "norm": (r"\lVert #1 \rVert", 1),
    "abs": (r"\lvert #1 \rvert", 1),
    # Bold vectors.
    "vb": r"\mathbf{b}",
    "vu": r"\mathbf{u}",
    "vv": r"\mathbf{v}",
    "vw": r"\mathbf{w}",
    "vx": r"\mathbf{x}",
    "vy": r"\mathbf{y}",
    "vz": r"\mathbf{z}",
    "vmu": r"\boldsymbol{\mu}",
    "vtheta": r"\boldsymbol{\theta}",
    # Bold matrices.
    "mA": r"\mathbf{A}",
    "mB": r"\mathbf{B}",
    "mH": r"\mathbf{H}",
    "mI": r"\mathbf{I}",
    "mJ": r"\mathbf{J}",
    "mU": r"\mathbf{U}",
    "mV": r"\mathbf{V}",
    "mW": r"\mathbf{W}",
    "mX": r"\mathbf{X}",
    "mSigma": r"\boldsymbol{\Sigma}",
}

# Defined by sphinx-jupyterbook-latex's jupyterBook.cls; replaced here so
# that HTML and PDF agree.
REPLACES = frozenset({"Var", "argmin", "argmax"})

_NAME_RE = re.compile(r"[A-Za-z]+")
_OPERATOR_RE = re.compile(r"\\operatorname(\*?)\{(.*)\}")
_PARAM_RE = re.compile(r"#(\d)")


def _split(definition: Definition) -> tuple[str, int]:
    if isinstance(definition, str):
        return definition, 0
    body, n_args = definition
    return body, n_args


def _balanced(text: str) -> bool:
    depth = 0
    for i, char in enumerate(text):
        escaped = i > 0 and text[i - 1] == "\\"
        if char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def validate(macros: dict[str, Definition] = MACROS) -> None:
    """Raise ``ValueError`` if a macro could not work in both builds.

    A name must be letters only (what TeX reads as one control word), a
    body must have balanced braces, and its ``#k`` parameters must be
    exactly ``#1`` ... ``#n`` for ``n`` arguments (at most 9).
    """
    for name, definition in macros.items():
        body, n_args = _split(definition)
        if not _NAME_RE.fullmatch(name):
            raise ValueError(
                f"macro name {name!r} must be ASCII letters only, without "
                "the backslash"
            )
        if not isinstance(body, str) or not body.strip():
            raise ValueError(f"macro \\{name} needs a non-empty body")
        if not _balanced(body):
            raise ValueError(f"macro \\{name} has unbalanced braces: {body}")
        if not isinstance(n_args, int) or not 0 <= n_args <= 9:
            raise ValueError(
                f"macro \\{name} has {n_args!r} arguments; use 0 to 9"
            )
        used = {int(k) for k in _PARAM_RE.findall(body)}
        if used != set(range(1, n_args + 1)):
            raise ValueError(
                f"macro \\{name} takes {n_args} argument(s) but its body "
                f"uses {sorted(used) or 'none'}: {body}"
            )


def mathjax_macros(macros: dict[str, Definition] = MACROS) -> dict:
    """The macros in MathJax 3's ``tex.macros`` format."""
    validate(macros)
    result: dict[str, str | list] = {}
    for name, definition in macros.items():
        body, n_args = _split(definition)
        result[name] = [body, n_args] if n_args else body
    return result


def latex_definitions(macros: dict[str, Definition] = MACROS) -> str:
    r"""The macros as LaTeX preamble lines, one per macro.

    Operators use ``\DeclareMathOperator``, all others ``\newcommand``.
    A name in :data:`REPLACES` is cleared first, so that it replaces the
    class's definition instead of failing.
    """
    validate(macros)
    lines = ["% Math macros of the book (book/_ext/macros.py)."]
    for name, definition in macros.items():
        body, n_args = _split(definition)
        clear = rf"\let\{name}\relax" if name in REPLACES else ""
        operator = _OPERATOR_RE.fullmatch(body)
        if operator and not n_args and _balanced(operator.group(2)):
            star, text = operator.groups()
            lines.append(
                rf"{clear}\DeclareMathOperator{star}{{\{name}}}"
                rf"{{{text}}}"
            )
        else:
            arity = f"[{n_args}]" if n_args else ""
            lines.append(rf"{clear}\newcommand{{\{name}}}{arity}{{{body}}}")
    return "\n".join(lines) + "\n"


def _install(app, config) -> None:
    mathjax = dict(config.mathjax3_config or {})
    tex = dict(mathjax.get("tex", {}))
    tex["macros"] = {**tex.get("macros", {}), **mathjax_macros()}
    mathjax["tex"] = tex
    config.mathjax3_config = mathjax

    elements = dict(config.latex_elements or {})
    elements["preamble"] = (
        elements.get("preamble", "") + "\n" + latex_definitions()
    )
    config.latex_elements = elements


def setup(app):
    # The PDF's book layout (LaTeX builder only) lives in latex_book.py next
    # to this file; loading it from here keeps _config.yml's extension list
    # as it is. Loading an extension twice is harmless.
    app.setup_extension("latex_book")
    # After sphinx-jupyterbook-latex (priority 500), which rewrites the
    # preamble in its own config-inited handler and loads unicode-math.
    app.connect("config-inited", _install, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
