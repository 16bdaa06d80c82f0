"""Which GitHub repository the site's buttons point at (Binder, Live Code, repository, issues, edit).

The URL comes from the build's environment, first match wins:

1. ``W2V_REPOSITORY_URL``: a publishing workflow sets it (e.g. to ``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY``);
2. the checkout's git remote ``origin``, normalised to ``https://github.com/OWNER/NAME``
   (``git@github.com:OWNER/NAME.git``, ``ssh://git@github.com/OWNER/NAME``, ``https://TOKEN@github.com/...``);
3. ``repository.url`` of ``_config.yml``, a placeholder: the buttons would be dead links on a published
   copy, so the build prints a note saying so (a note, not a Sphinx warning: a local build without a
   remote must still pass ``-W``).

Run as a script, it prints the URL it resolves for this checkout (the Makefile rebuilds every page when
it changes); as a Sphinx extension it puts the URL into ``html_theme_options["repository_url"]``, from
which sphinx-book-theme derives every button.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

ENVIRONMENT_VARIABLE = "W2V_REPOSITORY_URL"
PLACEHOLDER = "https://github.com/w2vlib/cbow-by-hand"   # repository.url in _config.yml

_OWNER_NAME = r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<name>[A-Za-z0-9._-]+?)"
_GITHUB_FORMS = (
    # https://github.com/OWNER/NAME(.git)(/), with optional credentials, also http:// and git://
    re.compile(r"(?:https?|git)://(?:[^@/]+@)?(?:www\.)?github\.com/" + _OWNER_NAME + r"(?:\.git)?/?"),
    # ssh://git@github.com(:22)/OWNER/NAME(.git)
    re.compile(r"ssh://(?:[^@/]+@)?github\.com(?::\d+)?/" + _OWNER_NAME + r"(?:\.git)?/?"),
    # scp-like: git@github.com:OWNER/NAME(.git)
    re.compile(r"(?:[^@/]+@)?github\.com:" + _OWNER_NAME + r"(?:\.git)?/?"),
)


@dataclass(frozen=True)
class Repository:
    url: str      # https://github.com/OWNER/NAME
    source: str   # where it came from: the variable, the git remote, or the placeholder

    @property
    def is_placeholder(self) -> bool:
        return self.source == "placeholder"


def github_https_url(remote: str) -> str | None:
    """``remote`` as ``https://github.com/OWNER/NAME``, or None when it is not a GitHub repository."""
    if not isinstance(remote, str):
        raise TypeError(f"expected the remote as a str, got {type(remote).__name__}")
    text = remote.strip()
    for form in _GITHUB_FORMS:
        match = form.fullmatch(text)
        if match and match["name"] not in (".", ".."):
            return f"https://github.com/{match['owner']}/{match['name']}"
    return None


def git_origin(root: Path) -> str | None:
    """The URL of the git remote ``origin`` of the checkout at ``root``, or None."""
    try:
        done = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def resolve(root: Path, environ: Mapping[str, str] | None = None) -> tuple[Repository, str | None]:
    """The repository the buttons should point at, and a note for the build log when it falls back.

    Raises ValueError when ``W2V_REPOSITORY_URL`` is set but names no GitHub repository (a
    publishing workflow with a typo must not publish dead buttons).
    """
    environ = os.environ if environ is None else environ
    given = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if given:
        url = github_https_url(given)
        if url is None:
            raise ValueError(f"{ENVIRONMENT_VARIABLE}={given!r}: expected a GitHub repository URL "
                             "such as https://github.com/OWNER/NAME")
        return Repository(url, ENVIRONMENT_VARIABLE), None
    origin = git_origin(root)
    if origin is not None:
        url = github_https_url(origin)
        if url is not None:
            return Repository(url, "git remote origin"), None
        why = f"the git remote origin ({_without_credentials(origin)}) is not a GitHub repository"
    else:
        why = f"{ENVIRONMENT_VARIABLE} is not set and the checkout has no git remote 'origin'"
    note = (f"NOTE: the Binder, Live Code and repository buttons point at the placeholder {PLACEHOLDER}: "
            f"{why}. Set {ENVIRONMENT_VARIABLE}=https://github.com/OWNER/NAME to publish working buttons.")
    return Repository(PLACEHOLDER, "placeholder"), note


def _without_credentials(url: str) -> str:
    return re.sub(r"//[^@/]+@", "//", url)


# ---- the Sphinx extension --------------------------------------------------------------------

def _set_repository(app, config) -> None:
    repository, note = resolve(Path(app.srcdir))
    options = dict(config.html_theme_options or {})
    options["repository_url"] = repository.url
    config.html_theme_options = options
    if note:
        # Printed, not logged as a warning: the site is still correct for a local reader, and a
        # checkout without a remote must build under -W.
        print(note, file=sys.stderr, flush=True)


def setup(app) -> dict[str, Any]:
    # Before sphinx-book-theme reads repository_url (builder-inited) to derive every button.
    app.connect("config-inited", _set_repository)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    # The URL alone (the Makefile compares it with the last build's); the build prints the note.
    print(resolve(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())[0].url)
