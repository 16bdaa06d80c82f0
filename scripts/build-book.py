#!/usr/bin/env python3
"""Build the book: execute its notebooks in parallel, then run `jupyter-book build`.

    python scripts/build-book.py BOOK_ROOT [jupyter-book build options...]

e.g. ``python scripts/build-book.py . -W -n --keep-going --path-output /tmp/site`` (what
``make book`` runs, without ``--path-output``). The options go to ``jupyter-book build`` unchanged.

With ``execute_notebooks: cache`` Jupyter Book (myst-nb) executes the notebooks one after another
while it reads the pages, leaving the second core idle. So first, every notebook page of
``_toc.yml`` whose code is not in the execution cache yet is executed here, one kernel per core,
into that same cache (``<path-output>/_build/.jupyter_cache``), with jupyter-cache's own execution
worker (see ExecutionWorker): read with myst-nb's MyST reader, run in the notebook's folder with
the timeout of ``_config.yml``, as myst-nb would run it. Jupyter Book then finds every notebook in
the cache (its log says "Using cached notebook") and only renders. It runs in this same process,
so the two share one start-up (the imports alone take ~2 s). A rebuild reads only the notebooks
edited since the cache last stored their outputs.

Only successful runs are cached. A notebook that fails here is reported and left out of the cache:
Jupyter Book executes it again and fails the build with the cell's error exactly as it would
without this script (``nb_execution_raise_on_error``); this script never decides whether a build
succeeds. Its exit status is Jupyter Book's.

Each kernel gets one BLAS thread (unless the environment already sets one), as joblib does for its
workers: two kernels with two BLAS threads each on two cores slow each other down.

Editions (scripts/editions.py): the book is built in every language it has, English (`_config.yml`)
and each `locales/<code>/` (its configuration written to ``<path-output>/_build/<code>/_config.yml``,
its own cache, its kernels run with ``W2VLIB_LANG=<code>``). The notebooks of all editions are
executed in one pool; then the editions' Jupyter Book builds run side by side, English in this
process and each other one in a subprocess, and each other edition's HTML is copied into the English
site as ``_build/html/<code>/``. ``--edition CODE`` builds one edition alone (no copy is made).
"""
from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import subprocess
import sys
import time
from datetime import timezone
from pathlib import Path, PurePosixPath

import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import JupyterCacheAbstract, ProjectNb
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData
from jupyter_cache.executors.utils import ExecutionResult, single_nb_execution
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx_external_toc.parsing import parse_toc_yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition_config import (ENGLISH, edition_output, editions, publish_edition,  # noqa: E402
                      write_edition_config)

# The reader myst-nb registers with jupyter-cache for MyST Markdown notebooks, and the one for
# .ipynb files: a notebook read here hashes exactly as myst-nb's copy of it does.
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}
IPYNB_READER = {"name": "nbformat", "type": "plugin"}
MYST_NB_DEFAULT_TIMEOUT = 30   # seconds per cell: myst-nb's default nb_execution_timeout
EXECUTED, EXCEPTED = 0, 1      # jupyter-cache's worker statuses (2: could not run or cache)
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


class ExecutionWorker(ExecutionWorkerLocalMProc):
    """jupyter-cache's parallel worker (kernel in the notebook's folder, successful runs cached),
    with two of nbclient's options:

    - ``coalesce_streams``: a cell's stdout arrives in pieces, cut every 0.2 s by the kernel's
      flush timer, sometimes inside a line (``print("error =", err)`` writes three pieces); myst-nb
      merges the pieces of a page (nb_merge_streams) but ends each with a newline, so a cut line
      would show broken, and only when the machine is busy. Joined here as they were printed.
    - ``shutdown_kernel="immediate"``: the kernel is killed once its last cell has run, instead of
      being asked to shut down (~0.7 s a notebook); every output has arrived by then.
    """

    @staticmethod
    def execute(project_nb: ProjectNb, data: ProcessData) -> ExecutionResult:
        return single_nb_execution(project_nb.nb, cwd=str(Path(project_nb.uri).parent),
                                   timeout=data.timeout, allow_errors=data.allow_errors,
                                   coalesce_streams=True, shutdown_kernel="immediate")


