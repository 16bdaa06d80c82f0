"""How long each executed page of the book takes to run from a fresh kernel.

Prints, per page listed in _toc.yml that is a notebook: the kernel's start-up time and the
time to execute all cells (start-up excluded), against issue 3's target for the chapters
(each under 5 s, kernel start-up aside). Figures only: nothing here passes or fails.

Run: .venv/bin/python benchmarks/bench_chapters.py   (or `make bench`)
"""
from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

# One discovery and one executor for the test and the benchmark.
from test_chapters import CHAPTERS, execute_page, notebook_pages, source_of  # noqa: E402

CHAPTER_TARGET_S = 5.0   # issue 3: each chapter executes in under 5 s, kernel start-up aside


def cell_seconds(cell) -> float:
    """Execution time nbclient recorded in the cell's metadata (0 when not run)."""
    timing = cell.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" not in timing or "shell.execute_reply" not in timing:
        return 0.0
    start, end = (datetime.fromisoformat(timing[k].rstrip("Z"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return (end - start).total_seconds()


def first_line(cell) -> str:
    lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith(("#", "%"))]
    return (lines[0] if lines else "")[:40]


def main() -> None:
    from nbclient.exceptions import CellExecutionError

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before: {load} on {os.cpu_count()} cores (figures grow with load)")
    print(f"{'page':<24} {'start-up s':>10} {'execute s':>10}  {'target':<14} slowest cell")
    total_startup = total_run = 0.0
    wall = time.perf_counter()
    for entry in notebook_pages():
        try:
            nb, startup, run = execute_page(source_of(entry))
        except CellExecutionError as error:
            last = str(error).strip().splitlines()[-1] if str(error).strip() else "error"
            print(f"{entry:<24} {'-':>10} {'-':>10}  a cell raised: {last[:60]}")
            continue
        total_startup += startup
        total_run += run
        note = ""
        if not any(cell.cell_type == "code" for cell in nb.cells):
            note = "no code yet"
        elif entry in CHAPTERS:
            note = f"< {CHAPTER_TARGET_S:.0f} s: {'yes' if run < CHAPTER_TARGET_S else 'NO'}"
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        slowest = ""
        if code:
            i, cell = max(code, key=lambda ic: cell_seconds(ic[1]))
            slowest = f"#{i} {cell_seconds(cell):.2f} s: {first_line(cell)}"
        print(f"{entry:<24} {startup:>10.2f} {run:>10.2f}  {note:<14} {slowest}")
    print(f"{'total':<24} {total_startup:>10.2f} {total_run:>10.2f}  "
          f"(wall {time.perf_counter() - wall:.1f} s incl. shutdown)")


if __name__ == "__main__":
    main()
