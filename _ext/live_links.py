"""The "Run live in your browser" links from the live chapters' pages to JupyterLite.

`make book` builds JupyterLite with Pyodide into _build/html/live (scripts/build-lite.py, see
lite/README.md); the chapters named in `w2v_live_chapters` (_config.yml) are there as notebooks.
For each of those pages this extension

1. adds "Run live in your browser" as the first entry of the launch menu (the rocket), and
2. puts the same address in `<meta name="w2v-live-url">`, from which _static/live.js adds a
   "Run live in your browser" button beside every static panel (the ones that say they are a static
   copy) when the browser has WebAssembly; without it, the page stays as it is (static figures).

It opens the chapter in JupyterLite's Notebook interface (live/notebooks/index.html?path=<name>.ipynb).
"""
from __future__ import annotations

from html import escape
from pathlib import PurePosixPath
from typing import Any

from editions import site_root
from sphinx.application import Sphinx
from sphinx.locale import _

LIVE_APP = "live/notebooks/index.html"   # JupyterLite's one-notebook interface, at the site root
# The words, translated by the 'sphinx' catalog of each edition (locales/<code>/LC_MESSAGES/sphinx.po).
# (`_` is lazy here: each page asks for the words in its edition's language.)
LABEL = _("Run live in your browser")
TOOLTIP = _("Run this chapter in your browser (JupyterLite): Python runs on your computer, "
            "nothing to install")
BUTTON = _("▶ Run live in your browser")
BUTTON_TOOLTIP = _("Opens this chapter as a notebook in JupyterLite: Python runs in your browser, "
                   "nothing to install")


def live_url(app: Sphinx, pagename: str, pathto) -> str | None:
    if pagename not in app.config.w2v_live_chapters:
        return None
    # The live chapters are at the site's root, whichever edition this page belongs to.
    return f"{site_root(app, pagename)}{LIVE_APP}?path={PurePosixPath(pagename).name}.ipynb"


def add_live_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    url = live_url(app, pagename, context["pathto"])
    if url is None:
        return
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta name="{name}" content="{escape(str(value))}">'
        for name, value in (("w2v-live-url", url), ("w2v-live-label", BUTTON),
                            ("w2v-live-title", BUTTON_TOOLTIP)))
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            group["buttons"].insert(0, {
                "type": "link",
                "text": str(LABEL),
                "tooltip": str(TOOLTIP),
                "icon": "_static/images/logo_jupyterlite.svg",
                "url": url,
                "label": "launch-live-button",
            })


def check_chapters(app: Sphinx, env, docnames) -> None:
    unknown = [name for name in app.config.w2v_live_chapters if name not in env.found_docs]
    if unknown:
        raise ValueError(f"w2v_live_chapters names pages that do not exist: {unknown}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("w2v_live_chapters", [], "html", types=[list])
    app.connect("env-before-read-docs", check_chapters)
    # After sphinx-book-theme builds the header buttons (priority 501).
    app.connect("html-page-context", add_live_links, priority=503)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
