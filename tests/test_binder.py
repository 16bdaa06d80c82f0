"""The chapters as a Binder user meets them.

mybinder.org builds this repository with repo2docker: it installs ``binder/requirements.txt`` (and
ignores the root requirements.txt, because binder/ exists), runs ``binder/postBuild`` and starts
JupyterLab. These tests do the same on this machine (tests/binder_support.py) and then, for each
notebook page of _toc.yml, in headless Chromium: open it (it must open as a notebook, not in the
text editor), run all cells (none may raise; the kernel must be the Binder environment's), and for
the four chapters in CHAPTERS also change a control of the explorer (its figure or text must
change), answer an exercise and press Check (feedback must appear), and reveal the solution.
After Run All every solution stays folded until clicked, its printed output too (inside a closed
<details>, w2vlib.solution_output), and is readable after the click.
Screenshots: ``<build>/screenshots/binder/<chapter>.png`` (the explorer after the change),
``<chapter>-exercise.png`` (the exercise with its feedback), and ``<chapter>-solution-output.png``
/ ``-solution-output-open.png`` (a solution's output after Run All, before and after a click).

The environment is cached in ``<build>/binder-venv/<key>``, the key a hash of binder/requirements.txt,
binder/runtime.txt, pyproject.toml and the Python version; creating it takes about a minute.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

from binder_support import (DEFAULT_VIEWERS, ChapterProblem, Interaction, binder_python,
                            binder_venv, copy_pages, dependency_closure, drive_chapter, lab_settings, parse_freeze, read_pins,
                            run_post_build, start_lab)
from site_support import BROWSER_TIMEOUT_MS
from test_chapters import notebook_pages, source_of

REPO_ROOT = Path(__file__).resolve().parent.parent

# What the test changes in each chapter's explorer, and the answer it types into the first exercise
# (any answer must get feedback: a hint, a friendly message for malformed input, or a tick).
CHAPTERS = {
    "chapters/matmul.md": (Interaction("slider"), "1"),
    "chapters/input_layer.md": (Interaction("dropdown"), "1"),
    "chapters/middle_layer.md": (Interaction("dropdown"), "1"),
    "chapters/cbow.md": (Interaction("button", r"^\+1 update$"), "1"),
}


# Every notebook page has a launch button: each must open as a notebook and run; the chapters in
# CHAPTERS must also answer their widgets.
PAGES = list(dict.fromkeys(list(CHAPTERS) + [source_of(entry).relative_to(REPO_ROOT).as_posix()
                                               for entry in notebook_pages()]))

# What a reader needs in Binder; each must be pinned in binder/requirements.txt. jupyterlab-myst
# renders the chapters' MyST (maths, equation numbers, admonitions, exercises, folded solutions).
BINDER_NEEDS = ("numpy", "scipy", "matplotlib", "ipywidgets", "gensim", "jupytext", "jupyterlab",
                "jupyterlab-myst", "ipykernel")
# Build tools the chapters do not need: Binder must not install them.
NOT_IN_BINDER = ("myst-nb", "myst-parser", "sphinx", "jupyter-book", "jupyter-cache")


# ---- the files (no environment needed) -------------------------------------------------------

def test_binder_pins_match_the_root_requirements():
    binder = read_pins(REPO_ROOT / "binder" / "requirements.txt")
    root = read_pins(REPO_ROOT / "requirements.txt")
    missing = [name for name in BINDER_NEEDS if name not in binder]
    assert not missing, f"binder/requirements.txt does not pin {missing}"
    # Both locks come from pyproject.toml's groups (`make lock`); what they share, they pin alike.
    differ = {name: (version, root[name]) for name, version in binder.items()
              if name in root and root[name] != version}
    assert not differ, ("binder/requirements.txt and requirements.txt pin different versions "
                        f"(binder, root): {differ}")
    for name in ("jupyterlab", "jupytext"):
        assert name in root, f"requirements.txt must pin {name} (chapters open as notebooks locally)"


def test_binder_installs_no_build_tools():
    binder = read_pins(REPO_ROOT / "binder" / "requirements.txt")
    extra = [name for name in NOT_IN_BINDER if name in binder]
    assert not extra, f"binder/requirements.txt pins build tools the chapters do not need: {extra}"
    importing = [page for page in PAGES
                 if re.search(r"^\s*(import|from)\s+myst_nb\b", (REPO_ROOT / page).read_text(), re.M)]
    assert not importing, f"these pages import myst_nb, which Binder does not install: {importing}"


# Roles jupyterlab-myst cannot resolve in a notebook of its own: it shows their key or label. (The
# browser test finds most of them too; a glued name without a format spec reads like a word there.)
UNRENDERABLE = {
    "{glue:...} (JupyterLab shows its key: let a code cell print the number)": r"\{glue(:\w+)?\}`",
    "{cite:...} (JupyterLab cannot read references.bib: write ([Author, year](references.md)))":
        r"\{cite(:\w+)?\}`",
    "{ref} without text (JupyterLab shows the bare label)": r"\{ref\}`[^`<]*`",
}


def test_pages_use_no_role_jupyterlab_cannot_render():
    found = []
    for page in PAGES:
        text = (REPO_ROOT / page).read_text(encoding="utf-8")
        labels = set(re.findall(r"^\$\$\s*\(([^)]+)\)\s*$", text, re.M))
        for number, line in enumerate(text.splitlines(), start=1):
            for what, pattern in UNRENDERABLE.items():
                found += [f"{page}:{number}: {what}: {m.group(0)}" for m in re.finditer(pattern, line)]
            for m in re.finditer(r"\{eq\}`([^`]+)`", line):
                if m.group(1) not in labels:
                    found.append(f"{page}:{number}: {{eq}} to another page's equation {m.group(1)} "
                                 "(JupyterLab shows the bare label: restate it and {ref} its section)")
    assert not found, "\n".join(found)


def test_one_python_version_everywhere():
    runtime = (REPO_ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt: expected python-X.Y, got {runtime!r}"
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={match[1]}", (
        f"pyproject.toml requires-python {project['requires-python']!r} and binder/runtime.txt "
        f"{runtime!r} name different versions")
    # The Binder test's environment is built with that version (binder_support.binder_python).
    python = binder_python(REPO_ROOT)
    version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == match[1], f"{python} is Python {version}, binder/runtime.txt says {match[1]}"


def test_make_names_the_python_it_needs(tmp_path):
    """With a python3 older than binder/runtime.txt's, make stops and says what to do."""
    old = tmp_path / "python3.9"
    old.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.9.2" && exit 0\n'
                   'exec /usr/bin/env python3 -c "import sys; sys.exit(1)"\n')
    old.chmod(0o755)
    done = subprocess.run(["make", "--no-print-directory", "-C", str(REPO_ROOT),
                           f"{tmp_path}/venv/.installed", f"VENV={tmp_path}/venv", f"PYTHON={old}"],
                          capture_output=True, text=True, timeout=60)
    wanted = (REPO_ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert done.returncode != 0, f"make accepted Python 3.9:\n{done.stdout}{done.stderr}"
    assert f"needs Python {wanted}" in done.stdout and "Python 3.9.2" in done.stdout, done.stdout
    assert f"make book PYTHON=python{wanted}" in done.stdout, done.stdout
    assert not (tmp_path / "venv").exists(), "make created an environment with the old Python"


def test_binder_installs_this_repository_and_runs_post_build():
    # binder/requirements.txt is hash-checked, and pip refuses an editable requirement in such a
    # file: postBuild installs w2vlib (test_binder_environment_is_exactly_the_pins checks it worked).
    text = (REPO_ROOT / "binder" / "requirements.txt").read_text()
    assert "-e ." not in text.splitlines(), "an editable line breaks pip's hash-checking mode"
    assert "pip install" in (REPO_ROOT / "binder" / "postBuild").read_text(), (
        "binder/postBuild must install w2vlib: with a binder/ folder repo2docker does not")
    post_build = REPO_ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert post_build.read_text().startswith("#!/bin/bash"), "postBuild needs a #!/bin/bash line"
    runtime = (REPO_ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3."), f"binder/runtime.txt: expected python-3.x, got {runtime!r}"


def _label(label: str) -> str:
    """An equation label as Sphinx writes it into an id (lower case, '-' for '_')."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def website_equations(html: Path) -> list[tuple[str, str]]:
    """(label, "(number)") of every numbered display equation of a built page, in order."""
    assert html.exists(), f"{html} is missing: run `make book` first"
    found = re.findall(r'id="equation-([^"]+)">\s*<span class="eqno">(\([^<]*\))',
                       html.read_text(encoding="utf-8"))
    return [(_label(label), number) for label, number in found]


# ---- the environment, the server, the browser ------------------------------------------------

@pytest.fixture(scope="module")
def binder_env(build_dir: Path) -> Path:
    started = time.monotonic()
    venv = binder_venv(REPO_ROOT, build_dir / "binder-venv")
    print(f"\nBinder environment {venv} ready in {time.monotonic() - started:.0f} s")
    return venv


@pytest.fixture(scope="module")
def post_build_overrides(binder_env: Path) -> Path:
    return run_post_build(REPO_ROOT, binder_env)


@pytest.fixture(scope="module")
def lab_server(binder_env: Path, post_build_overrides: Path, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("binder-lab")
    root = copy_pages(REPO_ROOT, workdir / "repo")
    settings = lab_settings(post_build_overrides, workdir / "labsettings")
    started = time.monotonic()
    server = start_lab(binder_env, root, workdir, settings)
    print(f"\njupyter lab answered after {time.monotonic() - started:.1f} s at {server.url}")
    yield server
    server.stop()


@pytest.mark.book
def test_binder_environment_is_exactly_the_pins(binder_env: Path, post_build_overrides: Path):
    frozen = subprocess.run([str(binder_env / "bin" / "python"), "-m", "pip", "freeze",
                             "--exclude-editable", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True).stdout
    installed = parse_freeze(frozen)
    pinned = read_pins(REPO_ROOT / "binder" / "requirements.txt")
    unpinned = sorted(set(installed) - set(pinned))
    assert not unpinned, ("Binder would install packages binder/requirements.txt does not pin "
                          f"(pin them, at the root requirements' versions): {unpinned}")
    differ = {n: (installed.get(n), v) for n, v in pinned.items() if installed.get(n) != v}
    assert not differ, f"installed vs pinned versions differ: {differ}"
    # Nothing else: every pin is something a reader needs, or something that pulls in.
    needed = dependency_closure(binder_env, list(BINDER_NEEDS) + ["w2vlib"])
    surplus = sorted(set(pinned) - needed)
    assert not surplus, ("binder/requirements.txt pins packages nothing the chapters need pulls in "
                         f"(drop them): {surplus}")
    check = subprocess.run([str(binder_env / "bin" / "python"), "-m", "pip", "check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, f"pip check in the Binder environment:\n{check.stdout}"
    where = subprocess.run([str(binder_env / "bin" / "python"), "-c",
                            "import w2vlib, pathlib; print(pathlib.Path(w2vlib.__file__).parent)"],
                           capture_output=True, text=True, cwd="/")
    assert where.stdout.strip() == str(REPO_ROOT / "w2vlib"), (
        f"the Binder environment should import this repository's w2vlib, got {where.stdout!r} "
        f"{where.stderr[-500:]}")


@pytest.mark.book
def test_post_build_makes_md_open_as_notebooks(post_build_overrides: Path):
    overrides = json.loads(post_build_overrides.read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == DEFAULT_VIEWERS, f"{post_build_overrides}: defaultViewers = {viewers}"


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """pytest-playwright's ``page`` for these tests: a tall window, so an explorer fits."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1400}}


@pytest.mark.book
@pytest.mark.parametrize("chapter", PAGES)
def test_page_runs_in_binder(chapter: str, lab_server, page, build_dir: Path):
    assert (REPO_ROOT / chapter).exists(), f"{chapter} is missing"
    interaction, answer = CHAPTERS.get(chapter, (None, None))
    screenshot = build_dir / "screenshots" / "binder" / (Path(chapter).stem + ".png")
    for old in screenshot.parent.glob(Path(chapter).stem + "*.png"):
        old.unlink()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    problem = None
    try:
        seen = drive_chapter(page, lab_server, chapter, interaction, answer, screenshot)
    except ChapterProblem as raised:
        problem = str(raised)
    finally:
        # One kernel per chapter is enough: shut down what this chapter started.
        for kernel in lab_server.api("/api/kernels"):
            lab_server.api(f"/api/kernels/{kernel['id']}", method="DELETE")
    if problem:
        pytest.fail(problem, pytrace=False)
    print(f"\n{chapter}: {seen}")
    # Display equations numbered as on the website: the same equations, the same numbers, in order.
    website = website_equations(build_dir / "html" / Path(chapter).with_suffix(".html"))
    binder = [(_label(label), number) for label, number in seen["equations"]]
    assert binder == website, (f"{chapter}: equation numbers in JupyterLab {binder}, on the website "
                               f"{website}")
    assert screenshot.exists(), f"no screenshot saved at {screenshot}"
