"""Tests of w2vlib.widgets, driven as a reader would: set a control, click a button, read
what the panel shows. Expected numbers are computed here from numpy, independently of the
layers the panels call."""
from __future__ import annotations

import base64
import re

import numpy as np
import pytest

import w2vlib
import w2vlib.widgets as W
from w2vlib.exercises import CORRECT, MALFORMED, WRONG

VOCAB = ["you", "say", "goodbye", "and", "i", "hello", "."]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WIDGET_REPR = re.compile(r"\b[A-Z][A-Za-z]*\(")     # IntSlider(value=...), VBox(children=...)


@pytest.fixture(autouse=True)
def live(monkeypatch):
    """Tests run as in JupyterLab unless they set W2VLIB_STATIC themselves."""
    monkeypatch.delenv("W2VLIB_STATIC", raising=False)


def softmax(s):
    e = np.exp(s - s.max())
    return e / e.sum()


def by_hand(left, right, target, seed=0):
    """h, y, y - t, dL/dh, dL/dW_in and dL/dW_out for one sample, in plain numpy."""
    W_in, W_out = (p.copy() for p in w2vlib.SimpleCBOW(7, 3, seed=seed).params)
    h = 0.5 * (W_in[left] + W_in[right])
    y = softmax(h @ W_out)
    t = np.eye(7)[target]
    dh = (y - t) @ W_out.T
    dW_in = np.zeros_like(W_in)
    dW_in[left] += 0.5 * dh
    dW_in[right] += 0.5 * dh
    return dict(h=h, y=y, y_minus_t=y - t, dh=dh, dW_in=dW_in, dW_out=np.outer(h, y - t))


def recorded_display(monkeypatch):
    shown = []
    monkeypatch.setattr(W, "display", lambda obj, raw=False: shown.append(obj))
    return shown


def plain_texts(bundles):
    return [b.get("text/plain", "") for b in bundles]


# ------------------------------------------------------------------ the static switch

@pytest.mark.parametrize("value, expected", [("1", True), ("", False), ("0", False)])
def test_is_static_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("W2VLIB_STATIC", value)
    assert W.is_static() is expected


# ------------------------------------------------------------------ chapter 1

def test_matmul_explorer_entry_is_column_i_of_X_times_column_j_of_dY():
    panel = W.matmul_explorer()
    assert panel.png.startswith(PNG_MAGIC)
    for N, D, H, i, j in [(3, 3, 2, 2, 1), (5, 4, 3, 4, 3), (1, 1, 1, 1, 1), (2, 5, 4, 1, 4)]:
        panel.N.value, panel.D.value, panel.H.value = N, D, H
        panel.i.value, panel.j.value = i, j
        assert panel.X.shape == (N, D) and panel.dY.shape == (N, H)
        np.testing.assert_allclose(panel.dW, panel.X.T @ panel.dY)
        expected = sum(panel.X[n, i - 1] * panel.dY[n, j - 1] for n in range(N))
        assert panel.value == pytest.approx(expected)
        assert f"<b>{expected:g}</b>" in panel.summary_html.value
        assert f"∂L/∂w<sub>{i}{j}</sub>" in panel.summary_html.value


def test_matmul_explorer_clamps_the_entry_when_the_matrix_shrinks():
    panel = W.matmul_explorer(D=4, i=4, H=3, j=3)
    panel.D.value, panel.H.value = 2, 1
    assert (panel.i.max, panel.i.value, panel.j.max, panel.j.value) == (2, 2, 1, 1)
    assert panel.dW.shape == (2, 1)


def test_matmul_explorer_redraws_when_a_control_changes():
    panel = W.matmul_explorer()
    before, fallback = panel.image.value, panel.default_png
    assert fallback.startswith(PNG_MAGIC)
    panel.j.value = 2
    assert panel.image.value != before and panel.image.value == panel.png
    assert panel.default_png == fallback     # the fallback keeps the default state
    panel.j.value = 1
    assert panel.image.value == before       # the same state draws the same picture


# ------------------------------------------------------------------ chapter 2

@pytest.mark.parametrize("left, right, target", [("you", "goodbye", "say"),
                                                 ("say", "say", "hello"), ("i", ".", "you")])
def test_input_layer_explorer_rows_light_up_with_half_of_dh(left, right, target):
    panel = W.input_layer_explorer()
    ids = {w: k for k, w in enumerate(VOCAB)}
    panel.left.value, panel.right.value, panel.target.value = ids[left], ids[right], ids[target]
    want = by_hand(ids[left], ids[right], ids[target])
    np.testing.assert_allclose(panel.grad, want["dW_in"], atol=1e-12)
    np.testing.assert_allclose(panel.dh, want["dh"], atol=1e-12)
    assert panel.nonzero_rows == sorted({ids[left], ids[right]})
    np.testing.assert_allclose(panel.grad_line0 + panel.grad_line1, panel.grad)
    if left == right:
        np.testing.assert_allclose(panel.grad[ids[left]], want["dh"], atol=1e-12)
        assert "½ + ½" in panel.summary_html.value
    else:
        np.testing.assert_allclose(panel.grad[ids[left]], 0.5 * want["dh"], atol=1e-12)
    for r in panel.nonzero_rows:
        assert f"{VOCAB[r]} ({r + 1})" in panel.summary_html.value   # 1-based, as in maths


