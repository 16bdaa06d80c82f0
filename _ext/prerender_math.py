"""Typeset every formula while the site is built, so a page arrives with its maths finished.

Sphinx's MathJax extension writes each formula as TeX, `\\(...\\)` inline and `\\[...\\]` on display,
inside `<span|div class="math notranslate nohighlight">`, and loads MathJax to typeset them in the
reader's browser: 100-300 formulas a chapter, more than a second of a slow laptop's time on every
visit. This extension gives the same TeX to the same MathJax (mathjax-full, run by Node in
`prerender_math.js`, one process per core) once the build has written its pages. Each
page gets the CHTML markup in place of the TeX, the styles those characters need in its <head>, and
no MathJax <script>: nothing is left for it to do. A TeX error fails the build instead of showing
in red. A rebuild typesets only the pages it rewrote.

Widgets that typeset maths in the browser load MathJax themselves, when they need it
(_site_assets/js/widgets-offline.js). HTML builds only: the PDF takes the LaTeX route.
"""
from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

NODE_SCRIPT = Path(__file__).with_name("prerender_math.js")
# The CHTML web fonts, as scripts/vendor-assets.sh copies them into the site.
FONT_FOLDER = "vendor/mathjax/output/chtml/fonts/woff-v2"

# A formula as Sphinx's MathJax visitors write it (myst-parser's amsmath blocks, such as an unnumbered
# `\\begin{equation*}`, add the class "amsmath"): the element, a display formula's equation number
# (`<span class="eqno">(3.1)<a class="headerlink" ...>#</a></span>`), then the TeX, HTML-escaped, so
# it holds no '<'.
MATH_ELEMENT = re.compile(
    r'(?P<open><(?P<tag>span|div) class="(?:amsmath )?math notranslate nohighlight"[^>]*>)'
    r'(?P<number>\s*<span class="eqno">.*?</span>)?'
    r'(?P<tex>[^<]*)'
    r'(?P<close></(?P=tag)>)',
    re.DOTALL,
)


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool


def formula_of(tag: str, text: str, inline: tuple[str, str], display: tuple[str, str]) -> Formula:
    """The TeX of one math element, without its delimiters. A display element written without
    delimiters (an amsmath environment, `nowrap`) is typeset as it stands."""
    tex = html.unescape(text).strip()
    start, end = inline if tag == "span" else display
    if tex.startswith(start) and tex.endswith(end):
        tex = tex[len(start):len(tex) - len(end)]
    elif tag == "span":
        raise ValueError(f"inline maths without {start}...{end} delimiters: {tex[:80]!r}")
    return Formula(tex=tex, display=tag == "div")


# Typeset while Sphinx is still writing pages, so that Node has compiled MathJax's hot paths by
# the time the real pages come (the first page otherwise takes twice as long).
WARM_UP = [Formula(r"\frac{\partial L}{\partial W} = \sum_{n=1}^{N} x_n^\top \Bigl(\mathrm{softmax}(s)"
                   r" - t\Bigr)_{ij}", True), Formula(r"W_\mathrm{in}", False)]


