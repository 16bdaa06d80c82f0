"""Drive a live chapter (JupyterLite + Pyodide, _build/html/live) in Chromium, as a reader does.

Used by tests/test_lite.py and benchmarks/bench_lite.py. From a chapter's page on the local server
(every request to another host blocked: tests/site_support.py), the reader presses "Run live in
your browser" beside a static panel; JupyterLite opens the chapter as a notebook in a new tab, its
Pyodide kernel starts in the browser, and then: run all cells, change a control of the explorer,
answer an exercise and press Check. Conditions are waited on, never fixed sleeps; the timeouts
allow for a loaded 2-core machine (Pyodide's first cell there: 26-43 s).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

# The same pickers as the Binder test: JupyterLite is JupyterLab with another kernel.
from binder_support import (_JS_CELL_REPORT, _JS_PICK_CONTROL, _JS_SNAPSHOT, _JS_SOLUTION_CELLS,
                            Interaction, _wait_changed, _wait_stable, solution_output_problems)
from site_support import PageLog, wait_until_ready, watch

OPEN_TIMEOUT = 120     # s: JupyterLite's interface and the notebook
KERNEL_TIMEOUT = 240   # s: Pyodide, the kernel's packages
RUN_ALL_TIMEOUT = 420  # s: every cell, numpy/matplotlib/scipy loaded on first import
REACTION_TIMEOUT = 60  # s: a widget's output after a change

# Console messages JupyterLite 0.6 prints that do not concern the book (seen with nothing but a
# notebook open, see TOOLCHAIN.md).
LITE_CONSOLE_ALLOWLIST = (
    "shareKey",          # module federation: "... @jupyterlab/docregistry ... shareKey"
    # jupyterlab-myst resolves {ref} within one notebook only: a reference to another chapter's
    # label shows as text and logs this (a known limit, as in JupyterLab on Binder: TOOLCHAIN.md).
    "Cross reference target was not found",
)


class LiveProblem(AssertionError):
    """What a reader would have run into in a live chapter."""


@dataclass
class LiveRun:
    """What was seen, with times in seconds from the click on "Run live in your browser"."""
    chapter: str
    notebook: str = ""
    opened: float | None = None        # the notebook is shown
    kernel_ready: float | None = None  # Pyodide's kernel is idle
    first_output: float | None = None  # the first code cell (installing w2vlib) has run
    all_done: float | None = None      # every cell has run
    code_cells: int = 0
    widgets: int = 0
    changed: str = ""
    exercise: str = ""
    feedback: str = ""
    myst: dict = field(default_factory=dict)
    solution_outputs_folded: int = 0   # solution printouts folded after Run All
    console: list[str] = field(default_factory=list)


_JS_APP_STATE = """(name) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  const w = app.shell.currentWidget;
  if (document.querySelector('.jp-Dialog')) return 'dialog';
  if (!w || !w.context || w.context.path !== name || !w.content || !w.content.model) return null;
  if (!w.node.querySelector('.jp-Notebook .jp-Cell')) return null;
  const kernel = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle' ? 'idle' : 'opened';
}"""

# Starts Run All without waiting; window.__w2vRunAll becomes 'true'/'false' (or an error) when done.
_JS_START_RUN_ALL = """() => {
  window.__w2vRunAll = null;
  window.jupyterapp.commands.execute('notebook:run-all-cells')
    .then(result => { window.__w2vRunAll = String(result); },
          error => { window.__w2vRunAll = 'error: ' + error; });
}"""

_JS_FIRST_CELL_DONE = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  // the first code cell (w2vlib's install; a frontmatter cell may come before it)
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code') return cell.executionCount !== null;
  }
  return false;
}"""

