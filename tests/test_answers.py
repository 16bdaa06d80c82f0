"""Tests of w2vlib.answers: every answer-box exercise expects what plain numpy computes, its
known mistakes are reachable and differ from the answer, and the chapters use every one."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import w2vlib
from w2vlib import answers
from w2vlib.exercises import CORRECT, WRONG, Exercise
from w2vlib.messages import EN, message

from toy_oracle import by_hand  # tests/toy_oracle.py

REPO_ROOT = Path(__file__).resolve().parent.parent
VOCAB = ["you", "say", "goodbye", "and", "i", "hello", "."]
ALL = [answers.matmul_dx_shape, answers.matmul_dw_entry, answers.input_layer_rows,
       answers.input_layer_half, answers.input_layer_twice, answers.middle_layer_y_minus_t,
       answers.middle_layer_dwout_shape, answers.middle_layer_dwout_entry,
       answers.cbow_sgd_rows, answers.cbow_sgd_columns]


def as_text(answer):
    """An answer in a form a learner would type."""
    if isinstance(answer, (set, frozenset)):
        return ", ".join(str(r + 1) for r in sorted(answer))
    if isinstance(answer, tuple):
        return f"{answer[0]}x{answer[1]}"
    if np.ndim(answer) == 1:
        return ", ".join(repr(float(v)) for v in answer)
    return repr(float(answer))


@pytest.mark.parametrize("make", ALL, ids=lambda f: f.__name__)
def test_the_answer_is_marked_correct_and_every_mistake_earns_its_message(make):
    exercise = make()
    assert isinstance(exercise, Exercise) and exercise.placeholder in EN
    assert exercise.check(as_text(exercise.answer)).status == CORRECT
    for mistake in exercise.mistakes:
        feedback = exercise.check(as_text(mistake.answer))
        assert feedback.status == WRONG, (make.__name__, mistake)
        assert feedback.message == message(mistake.key, **mistake.params)


def test_matmul_answers():
    shape = answers.matmul_dx_shape()
    assert shape.answer == (shape.given["N"], shape.given["D"])
    entry = answers.matmul_dw_entry()
    X, dY, i, j = (entry.given[k] for k in ("X", "dY", "i", "j"))
    assert entry.answer == pytest.approx(sum(X[n, i - 1] * dY[n, j - 1] for n in range(3)))
    assert entry.answer == pytest.approx((X.T @ dY)[i - 1, j - 1])


def test_input_layer_answers_carry_the_half_and_the_double():
    rows = answers.input_layer_rows()
    assert rows.given["contexts"] == ("you", "goodbye") and rows.given["target"] == "say"
    assert set(rows.answer) == {0, 2}
    first = by_hand(0, 2, 1)
    np.testing.assert_array_equal(np.flatnonzero(first["dW_in"].any(axis=1)), [0, 2])
    half = answers.input_layer_half()
    np.testing.assert_allclose(half.given["dh"], first["dh"], atol=1e-12)
    assert half.answer == pytest.approx(0.5 * first["dh"][0])
    assert (half.given["row"], half.given["word"], half.given["column"]) == (1, "you", 1)
    twice = answers.input_layer_twice()
    both = by_hand(2, 2, 1)
    assert twice.answer == pytest.approx(both["dh"][0]) == pytest.approx(both["dW_in"][2, 0])
    assert (twice.given["row"], twice.given["word"]) == (3, "goodbye")


def test_middle_layer_answers():
    want = by_hand(0, 2, 1)
    vector = answers.middle_layer_y_minus_t()
    np.testing.assert_allclose(vector.given["y"], want["y"], atol=1e-12)
    np.testing.assert_allclose(vector.answer, want["y_minus_t"], atol=1e-12)
    assert vector.given["vocab"] == VOCAB
    shape = answers.middle_layer_dwout_shape()
    assert shape.answer == want["dW_out"].shape == (shape.given["H"], shape.given["V"])
    entry = answers.middle_layer_dwout_entry()
    assert entry.given["column"] == 2 and entry.given["target"] == "say"
    assert entry.answer == pytest.approx(want["dW_out"][entry.given["row"] - 1, 1])
    assert entry.answer == pytest.approx(entry.given["h"][0] * entry.given["y_minus_t"][1])


def test_cbow_answers_follow_one_sgd_step():
    want = by_hand(0, 2, 1)
    W_in = want["W_in"] - want["dW_in"]
    W_out = want["W_out"] - want["dW_out"]
    rows = answers.cbow_sgd_rows()
    assert set(rows.answer) == set(np.flatnonzero(np.any(W_in != want["W_in"], axis=1)))
    assert set(rows.answer) == {0, 2}
    columns = answers.cbow_sgd_columns()
    assert set(columns.answer) == set(range(7))
    assert set(np.flatnonzero(np.any(W_out != want["W_out"], axis=0))) == set(range(7))
    assert columns.check("all").status == CORRECT and columns.check("1-7").status == CORRECT
    assert "every word" in columns.check("say").message


def test_every_answer_function_is_used_by_a_chapter_exercise():
    """answers.X() appears in a chapter inside the exercise its docstring names."""
    chapters = {p.name: p.read_text(encoding="utf-8")
                for p in (REPO_ROOT / "chapters").glob("*.md")}
    for make in ALL:
        label = make.__doc__.split(":")[0].strip()
        found = [name for name, text in chapters.items()
                 if re.search(rf":label: {re.escape(label)}\n(?:(?!exercise-end).)*"
                              rf"answers\.{make.__name__}\(", text, re.S)]
        assert found, f"no chapter exercise {label!r} calls answers.{make.__name__}()"
