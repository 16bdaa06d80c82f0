"""Helpers for tests/test_binder.py: the Binder environment, a JupyterLab server, a browser.

What mybinder.org does with this repository, done locally:
1. a fresh virtual environment from ``binder/requirements.txt`` alone (pip, hash-checked, as the
   file's hashes make it), cached per hash of the files that define it;
2. ``binder/postBuild`` run with that environment first on PATH, as repo2docker runs it (it installs
   w2vlib itself, editable);
3. ``jupyter lab`` from that environment, on 127.0.0.1 with its own token, its own config, data and
   runtime folders (so no kernel or setting of this machine leaks in), serving a copy of the pages.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

BINDER_FILES = ("binder/requirements.txt", "pyproject.toml", "binder/runtime.txt")
PIP_TIMEOUT = 900          # seconds; a first install on a fresh machine takes about a minute
SERVER_START_TIMEOUT = 180  # seconds (generous: CI machines are busy)

# The override binder/postBuild installs: .md (MyST) files open as notebooks.
DEFAULT_VIEWERS = {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}

# Settings for the test only, on top of what postBuild installed: an opened .md counts as changed at
# once, so autosave would write the chapters; the news/update pop-up covers the notebook; and
# windowing "none" keeps every cell in the page, so the test can find widgets far down a chapter.
TEST_ONLY_SETTINGS = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}



# ---- pins ------------------------------------------------------------------------------------

def normalise(name: str) -> str:
    """PEP 503 name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file as {normalised name: version}.

    Raises ValueError for a requirement line that is not an exact pin (``-e .``, ``--hash`` lines and
    comments are allowed), so a loose ``numpy>=2`` cannot slip into a file that promises exact pins.
    """
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip().removesuffix("\\").strip()
        if not line or line.startswith("-e ") or line.startswith("--"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        if match is None:
            raise ValueError(f"{path}:{number}: expected an exact pin 'name==version', got {raw!r}")
        pins[normalise(match.group(1))] = match.group(2)
    return pins


def parse_freeze(text: str) -> dict[str, str]:
    """``pip freeze --exclude-editable`` output as {normalised name: version}."""
    pins = {}
    for line in text.splitlines():
        if "==" in line and not line.startswith("-e"):
            name, version = line.split("==", 1)
            pins[normalise(name)] = version.strip()
    return pins


# ---- the environment -------------------------------------------------------------------------

# Run by the environment's own Python: the installed distributions that ``roots`` need, following
# every requirement (with its extras) whose marker holds there.
_CLOSURE = """
import importlib.metadata as md, json, re, sys
from packaging.requirements import Requirement
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
seen, stack = set(), [(name, ()) for name in sys.argv[1:]]
while stack:
    name, extras = stack.pop()
    key = (norm(name), tuple(sorted(extras)))
    if key in seen:
        continue
    seen.add(key)
    for line in md.distribution(name).requires or []:
        requirement = Requirement(line)
        markers = [{"extra": extra} for extra in ("",) + tuple(extras)]
        if requirement.marker is None or any(requirement.marker.evaluate(m) for m in markers):
            stack.append((requirement.name, tuple(requirement.extras)))
