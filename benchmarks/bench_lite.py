"""Figures for the live chapters (JupyterLite + Pyodide in the reader's browser). Not a test.

    .venv/bin/python benchmarks/bench_lite.py [chapters/matmul ...]   (after `make book`)

For each live chapter (default: all of _config.yml's w2v_live_chapters), in headless Chromium with
every request to another host blocked, from a fresh browser (empty cache, as a first visit):
open the chapter's page, press "Run live in your browser", run all cells, and print
- seconds from the click to the notebook shown, to Pyodide's kernel ready, to the first cell's
  output (the cell that installs w2vlib has run), and to all cells done;
- MB the browser downloaded for it (JupyterLite, Pyodide, the packages the chapter imports).
Then the MB the live chapters add to the site (_build/html/live), by part.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

from lite_support import LiveRun, drive_live, open_live_from_page  # noqa: E402
from site_support import CHROMIUM, CHROMIUM_ARGS, offline_context, serve  # noqa: E402


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    from playwright.sync_api import sync_playwright

    html = REPO_ROOT / "_build" / "html"
    live = html / "live"
    if not (live / "jupyter-lite.json").exists():
        sys.exit(f"no JupyterLite build in {live}: run `make book` first")
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
    chapters = sys.argv[1:] or config["sphinx"]["config"]["w2v_live_chapters"]
    screenshots = REPO_ROOT / "_build" / "screenshots" / "lite-bench"

    print(f"{'chapter':<24} {'opened':>7} {'kernel':>7} {'first output':>13} {'all done':>9} {'downloaded':>11}")
    with serve(html) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for docname in chapters:
                context = offline_context(browser, url, viewport={"width": 1280, "height": 1000})
                received = []
                context.on("requestfinished", lambda request: received.append(request))
                page = context.new_page()
                run = LiveRun(chapter=docname)
                live_tab, clicked = open_live_from_page(context, page, f"{url}{docname}.html", context.site_log)
                start = len(received)   # what the chapter's page itself loaded is not counted
                drive_live(live_tab, clicked, run, None, None, screenshots)
                downloaded = 0
                for request in received[start:]:
                    try:
                        downloaded += request.sizes()["responseBodySize"]
                    except Exception:   # a request of a closed worker: its size is gone
                        pass
                print(f"{docname:<24} {run.opened:>6.1f}s {run.kernel_ready:>6.1f}s "
                      f"{run.first_output:>12.1f}s {run.all_done:>8.1f}s {downloaded / 1e6:>8.1f} MB",
                      flush=True)
                context.close()
        finally:
            browser.close()

    print(f"\nThe live chapters add {folder_mb(live):.1f} MB to the site (_build/html/live):")
    parts = {"Pyodide (runtime and packages)": live / "static" / "pyodide",
             "JupyterLite's JavaScript": live / "build",
             "JupyterLab extensions": live / "extensions",
             "piplite wheels (w2vlib, ipywidgets, ...)": live / "pypi",
             "the notebooks": live / "files"}
    for name, path in parts.items():
        print(f"  {name:<42} {folder_mb(path):6.1f} MB")
    wasm = live / "static" / "pyodide" / "pyodide.asm.wasm"
    print(f"  (of Pyodide: the WebAssembly runtime {wasm.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
