"""Execute every notebook page of the book from a fresh kernel and read its glued checks.

Each chapter glues the error of every numerical check it makes under a name starting with
``check_`` (CONVENTIONS.md); here each page listed in ``_toc.yml`` that is a notebook
(its front matter has a ``kernelspec``) runs top to bottom as the book build runs it
(cwd = the page's folder, W2VLIB_STATIC=1), and every ``check_*`` value must be a float
below 1e-7. This tests the sources, so it needs no build; the tests that start kernels are marked
``book`` (one fresh kernel per page, nothing shared between pages).

``benchmarks/bench_chapters.py`` reuses ``notebook_pages`` and ``execute_page``.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from sphinx_external_toc.api import GlobItem
from sphinx_external_toc.parsing import parse_toc_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ("chapters/matmul", "chapters/input_layer", "chapters/middle_layer", "chapters/cbow")
CHECK_BOUND = 1e-7
MIN_CHECKS_PER_CHAPTER = 3
CELL_TIMEOUT = 120   # seconds per cell


# ---- discovery -------------------------------------------------------------------------------

def toc_entries(root: Path = REPO_ROOT) -> list[str]:
    """Every page of _toc.yml, in reading order (a page, then the pages under it), without suffix.

    Read with sphinx_external_toc, the parser Jupyter Book itself uses (and scripts/build-book.py).
    """
    return [docname for docname, _ in toc_pages(root)]


def toc_pages(root: Path = REPO_ROOT) -> list[tuple[str, bool]]:
    """(page, numbered?) for every page of _toc.yml in reading order; a page is numbered when the
    toctree (part) that lists it is ``numbered``, the root page never."""
    site_map = parse_toc_yaml(root / "_toc.yml")
    pages: list[tuple[str, bool]] = []

    def walk(docname: str, numbered: bool) -> None:
        pages.append((docname, numbered))
        for tree in site_map[docname].subtrees:
            for item in tree.items:
                if isinstance(item, str) and not isinstance(item, GlobItem):
                    walk(item, bool(tree.numbered))

    walk(site_map.root.docname, False)
    return pages


def source_of(entry: str, root: Path = REPO_ROOT) -> Path | None:
    for suffix in (".md", ".ipynb"):
        path = root / (entry + suffix)
        if path.exists():
            return path
    return None


def is_notebook(path: Path) -> bool:
    """A .ipynb, or a MyST .md whose front matter names a kernelspec (an executed page)."""
    if path.suffix == ".ipynb":
        return True
    return "kernelspec" in jupytext.read(path).metadata


def notebook_pages(root: Path = REPO_ROOT) -> list[str]:
    """The toc entries that are executed notebooks, e.g. ["intro", "chapters/matmul", ...]."""
    pages = []
    for entry in toc_entries(root):
        path = source_of(entry, root)
        if path is not None and is_notebook(path):
            pages.append(entry)
    return pages


# ---- execution -------------------------------------------------------------------------------

def execute_page(path: Path, timeout: int = CELL_TIMEOUT) -> tuple[nbformat.NotebookNode, float, float]:
    """Run every cell of ``path`` in a new kernel started in the page's folder.

    Returns (executed notebook, kernel start-up seconds, execution seconds without start-up).
    A cell that raises stops the run with nbclient's CellExecutionError (a cell tagged
    ``raises-exception`` may raise on purpose, as in the book build).
    """
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    # "immediate" shutdown: the kernel is thrown away anyway, and a graceful one costs ~0.5 s.
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}})
    env = {**os.environ, "W2VLIB_STATIC": "1"}
    started = time.perf_counter()
    client.reset_execution_trackers()
    with client.setup_kernel(env=env, cwd=str(path.parent)):
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        finished = time.perf_counter()
    return nb, ready - started, finished - ready


_NUMBER = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)"
_FLOAT_REPR = re.compile(rf"^(?:np\.float(?:64|32|16)\(({_NUMBER})\)|({_NUMBER}))$")


def parse_float(text: str) -> float | None:
    """The value of a float's text/plain repr (``1e-17`` or ``np.float64(1e-17)``), else None.

    Integers (no point, no exponent) are not floats here: a check's error is a float.
    """
    match = _FLOAT_REPR.match(text.strip())
    if not match:
        return None
    literal = match.group(1) or match.group(2)
    if re.fullmatch(r"[-+]?\d+", literal):
        return None
    return float(literal)


def glue_outputs(nb: nbformat.NotebookNode) -> list[tuple[str, str | None]]:
    """(name, text/plain) of every ``myst_nb.glue`` call in the executed notebook, in order.

    glue() displays a bundle whose metadata is {"scrapbook": {"name", "mime_prefix"}} and
    whose mime types carry that prefix ("application/papermill.record/" with display=False,
    none with display=True).
    """
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if output.get("output_type") != "display_data" or not scrapbook:
                continue
            prefix = scrapbook.get("mime_prefix", "")
            text = output["data"].get(prefix + "text/plain")
            if isinstance(text, list):
                text = "".join(text)
            found.append((scrapbook["name"], text))
    return found


def glued_values(nb: nbformat.NotebookNode) -> dict[str, str | None]:
    """{name: text/plain} of the glued values (the last one wins, as in myst_nb)."""
    return dict(glue_outputs(nb))


def check_failures(values: dict[str, str]) -> list[str]:
    """Messages for every check_* value that is not a float below the bound."""
    failures = []
    for name, text in values.items():
        if not name.startswith("check_"):
            continue
        value = None if text is None else parse_float(text)
        if value is None:
            failures.append(f"{name}: glued {text!r}, expected a float")
        elif not 0.0 <= value < CHECK_BOUND:   # also catches nan; a signed difference could hide -0.5
            failures.append(f"{name} = {value!r}, expected an error in [0, {CHECK_BOUND})")
    return failures


# ---- the tests -------------------------------------------------------------------------------

@pytest.mark.book
def test_the_four_chapters_are_executed_notebooks():
    pages = notebook_pages()
    missing = [c for c in CHAPTERS if c not in pages]
    assert not missing, f"not in _toc.yml or without a kernelspec in the front matter: {missing}"
    assert "intro" in pages


# The parameter is not called "page": pytest-playwright treats that name as its browser fixture.
@pytest.mark.book
@pytest.mark.parametrize("entry", notebook_pages())
def test_page_runs_and_its_checks_pass(entry):
    from nbclient.exceptions import CellExecutionError

    try:
        nb, _, _ = execute_page(source_of(entry))
    except CellExecutionError as error:
        pytest.fail(f"{entry}: a cell raised\n{error}", pytrace=False)
    names = [name for name, _ in glue_outputs(nb)]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated, f"{entry}: glued more than once (only the last would count): {repeated}"
    values = glued_values(nb)
    failures = check_failures(values)
    assert not failures, f"{entry}: " + "; ".join(failures)
    if entry in CHAPTERS:
        checks = sorted(n for n in values if n.startswith("check_"))
        assert len(checks) >= MIN_CHECKS_PER_CHAPTER, \
            f"{entry} glues {len(checks)} check_ values {checks}, expected at least {MIN_CHECKS_PER_CHAPTER}"


# Self-tests of the executor and the parsing, so a format change in myst_nb cannot make the
# page tests pass vacuously. The parsing tests need no kernel and run with the library tests.

@pytest.mark.parametrize("text, value", [("1e-17", 1e-17), ("0.0", 0.0), ("np.float64(3.5e-09)", 3.5e-09),
                                         ("2.5", 2.5), ("inf", float("inf")), ("np.float32(1.0)", 1.0)])
def test_parse_float_reads_float_reprs(text, value):
    assert parse_float(text) == value


@pytest.mark.parametrize("text", ["0", "np.int64(0)", "'1e-9'", "array([1e-9])", "[1e-9]", ""])
def test_parse_float_refuses_what_is_not_a_float(text):
    assert parse_float(text) is None


def test_check_failures_flags_large_negative_nan_and_non_float_values():
    values = {"check_ok": "1e-12", "check_zero": "0.0", "check_big": "0.001", "check_nan": "nan",
              "check_int": "0", "check_negative": "-0.5", "check_missing": None, "other": "5.0"}
    flagged = {f.split()[0].rstrip(":") for f in check_failures(values)}
    assert flagged == {"check_big", "check_nan", "check_int", "check_negative", "check_missing"}


@pytest.mark.book
def test_glue_outputs_are_found_in_a_notebook_made_by_myst_nb(tmp_path):
    """Glue through myst_nb in a real kernel, then read it back: the format the pages use."""
    page = tmp_path / "tiny.md"
    page.write_text(
        "---\n"
        "jupytext:\n  text_representation: {extension: .md, format_name: myst}\n"
        "kernelspec: {name: python3, display_name: Python 3, language: python}\n"
        "---\n"
        "# Tiny\n\n"
        "```{code-cell} ipython3\n"
        "import os, numpy as np\n"
        "from myst_nb import glue\n"
        "glue('check_tiny_float', 1e-12, display=False)\n"
        "glue('check_tiny_np', np.float64(2e-9), display=False)\n"
        "glue('check_tiny_shown', 0.5)\n"
        "glue('static_flag', os.environ.get('W2VLIB_STATIC'), display=False)\n"
        "glue('cwd', os.getcwd(), display=False)\n"
        "```\n\n"
        "```{code-cell} ipython3\n:tags: [raises-exception]\n"
        "raise ValueError('shown on purpose, as the book build allows')\n"
        "```\n", encoding="utf-8")
    nb, startup, run = execute_page(page)
    values = glued_values(nb)
    assert parse_float(values["check_tiny_float"]) == 1e-12
    assert parse_float(values["check_tiny_np"]) == 2e-9
    assert parse_float(values["check_tiny_shown"]) == 0.5   # display=True: no mime prefix
    assert values["static_flag"] == "'1'"
    assert values["cwd"] == repr(str(tmp_path))
    assert check_failures(values) == ["check_tiny_shown = 0.5, expected an error in [0, 1e-07)"]
    assert startup > 0 and run > 0


@pytest.mark.book
def test_a_cell_that_raises_fails_the_page(tmp_path):
    from nbclient.exceptions import CellExecutionError

    page = tmp_path / "broken.md"
    page.write_text(
        "---\n"
        "kernelspec: {name: python3, display_name: Python 3, language: python}\n"
        "---\n"
        "```{code-cell} ipython3\n"
        "1 / 0\n"
        "```\n", encoding="utf-8")
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute_page(page)


# ---- the exercises: words in the chapter, an answer box inside its exercise, folded solutions --

_DIRECTIVE = re.compile(r"^```+\{(exercise|exercise-start|exercise-end|solution|solution-start|"
                        r"solution-end|admonition)\}[ \t]*(.*)$", re.M)


def _directives(text: str) -> list[tuple[str, str, str]]:
    """(name, argument, options block) of every exercise/solution/admonition fence."""
    found = []
    for match in _DIRECTIVE.finditer(text):
        options = re.match(r"(?:\n:[^\n]*)*", text[match.end():]).group(0)
        found.append((match.group(1), match.group(2).strip(), options))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_live_in_one_section_with_hints_and_solutions_in_dropdowns(chapter):
    text = source_of(chapter).read_text(encoding="utf-8")
    assert len(re.findall(r"^## Exercises$", text, re.M)) == 1, f"{chapter}: one Exercises section"
    assert "Check yourself" not in text and not re.search(r"_exercises\(\)", text)
    section = text.split("\n## Exercises\n", 1)[1].split("\n## ", 1)[0]
    assert "{glue:text}" not in section
    directives = _directives(section)
    labels = [re.search(r":label: (\S+)", o).group(1) for name, _, o in directives
              if name in ("exercise", "exercise-start")]
    solved = [arg for name, arg, _ in directives if name in ("solution", "solution-start")]
    assert labels and sorted(labels) == sorted(solved), f"{chapter}: every exercise, one solution"
    for name, arg, options in directives:
        if name in ("solution", "solution-start") or (name == "admonition" and arg == "Hint"):
            assert ":class: dropdown" in options, f"{chapter}: {name} {arg} is not a dropdown"
    outside = text.replace(section, "")
    assert "answer_box(" not in outside, f"{chapter}: an answer box outside the Exercises"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_answer_boxes_sit_in_their_exercise_and_solution_cells_fold(chapter):
    """Cell by cell, as JupyterLab sees the chapter: an answer_box cell lies between
    {exercise-start} and {exercise-end}; a code cell between {solution-start} and
    {solution-end} has the metadata that folds its source and outputs until clicked."""
    notebook = jupytext.read(source_of(chapter))
    inside, boxes = None, 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for name, _, _ in _directives(cell.source):
                inside = {"exercise-start": "exercise", "solution-start": "solution"}.get(name)
            continue
        if "answer_box(" in cell.source:
            boxes += 1
            assert inside == "exercise", f"{chapter}: answer box outside a gated exercise:\n{cell.source}"
        if inside == "solution":
            folded = cell.metadata.get("jupyter", {})
            assert folded.get("source_hidden") and folded.get("outputs_hidden"), \
                f"{chapter}: a solution's code cell that JupyterLab shows unfolded:\n{cell.source[:200]}"
    assert boxes >= 2, f"{chapter}: {boxes} answer boxes"
