"""``glue``: hand a value computed in a cell to the page's prose.

This emits exactly what ``myst_nb.glue`` emits (a display whose mime types carry
the ``application/papermill.record/`` prefix and whose metadata names the value),
so ``{glue:text}`name``` in a chapter works the same. It exists because
``myst_nb.glue`` imports nbformat, and through it jsonschema's grammar compilers,
which costs every chapter one to several seconds before its first check.
tests/test_notebook.py compares the two outputs.
"""
from __future__ import annotations

from typing import Any

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