print(json.dumps(sorted({name for name, _ in seen})))
"""


def dependency_closure(venv: Path, roots: list[str]) -> set[str]:
    """Normalised names of ``roots`` and everything they pull in, as installed in ``venv``."""
    done = _run([str(venv / "bin" / "python"), "-c", _CLOSURE, *roots], timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"reading the installed requirements failed:\n{done.stderr[-2000:]}")
    return set(json.loads(done.stdout))


def binder_python(repo_root: Path) -> str:
    """The interpreter of the version binder/runtime.txt names (what mybinder.org would use).

    This test's own interpreter when it is that version, else ``pythonX.Y`` from PATH; raises
    RuntimeError naming the version when neither exists.
    """
    runtime = (repo_root / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    if match is None:
        raise ValueError(f"binder/runtime.txt: expected 'python-X.Y', got {runtime!r}")
    wanted = (int(match[1]), int(match[2]))
    if sys.version_info[:2] == wanted:
        return sys.executable
    found = shutil.which(f"python{wanted[0]}.{wanted[1]}")
    if found is None:
        raise RuntimeError(f"binder/runtime.txt asks for Python {wanted[0]}.{wanted[1]}, but this test runs "
                           f"{sys.version.split()[0]} and PATH has no python{wanted[0]}.{wanted[1]}")
    return found


def environment_key(repo_root: Path, python: str) -> str:
    version = _run([python, "-c", "import sys; print(sys.version)"], timeout=60).stdout
    digest = hashlib.sha256(version.encode())
    for name in BINDER_FILES:
        path = repo_root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return digest.hexdigest()[:16]


def _run(command: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


def binder_venv(repo_root: Path, cache_root: Path) -> Path:
    """A virtual environment made from binder/requirements.txt alone, reused while its key holds.

    ``cache_root/<key>/`` is complete only when its ``.complete`` stamp exists; older keys are
    removed. Returns the environment's folder.
    """
    python = binder_python(repo_root)
    key = environment_key(repo_root, python)
    venv = cache_root / key
    if (venv / ".complete").exists():
        return venv
    cache_root.mkdir(parents=True, exist_ok=True)
    for old in cache_root.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
    # With current pip (as repo2docker's environment has): the pip bundled with Python 3.11
    # (23.2.1) refuses the hash-checked file, taking jupyter-events' "jsonschema[format-nongpl]"
    # for an unpinned requirement.
    made = _run([python, "-m", "venv", "--upgrade-deps", str(venv)], timeout=300)
    if made.returncode != 0:
        raise RuntimeError(f"python -m venv {venv} failed:\n{made.stderr[-3000:]}")
    started = time.monotonic()
    # From the repository root, as repo2docker runs it; the file's hashes put pip in hash-checking mode.
    pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                "-r", "binder/requirements.txt"], timeout=PIP_TIMEOUT, cwd=repo_root)
    if pip.returncode != 0:
        raise RuntimeError("pip install -r binder/requirements.txt failed in a fresh environment:\n"
                           + (pip.stdout + pip.stderr)[-4000:])
    (venv / ".complete").write_text(f"pip install took {time.monotonic() - started:.0f} s\n")
    return venv


def venv_env(venv: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process run "inside" ``venv`` (its bin first on PATH)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "PYTHON")) and k not in ("VIRTUAL_ENV",)}
    # Binder has no static build: the widgets must be live there.
    env.pop("W2VLIB_STATIC", None)
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env.update(extra or {})
    return env


def run_post_build(repo_root: Path, venv: Path) -> Path:
    """Run binder/postBuild as repo2docker does; return the overrides.json it wrote."""
    done = _run([str(repo_root / "binder" / "postBuild")], timeout=120, cwd=repo_root,
                env=venv_env(venv))
    if done.returncode != 0:
        raise RuntimeError(f"binder/postBuild failed:\n{done.stdout}\n{done.stderr}")
    prefix = _run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.prefix)"],
                  timeout=60).stdout.strip()
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


# ---- the server ------------------------------------------------------------------------------

@dataclass
class LabServer:
    url: str          # http://127.0.0.1:PORT
    token: str
    root: Path        # what the server serves
    process: subprocess.Popen
    log_path: Path
    venv: Path        # the environment the server and its kernels run in

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            # The server runs in its own process group: this ends its kernels too.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def lab_settings(post_build_overrides: Path, settings_dir: Path) -> Path:
    """An app_settings_dir: the overrides postBuild installed, plus TEST_ONLY_SETTINGS."""
    overrides = json.loads(post_build_overrides.read_text())
    for plugin, values in TEST_ONLY_SETTINGS.items():
        overrides.setdefault(plugin, {}).update(values)
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "overrides.json").write_text(json.dumps(overrides, indent=2))
    return settings_dir


def start_lab(venv: Path, root: Path, workdir: Path, settings_dir: Path) -> LabServer:
    """``jupyter lab`` from ``venv`` serving ``root``; returns once /api/status answers."""
    token = secrets.token_hex(16)
    dirs = {name: workdir / name for name in ("config", "data", "runtime", "ipython")}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = venv_env(venv, {"JUPYTER_CONFIG_DIR": str(dirs["config"]),
                          "JUPYTER_DATA_DIR": str(dirs["data"]),
                          "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
                          "IPYTHONDIR": str(dirs["ipython"])})
    env.pop("MPLBACKEND", None)   # as on Binder: the kernel picks its inline backend itself
    command = [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", "--port=0",
               "--allow-root", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.app_settings_dir={settings_dir}"]
    log_path = workdir / "jupyter-lab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer("", token, root, process, log_path, venv)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{server.log_tail()}")
        for info in dirs["runtime"].glob("jpserver-*.json"):
            try:
                server.url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
                server.api("/api/status")
                return server
            except (ValueError, KeyError, OSError, urllib.error.URLError):
                pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_TIMEOUT} s:\n"
                       f"{server.log_tail()}")


def copy_pages(repo_root: Path, destination: Path) -> Path:
    """The pages as a Binder user sees them, copied so that nothing can write to the work tree."""
    destination.mkdir(parents=True, exist_ok=True)
    for page in repo_root.glob("*.md"):
        shutil.copy2(page, destination / page.name)
    shutil.copytree(repo_root / "chapters", destination / "chapters", dirs_exist_ok=True)
    return destination


# ---- the browser -----------------------------------------------------------------------------

class ChapterProblem(AssertionError):
    """What a Binder user would have run into on one chapter."""


@dataclass(frozen=True)
class Interaction:
    """Which control of a chapter's explorer the test changes.

    kind: "slider" (the first enabled slider: focus its handle, press ArrowRight),
    "dropdown" (the first enabled <select>: choose the next option) or "button" (the first
    enabled button whose text matches ``label``, a regular expression).
    """
    kind: str
    label: str = ""

    def describe(self) -> str:
        return f"the first {self.kind}" + (f" labelled /{self.label}/" if self.label else "")


RUN_ALL_TIMEOUT = 600      # seconds for all cells of a chapter (a busy machine: ~10 s when quiet)
REACTION_TIMEOUT = 60      # seconds for a widget's output to change
OPEN_TIMEOUT = 120         # seconds for JupyterLab to open a chapter
KERNEL_TIMEOUT = 180       # seconds for a kernel to start, or to be idle again after Run All

# JavaScript run in the page. The current widget is the chapter's notebook panel.
_JS_OPENED = """(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell || !app.shell.currentWidget) return null;
  const w = app.shell.currentWidget;
  if (!w.context || w.context.path !== path) {
    return document.querySelector('.jp-Dialog') ? 'dialog' : null;
  }
  if (w.node.querySelector('.jp-Notebook')) return 'notebook';
  if (w.node.querySelector('.jp-FileEditor, .jp-CodeMirrorEditor')) return 'editor';
  return null;
}"""

_JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (document.querySelector('.jp-Dialog')) return 'dialog';
  return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle' ? 'idle' : null;
}"""

