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
