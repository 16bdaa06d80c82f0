"""scripts/build-book.py: which pages it executes ahead of Jupyter Book.

A page it missed would still be executed, by Jupyter Book, one after another (slow, not wrong);
a page it added would be executed for nothing. So its list must be exactly the toc's notebook
pages, found here independently of it (tests/test_chapters.py reads _toc.yml and the front matter
with jupytext).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from test_chapters import notebook_pages

REPO_ROOT = Path(__file__).resolve().parent.parent


def load_build_book():
    spec = importlib.util.spec_from_file_location("build_book", REPO_ROOT / "scripts" / "build-book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_executes_exactly_the_toc_notebook_pages():
    build_book = load_build_book()
    sources = build_book.notebook_sources(REPO_ROOT, [])
    found = [path.relative_to(REPO_ROOT).with_suffix("").as_posix() for path, _ in sources]
    assert found == notebook_pages(REPO_ROOT)
    readers = {reader["name"] for _, reader in sources}
    assert readers <= {"myst_nb_md", "nbformat"}, readers


def test_skips_what_execute_exclude_patterns_excludes():
    build_book = load_build_book()
    everything = build_book.notebook_sources(REPO_ROOT, [])
    excluded = everything[0][0].relative_to(REPO_ROOT).as_posix()
    kept = build_book.notebook_sources(REPO_ROOT, [excluded])
    assert [path for path, _ in kept] == [path for path, _ in everything[1:]]