# ------------------------------------------------------------------ chapter 3

def test_middle_layer_explorer_shows_y_t_and_the_outer_product():
    panel = W.middle_layer_explorer()
    for left, right, target in [(0, 2, 1), (5, 5, 6), (3, 1, 3)]:
        panel.left.value, panel.right.value, panel.target.value = left, right, target
        want = by_hand(left, right, target)
        np.testing.assert_allclose(panel.y, want["y"], atol=1e-12)
        np.testing.assert_allclose(panel.t, np.eye(7)[target])
        np.testing.assert_allclose(panel.y_minus_t, want["y_minus_t"], atol=1e-12)
        np.testing.assert_allclose(panel.grad, want["dW_out"], atol=1e-12)
        assert panel.y_minus_t[target] < 0 and np.all(np.delete(panel.y_minus_t, target) > 0)
        assert f"{VOCAB[target]} ({target + 1})" in panel.summary_html.value


# ------------------------------------------------------------------ chapter 4

def test_cbow_explorer_steps_resets_and_learns():
    panel = W.cbow_explorer(lr=1.0)
    corpus, _, _ = w2vlib.preprocess(w2vlib.TOY_TEXT)
    contexts, targets = w2vlib.create_contexts_target(corpus)
    reference = w2vlib.SimpleCBOW(7, 3, seed=0)
    start = [p.copy() for p in reference.params]
    first_png = panel.image.value

    panel.step_buttons[1].click()
    # One full-batch SGD update, by hand: W <- W - lr * dL/dW.
    reference.forward(contexts, targets)
    reference.backward()
    for p, g in zip(reference.params, reference.grads):
        p -= 1.0 * g
    np.testing.assert_allclose(panel.model.params[0], reference.params[0], atol=1e-12)
    np.testing.assert_allclose(panel.model.params[1], reference.params[1], atol=1e-12)
    assert panel.iteration == 1 and len(panel.losses) == 1
    assert panel.image.value != first_png

    panel.step_buttons[10].click()
    panel.step_buttons[100].click()
    assert panel.iteration == 111 and len(panel.losses) == 111
    assert panel.current_loss < 0.5 * panel.losses[0]
    probabilities = panel.probabilities
    assert panel.n_correct == int(np.sum(probabilities.argmax(axis=1) == targets))
    assert "<b>111</b>" in panel.summary_html.value

    panel.reset_button.click()
    assert panel.iteration == 0 and panel.losses == []
    np.testing.assert_array_equal(panel.model.params[0], start[0])
    assert panel.image.value == first_png


def test_cbow_explorer_learning_rate_applies_to_the_next_update():
    panel = W.cbow_explorer()
    panel.lr.value = 0.1
    panel.step_buttons[1].click()
    assert panel.optimizer.lr == 0.1


# ------------------------------------------------------------------ how panels display

EXPLORERS = [W.matmul_explorer, W.input_layer_explorer, W.middle_layer_explorer,
             W.cbow_explorer]


@pytest.mark.parametrize("make", EXPLORERS)
def test_live_panel_bundle_has_widget_view_png_and_a_binder_line(make, monkeypatch):
    panel = make()
    bundle = panel._repr_mimebundle_()
    assert bundle[W.WIDGET_VIEW]["model_id"] == panel.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == panel.default_png
    assert "Binder" in bundle["text/plain"]
    assert not any(getattr(c, "disabled", False) for c in panel.controls)
    assert panel.image in panel.widget.children
    shown = recorded_display(monkeypatch)
    panel._ipython_display_()
    assert shown == [bundle]


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_panel_is_disabled_with_a_note_and_a_figure(make, monkeypatch):
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    panel = make()
    assert panel.static and all(c.disabled for c in panel.controls)
    assert panel.image is None       # the figure is a separate PNG output, not widget state
    note = panel.widget.children[0]
    assert "static copy" in note.value and "Binder" in note.value and "rocket" in note.value
    shown = recorded_display(monkeypatch)
    panel._ipython_display_()
    view, figure = shown
    assert W.WIDGET_VIEW in view and "image/png" not in view
    assert base64.b64decode(figure["image/png"]).startswith(PNG_MAGIC)
    assert W.WIDGET_VIEW not in figure
    for text in plain_texts(shown):
        assert not WIDGET_REPR.search(text), text


# ------------------------------------------------------------------ exercises

def exercise_sets():
    return {"matmul": W.matmul_exercise_list(), "input_layer": W.input_layer_exercise_list(),
            "middle_layer": W.middle_layer_exercise_list(), "cbow": W.cbow_exercise_list()}


def test_input_layer_rows_answer_is_the_contexts_of_the_first_sample():
    corpus, _, _ = w2vlib.preprocess(w2vlib.TOY_TEXT)
    contexts, _ = w2vlib.create_contexts_target(corpus)
    rows = W.input_layer_exercise_list()[0]
    assert set(rows.answer) == set(contexts[0].tolist())
    assert rows.check(", ".join(str(c + 1) for c in contexts[0])).status == CORRECT
    assert rows.check(", ".join(str(c) for c in contexts[0])).status == WRONG


