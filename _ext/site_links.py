"""Small fixes to what the site offers for download.

1. The theme's download menu offers ".pdf" as the browser's print dialog. This book has a real PDF
(`make pdf` builds _build/latex/book.pdf and copies it to the site root as book.pdf), so the menu
   entry links to that file instead.
2. myst-nb 1.4 writes each page's executed notebook (jupyter_execute/*.ipynb, which the download
   menu serves as the page's .ipynb) from the notebook object it parsed; on an execution-cache hit it
   merges the cached outputs into a *new* object, so the written notebook has no outputs. Merge
   them into the parsed notebook instead, so the download has outputs however the page was built.
   The patch is written for myst-nb MYST_NB_PATCHED exactly: any other version stops the build
   (see the README, "Patched upstream code", for the report to file and what to check).
"""
from __future__ import annotations

import importlib.metadata
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import _

PDF_NAME = "book.pdf"  # at the site root; the Makefile copies _build/latex/book.pdf there
# The myst-nb whose NotebookClientCache.start_client the patch below was written and tested for.
MYST_NB_PATCHED = "1.4.0"


def link_pdf_download(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for index, button in enumerate(group["buttons"]):
            if button.get("label") == "download-pdf-button":
                group["buttons"][index] = {
                    "type": "link",
                    "url": context["pathto"](PDF_NAME, 1),
                    "text": str(_("PDF (book)")),
                    "tooltip": str(_("Download the whole book as a PDF")),
                    "icon": "fas fa-file-pdf",
                    "label": "download-pdf-button",
                }


def check_myst_nb_version(installed: str | None = None) -> None:
    """Stop the build unless myst-nb is the version the patch was written for."""
    installed = installed or importlib.metadata.version("myst-nb")
    if installed != MYST_NB_PATCHED:
        raise ExtensionError(
            f"_ext/site_links.py patches myst-nb {MYST_NB_PATCHED}'s NotebookClientCache.start_client "
            f"(executed-notebook downloads lose their outputs on a cache hit), but myst-nb "
            f"{installed} is installed. Check whether that myst-nb still has the bug (README, "
            "'Patched upstream code'): if it is fixed, delete the patch; if not, check that the "
            "patch still fits and set MYST_NB_PATCHED.")


def _keep_cached_outputs() -> None:
    from myst_nb.core.execute.cache import NotebookClientCache

    if getattr(NotebookClientCache.start_client, "_keeps_outputs", False):
        return
    original_start = NotebookClientCache.start_client

    def start_client(self):
        parsed = self._notebook
        original_start(self)
        if self._notebook is not parsed:  # a cache hit: copy the merged cells into the parsed notebook
            parsed.cells = self._notebook.cells
            parsed.metadata = self._notebook.metadata
            self._notebook = parsed

    start_client._keeps_outputs = True
    NotebookClientCache.start_client = start_client


def setup(app: Sphinx) -> dict[str, Any]:
    check_myst_nb_version()
    _keep_cached_outputs()
    # After sphinx-book-theme builds the header buttons (priority 501).
    app.connect("html-page-context", link_pdf_download, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