_JS_RUN_ALL = """async (seconds) => {
  const run = window.jupyterapp.commands.execute('notebook:run-all-cells');
  const timeout = new Promise(resolve => setTimeout(() => resolve('timeout'), seconds * 1000));
  return String(await Promise.race([run, timeout]));
}"""

# Which Python the chapter's kernel runs: it must be the Binder environment's, not another one
# found through a kernelspec of this machine.
_JS_KERNEL_PREFIX = """async () => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = '';
  const future = kernel.requestExecute(
      {code: 'import sys; print(sys.prefix, end="")', silent: false, store_history: false});
  future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
  await future.done;
  return text;
}"""

_JS_CELL_REPORT = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const report = {code: 0, unexecuted: [], errors: [], widgetErrors: []};
  for (const cell of w.content.model.cells) {
    if (cell.type !== 'code') continue;
    report.code += 1;
    const first = cell.sharedModel.getSource().split('\\n')[0].slice(0, 80);
    if (cell.sharedModel.getSource().trim() && cell.executionCount === null) report.unexecuted.push(first);
    for (const output of cell.outputs.toJSON()) {
      if (output.output_type === 'error') {
        report.errors.push(`${output.ename}: ${output.evalue} (cell starting ${JSON.stringify(first)})`);
      }
    }
  }
  for (const node of w.node.querySelectorAll('.jp-OutputArea-output')) {
    const text = node.innerText || '';
    if (/Error displaying widget|Failed to load model class|Model not found/.test(text)) {
      report.widgetErrors.push(text.slice(0, 200));
    }
  }
  report.widgets = w.node.querySelectorAll('.jupyter-widgets').length;
  report.checkButtons = [...w.node.querySelectorAll('button.widget-button')]
      .filter(b => b.innerText.trim() === 'Check').length;
  return report;
}"""

# Marks the control to change with data-binder-test="control" and returns its description.
_JS_PICK_CONTROL = """([kind, label]) => {
  const nb = window.jupyterapp.shell.currentWidget.node;
  const enabled = el => !el.disabled && !el.hasAttribute('disabled')
                        && !el.closest('[disabled], .mod-disabled');
  let control = null;
  if (kind === 'slider') {
    control = [...nb.querySelectorAll('.widget-slider')]
        .find(s => s.querySelector('.noUi-handle') && enabled(s.querySelector('.noUi-target') || s));
  } else if (kind === 'dropdown') {
    control = [...nb.querySelectorAll('.widget-dropdown select')].find(enabled);
  } else if (kind === 'button') {
    const pattern = new RegExp(label);
    control = [...nb.querySelectorAll('button.widget-button')]
        .find(b => enabled(b) && pattern.test(b.innerText.trim()));
  }
  if (!control) return null;
  control.setAttribute('data-binder-test', 'control');
  const box = control.closest('.widget-slider, .widget-dropdown') || control;
  const description = box.querySelector('.widget-label');
  if (description && description.innerText.trim()) return description.innerText.trim();
  return kind === 'button' ? control.innerText.trim() : '(no description)';
}"""

# What a reader sees of the outputs around an element (not the controls themselves: a slider's
# readout changes with the slider): texts of HTML/HTMLMath/Output widgets and rendered outputs,
# and the sources of all images (an ipywidgets Image gets a new blob: URL with every new value).
_JS_SNAPSHOT = """([selector, scope]) => {
  const start = document.querySelector(selector);
  if (!start) return null;
  const root = start.closest(scope) || start.closest('.jp-Cell');
  const parts = [];
  for (const el of root.querySelectorAll(
      '.widget-html, .widget-htmlmath, .widget-output, .jp-RenderedText, .jp-RenderedHTMLCommon')) {
    parts.push(el.innerText.trim());
  }
  for (const img of root.querySelectorAll('img')) parts.push(img.src.slice(0, 200) + img.src.length);
  return parts.join('\\n');
}"""

_JS_FEEDBACK = """() => {
  const box = document.querySelector('[data-binder-test="check"]').closest('.widget-vbox');
  return [...box.querySelectorAll('.widget-html, .widget-htmlmath')]
      .map(el => el.innerText.trim()).filter(Boolean).join('\\n');
}"""

# Marks the first Check button and its answer box.
_JS_PICK_EXERCISE = """() => {
  const nb = window.jupyterapp.shell.currentWidget.node;
  for (const button of nb.querySelectorAll('button.widget-button')) {
    if (button.innerText.trim() !== 'Check' || button.disabled) continue;
    const box = button.closest('.widget-vbox');
    const answer = box && box.querySelector('.widget-text input, .widget-textarea textarea');
    if (!answer) continue;
    button.setAttribute('data-binder-test', 'check');
    answer.setAttribute('data-binder-test', 'answer');
    const prompt = box.querySelector('.widget-htmlmath, .widget-html');
    return prompt ? prompt.innerText.replace(/\\s+/g, ' ').trim().slice(0, 120) : '(no prompt)';
  }
  return null;
}"""


def _wait_stable(page, expression: str, argument, seconds: float = 1.5, limit: float = 60) -> str:
    """Poll until ``expression`` returns the same value for ``seconds`` (MathJax typesets late),
    at most ``limit`` seconds: the condition is "unchanged for a while", so it is polled."""
    last, since = page.evaluate(expression, argument), time.monotonic()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = page.evaluate(expression, argument)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            break
    return last


def _wait_changed(page, expression: str, argument, before: str, limit: float) -> str | None:
    """Wait (in the browser) until ``expression`` differs from ``before``, then until it is stable;
    None when it did not change within ``limit`` seconds."""
    changed = f"([arg, before]) => {{ const now = ({expression})(arg); return now !== null && now !== before; }}"
    try:
        page.wait_for_function(changed, arg=[argument, before], timeout=limit * 1000)
    except PlaywrightTimeoutError:
        return None
    return _wait_stable(page, expression, argument, seconds=0.75, limit=limit)


def drive_chapter(page, server: LabServer, path: str, interaction: Interaction | None,
                  answer: str | None, screenshot: Path) -> dict:
    """Do what a Binder user does with the chapter at ``path`` (relative to the server root).

    With ``interaction`` None the chapter only has to open as a notebook and run without error
    (a chapter without widgets); otherwise its explorer and first exercise are used too.

    Raises ChapterProblem naming the chapter and what went wrong; returns what was seen. A
    screenshot of the page (the explorer in view) is saved to ``screenshot`` either way.
    """
    seen: dict = {"path": path}
    started = time.monotonic()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    try:
        _drive(page, server, path, interaction, answer, screenshot, seen, started)
    except BaseException:
        try:    # the screenshot shows what went wrong; its own failure must not hide the problem
            _screenshot(page, screenshot)
        except Exception:
            pass
        raise
    seen["seconds"] = round(time.monotonic() - started, 1)
    _screenshot(page, screenshot)
    return seen


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def _painted(page) -> None:
    """Return once the browser has painted the page as it is now (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _screenshot(page, screenshot: Path) -> None:
    """``screenshot``: the explorer's control in view (or the page as it is, if there is none);
    ``<stem>-exercise.png`` too when the exercise's Check button was not in that view."""
    control, check = (page.locator(f'[data-binder-test="{name}"]') for name in ("control", "check"))
    if control.count():
        control.first.scroll_into_view_if_needed()
        _painted(page)
    page.screenshot(path=str(screenshot))
    exercise = screenshot.with_name(screenshot.stem + "-exercise.png")
    if check.count() and not _in_view(page, check.first):
        check.first.scroll_into_view_if_needed()
        _painted(page)
        page.screenshot(path=str(exercise))


def _drive(page, server, path, interaction, answer, screenshot, seen, started) -> dict:
    def problem(what: str) -> ChapterProblem:
        return ChapterProblem(f"{path} in JupyterLab (Binder environment): {what} "
                              f"[screenshot: {screenshot}]")

    page.goto(f"{server.url}/lab/tree/{path}?reset&token={server.token}")
    try:
        page.wait_for_function(_JS_OPENED, arg=path, timeout=OPEN_TIMEOUT * 1000)
    except Exception:
        raise problem(f"did not open within {OPEN_TIMEOUT} s") from None
    opened = page.evaluate(_JS_OPENED, path)
    if opened == "editor":
        raise problem("opened in the text editor, not as a notebook: JupyterLab did not apply the "
                      "defaultViewers override that binder/postBuild installs, or jupytext is missing")
    if opened == "dialog":
        raise problem("a dialog blocked the page (a 'Select Kernel' dialog means the front matter "
                      "has no kernelspec): " + page.locator(".jp-Dialog").first.inner_text()[:300])
    try:
        page.wait_for_function(_JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT * 1000)
    except Exception:
        raise problem(f"its kernel did not start within {KERNEL_TIMEOUT} s") from None
    if page.evaluate(_JS_KERNEL_IDLE) == "dialog":
        raise problem("a dialog blocked the page: " + page.locator(".jp-Dialog").first.inner_text()[:300])

    folded_as_opened = page.evaluate(_JS_SOLUTION_CELLS)
    run = page.evaluate(_JS_RUN_ALL, RUN_ALL_TIMEOUT)
    seen["run_all"] = run
    if run == "timeout":
        raise problem(f"running all cells took longer than {RUN_ALL_TIMEOUT} s")
    page.wait_for_function(_JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT * 1000)
    seen["run_all_seconds"] = round(time.monotonic() - started, 1)
    cells = page.evaluate(_JS_CELL_REPORT)
    seen.update(code_cells=cells["code"], widgets=cells["widgets"], check_buttons=cells["checkButtons"])
    if cells["errors"]:
        raise problem(f"{len(cells['errors'])} cell(s) raised: " + "; ".join(cells["errors"][:5]))
    if run != "true":
        raise problem(f"Run All reported failure ({run}) though no cell output is an error")
    if cells["unexecuted"]:
        raise problem("cells did not run: " + "; ".join(cells["unexecuted"][:5]))
    if cells["widgetErrors"]:
        raise problem("a widget failed to display: " + "; ".join(cells["widgetErrors"][:3]))
    prefix = page.evaluate(_JS_KERNEL_PREFIX)
    if Path(prefix).resolve() != server.venv.resolve():
        raise problem(f"its kernel runs in {prefix!r}, not in the Binder environment {server.venv}")
    reading = check_reading(page, folded_as_opened, screenshot, seen)
    if reading:
        raise problem("does not read as on the website:\n  " + "\n  ".join(reading))
    if interaction is None:
        return seen
    if not cells["widgets"]:
        raise problem("ran, but shows no widget at all (is its explore section filled in?)")

    # The explorer: change one control, and the figure or text of its panel must change.
    label = page.evaluate(_JS_PICK_CONTROL, [interaction.kind, interaction.label])
    if label is None:
        raise problem(f"has no enabled control to change: looked for {interaction.describe()}")
    control = page.locator('[data-binder-test="control"]')
    control.scroll_into_view_if_needed()
    scope = [f'[data-binder-test="control"]', ".widget-vbox"]
    before = _wait_stable(page, _JS_SNAPSHOT, scope)
    if interaction.kind == "slider":
        handle = control.locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        seen["changed"] = f"slider '{label}' one step right"
    elif interaction.kind == "dropdown":
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("s => s.selectedIndex")
        choice = (current + 1) % len(options)
        control.select_option(index=choice)
        seen["changed"] = f"dropdown '{label}': {options[current]!r} -> {options[choice]!r}"
    else:
        control.click()
        seen["changed"] = f"button '{label}'"
    after = _wait_changed(page, _JS_SNAPSHOT, scope, before, REACTION_TIMEOUT)
    if after is None:
        raise problem(f"changing the {seen['changed']} did not change the figure or text of its "
                      f"panel within {REACTION_TIMEOUT} s")

    # An exercise: type an answer, press Check, and feedback must appear. (Solutions are the
    # chapter's Markdown, folded: solution_output_problems and the markdown report check them.)
    prompt = page.evaluate(_JS_PICK_EXERCISE)
    if prompt is None:
        raise problem("has no exercise with an answer box and a 'Check' button")
    seen["exercise"] = prompt
    check = page.locator('[data-binder-test="check"]')
    check.scroll_into_view_if_needed()
    feedback_before = _wait_stable(page, "() => (" + _JS_FEEDBACK + ")()", None, seconds=0.75)
    page.locator('[data-binder-test="answer"]').fill(answer)
    check.click()
    feedback = _wait_changed(page, "() => (" + _JS_FEEDBACK + ")()", None, feedback_before,
                             REACTION_TIMEOUT)
    if not feedback or feedback == feedback_before:
        raise problem(f"pressing Check after typing {answer!r} showed no feedback within "
                      f"{REACTION_TIMEOUT} s (exercise: {prompt!r})")
    seen["feedback"] = feedback.replace(feedback_before, "").strip()[:200]

    cells = page.evaluate(_JS_CELL_REPORT)
    if cells["errors"]:
        raise problem("after the widgets were used, a cell shows an error: " + "; ".join(cells["errors"][:5]))
    return seen


# ---- what the chapter reads like ---------------------------------------------------------------

# MyST source that must never reach a reader: what each pattern means, for the failure message.
RAW_MYST = {
    "a role": r"\{[A-Za-z][\w:.+-]*\}`",
    "a label line": r"(^|\n)\s*\([\w.:-]+\)=\s*(\n|$)",
    "a code fence": r"```",
    "a colon fence": r"(^|\n)\s*:::",
    "a directive option": r"(^|\s):(class|label|name|tags|nonumber|enumerated|open|width|align|"
                          r"figwidth|alt|caption|filter|all):(\s|$)",
    "a directive name": r"\{(exercise|solution|admonition|important|note|warning|tip|hint|dropdown|"
                        r"figure|math|code-cell|glue|bibliography|seealso|margin|sidebar|toggle|"
                        r"exercise-start|exercise-end|solution-start|solution-end)\b[^}]*\}",
    "a glue key": r"\b[a-z]\w*_\w*:[.,][\d.]*[a-zA-Z%]?",
}

# Every markdown cell as jupyterlab-myst rendered it (a cell it did not render is a problem of its
# own): raw MyST in its text (maths taken out: TeX has braces of its own), references and citations
# it could not resolve, the numbered display equations in order, and where each equation reference
# points. Text of closed <details> counts: a solution must not hide markup either.
_JS_MARKDOWN_REPORT = """(patterns) => {
  const w = window.jupyterapp.shell.currentWidget;
  const report = {markdown: 0, unrendered: [], raw: [], unresolved: [], equations: [], eqrefs: [],
                  exercises: []};
  const snippet = (text, at) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 60).replace(/\\s+/g, ' '));
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'markdown') return;
    const source = cell.model.sharedModel.getSource();
    if (!source.trim()) return;
    report.markdown += 1;
    const myst = cell.node.querySelector('.jp-InputArea .myst');
    if (!cell.rendered || !myst) {
      report.unrendered.push(`cell ${index} (${JSON.stringify(source.slice(0, 60))})`);
      return;
    }
    const clone = myst.cloneNode(true);
    clone.querySelectorAll('.katex, .katex-display, svg').forEach(el => el.remove());
    const text = clone.textContent;
    for (const [what, pattern] of Object.entries(patterns)) {
      const match = new RegExp(pattern).exec(text);
      if (match) report.raw.push(`cell ${index}: ${what} ${snippet(text, match.index)}`);
    }
    for (const el of myst.querySelectorAll('[title$="Not Found"]')) {
      report.unresolved.push(`cell ${index}: ${el.getAttribute('title')}: ${JSON.stringify(el.textContent.trim())}`);
    }
    for (const link of myst.querySelectorAll('a[title="Link to this Equation"]')) {
      const block = link.closest('div[id]');
      report.equations.push([block ? block.id : '?', link.textContent.trim()]);
    }
    for (const link of myst.querySelectorAll('a.hover-link[href^="#"]')) {
      report.eqrefs.push([link.getAttribute('href').slice(1), link.textContent.trim(), index]);
    }
    for (const title of myst.querySelectorAll('aside.myst-exercise .myst-exercise-title')) {
      report.exercises.push(title.textContent.replace(/\\s+/g, ' ').trim());
    }
  });
  const numbered = new Map(report.equations);
  report.eqrefs = report.eqrefs.filter(([target]) => numbered.has(target))
      .map(([target, text, index]) => ({target, text, number: numbered.get(target), cell: index}));
  return report;
}"""

# The code cells between {solution-start} and {solution-end}, and whether each is folded.
_JS_SOLUTION_CELLS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const cells = [];
  let inside = false;
  w.content.widgets.forEach((cell, index) => {
    const source = cell.model.sharedModel.getSource();
    if (cell.model.type === 'markdown') {
      for (const match of source.matchAll(/\\{solution-(start|end)\\}/g)) inside = match[1] === 'start';
    } else if (cell.model.type === 'code' && inside) {
      cells.push({index, first: source.split('\\n')[0].slice(0, 60), inputHidden: cell.inputHidden,
                  outputHidden: cell.outputHidden, outputs: cell.model.outputs.length});
    }
  });
  return cells;
}"""

# Every <details> of the rendered markdown (solutions, hints): closed, its body invisible; a click on
# its summary opens it and shows text; a second click closes it again.
_JS_DETAILS = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  const found = [];
  const settle = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)));
  for (const details of w.node.querySelectorAll('.jp-MarkdownCell .myst details')) {
    const summary = details.querySelector('summary');
    const title = summary ? summary.textContent.replace(/\\s+/g, ' ').trim() : '(no summary)';
    const body = [...details.children].filter(el => el !== summary);
    const visible = () => body.some(el => el.checkVisibility() && el.innerText.trim());
    const entry = {title, closed: !details.open && !visible()};
    summary.click();
    await settle();
    entry.opened = details.open && visible();
    entry.text = body.map(el => el.innerText).join(' ').replace(/\\s+/g, ' ').trim().slice(0, 80);
    summary.click();
    await settle();
    found.push(entry);
  }
  return found;
}"""