# How the Markdown cells rendered: jupyterlab-myst draws directives (admonitions, exercises,
# dropdowns) and roles; without it they show as raw ```{...} or {role}` text.
_JS_MYST = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  // innerText leaves out the hidden editor of a rendered cell: this is the text a reader sees.
  const rendered = [...w.node.querySelectorAll('.jp-MarkdownCell')];
  const raw = [];
  for (const el of rendered) {
    const text = el.innerText || '';
    const hit = text.match(/```\\{[a-z-]+\\}|\\{(ref|eq|cite:p|cite:t|numref)\\}`|^:::/m);
    if (hit) raw.push(hit[0] + ' in: ' + text.trim().slice(0, 80));
  }
  return {
    markdownCells: rendered.length,
    mystCells: w.node.querySelectorAll('.jp-MarkdownCell .myst').length,
    admonitions: w.node.querySelectorAll('.jp-MarkdownCell aside, .jp-MarkdownCell .admonition, .jp-MarkdownCell details').length,
    maths: w.node.querySelectorAll('.jp-MarkdownCell .katex, .jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax').length,
    raw: raw.slice(0, 5),
  };
}"""

# The first answer box: an enabled "Check" button with a text field in the same widget box (or
# cell). Marks them; returns the exercise's prompt.
_JS_PICK_EXERCISE = """() => {
  const nb = window.jupyterapp.shell.currentWidget.node;
  for (const button of nb.querySelectorAll('button.widget-button')) {
    if (button.innerText.trim() !== 'Check' || button.disabled) continue;
    let box = button.closest('.widget-vbox');
    while (box && !box.querySelector('.widget-text input, .widget-textarea textarea')) {
      box = box.parentElement && box.parentElement.closest('.widget-vbox, .jp-Cell');
    }
    if (!box) continue;
    const answer = box.querySelector('.widget-text input, .widget-textarea textarea');
    button.setAttribute('data-live-test', 'check');
    box.setAttribute('data-live-test', 'exercise');
    answer.setAttribute('data-live-test', 'answer');
    const prompt = box.querySelector('.widget-htmlmath, .widget-html');
    return prompt ? prompt.innerText.replace(/\\s+/g, ' ').trim().slice(0, 120) : '(no prompt)';
  }
  return null;
}"""

# The exercise's feedback: its .w2v-feedback element(s) if the panel has them, else its texts.
_JS_FEEDBACK = """() => {
  const box = document.querySelector('[data-live-test="exercise"]');
  if (!box) return null;
  const marked = [...box.querySelectorAll('.w2v-feedback')];
  const parts = marked.length ? marked : [...box.querySelectorAll('.widget-html, .widget-htmlmath')];
  return parts.map(el => el.innerText.trim()).filter(Boolean).join('\\n');
}"""


def _screenshot(page, locator, path: Path) -> None:
    if locator is not None and locator.count():
        locator.first.scroll_into_view_if_needed()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def open_live_from_page(context, page, chapter_url: str, log: PageLog, timeout_ms: float = 60_000,
                        screenshot: Path | None = None):
    """On the chapter's page, find "Run live in your browser" beside a static panel (and in the
    launch menu, with the same address), click it; return (the new tab, the click's time).
    ``screenshot``: where to save the page with that button in view."""
    page.goto(chapter_url)
    wait_until_ready(page)
    button = page.locator("a.w2v-live-button").first
    try:
        button.wait_for(state="attached", timeout=timeout_ms)
    except Exception:
        raise LiveProblem(f"{chapter_url}: no 'Run live in your browser' button beside a static "
                          f"panel within {timeout_ms / 1000:.0f} s") from None
    menu = page.locator("a.btn-launch-live-button")
    if menu.count() != 1:
        raise LiveProblem(f"{chapter_url}: the launch menu has {menu.count()} 'Run live' entries, not 1")
    if menu.get_attribute("href") != button.get_attribute("href"):
        raise LiveProblem(f"{chapter_url}: the launch menu's live link {menu.get_attribute('href')!r} "
                          f"differs from the panel's {button.get_attribute('href')!r}")
    if screenshot is not None:
        _screenshot(page, page.locator(".w2v-static-note").first, screenshot)
    button.scroll_into_view_if_needed()
    with context.expect_page(timeout=timeout_ms) as opened:
        button.click()
        clicked = time.monotonic()
    live = opened.value
    watch(live, log)
    return live, clicked


def drive_live(live, clicked: float, run: LiveRun, interaction: Interaction | None,
               answer: str | None, screenshots: Path) -> LiveRun:
    """Everything after the click, in the JupyterLite tab ``live``. Raises LiveProblem."""
    stem = Path(run.chapter).stem
    since = lambda: round(time.monotonic() - clicked, 1)  # noqa: E731

    def problem(what: str) -> LiveProblem:
        try:
            _screenshot(live, None, screenshots / f"{stem}-problem.png")
        except Exception:
            pass
        return LiveProblem(f"{run.chapter} live (JupyterLite): {what} "
                           f"[screenshot: {screenshots / (stem + '-problem.png')}]")

    live.wait_for_load_state("load", timeout=OPEN_TIMEOUT * 1000)
    run.notebook = live.url.split("path=")[-1]
    try:
        live.wait_for_function(_JS_APP_STATE, arg=run.notebook, timeout=OPEN_TIMEOUT * 1000)
    except Exception:
        raise problem(f"the notebook {run.notebook} did not open within {OPEN_TIMEOUT} s") from None
    if live.evaluate(_JS_APP_STATE, run.notebook) == "dialog":
        raise problem("a dialog blocked the notebook: " + live.locator(".jp-Dialog").first.inner_text()[:300])
    run.opened = since()
    try:
        live.wait_for_function(f"() => ({_JS_APP_STATE})({run.notebook!r}) === 'idle'",
                               timeout=KERNEL_TIMEOUT * 1000, polling=250)
    except Exception:
        raise problem(f"Pyodide's kernel was not ready within {KERNEL_TIMEOUT} s") from None
    run.kernel_ready = since()

    live.evaluate(_JS_START_RUN_ALL)
    try:
        live.wait_for_function(_JS_FIRST_CELL_DONE, timeout=RUN_ALL_TIMEOUT * 1000, polling=100)
        run.first_output = since()
        live.wait_for_function("() => window.__w2vRunAll !== null", timeout=RUN_ALL_TIMEOUT * 1000,
                               polling=250)
    except Exception:
        raise problem(f"running all cells took longer than {RUN_ALL_TIMEOUT} s") from None
    live.wait_for_function(f"() => ({_JS_APP_STATE})({run.notebook!r}) === 'idle'",
                           timeout=60_000, polling=250)
    run.all_done = since()
    result = live.evaluate("() => window.__w2vRunAll")
    cells = live.evaluate(_JS_CELL_REPORT)
    run.code_cells, run.widgets = cells["code"], cells["widgets"]
    if cells["errors"]:
        raise problem(f"{len(cells['errors'])} cell(s) raised: " + "; ".join(cells["errors"][:5]))
    if result != "true":
        raise problem(f"Run All reported failure ({result}) though no cell output is an error")
    if cells["unexecuted"]:
        raise problem("cells did not run: " + "; ".join(cells["unexecuted"][:5]))
    if cells["widgetErrors"]:
        raise problem("a widget failed to display: " + "; ".join(cells["widgetErrors"][:3]))
    run.myst = live.evaluate(_JS_MYST)
    solution_cells = live.evaluate(_JS_SOLUTION_CELLS)
    run.solution_outputs_folded, early = solution_output_problems(live, solution_cells)
    if early:
        raise problem("; ".join(early[:5]))
    if any(c["outputs"] for c in solution_cells) and not run.solution_outputs_folded:
        raise problem("ran its solution cells, but no solution output is folded")
    live.evaluate("() => document.querySelector('.jp-Notebook').scrollTop = 0")
    _screenshot(live, live.locator(".jp-MarkdownCell").first, screenshots / f"{stem}-top.png")
    if interaction is None:
        return run

    if not run.widgets:
        raise problem("ran, but shows no widget at all")
    label = live.evaluate(_JS_PICK_CONTROL, [interaction.kind, interaction.label])
    if label is None:
        raise problem(f"has no enabled control to change: looked for {interaction.describe()}")
    control = live.locator('[data-binder-test="control"]')
    control.scroll_into_view_if_needed()
    scope = ['[data-binder-test="control"]', ".widget-vbox"]
    before = _wait_stable(live, _JS_SNAPSHOT, scope)
    if interaction.kind == "slider":
        # Drag the handle (in JupyterLite's Notebook interface the arrow keys reach the notebook's
        # own shortcuts, not the slider): towards the end with more room.
        handle = control.locator(".noUi-handle").first
        box, track = handle.bounding_box(), control.locator(".noUi-target").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        room_right = track["x"] + track["width"] - x
        target = x + room_right if room_right > track["width"] / 4 else track["x"]
        live.mouse.move(x, y)
        live.mouse.down()
        live.mouse.move(target, y, steps=8)
        live.mouse.up()
        run.changed = f"slider '{label}' dragged {'right' if target > x else 'left'}"
    elif interaction.kind == "dropdown":
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("s => s.selectedIndex")
        choice = (current + 1) % len(options)
        control.select_option(index=choice)
        run.changed = f"dropdown '{label}': {options[current]!r} -> {options[choice]!r}"
    else:
        control.click()
        run.changed = f"button '{label}'"
    if _wait_changed(live, _JS_SNAPSHOT, scope, before, REACTION_TIMEOUT) is None:
        raise problem(f"changing the {run.changed} did not change its panel within {REACTION_TIMEOUT} s")
    _screenshot(live, control, screenshots / f"{stem}.png")

    prompt = live.evaluate(_JS_PICK_EXERCISE)
    if prompt is None:
        raise problem("has no exercise with an answer box and a 'Check' button")
    run.exercise = prompt
    check = live.locator('[data-live-test="check"]')
    check.scroll_into_view_if_needed()
    feedback_before = _wait_stable(live, _JS_FEEDBACK, None, seconds=0.75)
    live.locator('[data-live-test="answer"]').fill(answer)
    check.click()
    feedback = _wait_changed(live, _JS_FEEDBACK, None, feedback_before, REACTION_TIMEOUT)
    if not feedback:
        raise problem(f"pressing Check after typing {answer!r} showed no feedback within "
                      f"{REACTION_TIMEOUT} s (exercise: {prompt!r})")
    run.feedback = feedback.replace(feedback_before or "", "").strip()[:200]
    _screenshot(live, live.locator('[data-live-test="exercise"]'), screenshots / f"{stem}-exercise.png")
    cells = live.evaluate(_JS_CELL_REPORT)
    if cells["errors"]:
        raise problem("after the widgets were used, a cell shows an error: " + "; ".join(cells["errors"][:5]))
    return run
