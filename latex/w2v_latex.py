"""Make the PDF number things the way the website does (Sphinx extension, LaTeX builder only).

sphinx-jupyterbook-latex turns the two parts of _toc.yml into LaTeX \\part's and, for that, sets
``numfig_secnum_depth = 2``. Sphinx then numbers exercises per *section* ("Exercise 1.9.1") while
the website numbers them per chapter ("Exercise 1.1"). We put the depth back to 1; per-chapter
equation/figure/table numbers, which LaTeX counts itself, are restored in w2vbook.sty.

The website numbers only the chapters of numbered parts (``numbered: true`` in _toc.yml); the
Reference pages carry no number. LaTeX numbers every \\chapter, so in front of each chapter we
switch numbering off or on, following the section numbers Sphinx assigned from _toc.yml.

On the website a solution is a closed dropdown under its exercise; on paper it would be printed
right under it, read before the learner has tried. So in the PDF each chapter's solutions move to
a "Solutions" section at the end of that chapter, each exercise ends with a link to its solution
("Solution: page N") and each solution with a link back to its exercise.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.locale import _
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node


def same_numbering_as_html(app: Sphinx) -> None:
    if isinstance(app.builder, LaTeXBuilder):
        app.config.numfig_secnum_depth = 1


def number_chapters_as_toc(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not isinstance(app.builder, LaTeXBuilder):
        return
    for chapter in doctree.findall(addnodes.start_of_file):
        numbered = bool(app.env.toc_secnumbers.get(chapter["docname"]))
        # \BookNumberedChapters / \BookUnnumberedChapters are defined in w2vbook.sty.
        switch = r"\BookNumberedChapters" if numbered else r"\BookUnnumberedChapters"
        chapter.insert(0, nodes.raw("", switch + "\n", format="latex"))


def _solution_tex_label(app: Sphinx, solution: solution_node) -> str:
    # sphinx-exercise labels a solution "<its exercise's docname>:<solution label>" in LaTeX.
    exercise = app.env.sphinx_exercise_registry[solution["target_label"]]
    return f"{exercise['docname']}:{solution['label']}"


# The words, translated by each edition's 'sphinx' catalog (locales/<code>/LC_MESSAGES/sphinx.po).
SOLUTIONS = _("Solutions")
SOLUTION_LINK = _("Solution, page {page}")
EXERCISE_LINK = _("Back to the exercise, page {page}")


def _link(target: str, words) -> nodes.raw:
    """A paragraph of its own that links to a LaTeX label and names its page (``words`` holds
    ``{page}`` where the page number goes)."""
    text = str(words).replace("{page}", rf"\pageref*{{{target}}}").replace(" \\pageref", "~\\pageref")
    return nodes.raw("", rf"\par\noindent{{\small\hyperref[{target}]{{{text}}}}}" "\n", format="latex")


def solutions_to_chapter_end(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not isinstance(app.builder, LaTeXBuilder):
        return
    exercises = {n["label"]: n for n in doctree.findall(
        lambda n: isinstance(n, (exercise_node, exercise_enumerable_node)))}
    # Which file each solution is in, and the element that holds it. Found from the top down: in
    # the tree the LaTeX builder assembles, `parent` links are not reliable. start_of_file nodes
    # nest (a part of _toc.yml holds its chapters); each chapter takes its own solutions.
    found: dict[int, list[tuple[solution_node, nodes.Element]]] = {}

    def collect(node: nodes.Element, current: nodes.Node) -> None:
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                collect(child, child)
            elif isinstance(child, solution_node):
                found.setdefault(id(current), []).append((child, node))
            elif isinstance(child, nodes.Element):
                collect(child, current)

    collect(doctree, doctree)
    for chapter in list(doctree.findall(addnodes.start_of_file)):
        solutions = found.get(id(chapter), [])
        top = next((n for n in chapter.children if isinstance(n, nodes.section)), None)
        if not solutions or top is None:
            continue
        section = nodes.section(ids=[f"solutions-{chapter['docname'].replace('/', '-')}"])
        section += nodes.title("", str(SOLUTIONS))
        for solution, holder in solutions:
            target = solution["target_label"]
            exercises[target] += _link(_solution_tex_label(app, solution), SOLUTION_LINK)
            holder.remove(solution)
            solution += _link(f"exercise:{target}", EXERCISE_LINK)
            section += solution
        top += section


def setup(app: Sphinx) -> dict:
    # After sphinx-jupyterbook-latex's own builder-inited handler (default priority 500).
    app.connect("builder-inited", same_numbering_as_html, priority=900)
    app.connect("doctree-resolved", number_chapters_as_toc)
    app.connect("doctree-resolved", solutions_to_chapter_end)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
