"""The live chapters: JupyterLite + Pyodide, run in Chromium from the website with the network off.

`make book` builds JupyterLite into <build>/html/live (scripts/build-lite.py). For each chapter of
_config.yml's `w2v_live_chapters`, from the chapter's page on a local server (every request to another
host is blocked and fails the test): press "Run live in your browser" beside a static panel, wait for
the notebook and Pyodide's kernel, run all cells (none may raise), change a control of the explorer
(its figure or text must change), answer an exercise and press Check (feedback must appear). The
prose must render as MyST (jupyterlab-myst), not as raw directives.
Screenshots: <build>/screenshots/lite/<chapter>-top.png (the prose), <chapter>.png (the explorer
after the change), <chapter>-exercise.png (the feedback).

The build itself (no browser) is checked too: every Pyodide package served matches pyodide-lock.json,
the site needs no other host, and the chapter that needs gensim says it runs on Binder only.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from lite_support import LITE_CONSOLE_ALLOWLIST, LiveProblem, LiveRun, drive_live, open_live_from_page
from site_support import offline_context, serve, wait_for_widgets, wait_until_ready
from test_binder import CHAPTERS

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
LIVE_CHAPTERS = CONFIG["sphinx"]["config"]["w2v_live_chapters"]
BINDER_ONLY = "chapters/negative_sampling"


@pytest.fixture(scope="module")
def live_dir(build_dir: Path) -> Path:
    live = build_dir / "html" / "live"
    assert (live / "jupyter-lite.json").exists(), f"no JupyterLite build in {live}: run `make book`"
    return live


@pytest.fixture(scope="module")
def site_url(build_dir: Path):
    # Cacheable, as a web server is: the chapters share one browser (below), which then keeps
    # Pyodide and its compiled WebAssembly from chapter to chapter, as a reader's browser does.
    # (benchmarks/bench_lite.py times a first visit, with an empty cache.)
    with serve(build_dir / "html", cacheable=True) as url:
        yield url


@pytest.fixture(scope="module")
def reader(browser, site_url: str):
    """One browser context for all live chapters (a reader moving from chapter to chapter)."""
    context = offline_context(browser, site_url, viewport={"width": 1280, "height": 1000})
    # Every 4xx/5xx of the context, service worker and Pyodide's web worker included (a console
    # message "Failed to load resource" does not name its URL).
    context.http_errors = []
    context.on("response", lambda response: response.status >= 400 and context.http_errors.append(
        f"{response.url} (HTTP {response.status})"))
    yield context
    context.close()


# Chromium asks for the site's icon at /favicon.ico (the book has none); once JupyterLite's service
# worker is installed, that request goes through it and its 404 reaches the console.
def _is_icon(error: str) -> bool:
    return error.split(" (HTTP")[0].endswith("/favicon.ico")


# ---- the build (no browser) -----------------------------------------------------------------

@pytest.mark.book
def test_live_chapters_are_the_light_ones():
    assert LIVE_CHAPTERS, "_config.yml names no w2v_live_chapters"
    for docname in LIVE_CHAPTERS:
        assert f"{docname}.md" in CHAPTERS, f"{docname} is live but has no interaction in test_binder.CHAPTERS"
    assert BINDER_ONLY not in LIVE_CHAPTERS, "the negative-sampling chapter needs gensim: Binder only"


@pytest.mark.book
def test_pyodide_packages_match_the_official_lock(live_dir: Path):
    pyodide = live_dir / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    npm_lock = json.loads((REPO_ROOT / "lite" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock == npm_lock, "the served pyodide-lock.json is not npm pyodide's"
    by_file = {entry["file_name"]: entry for entry in lock["packages"].values()}
    served = sorted(p for p in pyodide.iterdir() if p.suffix in (".whl", ".zip") and p.name != "python_stdlib.zip")
    assert served, f"no Pyodide packages in {pyodide}"
    for path in served:
        assert path.name in by_file, f"{path.name} is not a package of Pyodide {lock['info']['version']}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == by_file[path.name]["sha256"], (
            f"{path.name} differs from pyodide-lock.json's sha256")
    names = {entry["name"] for entry in by_file.values() if entry["file_name"] in {p.name for p in served}}
    for needed in ("numpy", "matplotlib", "micropip"):
        assert needed in names, f"Pyodide package {needed} is not served"


@pytest.mark.book
def test_live_site_is_configured_offline(live_dir: Path):
    config = json.loads((live_dir / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js", kernel["pyodideUrl"]
    extensions = {e["name"] for e in config["federated_extensions"]}
    assert {"jupyterlab-myst", "@jupyter-widgets/jupyterlab-manager",
            "@jupyterlite/pyodide-kernel-extension"} <= extensions, extensions
    wheels = {p.name.split("-")[0] for p in (live_dir / "pypi").glob("*.whl")}
    assert {"w2vlib", "ipywidgets", "comm", "jupyterlab_widgets"} <= wheels, wheels
    notebooks = {p.stem for p in (live_dir / "files").glob("*.ipynb")}
    assert notebooks == {Path(d).name for d in LIVE_CHAPTERS}, notebooks


@pytest.mark.book
def test_binder_only_chapter_says_so(build_dir: Path):
    page = (build_dir / "html" / f"{BINDER_ONLY}.html").read_text()
    assert 'name="w2v-live-url"' not in page and "btn-launch-live-button" not in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(r"only\s+on\s+Binder|Binder\s+only", text), (
        f"{BINDER_ONLY}.html does not tell the reader it runs only on Binder")


# ---- in the browser ----------------------------------------------------------------------------

@pytest.mark.book
@pytest.mark.parametrize("docname", LIVE_CHAPTERS)
def test_chapter_runs_live(docname: str, reader, site_url: str, live_dir: Path, build_dir: Path):
    interaction, answer = CHAPTERS[f"{docname}.md"]
    screenshots = build_dir / "screenshots" / "lite"
    stem = Path(docname).name
    for old in screenshots.glob(f"{stem}*.png"):
        old.unlink()
    log = reader.site_log
    for seen in (log.console_errors, log.page_errors, log.failed_requests, log.external_requests,
                 reader.http_errors):
        seen.clear()     # this chapter's problems only
    run = LiveRun(chapter=docname)
    tabs = []
    try:
        page = reader.new_page()
        tabs.append(page)
        live, clicked = open_live_from_page(reader, page, f"{site_url}{docname}.html", log,
                                            screenshot=screenshots / f"{stem}-page.png")
        tabs.append(live)
        drive_live(live, clicked, run, interaction, answer, screenshots)
    except LiveProblem as problem:
        pytest.fail(str(problem), pytrace=False)
    finally:
        for tab in tabs:
            tab.close()
    print(f"\n{docname}: {run}")
    assert not log.external_requests, f"requests to other hosts (blocked): {log.external_requests[:5]}"
    assert not log.failed_requests, f"failed requests: {log.failed_requests[:5]}"
    http_errors = [e for e in reader.http_errors if not _is_icon(e)]
    assert not http_errors, f"failed requests: {http_errors[:5]}"
    icon_only = bool(reader.http_errors) and not http_errors
    errors = [e for e in log.console_errors + log.page_errors
              if not any(allowed in e for allowed in LITE_CONSOLE_ALLOWLIST)
              and not (icon_only and "Failed to load resource: the server responded with a status of 404" in e)]
    assert not errors, f"console errors: {errors[:5]}"
    assert not run.myst["raw"], f"MyST shown as raw text (is jupyterlab-myst loaded?): {run.myst['raw']}"
    assert run.myst["markdownCells"] > 0 and run.myst["mystCells"] == run.myst["markdownCells"], (
        f"Markdown cells not rendered by jupyterlab-myst: {run.myst}")
    assert run.feedback, "no feedback after Check"


@pytest.mark.book
def test_run_live_controls_and_their_fallback(browser, site_url: str, build_dir: Path):
    """The launch menu (rocket) offers "Run live in your browser"; a browser without WebAssembly
    gets neither that entry nor the buttons beside the panels, and keeps the static figures."""
    docname = LIVE_CHAPTERS[0]
    screenshots = build_dir / "screenshots" / "lite"
    context = offline_context(browser, site_url, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{site_url}{docname}.html")
        wait_until_ready(page)
        page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
        entry = page.locator("a.btn-launch-live-button")
        entry.wait_for(state="visible", timeout=10_000)
        assert "Run live in your browser" in entry.inner_text()
        assert entry.get_attribute("href").endswith(f"live/notebooks/index.html?path={Path(docname).name}.ipynb")
        screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots / f"{Path(docname).name}-menu.png"))

        without = context.new_page()
        without.add_init_script("delete globalThis.WebAssembly")
        without.goto(f"{site_url}{docname}.html")
        wait_until_ready(without)
        assert wait_for_widgets(without), f"{docname}: no static panel drawn"
        without.locator(".w2v-static-note").first.wait_for(state="attached", timeout=30_000)
        assert without.locator("a.w2v-live-button").count() == 0, "a live button without WebAssembly"
        without.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
        without.locator(".dropdown-launch-buttons a[href*='mybinder.org']").wait_for(state="visible", timeout=10_000)
        assert not without.locator("a.btn-launch-live-button").is_visible(), (
            "the launch menu offers 'Run live' to a browser without WebAssembly")
        without.keyboard.press("Escape")
        assert without.locator(".cell_output img").count() > 0, "the static figures are gone"
        without.locator(".w2v-static-note").first.scroll_into_view_if_needed()
        without.screenshot(path=str(screenshots / f"{Path(docname).name}-no-wasm.png"))
    finally:
        context.close()
