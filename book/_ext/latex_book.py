"""Give the PDF (``make pdf``) the structure of a printed book.

sphinx-jupyterbook-latex turns each part of ``_toc.yml`` into a LaTeX
``\\part``, each top-level page into a ``\\chapter`` and the pages under it
into sections. This extension adjusts what it leaves, for the LaTeX builder
only (the HTML site is untouched):

- The root page, whose title LaTeX prints on the title page, gets an
  unnumbered chapter heading, :data:`INTRO_TITLE`.
- Parts are not numbered (their captions already say "Lesson 1"), and the
  chapters of an unnumbered part of ``_toc.yml`` ("Getting started",
  "Reference") are not numbered either, so that LaTeX numbers Lesson 1's
  chapter 1, as the site does, and numbers of figures, equations, theorems
  and exercises agree.
- Each page that is a section of a chapter (a lesson's chapter) starts on a
  new page.
- ``{footcite}`` prints as a footnote in LaTeX; the "References" section
  of ``{footbibliography}`` still lists the works, as on the site.
- The book's bibliography (``{bibliography}``) is printed in the chapter
  that holds it instead of in an extra chapter at the very end, and
  numbered reference lists in API docstrings (numpydoc) stay under their
  function instead of being mixed into it.
- Theorems and exercises get the numbers they have on the site; links to
  an exercise on another page resolve; figures inside exercises, solutions
  and theorems do not float, which LaTeX cannot do inside a box.
- ``{prf:proof}`` blocks, which sphinx-proof renders as a box with an empty
  title bar, are printed as a proof: "*Proof.* ... ∎".
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform

INTRO_TITLE = "Introduction"

PREAMBLE = r"""
% Layout helpers of book/_ext/latex_book.py.
\makeatletter
\AtBeginDocument{\edef\mathsformlsecnumdepth{\the\c@secnumdepth}}
\newcommand{\mathsformlnumbered}{%
  \setcounter{secnumdepth}{\mathsformlsecnumdepth}}
