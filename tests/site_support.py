"""Serve a built site locally and open its pages in Chromium, offline.

Used by tests/test_site.py and benchmarks/bench_build.py. Every request the browser makes is routed:
requests to the local server go through, anything else is aborted and recorded, so a page that
reaches for a CDN fails its test instead of quietly working online.
"""
from __future__ import annotations

import functools
import json
import re
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # Without these two Chromium still looks up Google hosts in the background.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                 "--proxy-server=http://127.0.0.1:9"]

# How long a browser test waits for a condition (a page loaded, a widget drawn, a result listed)
# before it fails: generous, because CI machines are busy (2 cores shared with other jobs). Tests
# wait on conditions, never for a fixed time, so a quiet machine is not slowed down by it.
BROWSER_TIMEOUT_MS = 60_000

# Folders of a Sphinx build that hold assets, not pages.
ASSET_FOLDERS = {"_static", "_sources", "_images", "vendor", "_downloads",
                 "live"}  # live/: JupyterLite (the live chapters), tested by test_lite.py

# Console errors (and uncaught exceptions) every Jupyter Book 1 page prints, unrelated to this book:
CONSOLE_ALLOWLIST = (
    # sphinx-thebe declares THEBE_JS_URL in two inline scripts (its config and its loader).
    "Identifier 'THEBE_JS_URL' has already been declared",
    # pydata-sphinx-theme reads the theme mode from localStorage before it is ever set.
    "Got invalid theme mode",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    cacheable = False

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        # Every request reaches the server, so a benchmark measures loading, not the HTTP cache.
        if not self.cacheable:
            self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _CachingHandler(_QuietHandler):
    cacheable = True    # as a web server would: the browser may keep what it downloaded


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that navigates away drops the connections of the page it leaves.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, cacheable: bool = False) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port); yield the base URL ending in '/'.
    By default every response says no-store; `cacheable` lets the browser cache (and Chromium keep
    compiled WebAssembly), as a reader's browser does between the live chapters."""
    handler = functools.partial(_CachingHandler if cacheable else _QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def edition_folders() -> dict[str, str]:
    """{language code: its folder under the site root ("" for English)}, from _config.yml."""
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parent.parent / "_config.yml").read_text(encoding="utf-8"))
    editions = config["sphinx"]["config"]["w2v_editions"]
    return {code: value["folder"].strip("/") for code, value in editions.items()}


def page_edition(page: str) -> tuple[str, str]:
    """(language code, path within its edition) of a site page: 'ja/chapters/cbow.html' ->
    ('ja', 'chapters/cbow.html'); 'chapters/cbow.html' -> ('en', 'chapters/cbow.html')."""
    root = ""
    for code, folder in edition_folders().items():
        if folder and page.startswith(folder + "/"):
            return code, page[len(folder) + 1:]
        if not folder:
            root = code
    return root, page


