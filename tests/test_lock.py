"""The locks: requirements.txt and binder/requirements.txt are `make lock`'s output, nothing else.

pyproject.toml declares the direct dependencies; scripts/lock.sh (uv pip compile, with hashes) turns
them into the two locks; the Makefile syncs .venv to requirements.txt. These tests fail when a lock
is stale (pyproject.toml changed, `make lock` not run) or was edited by hand, when a requirement has
no hash, and when .venv holds anything but the lock.
"""
from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from binder_support import normalise, read_pins

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.txt", "binder/requirements.txt")
UV = Path(sys.executable).parent / "uv"


def requirement_blocks(text: str) -> dict[str, str]:
    """{requirement line: its continuation lines} of a pip requirements file (comments dropped)."""
    blocks: dict[str, str] = {}
    current = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith((" ", "\t")) and current is not None:
            blocks[current] += line.strip() + "\n"
        else:
            current = line.removesuffix("\\").strip()
            blocks[current] = ""
    return blocks


@pytest.mark.parametrize("lock", LOCKS)
def test_every_requirement_is_pinned_with_hashes(lock: str):
    blocks = requirement_blocks((REPO_ROOT / lock).read_text(encoding="utf-8"))
    read_pins(REPO_ROOT / lock)  # raises on anything but an exact pin
    unhashed = [req for req, rest in blocks.items() if "--hash=sha256:" not in rest]
    assert blocks and not unhashed, f"{lock}: requirements without a hash: {unhashed}"


def test_locks_are_what_make_lock_writes(tmp_path: Path):
    # Into a copy of today's locks (uv reads them as its preferences, as `make lock` does): a
    # changed pyproject.toml or a hand-edited pin, version or hash gives a different file.
    for lock in LOCKS:
        (tmp_path / lock).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / lock, tmp_path / lock)
    assert UV.exists(), f"{UV} is missing: `make` installs it from requirements.txt"
    done = subprocess.run([str(REPO_ROOT / "scripts" / "lock.sh"), str(UV), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"scripts/lock.sh failed:\n{done.stdout}\n{done.stderr}"
    stale = [lock for lock in LOCKS
             if (tmp_path / lock).read_text() != (REPO_ROOT / lock).read_text()]
    assert not stale, (f"{stale} differ from what `make lock` writes from pyproject.toml: run "
                       "`make lock` and commit the result (never edit a lock by hand)")


def test_the_binder_group_installs_what_the_chapters_import():
    binder = read_pins(REPO_ROOT / "binder" / "requirements.txt")
    assert "jupyterlab-myst" in binder
    # The chapters glue with w2vlib.glue, not myst-nb's: Binder does not need Sphinx at all.
    assert "myst-nb" not in binder and "sphinx" not in binder, sorted(binder)
    for chapter in (REPO_ROOT / "chapters").glob("*.md"):
        assert not re.search(r"^\s*(from|import) myst_nb", chapter.read_text(), re.M), chapter


def test_venv_holds_exactly_the_lock():
    pinned = read_pins(REPO_ROOT / "requirements.txt")
    installed = {normalise(dist.metadata["Name"]): dist.version
                 for dist in importlib.metadata.distributions()}
    assert installed.pop("w2vlib", None) is not None, "w2vlib is not installed in this environment"
    extra = sorted(set(installed) - set(pinned))
    assert not extra, f"installed but not in requirements.txt (run `make`, which syncs): {extra}"
    differ = {name: (installed.get(name), version) for name, version in pinned.items()
              if installed.get(name) != version}
    assert not differ, f"installed vs locked versions differ (run `make`): {differ}"


def test_new_venvs_start_with_current_installers():
    # The Makefile makes .venv with --upgrade-deps, then syncs pip and setuptools to the lock's
    # (Python 3.11's bundled pip 23.2.1 and setuptools 65.5.0 have published CVEs).
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "-m venv --upgrade-deps" in makefile
    pinned = read_pins(REPO_ROOT / "requirements.txt")
    assert importlib.metadata.version("pip") == pinned["pip"]
    assert tuple(int(part) for part in pinned["pip"].split(".")[:2]) > (23, 2)
    assert int(pinned["setuptools"].split(".")[0]) > 65
