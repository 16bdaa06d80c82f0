"""Make the PDF number things the way the website does (Sphinx extension, LaTeX builder only).

sphinx-jupyterbook-latex turns the two parts of _toc.yml into LaTeX \\part's and, for that, sets
``numfig_secnum_depth = 2``. Sphinx then numbers exercises per *section* ("Exercise 1.9.1") while
the website numbers them per chapter ("Exercise 1.1"). We put the depth back to 1; per-chapter
equation/figure/table numbers, which LaTeX counts itself, are restored in w2vbook.sty.

The website numbers only the chapters of numbered parts (``numbered: true`` in _toc.yml); the
Reference pages carry no number. LaTeX numbers every \\chapter, so in front of each chapter we
switch numbering off or on, following the section numbers Sphinx assigned from _toc.yml.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder


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


def setup(app: Sphinx) -> dict:
    # After sphinx-jupyterbook-latex's own builder-inited handler (default priority 500).
    app.connect("builder-inited", same_numbering_as_html, priority=900)
    app.connect("doctree-resolved", number_chapters_as_toc)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