def site_pages(html_dir: Path) -> list[str]:
    """Every HTML page of the build, every edition's, as paths relative to the site root
    (e.g. 'chapters/cbow.html', 'ja/chapters/cbow.html')."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        relative = path.relative_to(html_dir)
        if any(part in ASSET_FOLDERS for part in relative.parts[:-1]):
            continue
        if path.stat().st_size < 2000 and 'http-equiv="Refresh"' in path.read_text(errors="replace"):
            continue  # Jupyter Book's index.html: a redirect to the root page, not a page
        pages.append(relative.as_posix())
    return pages


def notebook_pages(html_dir: Path) -> list[str]:
    """Pages built from notebooks (the chapters), every edition's: the ones whose .ipynb the build
    offers for download (each edition has its own _sources)."""
    found = []
    for page in site_pages(html_dir):
        code, within = page_edition(page)
        sources = html_dir / edition_folders()[code] / "_sources"
        if (sources / within).with_suffix(".ipynb").exists():
            found.append(page)
    return found


@dataclass
class PageLog:
    """What went wrong while a page loaded."""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        def allowed(errors):
            return [e for e in errors if not any(a in e for a in CONSOLE_ALLOWLIST)]
        return ([f"console error: {e}" for e in allowed(self.console_errors)]
                + [f"uncaught exception: {e}" for e in allowed(self.page_errors)]
                + [f"failed request: {r}" for r in self.failed_requests]
                + [f"request to another host (blocked): {r}" for r in self.external_requests])


def offline_context(browser, base_url: str, **context_options):
    """A browser context that lets through only requests to `base_url`'s host and records the rest.

    The returned context has a `site_log` attribute: a PageLog shared by its pages (call
    `watch(page)` to record a page's console and network errors into it too).
    """
    context = browser.new_context(**context_options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    log = PageLog()
    local_host = urlsplit(base_url).netloc

    def route(route_):
        url = route_.request.url
        if urlsplit(url).netloc == local_host:
            route_.continue_()
        else:
            log.external_requests.append(url)
            route_.abort()

    context.route("**/*", route)
    context.site_log = log
    return context


def watch(page, log: PageLog) -> None:
    """Record console errors, uncaught exceptions and failed (or 4xx/5xx) requests of `page`."""
    page.on("console", lambda message: message.type == "error" and log.console_errors.append(
        f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: log.page_errors.append(f"{page.url}: {error}"))

    def on_failed(request):
        if request.failure and "ERR_ABORTED" in request.failure and urlsplit(request.url).netloc not in page.url:
            return  # aborted by our own router: recorded as an external request already
        log.failed_requests.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    page.on("response", lambda response: response.status >= 400 and log.failed_requests.append(
        f"{response.url} (HTTP {response.status})"))


MATHS_TYPESET_JS = """
() => [...document.querySelectorAll('span.math, div.math')].every(m => m.querySelector('mjx-container mjx-math'))
"""

WIDGETS_DRAWN_JS = """
() => document.querySelectorAll('.widget-subarea .jupyter-widgets, .jupyter-widgets.widget-inline-hbox, '
                                + '.jupyter-widgets.widget-box').length > 0
"""


def wait_until_ready(page, timeout_ms: float = BROWSER_TIMEOUT_MS) -> None:
    """Wait until the page has loaded and every formula on it is typeset (which the build does:
    _ext/prerender_math.py; pages load no MathJax)."""
    page.wait_for_load_state("load", timeout=timeout_ms)
    page.wait_for_function(MATHS_TYPESET_JS, timeout=timeout_ms)


def wait_for_widgets(page, timeout_ms: float = BROWSER_TIMEOUT_MS) -> bool:
    """Wait until the ipywidgets HTML manager (loaded after the page) has drawn the saved widget
    views, if the page has any. True when it had some to draw."""
    if not page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
        return False
    # The HTML manager puts each rendered view in a div.widget-subarea next to its script tag.
    page.wait_for_function(WIDGETS_DRAWN_JS, timeout=timeout_ms)
    return True


def time_page_ready(page, url: str) -> tuple[float, float | None]:
    """Seconds from navigation start to a ready page (loaded, formulas typeset), and to its widgets
    drawn (None without widgets), in `page`: one browser tab, reused from page to page as a reader
    moves between chapters. (A fresh browser context per page would also time Chromium building a
    new window's own user interface, over a second of CPU on two cores, which is not the page's.)
    The server sends no-store, so nothing comes from the HTTP cache."""
    page.goto("about:blank")
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    wait_until_ready(page)
    ready = time.perf_counter() - started
    widgets = time.perf_counter() - started if wait_for_widgets(page) else None
    return ready, widgets


# Widget model ids are fresh UUIDs on every run; nothing else in an output should differ.
_MODEL_ID = re.compile(r"\b[0-9a-f]{32}\b")


def normalized_outputs(notebook: dict) -> list:
    """The outputs of a notebook's code cells, minus what legitimately differs between runs
    (execution counts, widget model ids, cells tagged `timing`) and glue records (the build
    strips them from its copy)."""
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        if "timing" in cell.get("metadata", {}).get("tags", []):
            # A measurement of this machine's speed (timeit, words per second): no two runs agree.
            cells.append("<timing cell>")
            continue
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if data and all(mime.startswith("application/papermill.record/") for mime in data):
                continue  # a {glue} record: the build moves it out of the executed notebook
            output = {key: value for key, value in output.items() if key != "execution_count"}
            if output.get("output_type") == "stream":
                # nbformat may store text as a list of lines.
                text = output.get("text", "")
                output["text"] = "".join(text) if isinstance(text, list) else text
                previous = outputs[-1] if outputs else None
                if previous and previous.get("output_type") == "stream" and previous["name"] == output["name"]:
                    # A kernel sends what a cell prints in pieces, cut wherever its flush timer
                    # fires (on a busy machine, inside a line): compare the text, not the cuts.
                    previous["text"] += output["text"]
                    continue
            outputs.append(output)
        for output in outputs:
            if output.get("output_type") == "stream":
                output["text"] = output["text"].rstrip("\n")  # the build trims trailing newlines
        cells.append([json.loads(_MODEL_ID.sub("<model-id>", json.dumps(output, sort_keys=True)))
                      for output in outputs])
    return cells


def compare_executed(first: Path, second: Path) -> list[str]:
    """Differences between two builds' executed notebooks (<build>/jupyter_execute); [] if none."""
    names = sorted({p.relative_to(first).as_posix() for p in first.rglob("*.ipynb")}
                   | {p.relative_to(second).as_posix() for p in second.rglob("*.ipynb")})
    differences = []
    for name in names:
        a, b = first / name, second / name
        if not (a.exists() and b.exists()):
            differences.append(f"{name}: only in {'the first' if a.exists() else 'the second'} build")
            continue
        cells_a = normalized_outputs(json.loads(a.read_text()))
        cells_b = normalized_outputs(json.loads(b.read_text()))
        for index, (out_a, out_b) in enumerate(zip(cells_a, cells_b)):
            if out_a != out_b:
                differences.append(f"{name}: code cell {index} differs: {json.dumps(out_a)[:200]} != "
                                   f"{json.dumps(out_b)[:200]}")
        if len(cells_a) != len(cells_b):
            differences.append(f"{name}: {len(cells_a)} vs {len(cells_b)} code cells")
    return differences
