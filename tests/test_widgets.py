"""Tests of w2vlib.widgets, driven as a reader would: set a control, click a button, read
what the panel shows. Expected numbers are computed here from numpy, independently of the
layers the panels call."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest

import w2vlib
import w2vlib.widgets as W
from w2vlib.exercises import CORRECT, MALFORMED, WRONG

from toy_oracle import by_hand  # tests/toy_oracle.py

VOCAB = ["you", "say", "goodbye", "and", "i", "hello", "."]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WIDGET_REPR = re.compile(r"\b[A-Z][A-Za-z]*\(")     # IntSlider(value=...), VBox(children=...)


@pytest.fixture(autouse=True)
def live(monkeypatch):
    """Tests run as in JupyterLab unless they set W2VLIB_STATIC themselves."""
    monkeypatch.delenv("W2VLIB_STATIC", raising=False)


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
        assert "½ ∂L/∂h + ½ ∂L/∂h = ∂L/∂h" in panel.summary_html.value
    else:
        np.testing.assert_allclose(panel.grad[ids[left]], 0.5 * want["dh"], atol=1e-12)
        assert "each holds ½ ∂L/∂h" in panel.summary_html.value
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

def full_batch_sgd(n, lr=1.0, seed=0):
    """SimpleCBOW's weights and losses after n full-batch SGD updates, W <- W - lr dL/dW."""
    corpus, _, _ = w2vlib.preprocess(w2vlib.TOY_TEXT)
    contexts, targets = w2vlib.create_contexts_target(corpus)
    model = w2vlib.SimpleCBOW(7, 3, seed=seed)
    losses = []
    for _ in range(n):
        losses.append(model.forward(contexts, targets))
        model.backward()
        for p, g in zip(model.params, model.grads):
            p -= lr * g
    return model, losses, targets


def test_cbow_explorer_opens_trained_with_a_loss_curve():
    panel = W.cbow_explorer()
    n = panel.iteration
    assert n > 1 and len(panel.losses) == n
    model, losses, _ = full_batch_sgd(n)
    np.testing.assert_allclose(panel.model.params[0], model.params[0], atol=1e-12)
    np.testing.assert_allclose(panel.losses, losses, atol=1e-12)
    # something to look at: the curve has left the plateau at log 7
    assert panel.losses[0] == pytest.approx(np.log(7), abs=0.01)
    assert panel.current_loss < np.log(7) - 0.5
    assert f"After <b>{n}</b> updates " in panel.summary_html.value
    assert panel.default_png == panel._png(W.FALLBACK_DPI)   # the static figure is this state


def test_cbow_explorer_steps_resets_and_speaks_in_the_singular_after_one_update():
    panel = W.cbow_explorer(lr=1.0, first_updates=0)
    untrained_png = panel.image.value
    assert panel.iteration == 0 and panel.losses == []
    panel.step_buttons[1].click()
    model, losses, targets = full_batch_sgd(1)
    np.testing.assert_allclose(panel.model.params[0], model.params[0], atol=1e-12)
    np.testing.assert_allclose(panel.model.params[1], model.params[1], atol=1e-12)
    assert panel.iteration == 1 and len(panel.losses) == 1
    assert "After <b>1</b> update " in panel.summary_html.value
    assert panel.image.value != untrained_png

    panel.step_buttons[10].click()
    panel.step_buttons[100].click()
    assert panel.iteration == 111 and len(panel.losses) == 111
    assert panel.current_loss < 0.5 * panel.losses[0]
    assert panel.n_correct == int(np.sum(panel.probabilities.argmax(axis=1) == targets))
    assert "<b>111</b> updates" in panel.summary_html.value

    panel.reset_button.click()
    assert panel.iteration == 0 and panel.losses == []
    np.testing.assert_array_equal(panel.model.params[0], w2vlib.SimpleCBOW(7, 3, seed=0).params[0])
    assert panel.image.value == untrained_png


def test_cbow_explorer_buttons_say_update_or_updates():
    panel = W.cbow_explorer(first_updates=0)
    assert [b.description for b in panel.step_buttons.values()] == [
        "+1 update", "+10 updates", "+100 updates"]


@pytest.mark.parametrize("bad", [-1, 2.5, "10"])
def test_cbow_explorer_rejects_a_bad_number_of_first_updates(bad):
    with pytest.raises(ValueError, match="first_updates"):
        W.cbow_explorer(first_updates=bad)


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


def assert_a_paragraph_for_the_pdf(bundle):
    """The PDF has no widgets: it prints text/markdown (preferred to text/plain, which would be
    a code box) -- one short line, no code fence, no widget repr."""
    text = bundle["text/markdown"]
    assert "\n" not in text.strip() and "```" not in text and len(text) < 160
    assert not text.startswith("    ")
    assert not WIDGET_REPR.search(text), text
    assert "Binder" in text


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_panel_is_disabled_with_a_note_and_a_figure(make, monkeypatch):
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    panel = make()
    assert panel.static and all(c.disabled for c in panel.controls)
    assert panel.image is None       # the figure is a separate PNG output, not widget state
    note = panel.widget.children[0]
    assert "static copy" in note.value and "Binder" in note.value and "rocket" in note.value
    assert "w2v-static-note" in note.value
    shown = recorded_display(monkeypatch)
    panel._ipython_display_()
    view, figure = shown
    assert W.WIDGET_VIEW in view and "image/png" not in view
    assert_a_paragraph_for_the_pdf(view)
    assert base64.b64decode(figure["image/png"]).startswith(PNG_MAGIC)
    assert W.WIDGET_VIEW not in figure
    for text in plain_texts(shown):
        assert not WIDGET_REPR.search(text), text


