"""Tests of w2vlib.messages: the one catalogue of the library's words."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from w2vlib import messages
from w2vlib.messages import EN, add_catalogue, language, message, set_language

LIBRARY = Path(messages.__file__).parent
KEY = re.compile(r"^[a-z]+(?:\.[A-Za-z_]+)+$|^correct$")


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv("W2VLIB_LANG", raising=False)
    monkeypatch.setattr(messages, "CATALOGUES", {"en": EN})
    set_language(None)
    yield
    set_language(None)


def translated(prefix="[xx] "):
    return {key: prefix + t if isinstance(t, str) else prefix + t["other"]
            for key, t in EN.items()}


def test_message_fills_in_its_parameters():
    assert message("correct.shape", rows=3, cols=7) == "Correct: 3×7."
    assert message("mistake.target_row", target="say") == ("That is the target's row. The "
                                                            "target “say” enters through W_out, "
                                                            "not W_in.")


def test_plural_forms_follow_count():
    assert message("cbow.step", count=1) == "+1 update"
    assert message("cbow.step", count=10) == "+10 updates"
    assert message("rows.missing", count=2, what="row", whats="rows") == "2 rows are missing"
    with pytest.raises(TypeError, match="count"):
        message("cbow.step")


def test_an_unknown_key_is_an_error():
    with pytest.raises(KeyError, match="no.such"):
        message("no.such")


def test_a_language_is_chosen_by_set_language_or_the_environment(monkeypatch):
    add_catalogue("xx", translated())
    assert language() == "en"
    monkeypatch.setenv("W2VLIB_LANG", "xx")
    assert language() == "xx" and message("wrong.sign") == "[xx] Right size, wrong sign."
    assert message("cbow.step", count=1) == "[xx] +1 updates"   # one form serves every count
    set_language("en")
    assert message("wrong.sign") == "Right size, wrong sign."
    monkeypatch.setenv("W2VLIB_LANG", "zz")                  # no catalogue: English
    set_language(None)
    assert language() == "en"
    with pytest.raises(ValueError, match="no catalogue for language 'zz'"):
        set_language("zz")


def test_a_catalogue_must_have_every_key_and_the_same_parameters():
    incomplete = translated()
    del incomplete["wrong.sign"]
    with pytest.raises(ValueError, match="missing keys \\['wrong.sign'\\]"):
        add_catalogue("xx", incomplete)
    renamed = translated()
    renamed["mistake.target_row"] = "{word} is the target"
    with pytest.raises(ValueError, match="mistake.target_row"):
        add_catalogue("xx", renamed)
    with pytest.raises(ValueError, match="unknown keys \\['extra'\\]"):
        add_catalogue("xx", {**translated(), "extra": "x"})
    assert "xx" not in messages.CATALOGUES


def library_strings():
    """Every string constant of w2vlib's modules other than messages.py."""
    for path in sorted(LIBRARY.glob("*.py")):
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield path.name, node.value


def test_every_key_the_library_names_is_in_the_catalogue():
    named = {(module, s) for module, s in library_strings() if KEY.match(s)}
    assert len(named) > 50
    unknown = sorted((m, s) for m, s in named if s not in EN)
    assert not unknown, f"keys used but not in messages.EN: {unknown}"


def test_every_catalogue_key_is_used_by_the_library():
    used = {s for _, s in library_strings()}
    unused = sorted(set(EN) - used)
    assert not unused, f"messages.EN has keys no module uses: {unused}"