# What a reader sees of each solution code cell's output after Run All, before and after a click.
# ``before``: the output's visible text apart from the summaries of closed <details> (must be empty:
# the answer stays folded); ``folds``: the <details> in the output; ``after``: for each, whether a
# click on its summary opened it and what text it then shows (closed again afterwards).
_JS_SOLUTION_OUTPUTS = """async (indices) => {
  const w = window.jupyterapp.shell.currentWidget;
  const settle = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)));
  const found = [];
  for (const index of indices) {
    const cell = w.content.widgets[index];
    cell.node.scrollIntoView();
    await settle();
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    const shown = area && !cell.outputHidden && area.checkVisibility();
    const folds = area ? [...area.querySelectorAll('details')] : [];
    let before = shown ? area.innerText : '';
    for (const details of folds) {
      const summary = details.querySelector('summary');
      if (summary && !details.open) before = before.replace(summary.innerText, '');
    }
    const entry = {index, before: before.replace(/\\s+/g, ' ').trim().slice(0, 80),
                   folds: folds.length, closed: folds.every(d => !d.open), after: []};
    for (const details of folds) {
      const summary = details.querySelector('summary');
      summary.click();
      await settle();
      const body = [...details.children].filter(el => el !== summary);
      const text = body.filter(el => el.checkVisibility()).map(el => el.innerText).join(' ');
      entry.after.push({opened: details.open, text: text.replace(/\\s+/g, ' ').trim().slice(0, 80)});
      summary.click();
      await settle();
    }
    found.push(entry);
  }
  return found;
}"""

