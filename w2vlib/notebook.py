"""The notebook's plumbing: ``glue`` hands a value to the prose, ``solution_output`` folds
a solution's printout.

``glue``: hand a value computed in a cell to the page's prose.

This emits exactly what ``myst_nb.glue`` emits (a display whose mime types carry
the ``application/papermill.record/`` prefix and whose metadata names the value),
so ``{glue:text}`name``` in a chapter works the same. It exists because
``myst_nb.glue`` imports nbformat, and through it jsonschema's grammar compilers,
which costs every chapter one to several seconds before its first check.
tests/test_notebook.py compares the two outputs.
"""
from __future__ import annotations

import contextlib
import html
import io
import os
import sys
from typing import Any, Iterator

from .messages import message

GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store ``variable``'s display representation under ``name`` for ``{glue}`` roles."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    mimebundle, metadata = format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


def _is_static() -> bool:
    """True for the website and PDF builds (W2VLIB_STATIC=1): no reader runs the cell."""
    return os.environ.get("W2VLIB_STATIC", "").strip() == "1"


def folded_output(text: str) -> dict[str, str]:
    """The mime bundle of ``text`` shown folded: a closed HTML ``<details>`` whose summary is
    the catalogue's ``solution.output`` label, and the text itself as text/plain (a frontend
    without HTML shows it plainly)."""
    label = html.escape(message("solution.output"))
    body = html.escape(text)
    return {"text/html": (f'<details class="w2v-solution-output"><summary>{label}'
                          f"</summary><pre>{body}</pre></details>"),
            "text/plain": text}


@contextlib.contextmanager
def solution_output() -> Iterator[None]:
    """Fold what a solution cell prints until the learner clicks it.

    JupyterLab 4 (and JupyterLite) unfold a cell's output whenever it runs, so *Run All*
    would show a folded solution cell's answer before the learner has tried. Inside
    ``with solution_output():`` everything printed to stdout is captured; at the end of
    the block it is displayed as one closed ``<details>`` (see ``folded_output``), also
    when the block raises. Rich displays (``glue``, figures) pass through unchanged.
    On the website and in the PDF (W2VLIB_STATIC=1) the text is printed plainly: the
    website's solution dropdown already hides it, and the PDF has nothing to click.
    """
    from IPython.display import display

    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            yield
    finally:
        text = captured.getvalue()
        if text and _is_static():
            sys.stdout.write(text)
        elif text:
            display(folded_output(text), raw=True)