def notebook_sources(book_root: Path, exclude_patterns: list[str]) -> list[tuple[Path, dict]]:
    """The toc's pages that myst-nb executes, as (source file, jupyter-cache reader), in toc order."""
    notebooks = []
    for docname in parse_toc_yaml(book_root / "_toc.yml"):
        ipynb, markdown = book_root / f"{docname}.ipynb", book_root / f"{docname}.md"
        source = ipynb if ipynb.exists() else markdown
        if any(PurePosixPath(source.as_posix()).match(pattern) for pattern in exclude_patterns):
            continue   # myst-nb's rule for execute: exclude_patterns
        if source is ipynb:
            notebooks.append((ipynb, IPYNB_READER))
        elif markdown.exists() and is_myst_markdown_notebook(markdown.read_text(encoding="utf-8")):
            notebooks.append((markdown, MYST_READER))
    return notebooks


def pending_executions(book_root: Path, config_path: Path, path_output: Path
                       ) -> tuple[list[ProcessData], JupyterCacheAbstract | None]:
    """The notebooks of one edition whose outputs its cache lacks (as jupyter-cache jobs)."""
    if not ((book_root / "_toc.yml").is_file() and config_path.is_file()):
        return [], None   # not a book folder (a single page?): Jupyter Book does it all
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    if execute.get("execute_notebooks") != "cache" or execute.get("run_in_temp", False):
        return [], None   # Jupyter Book executes (or not) on its own; nothing here would be read
    # myst-nb's rule: the cache named in the configuration, else <build folder>/.jupyter_cache.
    cache_path = Path(execute["cache"]) if execute.get("cache") else path_output / "_build" / ".jupyter_cache"
    cache = get_cache(cache_path)
    sources = notebook_sources(book_root, list(execute.get("exclude_patterns") or []))
    # Reading and hashing every notebook to look it up takes ~0.4 s, most of a rebuild's extra
    # cost here: a notebook not edited since the cache last stored outputs made from it is taken
    # as cached unread. Were that ever wrong, Jupyter Book would miss and execute it itself.
    cached_at = last_cached(cache)
    sources = [(path, reader) for path, reader in sources
               if path.stat().st_mtime >= cached_at.get(str(path.absolute()), 0.0)]
    uris = [cache.add_nb_to_project(str(path), read_data=reader).uri for path, reader in sources]
    pending = cache.list_unexecuted(filter_uris=uris) if uris else []
    timeout = execute.get("timeout", MYST_NB_DEFAULT_TIMEOUT)
    allow_errors = bool(execute.get("allow_errors", False))
    return [ProcessData(record.pk, record.uri, cache, timeout, allow_errors) for record in pending], cache


def execute_in_language(job: tuple[str, ProcessData]) -> tuple[int, str]:
    """Run one notebook with w2vlib's words in the language of its edition (the kernel inherits
    W2VLIB_LANG from this worker, which runs one notebook at a time)."""
    language, data = job
    os.environ["W2VLIB_LANG"] = language
    return ExecutionWorker()(data)


