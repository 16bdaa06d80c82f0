"""Fixtures shared by the library tests and the tests of the built book."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def build_dir() -> Path:
    """Where `make book` put the build (override with W2V_BUILD_DIR while developing)."""
    return Path(os.environ.get("W2V_BUILD_DIR", REPO_ROOT / "_build"))


@pytest.fixture(scope="session")
def html_dir(build_dir: Path) -> Path:
    """The built website (a failure, not a skip, when it was not built)."""
    html = build_dir / "html"
    assert (html / "index.html").exists(), f"no site in {html}: run `make book` first"
    return html


# The browser tests use pytest-playwright's `browser` (and `page`) fixtures, with its options:
# `--tracing retain-on-failure`, `--screenshot only-on-failure`, `--output DIR`. Its Chromium is
# Debian's (Playwright's own download cannot run here), launched with the offline flags.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless and offline (a failure, not a skip, when it is missing)."""
    from site_support import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/system-deps.sh browser"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "headless": True}
