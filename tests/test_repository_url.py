"""_ext/repository_url.py: the buttons' repository comes from the build's environment."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "_ext"))

from repository_url import (ENVIRONMENT_VARIABLE, PLACEHOLDER, github_https_url,  # noqa: E402
                            resolve)


@pytest.mark.parametrize("remote", [
    "https://github.com/someone/cbow-book",
    "https://github.com/someone/cbow-book.git",
    "https://github.com/someone/cbow-book/",
    "http://github.com/someone/cbow-book",
    "https://x-access-token:SECRET@github.com/someone/cbow-book.git",
    "git@github.com:someone/cbow-book.git",
    "git@github.com:someone/cbow-book",
    "ssh://git@github.com/someone/cbow-book.git",
    "ssh://git@github.com:22/someone/cbow-book",
    "git://github.com/someone/cbow-book.git",
])
def test_github_remotes_become_one_https_url(remote):
    assert github_https_url(remote) == "https://github.com/someone/cbow-book"


@pytest.mark.parametrize("remote", [
    "https://gitlab.com/someone/cbow-book.git", "/srv/git/cbow-book.git", "../cbow-book",
    "https://github.com/someone", "https://github.com/someone/cbow-book/tree/main", "",
])
def test_other_remotes_are_not_github_repositories(remote):
    assert github_https_url(remote) is None


def test_bad_input_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        github_https_url(None)


def _checkout(tmp_path: Path, origin: str | None) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    if origin is not None:
        subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", origin], check=True)
    return tmp_path


def test_the_variable_wins_over_the_remote(tmp_path):
    root = _checkout(tmp_path, "git@github.com:fork/book.git")
    repository, note = resolve(root, {ENVIRONMENT_VARIABLE: "https://github.com/published/book"})
    assert (repository.url, repository.source, note) == ("https://github.com/published/book",
                                                         ENVIRONMENT_VARIABLE, None)


def test_a_bad_variable_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match=ENVIRONMENT_VARIABLE):
        resolve(_checkout(tmp_path, None), {ENVIRONMENT_VARIABLE: "not a url"})


def test_the_git_remote_origin_is_normalised(tmp_path):
    repository, note = resolve(_checkout(tmp_path, "git@github.com:fork/book.git"), {})
    assert (repository.url, repository.source, note) == ("https://github.com/fork/book",
                                                         "git remote origin", None)


@pytest.mark.parametrize("origin, why", [(None, "no git remote"),
                                         ("https://gitlab.com/fork/book.git", "not a GitHub")])
def test_the_placeholder_comes_with_a_note(tmp_path, origin, why):
    repository, note = resolve(_checkout(tmp_path, origin), {})
    assert repository.url == PLACEHOLDER and repository.is_placeholder
    assert why in note and PLACEHOLDER in note and ENVIRONMENT_VARIABLE in note
    assert "\n" not in note, "the note is one line of the build log"


def test_the_note_hides_credentials(tmp_path):
    _, note = resolve(_checkout(tmp_path, "https://user:SECRET@gitlab.com/fork/book.git"), {})
    assert "SECRET" not in note


def test_placeholder_is_config_repository_url():
    import yaml
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
    assert config["repository"]["url"] == PLACEHOLDER
    assert config["sphinx"]["local_extensions"].get("repository_url") == "_ext/"


def test_the_script_prints_the_url(tmp_path):
    root = _checkout(tmp_path, "https://github.com/fork/book.git")
    done = subprocess.run([sys.executable, str(REPO_ROOT / "_ext" / "repository_url.py"), str(root)],
                          capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.stdout == "https://github.com/fork/book\n"


class _Config:
    html_theme_options = {"launch_buttons": {"thebe": True}, "repository_url": PLACEHOLDER}


class _App:
    def __init__(self, srcdir):
        self.srcdir = str(srcdir)


def test_the_extension_sets_the_theme_option(tmp_path, monkeypatch, capsys):
    from repository_url import _set_repository

    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "git@github.com:published/book.git")
    config = _Config()
    _set_repository(_App(_checkout(tmp_path, None)), config)
    assert config.html_theme_options == {"launch_buttons": {"thebe": True},
                                         "repository_url": "https://github.com/published/book"}
    assert capsys.readouterr().err == ""
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    _set_repository(_App(tmp_path), config)
    assert config.html_theme_options["repository_url"] == PLACEHOLDER
    assert capsys.readouterr().err.startswith("NOTE: ")
