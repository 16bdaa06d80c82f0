"""Build and page-speed figures for the website (printed, never pass/fail).

- clean build of both editions (execute + HTML, English and Japanese) into a temporary
  --path-output, target < 45 s
- no-change rebuild, target < 3 s
- a second clean build, compared with the first: are the executed outputs identical?
- each chapter page ready (loaded, formulas typeset) from a localhost server, target < 1.5 s, and
  the time until its widget panels are drawn

Runs as `make book` does (W2VLIB_STATIC=1, -W -n --keep-going) but never touches _build.
Usage: .venv/bin/python benchmarks/bench_build.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
from site_support import (CHROMIUM, CHROMIUM_ARGS, compare_executed, notebook_pages,  # noqa: E402
                          offline_context, serve, time_page_ready)

# What `make book` runs (the Makefile's BOOK_BUILD and BUILD_FLAGS): the notebooks executed in
# parallel into the cache, then `jupyter-book build`.
BOOK_BUILD = [str(REPO_ROOT / ".venv" / "bin" / "python"), str(REPO_ROOT / "scripts" / "build-book.py"),
              str(REPO_ROOT), "-W", "-n", "--keep-going"]


def build(output: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run([*BOOK_BUILD, "--path-output", str(output)],
                            env={**os.environ, "W2VLIB_STATIC": "1"}, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode:
        print(f"   build into {output} FAILED (exit {result.returncode}); last lines:")
        print("   " + "\n   ".join(result.stdout.splitlines()[-15:] + result.stderr.splitlines()[-5:]))
    return elapsed, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    if not (REPO_ROOT / "_site_assets" / "vendor" / "versions.json").exists():
        subprocess.run([str(REPO_ROOT / "scripts" / "vendor-assets.sh")], check=True)

    with tempfile.TemporaryDirectory(prefix="bench-site-") as temporary:
        first = args.keep or Path(temporary) / "first"
        second = Path(temporary) / "second"
        print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
        clean, code = build(first)
        print(f"clean build, both editions:    {clean:6.1f} s   (target < 45 s)")
        again, _ = build(first)
        print(f"no-change rebuild:             {again:6.1f} s   (target < 3 s; `make book` itself "
              "skips it when no source is newer than the last build)")
        clean2, code2 = build(second)
        print(f"second clean build:            {clean2:6.1f} s")
        if code == 0 and code2 == 0:
            differences = [line for executed in ("_build/jupyter_execute", "_build/_build/ja/_build/jupyter_execute")
                           for line in compare_executed(first / executed, second / executed)]
            print("two clean builds, executed outputs: "
                  + ("identical" if not differences else f"{len(differences)} DIFFERENCES"))
            for line in differences[:20]:
                print("   " + line)

        html = first / "_build" / "html"
        if not (html / "index.html").exists():
            return
        from playwright.sync_api import sync_playwright
        with serve(html) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = offline_context(browser, url).new_page()
            time_page_ready(tab, urljoin(url, "intro.html"))  # warm up the browser
            print("page ready (loaded, formulas typeset), median of 3, target < 1.5 s;")
            print("then the widget panels drawn (the HTML manager loads after the page):")
            for page in notebook_pages(html):
                runs = [time_page_ready(tab, urljoin(url, page)) for _ in range(3)]
                ready = [r for r, _ in runs]
                line = f"   {page:34s} ready {statistics.median(ready):5.2f} s  (max {max(ready):.2f})"
                widgets = [w for _, w in runs if w is not None]
                if widgets:
                    line += f"   widgets drawn {statistics.median(widgets):5.2f} s"
                print(line)
            browser.close()


if __name__ == "__main__":
    main()
