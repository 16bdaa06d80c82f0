"""Tests of w2vlib.exercises: the answer parsers and the marking, with its hints."""
from __future__ import annotations

import re

import numpy as np
import pytest

from w2vlib.exercises import (CORRECT, MALFORMED, WRONG, AnswerError, Mistake, NumberExercise,
                              RowsExercise, ShapeExercise, VectorExercise, parse_number,
                              parse_rows, parse_shape, parse_vector)
from w2vlib.messages import message

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
    defaults = dict(answer=frozenset({0, 2}), n_rows=7, vocab=VOCAB)
    return RowsExercise(**{**defaults, **kwargs})


@pytest.mark.parametrize("text", ["1, 3", "3 1", "you goodbye", "1, goodbye", "rows 1 and 3",
                                  "1 1 3"])
def test_rows_correct_answers(text):
    feedback = rows_exercise().check(text)
    assert feedback.status == CORRECT
    assert feedback.message == "Correct: row 1 (you), row 3 (goodbye)."


def test_rows_counted_from_zero_gets_its_own_message():
    feedback = rows_exercise().check("0, 2")
    assert feedback.status == WRONG
    assert feedback.message == message("rows.from_zero", what="row", whats="rows")
    assert "counted from 0" in feedback.message


def test_rows_zero_based_message_also_when_zero_is_absent():
    feedback = rows_exercise(answer=frozenset({1, 3})).check("1, 3")
    assert "counted from 0" in feedback.message


def test_rows_extra_and_missing_rows_are_named_and_counted():
    feedback = rows_exercise().check("1, 2")
    assert feedback.status == WRONG
    assert feedback.message == "Not yet: row 2 (say) should not be in your list; 1 row is missing."
    assert "2 rows are missing" in rows_exercise().check("5").message


def test_rows_known_mistake_earns_its_message():
    exercise = rows_exercise(mistakes=[Mistake({1}, "mistake.target_row", {"target": "say"})])
    assert exercise.check("say").message == message("mistake.target_row", target="say")
    assert "“say”" in exercise.check("2").message


def test_rows_out_of_range_is_reported_as_malformed():
    feedback = rows_exercise().check("1, 9")
    assert feedback.status == MALFORMED and "1 to 7" in feedback.message


def test_rows_all_and_columns():
    exercise = rows_exercise(answer=frozenset(range(7)), what="column")
    assert exercise.check("all").status == CORRECT
    assert exercise.check("1-7").status == CORRECT
    wrong = exercise.check("2")
    assert wrong.status == WRONG and "6 columns are missing" in wrong.message
    assert "column 0" in exercise.check("0").message


def test_rows_what_is_row_or_column():
    with pytest.raises(ValueError, match="row.*column"):
        rows_exercise(what="entry")


def test_shape_marking():
    exercise = ShapeExercise(answer=(3, 7),
                             mistakes=[Mistake((1, 7), "mistake.shape_of_y_minus_t")])
    assert exercise.check("(3, 7)").message == "Correct: 3×7."
    assert "transposed" in exercise.check("7x3").message
    assert exercise.check("1x7").message == message("mistake.shape_of_y_minus_t")
    assert "rows is right" in exercise.check("3x4").message
    assert "columns is right" in exercise.check("5x7").message
    assert exercise.check("5x5").message == "5×5 is not it."
    assert exercise.check("3 by").status == MALFORMED


def test_vector_marking():
    want = np.array([0.2, -0.7, 0.5])
    exercise = VectorExercise(answer=want, atol=5e-3,
                              mistakes=[Mistake(want + np.array([0, 1, 0]), "mistake.y_itself",
                                                {"target": "say"})])
    assert exercise.check("0.2, -0.7, 0.5").status == CORRECT
    assert exercise.check("[0.201 -0.699 0.498]").status == CORRECT
    assert "sign" in exercise.check("-0.2, 0.7, -0.5").message
    assert exercise.check("0.2, 0.3, 0.5").message == message("mistake.y_itself", target="say")
    off = exercise.check("0.2, -0.7, 0.9")
    assert off.status == WRONG and off.message == "Not yet: entry 3 (counting from 1) is off."
    assert "entries 1, 3 (counting from 1) are off" in exercise.check("0, -0.7, 0.9").message
    assert "I read 2 numbers" in exercise.check("0.2 -0.7").message
    assert "I read 1 number;" in exercise.check("0.2").message
    assert exercise.check("0.2, x, 0.5").status == MALFORMED


