"""The book's math macros: one dict feeds MathJax (HTML) and LaTeX (PDF).

Fast checks of book/_ext/macros.py; the PDF test (tests/test_pdf.py)
checks them in the whole book.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import macros  # noqa: E402

# The macros the chapters are written with; removing one breaks pages.
REQUIRED = {
    "R": r"\mathbb{R}",
    "E": r"\mathbb{E}",
    "Var": r"\operatorname{Var}",
    "Cov": r"\operatorname{Cov}",
    "argmin": r"\operatorname*{arg\,min}",
    "argmax": r"\operatorname*{arg\,max}",
    "diag": r"\operatorname{diag}",
    "tr": r"\operatorname{tr}",
    "rank": r"\operatorname{rank}",
    "sign": r"\operatorname{sign}",
    "T": r"^{\top}",
    "vx": r"\mathbf{x}",
    "vy": r"\mathbf{y}",
    "vw": r"\mathbf{w}",
    "vb": r"\mathbf{b}",
    "vv": r"\mathbf{v}",
    "vu": r"\mathbf{u}",
    "vtheta": r"\boldsymbol{\theta}",
    "mA": r"\mathbf{A}",
    "mB": r"\mathbf{B}",
    "mH": r"\mathbf{H}",
    "mI": r"\mathbf{I}",
    "mJ": r"\mathbf{J}",
    "mW": r"\mathbf{W}",
    "mX": r"\mathbf{X}",
    "mU": r"\mathbf{U}",
    "mV": r"\mathbf{V}",
    "mSigma": r"\boldsymbol{\Sigma}",
}
# LaTeX text commands (accents, special letters) that a math macro must
# never take over; \newcommand would refuse most, MathJax would not.
LATEX_TEXT_COMMANDS = set("bcdHijklLoOPrStuv") | {"aa", "AA", "ae", "AE"}

_DEFINITION_RE = re.compile(
    r"^(?:\\let\\(?P<cleared>[A-Za-z]+)\\relax)?"
    r"\\(?P<command>newcommand|DeclareMathOperator\*?)"
    r"\{\\(?P<name>[A-Za-z]+)\}(?:\[(?P<arity>\d)\])?\{(?P<body>.*)\}$"
)


def _latex_lines() -> dict[str, re.Match]:
    lines = macros.latex_definitions().splitlines()
    assert lines[0].startswith("%")
    found = {}
    for line in lines[1:]:
        match = _DEFINITION_RE.match(line)
        assert match, f"not a macro definition: {line}"
        assert match["name"] not in found, f"\\{match['name']} defined twice"
        found[match["name"]] = match
    return found


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_macro_is_defined(name):
    assert macros.MACROS[name] == REQUIRED[name]


def test_every_macro_is_in_both_outputs():
    assert set(macros.mathjax_macros()) == set(macros.MACROS)
    assert set(_latex_lines()) == set(macros.MACROS)


def test_mathjax_definitions_and_arity():
    for name, value in macros.mathjax_macros().items():
        body, n_args = macros._split(macros.MACROS[name])
        if n_args:
            assert value == [body, n_args]
        else:
            assert value == body


def test_latex_definitions_and_arity():
    for name, match in _latex_lines().items():
        body, n_args = macros._split(macros.MACROS[name])
        assert int(match["arity"] or 0) == n_args
        if match["command"].startswith("DeclareMathOperator"):
            star = "*" if match["command"].endswith("*") else ""
            assert body == rf"\operatorname{star}{{{match['body']}}}"
        else:
            assert match["body"] == body
        # Only names the LaTeX class defines already are cleared first.
        assert bool(match["cleared"]) == (name in macros.REPLACES)


def test_arguments_macro_example():
    assert macros.mathjax_macros()["norm"] == [r"\lVert #1 \rVert", 1]
    line = _latex_lines()["norm"].group(0)
    assert line == r"\newcommand{\norm}[1]{\lVert #1 \rVert}"


def test_no_macro_takes_over_a_latex_text_command():
    assert not set(macros.MACROS) & LATEX_TEXT_COMMANDS


def test_replaced_names_are_those_the_latex_class_defines():
    """REPLACES must match what sphinx-jupyterbook-latex's class defines.

    A name the class defines but REPLACES lacks fails the PDF build
    ("already defined"); a stale entry hides a real clash.
    """
    theme = pytest.importorskip("sphinx_jupyterbook_latex.theme")
    cls = (Path(theme.__file__).parent / "jupyterBook.cls").read_text()
    defined = set(
        re.findall(
            r"\\(?:newcommand|DeclareMathOperator\*?)\{\\([A-Za-z]+)\}", cls
        )
    )
    assert set(macros.MACROS) & defined == macros.REPLACES


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"x1": r"\mathbf{x}"}, "letters only"),
        ({"bad": r"\mathbf{x"}, "unbalanced"),
        ({"bad": r"\mathbf{x}}"}, "unbalanced"),
        ({"bad": (r"\lVert #1 \rVert", 0)}, "uses"),
        ({"bad": (r"\lVert x \rVert", 1)}, "uses"),
        ({"bad": (r"#1 #3", 3)}, "uses"),
        ({"bad": (r"#1", 10)}, "arguments"),
        ({"bad": ""}, "non-empty"),
    ],
)
def test_validate_rejects_broken_macros(definition, message):
    with pytest.raises(ValueError, match=message):
        macros.validate(definition)


def test_escaped_braces_do_not_count():
    macros.validate({"set": (r"\{ #1 \}", 1)})


def test_config_handler_merges_with_existing_configuration():
    config = SimpleNamespace(
        mathjax3_config={
            "options": {"processHtmlClass": "math"},
            "tex": {"macros": {"own": r"\alpha"}, "tags": "ams"},
        },
        latex_elements={"preamble": r"\usepackage{foo}", "pointsize": "11pt"},
    )
    macros._install(None, config)
    mathjax = config.mathjax3_config
    assert mathjax["options"] == {"processHtmlClass": "math"}
    assert mathjax["tex"]["tags"] == "ams"
    assert mathjax["tex"]["macros"]["own"] == r"\alpha"
    assert mathjax["tex"]["macros"]["vx"] == r"\mathbf{x}"
    assert config.latex_elements["pointsize"] == "11pt"
    preamble = config.latex_elements["preamble"]
    assert preamble.startswith(r"\usepackage{foo}")
    assert preamble.endswith(macros.latex_definitions())


def test_config_handler_without_configuration():
    config = SimpleNamespace(mathjax3_config=None, latex_elements={})
    macros._install(None, config)
    assert config.mathjax3_config == {
        "tex": {"macros": macros.mathjax_macros()}
    }
    assert macros.latex_definitions() in config.latex_elements["preamble"]


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="needs xelatex")
def test_latex_definitions_compile(tmp_path):
    """Every macro compiles and typesets, after the class's definitions."""
    uses = []
    for name, definition in macros.MACROS.items():
        _, n_args = macros._split(definition)
        uses.append(f"${{\\{name}" + "{x}" * n_args + "}$")
    replaced = "\n".join(
        rf"\DeclareMathOperator{{\{name}}}{{old}}" for name in macros.REPLACES
    )
    (tmp_path / "macros.tex").write_text(
        "\\documentclass{article}\n"
        "\\usepackage{amsmath,amssymb}\n"
        f"{replaced}\n{macros.latex_definitions()}"
        "\\begin{document}\n" + " ".join(uses) + "\n\\end{document}\n"
    )
    result = subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "macros"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
