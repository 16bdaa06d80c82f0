"""scripts/build-lite.py: Pyodide's packages are taken from the carrier only when they match the lock.

A made-up Pyodide (runtime files, a pyodide-lock.json) and carrier wheel in a temporary folder:
the build must take exactly the closure of its roots, and stop on a file whose sha256 differs from
the lock or that the carrier lacks.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def load_build_lite():
    spec = importlib.util.spec_from_file_location("build_lite", REPO_ROOT / "scripts" / "build-lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PACKAGES = {  # name: (file, bytes, depends)
    "numpy": ("numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl", b"numpy wheel", []),
    "matplotlib": ("matplotlib-3.8.4-cp312-cp312-pyodide_2024_0_wasm32.whl", b"mpl wheel",
                   ["numpy", "python_dateutil"]),
    "python-dateutil": ("python_dateutil-2.9.0-py3-none-any.whl", b"dateutil wheel", []),
    "pandas": ("pandas-2.2.3-cp312-cp312-pyodide_2024_0_wasm32.whl", b"pandas wheel", ["numpy"]),
}


@pytest.fixture
def fake(tmp_path, monkeypatch):
    build_lite = load_build_lite()
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    for name in build_lite.RUNTIME_FILES:
        (runtime / name).write_text("runtime")
    lock = {"info": {"version": "0.27.7"}, "packages": {
        name: {"name": name, "file_name": file, "sha256": hashlib.sha256(data).hexdigest(), "depends": deps}
        for name, (file, data, deps) in PACKAGES.items()}}
    (runtime / "pyodide-lock.json").write_text(json.dumps(lock))
    (runtime / "package.json").write_text(json.dumps({"version": "0.27.7"}))
    monkeypatch.setattr(build_lite, "RUNTIME", runtime)
    monkeypatch.setattr(build_lite, "PYODIDE_ROOTS", ["matplotlib"])

    def carrier(contents: dict[str, bytes]) -> Path:
        path = tmp_path / "carrier.whl"
        with zipfile.ZipFile(path, "w") as archive:
            for file, data in contents.items():
                archive.writestr(build_lite.CARRIER_FOLDER + file, data)
        return path

    return build_lite, carrier, tmp_path / "out"


def test_takes_the_closure_of_the_roots_when_every_hash_matches(fake):
    build_lite, carrier, out = fake
    build_lite.stage_pyodide(carrier({file: data for file, data, _ in PACKAGES.values()}), out)
    wheels = sorted(p.name for p in out.glob("*.whl"))
    assert wheels == sorted(PACKAGES[name][0] for name in ("numpy", "matplotlib", "python-dateutil"))
    for name in ("numpy", "matplotlib", "python-dateutil"):
        file, data, _ = PACKAGES[name]
        assert (out / file).read_bytes() == data


def test_stops_on_a_file_that_differs_from_the_lock(fake):
    build_lite, carrier, out = fake
    contents = {file: data for file, data, _ in PACKAGES.values()}
    contents[PACKAGES["numpy"][0]] = b"numpy wheel, changed"
    with pytest.raises(SystemExit, match=r"sha256 differs.*numpy-2\.0\.2"):
        build_lite.stage_pyodide(carrier(contents), out)


def test_stops_when_the_carrier_lacks_a_package(fake):
    build_lite, carrier, out = fake
    contents = {file: data for name, (file, data, _) in PACKAGES.items() if name != "python-dateutil"}
    with pytest.raises(SystemExit, match="python_dateutil.*is not in"):
        build_lite.stage_pyodide(carrier(contents), out)


def test_stops_when_a_root_is_not_a_pyodide_package(fake, monkeypatch):
    build_lite, carrier, out = fake
    monkeypatch.setattr(build_lite, "PYODIDE_ROOTS", ["gensim"])
    with pytest.raises(SystemExit, match="gensim is not in Pyodide"):
        build_lite.stage_pyodide(carrier({}), out)