def test_number_marking_uses_relative_tolerance_and_known_mistakes():
    exercise = NumberExercise(answer=0.0036, rtol=0.02,
                              mistakes=[Mistake(0.0072, "mistake.whole_dh", {"entry": 1})])
    assert exercise.check("0.0036").status == CORRECT
    assert exercise.check("0.00361").status == CORRECT
    assert exercise.check("0.0072").message == message("mistake.whole_dh", entry=1)
    assert "sign" in exercise.check("-0.0036").message
    assert exercise.check("0.004").message == "0.004 is not it."
    assert exercise.check("").status == MALFORMED


def test_marking_speaks_the_language_of_the_catalogue(monkeypatch):
    from w2vlib import messages
    monkeypatch.setitem(messages.CATALOGUES, "xx",
                        {key: (f"[xx] {t}" if isinstance(t, str)
                               else {form: f"[xx] {x}" for form, x in t.items()})
                         for key, t in messages.EN.items()})
    monkeypatch.setenv("W2VLIB_LANG", "xx")
    wrong = rows_exercise().check("1, 2").message       # every piece of it is translated
    assert wrong.startswith("[xx] Not yet: ") and "[xx] row 2 (say)" in wrong
    assert "[xx] 1 [xx] row is missing" in wrong
    assert NumberExercise(answer=1.0).check("-1").message == "[xx] Right size, wrong sign."


@pytest.mark.parametrize("make", [
    lambda: rows_exercise(),
    lambda: ShapeExercise(answer=(3, 7)),
    lambda: VectorExercise(answer=np.zeros(3)),
    lambda: NumberExercise(answer=1.0)])
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


# ------------------------------------------------------------------ in Japanese

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# One unreadable answer for each complaint a parser makes (its catalogue key).
UNREADABLE = [
    ("parse.too_long", parse_number, "1" * 1001), ("parse.empty", parse_number, "  "),
    ("parse.characters", parse_number, "1=2"), ("parse.not_a_number", parse_vector, "1, x"),
    ("parse.divides_by_zero", parse_number, "1/0"), ("parse.decimal_comma", parse_number, "1,5"),
    ("parse.items", parse_number, "1 2"), ("parse.no_numbers", parse_vector, "()"),
    ("parse.not_a_shape", parse_shape, "3"), ("parse.empty_matrix", parse_shape, "0x7"),
    ("parse.range_backwards", parse_rows, "7-1"),
    ("rows.no_such", lambda text: parse_rows(text, n_rows=7), "1-9"),
    ("parse.range_too_long", parse_rows, "1-2000"), ("parse.not_whole", parse_rows, "1.5"),
    ("parse.unknown_word", parse_rows, "foo"),
    ("parse.unknown_word_vocab", lambda text: parse_rows(text, VOCAB), "foo"),
    ("parse.no_rows", parse_rows, "rows")]


def test_every_complaint_of_the_parsers_is_tried_here():
    from w2vlib.messages import EN
    assert {key for key, _, _ in UNREADABLE} >= {key for key in EN if key.startswith("parse.")}


@pytest.mark.parametrize("key, parse, text", UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_the_parsers_complain_in_the_language_of_the_catalogue(key, parse, text, monkeypatch):
    import w2vlib.exercises as exercises
    used = []
    monkeypatch.setattr(exercises, "message",
                        lambda k, **params: used.append(k) or message(k, **params))
    monkeypatch.setenv("W2VLIB_LANG", "en")
    with pytest.raises(AnswerError) as english:
        parse(text)
    assert key in used and not JAPANESE.search(str(english.value))
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    with pytest.raises(AnswerError) as japanese:
        parse(text)
    assert JAPANESE.search(str(japanese.value)), str(japanese.value)
    assert str(japanese.value).endswith("。")


def test_marking_in_japanese(monkeypatch):
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    empty = NumberExercise(answer=1.0).check("")
    assert empty.status == MALFORMED and empty.message.startswith("解答欄が空です。")
    assert NumberExercise(answer=1.0).check("-1").message == "大きさは合っていますが、符号が逆です。"
    wrong = rows_exercise().check("1, 2").message
    assert wrong == "まだです：2行目（say）は余分です。行が1つ足りません。"
