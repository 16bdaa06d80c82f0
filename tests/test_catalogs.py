"""The translations' catalogs (locales/<code>/LC_MESSAGES/**/*.po) against the English sources.

- complete: no message untranslated or fuzzy (sphinx-intl's own count, and babel's reading);
- current: the catalogs hold exactly the messages the English sources have now (extracted afresh
  by Sphinx's gettext builder, as `make catalogs` does): changing English prose means updating
  its translations in the same commit;
- faithful: each translation keeps its original's inline maths, code, role targets and link
  targets (tests/catalog_support.py);
- each edition's settings (locales/<code>/config.yml) name its language.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog_support import problems, read_catalog

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from edition_config import ENGLISH, edition_config, editions, merged  # noqa: E402

TRANSLATIONS = [code for code in editions(REPO_ROOT) if code != ENGLISH]


def catalogs(code: str) -> list[Path]:
    return sorted((REPO_ROOT / "locales" / code / "LC_MESSAGES").rglob("*.po"))


def test_there_is_a_japanese_edition():
    assert "ja" in TRANSLATIONS
    assert len(catalogs("ja")) >= 9   # the pages of _toc.yml, and the site's own words


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    found = [line for path in catalogs(code) for line in problems(path)]
    assert not found, f"{len(found)} problems in locales/{code}:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_sphinx_intl_counts_nothing_untranslated_or_fuzzy(code):
    """sphinx-intl's own statistics agree (it reads the catalogs independently of this file)."""
    result = subprocess.run([str(Path(sys.executable).parent / "sphinx-intl"), "stat",
                             "--locale-dir", str(REPO_ROOT / "locales"), "--language", code],
                            capture_output=True, text=True)
    out = result.stdout
    counts = re.findall(r"(\S+\.po): (\d+) translated, (\d+) fuzzy, (\d+) untranslated", out)
    assert len(counts) == len(catalogs(code)), out
    unfinished = [(name, fuzzy, untranslated) for name, _, fuzzy, untranslated in counts
                  if int(fuzzy) or int(untranslated)]
    assert not unfinished, f"fuzzy or untranslated: {unfinished}"
    assert result.returncode == 0, result.stderr   # it exits 1 when any message is unfinished


@pytest.fixture(scope="session")
def fresh_templates(tmp_path_factory) -> Path:
    """The message templates of the English sources as they are now (`make catalogs`, step 1-2)."""
    output = tmp_path_factory.mktemp("gettext")
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "update-catalogs.py"),
                    "--pot-only", str(output)], check=True, capture_output=True, text=True)
    return output / "_build" / "gettext"


@pytest.mark.book
@pytest.mark.parametrize("code", TRANSLATIONS)
def test_catalogs_are_current_with_the_english_sources(code, fresh_templates):
    messages_dir = REPO_ROOT / "locales" / code / "LC_MESSAGES"
    templates = {path.relative_to(fresh_templates).with_suffix("").as_posix(): path
                 for path in fresh_templates.rglob("*.pot")}
    translated = {path.relative_to(messages_dir).with_suffix("").as_posix(): path
                  for path in catalogs(code)}
    assert sorted(templates) == sorted(translated), (
        "pages and catalogs differ: run `make catalogs`")
    stale = []
    for name, template in sorted(templates.items()):
        want = {message.id for message in read_catalog(template) if message.id}
        have = {message.id for message in read_catalog(translated[name]) if message.id}
        for text in sorted(want - have):
            stale.append(f"{name}: new in the English: {text[:70]!r}")
        for text in sorted(have - want):
            stale.append(f"{name}: gone from the English: {text[:70]!r}")
    assert not stale, ("the catalogs are stale (run `make catalogs`, then translate):\n"
                       + "\n".join(stale[:40]))


def test_an_edited_sentence_makes_the_catalog_stale(tmp_path):
    """The check above compares message texts: a one-word edit of the English is a new message."""
    template = tmp_path / "page.pot"
    template.write_text('msgid ""\nmsgstr ""\n\nmsgid "The node takes a batch."\nmsgstr ""\n',
                        encoding="utf-8")
    catalog = tmp_path / "page.po"
    catalog.write_text('msgid ""\nmsgstr ""\n\nmsgid "The node takes one batch."\n'
                       'msgstr "ノードはバッチを受け取る。"\n', encoding="utf-8")
    want = {m.id for m in read_catalog(template) if m.id}
    have = {m.id for m in read_catalog(catalog) if m.id}
    assert want != have


def test_problems_reports_a_lost_formula_and_a_changed_target(tmp_path):
    catalog = tmp_path / "page.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n\n'
        'msgid "See {ref}`the MatMul chapter <matmul>` for $y = xW$."\n'
        'msgstr "{ref}`MatMulノードの章 <input_layer>` を見よ。"\n\n'
        'msgid "Untouched."\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Fuzzy."\nmsgstr "あいまい。"\n', encoding="utf-8")
    found = "\n".join(problems(catalog))
    assert "markup differs" in found and "y = xW" in found and "input_layer" in found
    assert "untranslated: 'Untouched.'" in found
    assert "fuzzy: 'Fuzzy.'" in found


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_each_edition_sets_its_language(code):
    config = edition_config(REPO_ROOT, code)
    assert config["sphinx"]["config"]["language"] == code
    # It inherits everything else from _config.yml (a merge, not a second copy): the English
    # LaTeX settings it does not name are the English ones, and its preamble still loads the
    # English one's package.
    english = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    own = yaml.safe_load((REPO_ROOT / "locales" / code / "config.yml").read_text(encoding="utf-8"))
    english_latex = english["sphinx"]["config"]["latex_elements"]
    own_latex = own.get("sphinx", {}).get("config", {}).get("latex_elements", {})
    latex = config["sphinx"]["config"]["latex_elements"]
    inherited = set(english_latex) - set(own_latex)
    assert inherited, "the edition should override only some of the LaTeX settings"
    for key in inherited:
        assert latex[key] == english_latex[key]
    assert latex["preamble"].startswith(english_latex["preamble"])


def test_merged_merges_mappings_and_replaces_the_rest():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    assert merged(base, {"a": {"y": [3]}, "c": 4}) == {"a": {"x": 1, "y": [3]}, "b": 2, "c": 4}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}   # not changed in place


def test_an_edition_without_its_language_is_refused(tmp_path):
    (tmp_path / "_config.yml").write_text("title: t\nsphinx:\n  config: {}\n", encoding="utf-8")
    (tmp_path / "locales" / "xx").mkdir(parents=True)
    (tmp_path / "locales" / "xx" / "config.yml").write_text("title: u\n", encoding="utf-8")
    with pytest.raises(ValueError, match="language"):
        edition_config(tmp_path, "xx")
    with pytest.raises(ValueError, match="no edition 'yy'"):
        edition_config(tmp_path, "yy")