# Unfolds the source of code cell ``index`` the way a reader does (a click on its placeholder).
_JS_UNFOLD_SOURCE = """async (index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  const placeholder = cell.node.querySelector('.jp-InputPlaceholder .jp-Placeholder-content, .jp-InputPlaceholder');
  if (!placeholder) return 'no placeholder';
  placeholder.click();
  await new Promise(resolve => setTimeout(resolve, 100));
  const editor = cell.node.querySelector('.jp-InputArea-editor');
  return !cell.inputHidden && editor && editor.checkVisibility() && editor.innerText.trim() ? 'shown' : 'still folded';
}"""


def read_chapter(page) -> dict:
    """What a reader sees of the current notebook's prose (see _JS_MARKDOWN_REPORT)."""
    return page.evaluate(_JS_MARKDOWN_REPORT, RAW_MYST)


def check_reading(page, folded_as_opened: list[dict], screenshot: Path, seen: dict) -> list[str]:
    """After Run All: what is wrong with the chapter's prose as a reader sees it (empty: nothing).

    No markdown cell may show raw MyST or an unresolved reference; every equation reference must
    show the number of its equation; every <details> (solution, hint) is closed and opens on a click;
    the code cells of a gated solution have their source folded (as opened and after Run All), and a
    click unfolds it. Their *outputs* are checked folded only as the notebook opens: JupyterLab 4
    shows a cell's output whenever the cell runs (CodeCell.execute sets outputHidden = false).
    Screenshots: ``<stem>-exercises.png`` (first exercise, its solution opened) and
    ``<stem>-formulas.png`` (the third numbered equation) next to ``screenshot``.
    """
    problems = []
    report = read_chapter(page)
    seen.update(markdown_cells=report["markdown"], equations=report["equations"],
                equation_references=len(report["eqrefs"]), exercises=report["exercises"])
    problems += [f"not rendered by jupyterlab-myst: {cell}" for cell in report["unrendered"]]
    problems += [f"raw MyST: {raw}" for raw in report["raw"]]
    problems += [f"unresolved: {item}" for item in report["unresolved"]]
    for ref in report["eqrefs"]:
        if not re.fullmatch(r"\(\d+(\.\d+)*\)", ref["number"]) or ref["text"] != ref["number"]:
            problems.append(f"cell {ref['cell']}: the reference to {ref['target']} reads "
                            f"{ref['text']!r}, its equation is numbered {ref['number']!r}")
    details = page.evaluate(_JS_DETAILS)
    seen["folded"] = len(details)
    for entry in details:
        if not entry["closed"]:
            problems.append(f"{entry['title']!r} is open before the reader clicks it")
        if not entry["opened"]:
            problems.append(f"{entry['title']!r} does not open (or shows nothing) on a click")
    for cell in folded_as_opened:
        if not (cell["inputHidden"] and cell["outputHidden"]):
            problems.append(f"solution code cell {cell['index']} ({cell['first']!r}) is not folded as the "
                            "notebook opens: give it the metadata jupyter: {source_hidden: true, "
                            "outputs_hidden: true} and collapsed: true")
    after = page.evaluate(_JS_SOLUTION_CELLS)
    seen["solution_code_cells"] = len(after)
    folded, output_problems = solution_output_problems(page, after)
    seen["solution_outputs_folded"] = folded
    problems += output_problems
    for cell in after:
        if not cell["inputHidden"]:
            problems.append(f"solution code cell {cell['index']} ({cell['first']!r}) shows its source")
    _reading_screenshots(page, screenshot)
    _solution_output_screenshots(page, screenshot)
    if after and not problems:
        state = page.evaluate(_JS_UNFOLD_SOURCE, after[0]["index"])
        if state != "shown":
            problems.append(f"a click on solution code cell {after[0]['index']}'s placeholder: {state}")
    return problems


