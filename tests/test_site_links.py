"""_ext/site_links.py: the myst-nb version check, and its patch of myst-nb's NotebookClientCache.

The patch is tested on myst-nb itself: a notebook executed into a jupyter-cache, then parsed again
and "executed" from that cache, as Jupyter Book does on a rebuild. myst-nb 1.4.0 alone leaves the
parsed notebook (the one it writes to jupyter_execute/ for the download menu) without outputs;
with the patch it holds them.
"""
from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from myst_nb.core.config import NbParserConfig
from myst_nb.core.execute.cache import NotebookClientCache
from sphinx.errors import ExtensionError

REPO_ROOT = Path(__file__).resolve().parent.parent


def load_site_links():
    spec = importlib.util.spec_from_file_location("site_links_under_test", REPO_ROOT / "_ext" / "site_links.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def notebook_with_one_cell() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    return nb


def executed(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    done = nbformat.from_dict(nb)
    done.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    done.cells[0].execution_count = 1
    return done


def start_from_cache(tmp_path: Path, patched: bool, monkeypatch) -> tuple[NotebookClientCache, object]:
    """A cache that holds the executed notebook; a client started on a freshly parsed copy."""
    cache_path = tmp_path / "cache"
    source = tmp_path / "page.ipynb"
    nbformat.write(notebook_with_one_cell(), source)
    cache = get_cache(str(cache_path))
    from jupyter_cache.base import CacheBundleIn
    cache.cache_notebook_bundle(CacheBundleIn(executed(notebook_with_one_cell()), str(source)),
                                check_validity=False, overwrite=True)
    # Each test patches its own copy of the class method, restored afterwards.
    monkeypatch.setattr(NotebookClientCache, "start_client", NotebookClientCache.start_client)
    if patched:
        load_site_links()._keep_cached_outputs()
    parsed = notebook_with_one_cell()
    client = NotebookClientCache(parsed, source, NbParserConfig(execution_cache_path=str(cache_path),
                                                                execution_mode="cache"),
                                 logging.getLogger("test"))
    client.start_client()
    return client, parsed


def test_myst_nb_alone_loses_the_cached_outputs(tmp_path, monkeypatch):
    # The upstream bug the patch works around: when this fails, myst-nb has fixed it (README).
    client, parsed = start_from_cache(tmp_path, patched=False, monkeypatch=monkeypatch)
    assert client.notebook.cells[0].outputs, "the cache hit did not merge the outputs"
    assert client.notebook is not parsed and not parsed.cells[0].outputs


def test_the_patch_keeps_the_cached_outputs_in_the_parsed_notebook(tmp_path, monkeypatch):
    client, parsed = start_from_cache(tmp_path, patched=True, monkeypatch=monkeypatch)
    assert client.notebook is parsed
    assert parsed.cells[0].outputs[0]["text"] == "42\n"
    assert parsed.cells[0].execution_count == 1


def test_the_patch_is_applied_once(monkeypatch):
    monkeypatch.setattr(NotebookClientCache, "start_client", NotebookClientCache.start_client)
    module = load_site_links()
    module._keep_cached_outputs()
    first = NotebookClientCache.start_client
    module._keep_cached_outputs()
    assert NotebookClientCache.start_client is first and first._keeps_outputs


def test_an_unexpected_myst_nb_stops_the_build():
    module = load_site_links()
    module.check_myst_nb_version()        # the installed one is the patched one
    with pytest.raises(ExtensionError, match=r"myst-nb 1\.4\.1 is installed"):
        module.check_myst_nb_version("1.4.1")