# ------------------------------------------------------------------ the answer box

def test_answer_box_checks_what_is_typed_and_shows_the_feedback():
    from w2vlib import answers
    box = W.answer_box(answers.middle_layer_dwout_shape())
    assert box.check_button.description == "Check"
    assert box.answer.placeholder            # says what to type
    assert box.feedback.value == ""
    box.answer.value = "3 x 7"
    box.check_button.click()
    assert box.result.status == CORRECT
    assert "w2v-feedback" in box.feedback.value and "Correct: 3×7" in box.feedback.value
    box.answer.value = "(1, 7)"
    box.check_button.click()
    assert box.result.status == WRONG and "shape of y − t" in box.feedback.value
    box.answer.value = "__import__('os')"
    box.check_button.click()
    assert box.result.status == MALFORMED and "can&#x27;t read" in box.feedback.value


def test_answer_box_feedback_is_escaped_html():
    from w2vlib.exercises import NumberExercise
    box = W.answer_box(NumberExercise(answer=1.0))
    box.answer.value = "<b>1</b>"
    box.check_button.click()
    assert "<b>1</b>" not in box.feedback.value and box.result.status == MALFORMED


def test_live_answer_box_is_one_widget_with_its_feedback(monkeypatch):
    from w2vlib import answers
    box = W.answer_box(answers.cbow_sgd_rows())
    assert not box.static and not box.answer.disabled and not box.check_button.disabled
    assert box.feedback in box.widget.children
    shown = recorded_display(monkeypatch)
    box._ipython_display_()
    (bundle,) = shown
    assert bundle[W.WIDGET_VIEW]["model_id"] == box.widget.model_id
    assert not WIDGET_REPR.search(bundle["text/plain"])


def test_static_answer_box_is_disabled_with_a_pointer_and_no_question(monkeypatch):
    from w2vlib import answers
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    box = W.answer_box(answers.matmul_dx_shape())
    assert box.static and box.answer.disabled and box.check_button.disabled
    note = box.widget.children[-1].value
    assert "w2v-static-note" in note and "static copy" in note and "Binder" in note
    shown = recorded_display(monkeypatch)
    box._ipython_display_()
    (bundle,) = shown            # the question is the chapter's Markdown: no copy of it here
    assert W.WIDGET_VIEW in bundle
    assert_a_paragraph_for_the_pdf(bundle)


def test_answer_box_wants_an_exercise():
    with pytest.raises(TypeError, match="Exercise"):
        W.answer_box("What is the shape of dL/dX?")


def test_cbow_explorer_refuses_a_runaway_number_of_updates():
    panel = W.cbow_explorer(lr=1.0)
    before = panel.iteration
    with pytest.raises(ValueError, match="CBOWExplorer.step would run 1,000,000,000 optimizer steps"):
        panel.step(10**9)
    with pytest.raises(ValueError, match="n must be a positive int"):
        panel.step(0)
    assert panel.iteration == before


# ------------------------------------------------------------------ in Japanese

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture
def japanese(monkeypatch):
    """W2VLIB_LANG=ja, and matplotlib's settings put back afterwards."""
    import matplotlib

    from w2vlib import plot
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    monkeypatch.setattr(plot, "_replaced_family", None)
    with matplotlib.rc_context():
        yield


def texts_of(figure):
    """Every text matplotlib draws for a figure: titles, axis labels, texts, tick labels."""
    figure.canvas.draw()
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")
                                                 and a.get_visible()) if t.get_text()]


def test_the_cbow_explorer_speaks_japanese_and_draws_it(japanese):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = W.cbow_explorer()
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert [b.description for b in panel.step_buttons.values()] == [
        "+1回更新", "+10回更新", "+100回更新"]
    assert panel.reset_button.description == "リセット" and panel.lr.description == "学習率"
    texts = texts_of(panel.figure)
    assert "イテレーション" in texts and "損失" in texts
    assert f"{panel.iteration}回更新後の損失：{panel.current_loss:.3f}" in texts
    assert JAPANESE.search(panel.summary_html.value)


@pytest.mark.parametrize("make", EXPLORERS)
def test_every_explorer_draws_its_japanese_labels_without_missing_glyphs(make, japanese,
                                                                         monkeypatch):
    import warnings
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = make()
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert JAPANESE.search(panel.widget.children[0].value)           # the static note
    assert JAPANESE.search(panel._repr_mimebundle_()["text/plain"])


def test_the_answer_box_speaks_japanese(japanese):
    from w2vlib import answers
    box = W.answer_box(answers.middle_layer_dwout_shape())
    assert box.check_button.description == "答え合わせ"
    assert JAPANESE.search(box.answer.placeholder)
    box.check_button.click()                       # an empty box
    assert box.result.status == MALFORMED and "解答欄が空です。" in box.feedback.value