\newcommand{\mathsformlunnumbered}{\setcounter{secnumdepth}{-1}}
\newcommand{\mathsformlunnumberedpart}{\setcounter{secnumdepth}{-2}}
% The bibliography as the body of the chapter that holds it: no chapter
% heading and no table-of-contents line of its own.
\newenvironment{mathsformlbibliography}[1]
  {\let\chapter\@gobbletwo\let\@mkboth\@gobbletwo
   \let\addcontentsline\@gobblethree
   \begin{thebibliography}{#1}}
  {\end{thebibliography}}
\newenvironment{mathsformlproof}
  {\par\addvspace{\medskipamount}}
  {\par\addvspace{\medskipamount}}
\newcommand{\mathsformlqed}{\nobreak\hfill\ensuremath{\square}}
\makeatother
"""


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _is_root(transform: SphinxPostTransform) -> bool:
    source = transform.document.get("source", "")
    return transform.app.project.path2doc(source) == transform.config.root_doc


def _start_of_files(node: nodes.Element, depth: int = 0):
    """Yield each ``start_of_file`` with the number of enclosing sections.

    The depth is counted from the document down, not with ``.parent``:
    sphinx-jupyterbook-latex moves nodes in ways that leave some parent
    links stale.
    """
    for child in node.children:
        if not isinstance(child, nodes.Element):
            continue
        if isinstance(child, addnodes.start_of_file):
            yield child, depth
        inner = depth + isinstance(child, nodes.section)
        yield from _start_of_files(child, inner)


class BookStructure(SphinxPostTransform):
    """Intro heading, part and chapter numbering, page breaks."""

    # After sphinx-jupyterbook-latex arranges the parts (priority 700).
    default_priority = 710
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        if not _is_root(self):
            return
        self._intro_heading()
        self._numbering()
        self._page_breaks()

    def _intro_heading(self) -> None:
        root = self.config.root_doc
        for section in self.document.findall(nodes.section):
            if section.get("docname") == root:
                title = INTRO_TITLE
                section.insert(
                    1,
                    _latex(
                        rf"\chapter*{{{title}}}"
                        rf"\addcontentsline{{toc}}{{chapter}}{{{title}}}"
                        rf"\markboth{{{title}}}{{{title}}}" + "\n"
                    ),
                )
                return

    def _numbering(self) -> None:
        site_map = getattr(self.config, "external_site_map", None)
        if site_map is None:
            return
        numbered = {
            tree.caption: bool(tree.numbered)
            for tree in site_map.root.subtrees
            if tree.caption
        }
        for parent, section in list(_children(self.document, nodes.section)):
            caption = section.get("docname")
            if caption not in numbered or not section.children:
                continue
            if not isinstance(section[0], nodes.title):
                continue
            if section[0].astext() != caption:
                continue
            parent.insert(
                parent.index(section),
                _latex("\\mathsformlunnumberedpart\n"),
            )
            after = "numbered" if numbered[caption] else "unnumbered"
            section.insert(1, _latex(f"\\mathsforml{after}\n"))

    def _page_breaks(self) -> None:
        # A page included under a chapter becomes a section: a part and a
        # chapter enclose it.
        for start, depth in list(_start_of_files(self.document)):
            if depth == 2 and any(
                isinstance(child, nodes.section) for child in start.children
            ):
                start.insert(0, _latex("\\clearpage\n"))


class ReferenceLists(SphinxPostTransform):
    """List the works a page cites under its "References" heading.

    In LaTeX each ``{footcite}`` becomes a footnote at the citation, which
    would leave the section of ``{footbibliography}`` empty. A copy of the
    footnotes is kept there as a list, as the site shows them, so that
    every chapter still ends with its references.
    """

    # Before LaTeXFootnoteTransform (600) moves the footnotes away.
    default_priority = 590
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for parent, box in list(_children(self.document, nodes.container)):
            notes = [c for c in box.children if isinstance(c, nodes.Element)]
            if not notes or not all(
                isinstance(n, nodes.footnote) for n in notes
            ):
                continue
            entries = nodes.bullet_list()
            for note in notes:
                item = nodes.list_item()
                item.extend(
                    child.deepcopy()
                    for child in note.children
                    if not isinstance(child, nodes.label)
                )
                entries += item
            parent.insert(parent.index(box) + 1, entries)


def _children(node: nodes.Element, kind: type):
    """Yield ``(parent, child)`` for every descendant of type ``kind``.

    Found from the document down, for the same reason as above.
    """
    for child in node.children:
        if isinstance(child, kind):
            yield node, child
        if isinstance(child, nodes.Element):
            yield from _children(child, kind)


class LocalCitations(SphinxPostTransform):
    """Keep citations outside the bibliography pages where they are.

    Sphinx's LaTeX builder moves every citation into one bibliography at
    the end (BibliographyTransform, priority 750). Numpydoc's numbered
    references in docstrings are local to one function, so they are turned
    into plain paragraphs with a label, and the references to them into
    links, before that happens.
    """

    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        keep = _bibliography_docnames(self.env)
        moved: dict[tuple[str, str], str] = {}
        for parent, citation in list(_children(self.document, nodes.citation)):
            if citation.get("docname") in keep:
                continue
            label = citation[0].astext()
            moved[citation["docname"], citation["ids"][0]] = label
            paragraphs = [
                c
                for c in citation.children[1:]
                if isinstance(c, nodes.Element)
            ]
            first = nodes.paragraph()
            first += nodes.strong(text=f"[{label}] ")
            if paragraphs and isinstance(paragraphs[0], nodes.paragraph):
                first.extend(paragraphs.pop(0).children)
            replacement = [
                nodes.target("", "", ids=citation["ids"]),
                first,
                *paragraphs,
            ]
            index = parent.index(citation)
            parent[index : index + 1] = replacement
        # numpydoc adds, for LaTeX only, a paragraph citing each reference
        # so that they appear in the bibliography at the end; with the
        # references kept in place it would only repeat them.
        for parent, paragraph in list(
            _children(self.document, nodes.paragraph)
        ):
            if _only_citations(paragraph, moved):
                parent.remove(paragraph)
        references = _children(self.document, nodes.citation_reference)
        for parent, ref in list(references):
            key = (ref.get("docname"), ref.get("refname"))
            if key in moved:
                # Not replace_self, which would copy the reference's ids:
                # numpydoc parses each docstring on its own, so they repeat.
                link = nodes.reference(
                    "",
                    f"[{moved[key]}]",
                    internal=True,
                    refuri=f"%{key[0]}#{key[1]}",
                )
                parent.replace(ref, link)


def _only_citations(paragraph: nodes.paragraph, moved: dict) -> bool:
    """Whether a paragraph holds only citations of ``moved`` (and commas)."""
    refs = [c for c in paragraph.children if not isinstance(c, nodes.Text)]
    text = "".join(c for c in paragraph.children if isinstance(c, nodes.Text))
    return (
        bool(refs)
        and not text.strip(", \n")
        and all(
            isinstance(ref, nodes.citation_reference)
            and (ref.get("docname"), ref.get("refname")) in moved
            for ref in refs
        )
    )


def _bibliography_docnames(env) -> set[str]:
    domain = env.get_domain("cite")
    # sphinxcontrib-bibtex keys each {bibliography} by (docname, id).
    return {key.docname for key in getattr(domain, "bibliographies", {})}


class BibliographyInPlace(SphinxPostTransform):
    """Print the bibliography inside the chapter that holds it."""

    # After BibliographyTransform (750) gathers the citations at the end.
    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        docnames = _bibliography_docnames(self.env)
        starts = [
            start
            for start in self.document.findall(addnodes.start_of_file)
            if start.get("docname") in docnames
        ]
        bibliographies = list(self.document.findall(thebibliography))
        if len(starts) != 1 or len(bibliographies) != 1:
            return
        sections = [c for c in starts[0] if isinstance(c, nodes.section)]
        if not sections:
            return
        bibliography = bibliographies[0]
        bibliography.parent.remove(bibliography)
        sections[0].extend(
            [
                _latex(
                    "\\begingroup\\let\\sphinxthebibliography"
                    "\\mathsformlbibliography\\let\\endsphinxthebibliography"
                    "\\endmathsformlbibliography\n"
                ),
                bibliography,
                _latex("\\endgroup\n"),
            ]
        )


class Proofs(SphinxPostTransform):
    """Print ``{prf:proof}`` as a proof, not as an untitled box."""

    default_priority = 710
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        try:
            from sphinx_proof.nodes import proof_node
        except ImportError:
            return
        for parent, proof in list(_children(self.document, proof_node)):
            boxes = [c for c in proof.children if isinstance(c, nodes.Element)]
            body = []
            for box in boxes:
                body.extend(box.children)
            _italic_lead(body)
            qed = _latex("\\mathsformlqed")
            if body and isinstance(body[-1], nodes.paragraph):
                body[-1] += qed
            else:
                body.append(nodes.paragraph("", "", qed))
            index = parent.index(proof)
            parent[index : index + 1] = [
                _latex("\\begin{mathsformlproof}\n"),
                *body,
                _latex("\\end{mathsformlproof}\n"),
            ]


def _italic_lead(body: list[nodes.Node]) -> None:
    """Set the "Proof. " that sphinx-proof prepends in italics."""
    if not body or not isinstance(body[0], nodes.paragraph):
        return
    paragraph = body[0]
    if not paragraph.children or not isinstance(paragraph[0], nodes.Text):
        return
    text = str(paragraph[0])
    lead, dot, rest = text.partition(". ")
    if not dot or " " in lead:
        return
    paragraph.replace(paragraph[0], nodes.Text(rest))
    paragraph.insert(0, nodes.emphasis(text=f"{lead}. "))


def _site_numbers(app, site_depth: int) -> None:
    """Number theorems and exercises as the site does.

    With parts, sphinx-jupyterbook-latex sets ``numfig_secnum_depth`` to 2
    (at ``builder-inited``) so that LaTeX restarts figure and equation
    numbers in each chapter, as the site does with 1 (LaTeX counts the part
    level). Sphinx-proof and sphinx-exercise, however, take their numbers
    from Sphinx's numbering, which would then include the section (Theorem
    1.4.1 where the site says Theorem 1.1). So Sphinx numbers with the
    site's depth, and the LaTeX writer gets the deeper one afterwards.
    """
    if app.builder.format != "latex":
        return
    latex_depth = app.config.numfig_secnum_depth
    app.config.numfig_secnum_depth = site_depth

    def for_the_writer(app, env) -> list[str]:
        app.config.numfig_secnum_depth = latex_depth
        return []

    # After Sphinx numbers everything (TocTreeCollector, priority 500).
    app.connect("env-get-updated", for_the_writer, priority=900)


def _no_floats_in_boxes(app) -> None:
    """Keep figures inside exercises, solutions and theorems in place.

    sphinx-exercise and sphinx-proof print these as boxes, in which a
    LaTeX float is an error ("Not in outer par mode"). Sphinx's own
    admonitions avoid that by counting ``no_latex_floats`` while inside;
    their LaTeX visitors are wrapped here to do the same.
    """
    if app.builder.format != "latex":
        return
    handlers = app.registry.translation_handlers.get(app.builder.name, {})
    for name, (visit, depart) in list(handlers.items()):
        if visit.__module__.split(".")[0] in _BOXING_EXTENSIONS:
            handlers[name] = _counting_floats(visit, depart)


_BOXING_EXTENSIONS = {"sphinx_exercise", "sphinx_proof"}


def _counting_floats(visit, depart):
    def counting_visit(self, node) -> None:
        visit(self, node)  # If this raises SkipNode, depart is not called.
        self.no_latex_floats += 1

    def counting_depart(self, node) -> None:
        self.no_latex_floats -= 1
        if depart is not None:
            depart(self, node)

    return counting_visit, counting_depart


class ExerciseReferences(SphinxPostTransform):
    """Link references to exercises on other pages.

    sphinx-exercise labels an exercise ``exercise:<label>`` in LaTeX and
    rewrites the references it can see, those within one page; a reference
    from another page would print "Exercise ??". It is rewritten the same
    way here, keeping its text (the exercise's number on the site).
    """

    # After sphinx-exercise's own rewrite (ResolveLinkTextToSolutions, 22).
    default_priority = 23
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", None)
        if not registry:
            return
        from sphinx_exercise.nodes import (
            exercise_enumerable_node,
            exercise_latex_number_reference,
        )

        references = _children(self.document, addnodes.number_reference)
        for parent, ref in list(references):
            if isinstance(ref, exercise_latex_number_reference):
                continue
            label = ref.get("refid") or ref.get("refuri", "").partition("#")[2]
            target = registry.get(label, {}).get("node")
            if not isinstance(target, exercise_enumerable_node):
                continue
            link = exercise_latex_number_reference("", "", refid=label)
            link.extend(ref.children)
            parent.replace(ref, link)


def _preamble(app, config) -> None:
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", _preamble, priority=800)
    app.connect("builder-inited", _no_floats_in_boxes, priority=800)
    # The configured depth, read before sphinx-jupyterbook-latex changes it
    # in its builder-inited handler (priority 500), after which this runs.
    configured = {}

    def remember(app, config) -> None:
        configured["depth"] = config.numfig_secnum_depth

    app.connect("config-inited", remember)
    app.connect(
        "builder-inited",
        lambda app: _site_numbers(app, configured["depth"]),
        priority=800,
    )
    for transform in (
        BookStructure,
        ReferenceLists,
        LocalCitations,
        BibliographyInPlace,
        Proofs,
        ExerciseReferences,
    ):
        app.add_post_transform(transform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