def solution_output_problems(page, cells: list[dict]) -> tuple[int, list[str]]:
    """After Run All: how many solution outputs are folded, and what a reader can read too early.

    JupyterLab (and JupyterLite) unfold a cell's output area whenever the cell runs, so a
    solution's printout must stay folded *inside* its output (w2vlib.solution_output: a closed
    <details>) until the learner clicks it, and be readable after the click. ``cells`` are
    _JS_SOLUTION_CELLS' entries.
    """
    outputs = page.evaluate(_JS_SOLUTION_OUTPUTS, [c["index"] for c in cells if c["outputs"]])
    problems = []
    for entry in outputs:
        where = f"solution code cell {entry['index']}"
        if entry["before"]:
            problems.append(f"{where}: after Run All its output is readable before a click: "
                            f"{entry['before']!r} (wrap its prints in w2vlib.solution_output())")
        if not entry["closed"]:
            problems.append(f"{where}: its folded output is open before a click")
        for fold in entry["after"]:
            if not (fold["opened"] and fold["text"]):
                problems.append(f"{where}: a click on its folded output shows nothing ({fold})")
    return sum(e["folds"] for e in outputs), problems


def _reading_screenshots(page, screenshot: Path) -> None:
    exercise = page.locator(".jp-MarkdownCell .myst aside.myst-exercise")
    if exercise.count():
        exercise.first.scroll_into_view_if_needed()
        solution = page.locator(".jp-MarkdownCell .myst details summary")
        if solution.count():
            solution.first.click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-exercises.png")))
        if solution.count():
            solution.first.click()
    equations = page.locator('.jp-MarkdownCell .myst a[title="Link to this Equation"]')
    if equations.count():
        equations.nth(min(2, equations.count() - 1)).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-formulas.png")))


def _solution_output_screenshots(page, screenshot: Path) -> None:
    """``<stem>-solution-output.png``: the first folded solution output after Run All;
    ``<stem>-solution-output-open.png``: the same after a click on it (closed again after)."""
    summary = page.locator(".jp-Cell-outputArea details summary")
    if not summary.count():
        return
    summary.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-solution-output.png")))
    summary.first.click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-solution-output-open.png")))
    summary.first.click()