class MathJaxProcess:
    """One `node prerender_math.js`, for as many pages as it is given."""

    def __init__(self, script: Path = NODE_SCRIPT) -> None:
        self.script = script
        self._process: subprocess.Popen | None = None
        self._warming_up = False

    def start(self) -> None:
        """Start Node, and have it typeset WARM_UP while the caller goes on."""
        node = shutil.which("node")
        if node is None:
            raise ExtensionError("prerender_math: `node` is not on PATH; install Node.js "
                                 "(scripts/system-deps.sh node, as root)")
        self._process = subprocess.Popen([node, str(self.script)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         encoding="utf-8")
        self._send(WARM_UP, "")
        self._warming_up = True

    def _send(self, formulas: list[Formula], font_url: str) -> None:
        request = {"formulas": [{"tex": f.tex, "display": f.display} for f in formulas], "fontURL": font_url}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()

    def typeset(self, formulas: list[Formula], font_url: str) -> tuple[list[str], str]:
        """CHTML markup for each formula, and the CSS the page needs for them."""
        if self._process is None:
            self.start()
        if self._warming_up:
            self._warming_up = False
            self._reply(WARM_UP)
        self._send(formulas, font_url)
        return self._reply(formulas)

    def _reply(self, formulas: list[Formula]) -> tuple[list[str], str]:
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            stderr = self._process.stderr.read()
            self._process = None
            raise ExtensionError("prerender_math: Node stopped without an answer (is mathjax-full "
                                 f"installed? run scripts/vendor-assets.sh):\n{stderr.strip()}")
        reply = json.loads(line)
        if "error" in reply:
            index = reply["index"]
            where = f" in {formulas[index].tex!r}" if index is not None else ""
            raise ValueError(f"MathJax cannot typeset{where}: {reply['error']}")
        return reply["html"], reply["css"]

    def close(self) -> None:
        if self._process is not None:
            self._process.stdin.close()
            self._process.wait(timeout=10)
            self._process = None


def prerender(body: str, typeset, inline: tuple[str, str], display: tuple[str, str]) -> tuple[str, str, int]:
    """Replace the TeX of every math element in `body` by typeset markup.

    `typeset(formulas) -> (markups, css)`. Returns the new body, the CSS, and the number of formulas.
    """
    matches = list(MATH_ELEMENT.finditer(body))
    if not matches:
        return body, "", 0
    formulas = [formula_of(m["tag"], m["tex"], inline, display) for m in matches]
    markups, css = typeset(formulas)
    if len(markups) != len(formulas):
        raise ExtensionError(f"prerender_math: {len(formulas)} formulas sent, {len(markups)} typeset")
    pieces, last = [], 0
    for match, markup in zip(matches, markups):
        pieces += [body[last:match.start()], match["open"], match["number"] or "", markup, match["close"]]
        last = match.end()
    pieces.append(body[last:])
    return "".join(pieces), css, len(formulas)


def is_mathjax_script(script: Any, mathjax_path: str) -> bool:
    """Sphinx's MathJax <script> tags: the loader (a relative path is kept under `_static/`), and
    the inline `window.MathJax = ...` configuration."""
    filename = getattr(script, "filename", script)
    body = getattr(script, "attributes", {}).get("body", "")
    return filename in (mathjax_path, posixpath.join("_static", mathjax_path)) or body.startswith("window.MathJax")


def drop_mathjax_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                         doctree) -> None:
    """While a page is rendered: no MathJax <script> (its formulas will be typeset), and note the page."""
    if app.builder.format != "html":
        return
    if not app.builder.prerender_math_pages:  # the first page this build writes: start Node now
        for process in app.builder.prerender_math_processes:
            process.start()
    app.builder.prerender_math_pages.append(pagename)
    scripts = context.get("script_files", [])
    scripts[:] = [script for script in scripts if not is_mathjax_script(script, app.config.mathjax_path)]


def prerender_file(app: Sphinx, pagename: str, process: MathJaxProcess) -> int:
    """Typeset the formulas of one written page in place; the number of formulas."""
    path = Path(app.builder.get_outfilename(pagename))
    text = path.read_text(encoding="utf-8")
    font_url = posixpath.relpath(FONT_FOLDER, posixpath.dirname(pagename) or ".")
    try:
        text, css, count = prerender(text, lambda formulas: process.typeset(formulas, font_url),
                                     tuple(app.config.mathjax_inline), tuple(app.config.mathjax_display))
    except ValueError as error:
        raise ExtensionError(f"{pagename}: {error}") from error
    if count:
        # The page's own styles: the characters its formulas use. Not MathJax's own id
        # ("MJX-CHTML-styles"): a runtime MathJax replaces that sheet with what *it* typesets.
        style = f'<style id="mjx-prerendered-styles">{css}</style>\n'
        path.write_text(text.replace("</head>", style + "</head>", 1), encoding="utf-8")
    return count


def prerender_written_pages(app: Sphinx, exception: Exception | None) -> None:
    """Once the pages are written, typeset the formulas of each page this build wrote, one Node
    process per core.

    Whole files, not just the page body: the theme's navigation and "On this page" contents repeat
    section titles, formulas included, outside the body."""
    processes = getattr(app.builder, "prerender_math_processes", [])
    try:
        if exception is not None or app.builder.format != "html" or not app.builder.prerender_math_pages:
            return
        started = time.perf_counter()
        pages = iter(app.builder.prerender_math_pages)
        lock = threading.Lock()

        def work(process: MathJaxProcess) -> int:
            count = 0
            while True:
                with lock:
                    pagename = next(pages, None)
                if pagename is None:
                    return count
                count += prerender_file(app, pagename, process)

        with ThreadPoolExecutor(len(processes)) as pool:
            count = sum(pool.map(work, processes))
        logger.info(f"prerender_math: {count} formulas on {len(app.builder.prerender_math_pages)} pages "
                    f"typeset in {time.perf_counter() - started:.1f} s")
    finally:
        for process in processes:
            process.close()


def start(app: Sphinx) -> None:
    app.builder.prerender_math_pages = []
    app.builder.prerender_math_processes = [MathJaxProcess() for _ in range(min(2, os.cpu_count() or 1))]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", start)
    # After sphinx.ext.mathjax has added its <script> tags (priority 500).
    app.connect("html-page-context", drop_mathjax_scripts, priority=600)
    app.connect("build-finished", prerender_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
