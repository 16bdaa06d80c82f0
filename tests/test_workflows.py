"""The GitHub Actions workflows in .github/workflows/, checked here because GitHub is out of reach.

actionlint (pinned in pyproject.toml's tests group) checks their syntax, expressions, the inputs of
every action they use and the actions' runtimes. The rest is what publishing needs: `make test` as
the only make target (the one .ci/run and this suite run), the launch buttons' repository URL from
W2V_REPOSITORY_URL, the site with its PDF deployed to Pages from main, the PDF attached on a tag.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"
# The make targets a workflow may call: those that this suite's own entry point runs.
SUITE_TARGETS = {"test"}


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    assert ACTIONLINT.exists(), f"{ACTIONLINT} is missing: `make` installs it from requirements.txt"
    return subprocess.run([str(ACTIONLINT), "-no-color", *map(str, paths)], capture_output=True,
                          text=True, cwd=REPO_ROOT, timeout=120)


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on:` as True.
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_there_is_a_workflow():
    assert WORKFLOWS, "no workflow in .github/workflows/"


def test_actionlint_passes():
    done = actionlint(*WORKFLOWS)
    assert done.returncode == 0 and not done.stdout.strip(), f"actionlint:\n{done.stdout}{done.stderr}"


def test_actionlint_catches_a_broken_workflow(tmp_path):
    # So that a pass above means something: a typo in an expression and a missing input fail.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                      "      - run: echo ${{ github.nope }}\n      - uses: actions/upload-artifact@v7\n")
    done = actionlint(broken)
    assert done.returncode != 0
    assert "nope" in done.stdout and '"path"' in done.stdout, done.stdout


def test_workflows_call_only_the_make_targets_the_suite_runs():
    ci_run = (REPO_ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci_run, re.M), ".ci/run is expected to run `make test`"
    for path in WORKFLOWS:
        for job, step in steps(load(path)):
            for line in step.get("run", "").replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                for k, word in enumerate(words):
                    if word == "make" or word.endswith("/make"):
                        targets = {w for w in words[k + 1:] if not w.startswith("-") and "=" not in w}
                        assert targets and targets <= SUITE_TARGETS, (
                            f"{path.name}, job {job}: `{line.strip()}` calls make targets "
                            f"{targets or '{default}'}; only {SUITE_TARGETS} are run by the test suite")


def test_the_book_is_tested_then_published_to_pages_and_released_on_a_tag():
    workflow = load(REPO_ROOT / ".github" / "workflows" / "book.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert "main" in workflow["on"]["push"]["branches"] and workflow["on"]["push"]["tags"]
    # The launch buttons' repository: this one, from the build environment.
    assert workflow["env"]["W2V_REPOSITORY_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    jobs = workflow["jobs"]
    build = [step for step in jobs["build"]["steps"]]
    runs = [step.get("run", "") for step in build]
    assert "make test" in runs
    pages = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert pages and pages[0]["with"]["path"] == "_build/html"   # make test copies book.pdf into it
    # Pages: deployed from main only, by the official action, with the permissions it needs.
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    # A tag: the PDF is attached to its release.
    release = jobs["release"]
    assert "refs/tags/" in release["if"] and release["permissions"] == {"contents": "write"}
    script = "\n".join(s.get("run", "") for s in release["steps"])
    assert "gh release upload" in script and "book.pdf" in script
    uploaded = [s for s in build if s.get("with", {}).get("name") == "book-pdf"]
    assert uploaded and uploaded[0]["with"]["path"] == "_build/latex/book.pdf"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_grant_least_permissions(path):
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}, (
        f"{path.name}: give the workflow read-only contents and each job what it needs")
