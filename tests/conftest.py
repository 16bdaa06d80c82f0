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
def chromium(playwright):
    """Debian's Chromium, headless, driven by Playwright (a failure, not a skip, when it is missing)."""
    from site_support import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/system-deps.sh browser"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