def test_input_layer_entries_carry_the_half_and_the_double():
    which, entry, twice = W.input_layer_exercise_list()
    first = by_hand(0, 2, 1)
    assert entry.answer == pytest.approx(0.5 * first["dh"][0])
    assert twice.answer == pytest.approx(by_hand(2, 2, 1)["dh"][0])
    assert "half" in entry.check(f"{first['dh'][0]:.6f}").message


def test_middle_layer_vector_and_entry_match_numpy():
    vector, shape, entry = W.middle_layer_exercise_list()
    want = by_hand(0, 2, 1)
    np.testing.assert_allclose(vector.answer, want["y_minus_t"], atol=1e-12)
    assert vector.check(", ".join(f"{v:.3f}" for v in want["y_minus_t"])).status == CORRECT
    assert "sign" in vector.check(", ".join(f"{-v:.3f}" for v in want["y_minus_t"])).message
    assert "That is y itself" in vector.check(" ".join(f"{v:.3f}" for v in want["y"])).message
    assert shape.answer == (3, 7) == want["dW_out"].shape
    assert "ransposed" in shape.check("7x3").message
    assert entry.answer == pytest.approx(want["dW_out"][0, 1])


def test_matmul_entry_exercise_matches_numpy():
    shape, entry = W.matmul_exercise_list()
    assert shape.answer == (4, 5)
    assert "shape of Y" in shape.check("4x3").message


def test_cbow_exercises_rows_and_columns():
    rows, cols = W.cbow_exercise_list()
    assert set(rows.answer) == {0, 2}
    assert cols.check("all").status == CORRECT and cols.check("1-7").status == CORRECT
    assert "every word" in cols.check("say").message


@pytest.mark.parametrize("chapter", ["matmul", "input_layer", "middle_layer", "cbow"])
def test_every_known_mistake_is_reachable_and_differs_from_the_answer(chapter):
    for exercise in exercise_sets()[chapter]:
        for mistake, hint in exercise.mistakes:
            if isinstance(mistake, (set, frozenset)):
                text = ", ".join(str(r + 1) for r in sorted(mistake))
            elif isinstance(mistake, tuple):
                text = f"{mistake[0]}x{mistake[1]}"
            elif np.ndim(mistake) == 1:
                text = ", ".join(repr(float(v)) for v in mistake)
            else:
                text = repr(float(mistake))
            feedback = exercise.check(text)
            assert feedback.status == WRONG, (chapter, exercise.question, text)
            assert feedback.message == hint


def test_exercise_panel_check_hint_malformed_and_solution():
    panel = W.ExercisePanel(W.middle_layer_exercise_list()[1])
    panel.answer.value = "3 x 7"
    panel.check_button.click()
    assert panel.result.status == CORRECT and "Correct" in panel.feedback.value
    panel.answer.value = "(7, 3)"
    panel.check_button.click()
    assert panel.result.status == WRONG and "ransposed" in panel.feedback.value
    panel.answer.value = "__import__('os')"
    panel.check_button.click()
    assert panel.result.status == MALFORMED and "can&#x27;t read" in panel.feedback.value
    assert panel.solution.value == ""
    panel.solution_button.click()
    assert "Solution" in panel.solution.value and "3\\times7" in panel.solution.value
    assert panel.solution_button.description == "Hide solution"
    panel.solution_button.click()
    assert panel.solution.value == ""


def test_live_exercise_set_is_one_widget(monkeypatch):
    exercises = W.cbow_exercises()
    assert len(exercises) == 2 and not exercises.static
    shown = recorded_display(monkeypatch)
    exercises._ipython_display_()
    (bundle,) = shown
    assert bundle[W.WIDGET_VIEW]["model_id"] == exercises.widget.model_id


def test_static_exercise_shows_question_disabled_controls_and_folded_solution(monkeypatch):
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    exercises = W.matmul_exercises()
    panel = exercises[0]
    assert panel.answer.disabled and panel.check_button.disabled and panel.solution_button.disabled
    shown = recorded_display(monkeypatch)
    exercises._ipython_display_()
    assert len(shown) == 3 * len(exercises)
    question, controls, solution = shown[:3]
    assert question["text/markdown"].startswith("**Exercise.**")
    assert W.WIDGET_VIEW in controls and "Binder" in controls["text/plain"]
    assert ":class: dropdown" in solution["text/markdown"]
    for text in plain_texts(shown):
        assert not WIDGET_REPR.search(text), text


def test_cbow_explorer_refuses_a_runaway_number_of_updates():
    panel = W.cbow_explorer(lr=1.0)
    before = panel.iteration
    with pytest.raises(ValueError, match="CBOWExplorer.step would run 1,000,000,000 optimizer steps"):
        panel.step(10**9)
    with pytest.raises(ValueError, match="n must be a positive int"):
        panel.step(0)
    assert panel.iteration == before
