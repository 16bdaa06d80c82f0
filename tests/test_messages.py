"""Tests of w2vlib.messages: the one catalogue of the library's words."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import matplotlib
import pytest

from w2vlib import messages
from w2vlib.messages import EN, JA, add_catalogue, language, message, set_language

LIBRARY = Path(messages.__file__).parent
KEY = re.compile(r"^[a-z]+(?:\.[A-Za-z_]+)+$|^correct$")
# Japanese punctuation, kana, kanji and full-width forms: Japanese text.
JAPANESE = re.compile(r"[\u3001-\u30ff\u3400-\u9fff\uff01-\uff5e]")


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
    # A string shaped like a key is one, unless it names a matplotlib setting ("font.family").
    named = {(module, s) for module, s in library_strings()
             if KEY.match(s) and s not in matplotlib.rcParams}
    assert len(named) > 50
    unknown = sorted((m, s) for m, s in named if s not in EN)
    assert not unknown, f"keys used but not in messages.EN: {unknown}"


def test_every_catalogue_key_is_used_by_the_library():
    used = {s for _, s in library_strings()}
    unused = sorted(set(EN) - used)
    assert not unused, f"messages.EN has keys no module uses: {unused}"


# ------------------------------------------------------------------ Japanese

def test_the_japanese_catalogue_is_registered_on_import():
    import importlib
    importlib.reload(messages)           # the fixture's catalogue dict is not the module's own
    try:
        assert messages.CATALOGUES["ja"] == messages.JA
    finally:
        importlib.reload(messages)


def english_fields(key):
    """The parameters of the English message, in its plural (the general) form."""
    template = EN[key]
    return messages._fields(template if isinstance(template, str) else template["other"])


@pytest.mark.parametrize("key", sorted(EN))
def test_every_key_has_a_japanese_message_with_the_same_parameters(key):
    template = JA[key]
    assert isinstance(template, str), "Japanese has no plural forms: one template"
    assert messages._fields(template) == english_fields(key)
    assert JAPANESE.search(template) or key == "curve.w2vlib", template   # a library's name
    assert not re.search(r"[、。][ ]", template), "no space after full-width punctuation"
    assert not re.search(r"(?<=[\u3040-\u30ff\u4e00-\u9fff])[,.:;](?!\d)", template), \
        "full-width punctuation after Japanese text"


def test_add_catalogue_accepts_the_japanese_catalogue_and_it_is_spoken(monkeypatch):
    add_catalogue("ja", JA)
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    assert message("correct") == "正解です。"
    assert message("cbow.step", count=1) == message("cbow.step", count=100).replace("100", "1")
    assert message("rows.missing", count=2, what="行", whats="行") == "行が2つ足りません"


# ------------------------------------------------------------------ words belong to chapters
# A sentence a learner reads is in a chapter or in this catalogue, not in the library's code.

THREE_WORDS = re.compile(r"[A-Za-z][a-z']+[,;:.]?\s+[A-Za-z][a-z']*[,;:]?\s+[A-Za-z][a-z']+")


def learner_facing_strings(path):
    """String constants of a module a learner could read: not docstrings, not the message of
    an exception raised for a programmer (an AnswerError is raised for the learner)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Raise) and "AnswerError" not in ast.unparse(node):
            skip.update(id(n) for n in ast.walk(node))
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip)


def sentences(strings):
    return [(line, text) for line, text in strings
            if THREE_WORDS.search(re.sub(r"<[^>]*>", " ", text)) or JAPANESE.search(text)]


def test_the_prose_detector_finds_a_sentence(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Docstring: words are fine here."""\n'
                      'X = "That is the shape of Y."\nY = "row wrap"\n'
                      'def f():\n    raise ValueError("a message for a programmer")\n'
                      'def g():\n    raise AnswerError(f"I can\'t read {x}: type a number.")\n'
                      'Z = "正解です。"\n', encoding="utf-8")
    assert sentences(learner_facing_strings(module)) == [
        (2, "That is the shape of Y."), (7, ": type a number."), (8, "正解です。")]


@pytest.mark.parametrize("module", ["widgets.py", "answers.py", "exercises.py", "plot.py"])
def test_no_learner_facing_sentence_lives_in_the_library(module):
    """Questions, hints, solutions and captions are in the chapters; the library's few words
    (feedback, the parsers' complaints, labels, notes) come from w2vlib.messages by key."""
    found = sentences(learner_facing_strings(LIBRARY / module))
    assert not found, f"{module}: sentences that belong in a chapter or in messages.py: {found}"