def execute_into_caches(book_root: Path, builds: list[tuple[str, Path, Path]]) -> None:
    """Execute, in one pool, every edition's notebooks that its cache lacks; report failures.

    ``builds``: (language, configuration file, path output) of each edition to build."""
    jobs: list[tuple[str, ProcessData]] = []
    caches: dict[str, JupyterCacheAbstract] = {}
    for language, config_path, path_output in builds:
        pending, cache = pending_executions(book_root, config_path, path_output)
        jobs += [(language, data) for data in pending]
        if cache is not None:
            caches[language] = cache
    if not jobs:
        return
    workers = min(len(jobs), os.cpu_count() or 1)
    one_blas_thread = workers > 1 and not any(name in os.environ for name in BLAS_THREAD_VARIABLES)
    print(f"build-book: executing {len(jobs)} notebook(s), {workers} at a time", flush=True)
    started = time.perf_counter()
    try:
        if one_blas_thread:   # the kernels inherit it
            os.environ["OPENBLAS_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
        # Longest first (the chapters that run longest come last in the toc), so that the
        # last notebook to finish is a short one.
        jobs.reverse()
        with multiprocessing.Pool(workers) as pool:
            results = pool.map(execute_in_language, jobs, chunksize=1)
    finally:
        if one_blas_thread:   # Jupyter Book's own kernels (a notebook that failed here) get the default
            del os.environ["OPENBLAS_NUM_THREADS"], os.environ["MKL_NUM_THREADS"]
    executed = [uri for status, uri in results if status == EXECUTED]
    print(f"build-book: {len(executed)} of {len(jobs)} notebook(s) executed and cached "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    for (language, _), (status, uri) in zip(jobs, results):
        if status != EXECUTED:
            report_failure(caches[language], uri, book_root, status)


def last_cached(cache: JupyterCacheAbstract) -> dict[str, float]:
    """When the cache last stored outputs of each notebook file: {absolute path: POSIX time}."""
    times: dict[str, float] = {}
    for record in cache.list_cache_records():
        created = record.created   # jupyter-cache stores UTC; SQLite drops the time zone
        stamp = (created if created.tzinfo else created.replace(tzinfo=timezone.utc)).timestamp()
        times[record.uri] = max(times.get(record.uri, 0.0), stamp)
    return times


def report_failure(cache: JupyterCacheAbstract, uri: str, book_root: Path, status: int) -> None:
    """Name the notebook that failed and the end of its traceback, on stderr."""
    traceback = cache.get_project_record(uri).traceback if status == EXCEPTED else None
    lines = (traceback or "(it could not be run or cached)").strip().splitlines()
    print(f"build-book: {Path(uri).relative_to(book_root)} FAILED; Jupyter Book executes it again "
          "and reports the error. The end of its traceback:\n    " + "\n    ".join(lines[-6:]),
          file=sys.stderr, flush=True)


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    parser.add_argument("book_root", type=Path)
    parser.add_argument("--path-output", type=Path)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--builder", default="html")
    parser.add_argument("--edition")
    known, _ = parser.parse_known_args(arguments)
    book_root = known.book_root.resolve()
    path_output = (known.path_output or book_root).resolve()
    # Jupyter Book's options, without the ones this script sets per edition.
    options, skip = [], False
    for argument in arguments[1:]:
        if skip:
            skip = False
        elif argument in ("--path-output", "--config", "--edition"):
            skip = True
        elif not argument.startswith(("--path-output=", "--config=", "--edition=")):
            options.append(argument)

    if known.config or known.builder != "html" or not (book_root / "_config.yml").is_file():
        languages = [ENGLISH]   # a build Jupyter Book is told all about: exactly that build
    else:
        languages = [known.edition] if known.edition else editions(book_root)
    builds = []
    for language in languages:
        if language == ENGLISH:
            config = known.config or book_root / "_config.yml"
            builds.append((language, config.resolve(), path_output))
        else:
            output = edition_output(path_output, language)
            builds.append((language, write_edition_config(book_root, language, output), output))
    execute_into_caches(book_root, builds)

    # The other editions build in subprocesses, beside this one (each is mostly one core's work).
    others = []
    for language, config, output in builds:
        if language == ENGLISH:
            continue
        command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build",
                   str(book_root), *options, "--config", str(config), "--path-output", str(output)]
        log = (output / "build.log").open("w", encoding="utf-8")
        others.append((language, output, log, subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "W2VLIB_LANG": language})))

    status = 0
    try:
        if any(language == ENGLISH for language, _, _ in builds):
            from jupyter_book.cli.main import main as jupyter_book
            os.environ["W2VLIB_LANG"] = ENGLISH
            command = ["build", str(book_root), *options] + (
                ["--path-output", str(known.path_output)] if known.path_output else []) + (
                ["--config", str(known.config)] if known.config else [])
            try:
                jupyter_book(command, standalone_mode=False)
            except KeyboardInterrupt:
                raise
            except SystemExit as error:   # Jupyter Book's own "stop" (it printed why)
                status = error.code if isinstance(error.code, int) and error.code else 1
            except Exception as error:    # the build failed (Jupyter Book printed the cause)
                print(error, file=sys.stderr, flush=True)
                status = 1
    finally:
        for language, output, log, process in others:
            code = process.wait()
            log.close()
            text = (output / "build.log").read_text(encoding="utf-8")
            print(f"\n==== the {language} edition (log: {output / 'build.log'})\n" + (
                text if code else "\n".join(text.splitlines()[-3:])), flush=True)
            if code:
                print(f"build-book: the {language} edition FAILED (exit {code})", file=sys.stderr)
                status = status or code
            elif not known.edition:
                print(f"build-book: the {language} edition is in "
                      f"{publish_edition(path_output, language)}", flush=True)
        # The build leaves ~350,000 objects; the interpreter's last collections walk them all for
        # ~0.6 s on the way out, to free memory the OS takes back anyway. Exempt them.
        # (Files and the cache database are closed by then; atexit handlers still run.)
        gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
