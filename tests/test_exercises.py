"""Tests of w2vlib.exercises: the answer parsers and the marking, with its hints."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib.exercises import (CORRECT, MALFORMED, WRONG, AnswerError, NumberExercise,
                              RowsExercise, ShapeExercise, VectorExercise, parse_number,
                              parse_rows, parse_shape, parse_vector)

VOCAB = ["you", "say", "goodbye", "and", "i", "hello", "."]

# Text that must never be executed and must be reported as unreadable.
HOSTILE = ["__import__('os')", "__import__('os').system('true')", "os.system('ls')",
           "eval('1+1')", "lambda: 0", "1 if True else 2", "{'a': 1}", "x = 3", "`ls`",
           "$(rm -rf /)", "print(1)", "3x7; import os"]


# ------------------------------------------------------------------ parse_shape

@pytest.mark.parametrize("text", ["3x7", "3 x 7", "3X7", "3×7", "3*7", "(3, 7)", "[3,7]",
                                  "3, 7", "  3   7 ", "3 by 7", "{3; 7}"])
def test_parse_shape_accepts_the_usual_spellings(text):
    assert parse_shape(text) == (3, 7)


@pytest.mark.parametrize("text", ["", "   ", "3", "3x7x2", "3.5x7", "-3x7", "0x7", "3 x seven",
                                  "x7", "3xx7", *HOSTILE])
def test_parse_shape_rejects_malformed_text(text):
    with pytest.raises(AnswerError):
        parse_shape(text)


def test_parse_shape_rejects_non_strings_with_a_type_error():
    with pytest.raises(TypeError, match="str"):
        parse_shape((3, 7))


# ------------------------------------------------------------------ parse_number / parse_vector

@pytest.mark.parametrize("text, value", [("4", 4.0), ("-0.25", -0.25), ("+.5", 0.5),
                                         ("1.5e-3", 1.5e-3), ("3/4", 0.75), ("−0.5", -0.5),
                                         (" (2) ", 2.0), ("-6/7", -6 / 7)])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "1 2", "1/0", "nan", "inf", "1e", "--1", "0x10",
                                  "1,5", *HOSTILE])
def test_parse_number_rejects_malformed_text(text):
    with pytest.raises(AnswerError):
        parse_number(text)


def test_parse_vector_accepts_brackets_commas_spaces_and_fractions():
    got = parse_vector("[0.1, -0.9  1/7; +2e-1]")
    np.testing.assert_allclose(got, [0.1, -0.9, 1 / 7, 0.2])
    np.testing.assert_allclose(parse_vector("(1 2 3)"), [1, 2, 3])


@pytest.mark.parametrize("text", ["", "[]", "0.1, abc", "1, 2/0", "nan, 1", *HOSTILE])
def test_parse_vector_rejects_malformed_text(text):
    with pytest.raises(AnswerError):
        parse_vector(text)


def test_malformed_message_names_the_offending_characters():
    with pytest.raises(AnswerError, match="\"'\"|'_'"):
        parse_vector("__import__('os')")


# ------------------------------------------------------------------ parse_rows

@pytest.mark.parametrize("text, numbers, words", [
    ("1, 3", (1, 3), ()), ("[1 3]", (1, 3), ()), ("rows 1 and 3", (1, 3), ()),
    ("You, GOODBYE", (), (0, 2)), ("1 goodbye", (1,), (2,)), ("2-4", (2, 3, 4), ()),
    ("row 1 and row 3 only", (1, 3), ()), (". hello", (), (6, 5))])
def test_parse_rows(text, numbers, words):
    got = parse_rows(text, VOCAB)
    assert got.numbers == numbers and got.word_ids == words and not got.all_rows


def test_parse_rows_all():
    assert parse_rows("all", VOCAB).all_rows


@pytest.mark.parametrize("text", ["", "rows", "1.5", "-1", "4-2", "you, banana", *HOSTILE])
def test_parse_rows_rejects_malformed_text(text):
    with pytest.raises(AnswerError):
        parse_rows(text, VOCAB)


def test_parse_rows_lists_the_vocabulary_when_a_word_is_unknown():
    with pytest.raises(AnswerError, match="you, say, goodbye"):
        parse_rows("banana", VOCAB)


# ------------------------------------------------------------------ marking

def rows_exercise(**kwargs):
    defaults = dict(question="q", solution="s", hint="HINT", answer=frozenset({0, 2}), n_rows=7,
                    vocab=VOCAB)
    return RowsExercise(**{**defaults, **kwargs})


@pytest.mark.parametrize("text", ["1, 3", "3 1", "you goodbye", "1, goodbye", "rows 1 and 3",
                                  "1 1 3"])
def test_rows_correct_answers(text):
    assert rows_exercise().check(text).status == CORRECT


def test_rows_counted_from_zero_gets_its_own_hint():
    feedback = rows_exercise().check("0, 2")
    assert feedback.status == WRONG
    assert "counted from 0" in feedback.message


def test_rows_zero_based_hint_also_when_zero_is_absent():
    feedback = rows_exercise(answer=frozenset({1, 3})).check("1, 3")
    assert "counted from 0" in feedback.message


def test_rows_extra_and_missing_rows_are_named_and_counted():
    feedback = rows_exercise().check("1, 2")
    assert feedback.status == WRONG
    assert "row 2 (say)" in feedback.message and "1 row is missing" in feedback.message
    assert "HINT" in feedback.message


def test_rows_known_mistake_earns_its_hint():
    exercise = rows_exercise(mistakes=[({1}, "that is the target")])
    assert exercise.check("say").message == "that is the target"


def test_rows_out_of_range_is_reported_as_malformed():
    feedback = rows_exercise().check("1, 9")
    assert feedback.status == MALFORMED and "1 to 7" in feedback.message


def test_rows_all():
    exercise = rows_exercise(answer=frozenset(range(7)), what="column")
    assert exercise.check("all").status == CORRECT
    assert exercise.check("1-7").status == CORRECT
    assert exercise.check("2").status == WRONG


def test_shape_marking():
    exercise = ShapeExercise(question="q", solution="s", answer=(3, 7),
                             mistakes=[((1, 7), "that is y - t")])
    assert exercise.check("(3, 7)").status == CORRECT
    assert "transposed" in exercise.check("7x3").message
    assert exercise.check("1x7").message == "that is y - t"
    assert "rows is right" in exercise.check("3x4").message
    assert "columns is right" in exercise.check("5x7").message
    assert exercise.check("3 by").status == MALFORMED


def test_vector_marking():
    want = np.array([0.2, -0.7, 0.5])
    exercise = VectorExercise(question="q", solution="s", hint="HINT", answer=want, atol=5e-3,
                              mistakes=[(want + np.array([0, 1, 0]), "that is y")])
    assert exercise.check("0.2, -0.7, 0.5").status == CORRECT
    assert exercise.check("[0.201 -0.699 0.498]").status == CORRECT
    assert "sign" in exercise.check("-0.2, 0.7, -0.5").message
    assert exercise.check("0.2, 0.3, 0.5").message == "that is y"
    off = exercise.check("0.2, -0.7, 0.9")
    assert off.status == WRONG and "entry 3" in off.message
    assert "I read 2 numbers" in exercise.check("0.2 -0.7").message
    assert exercise.check("0.2, x, 0.5").status == MALFORMED


def test_number_marking_uses_relative_tolerance_and_known_mistakes():
    exercise = NumberExercise(question="q", solution="s", answer=0.0036, rtol=0.02,
                              mistakes=[(0.0072, "forgot the half")])
    assert exercise.check("0.0036").status == CORRECT
    assert exercise.check("0.00361").status == CORRECT
    assert exercise.check("0.0072").message == "forgot the half"
    assert "sign" in exercise.check("-0.0036").message
    assert exercise.check("0.004").status == WRONG
    assert exercise.check("").status == MALFORMED


@pytest.mark.parametrize("make", [
    lambda: rows_exercise(),
    lambda: ShapeExercise(question="q", solution="s", answer=(3, 7)),
    lambda: VectorExercise(question="q", solution="s", answer=np.zeros(3)),
    lambda: NumberExercise(question="q", solution="s", answer=1.0)])
@pytest.mark.parametrize("text", HOSTILE)
def test_every_exercise_reports_code_as_malformed_and_never_runs_it(make, text, monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("an answer reached eval/exec/__import__")

    exercise = make()
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    feedback = exercise.check(text)
    assert feedback.status == MALFORMED
    assert feedback.message


def test_and_joins_items_but_is_also_a_vocabulary_word():
    assert parse_rows("you and goodbye", VOCAB).word_ids == (0, 2)
    assert parse_rows("say, and", VOCAB).word_ids == (1, 3)
    assert parse_rows("and i", VOCAB).word_ids == (3, 4)
    assert parse_rows("say and i", VOCAB, and_as_word=True).word_ids == (1, 3, 4)
    exercise = rows_exercise(answer=frozenset({1, 3, 4}))
    assert exercise.check("say and i").status == CORRECT      # read with "and" as a word
    assert exercise.check("2, 4 and 5").status == CORRECT


def test_a_decimal_comma_gets_its_own_message():
    with pytest.raises(AnswerError, match="decimals with a point: 0.5"):
        parse_number("0,5")
