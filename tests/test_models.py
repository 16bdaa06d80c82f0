"""Tests of w2vlib.models.SimpleCBOW, including the memo's worked example.

The expected gradients are computed here from the model's own weights with plain numpy
(an independent oracle), never typed in.
"""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import (TOY_TEXT, SimpleCBOW, convert_one_hot, create_contexts_target,
                    gradient_check, preprocess)

TOL = 1e-7


@pytest.fixture(scope="module")
def toy():
    corpus, word_to_id, id_to_word = preprocess(TOY_TEXT)
    contexts, target = create_contexts_target(corpus, window_size=1)
    return corpus, word_to_id, id_to_word, contexts, target


def oracle(W_in: np.ndarray, W_out: np.ndarray, context_ids: np.ndarray, target_ids: np.ndarray):
    """Forward and backward of CBOW written out with plain numpy, for ids (N, 2) and (N,)."""
    n = len(target_ids)
    h = 0.5 * (W_in[context_ids[:, 0]] + W_in[context_ids[:, 1]])          # (N, H)
    s = h @ W_out                                                           # (N, V)
    y = np.exp(s - s.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    t = np.zeros_like(y)
    t[np.arange(n), target_ids] = 1.0
    loss = -np.mean(np.log(y[np.arange(n), target_ids]))
    ds = (y - t) / n                                                        # (N, V)
    dW_out = h.T @ ds                                                       # (H, V)
    dh = ds @ W_out.T                                                       # (N, H)
    dW_in = np.zeros_like(W_in)
    for sample in range(n):
        for side in range(2):
            dW_in[context_ids[sample, side]] += 0.5 * dh[sample]
    return dict(h=h, y=y, t=t, loss=loss, dh=dh, dW_in=dW_in, dW_out=dW_out)


# ---- gradient checks ------------------------------------------------------------------------

@pytest.mark.parametrize("V, H, N", [(7, 3, 1), (7, 3, 6), (5, 2, 4), (9, 4, 1), (4, 1, 3)])
@pytest.mark.parametrize("one_hot", [False, True])
def test_simple_cbow_passes_gradient_check(V, H, N, one_hot):
    g = np.random.default_rng(V * 100 + H * 10 + N)
    # Unit-scale weights make the gradients large enough that rounding in the numerical
    # gradient stays far below the 1e-7 bound.
    model = SimpleCBOW(V, H, seed=g, weight_scale=1.0)
    contexts, target = g.integers(0, V, size=(N, 2)), g.integers(0, V, size=N)
    if one_hot:
        contexts, target = convert_one_hot(contexts, V), convert_one_hot(target, V)
    report = gradient_check(model, contexts, target)
    assert set(report) == {"params[0]", "params[1]"}
    assert max(report.values()) < TOL, report


def test_the_chapters_default_model_passes_gradient_check(toy):
    *_, contexts, target = toy
    for n in (1, len(target)):
        report = gradient_check(SimpleCBOW(7, 3, seed=0), contexts[:n], target[:n])
        assert max(report.values()) < TOL, report


# ---- the memo's worked example ----------------------------------------------------------------

def test_worked_example_gradients(toy):
    corpus, word_to_id, id_to_word, contexts, target = toy
    you, goodbye, say = word_to_id["you"], word_to_id["goodbye"], word_to_id["say"]
    # The first sample of the corpus is the memo's example: "you _ goodbye" -> "say".
    np.testing.assert_array_equal(contexts[0], [you, goodbye])
    assert target[0] == say

    model = SimpleCBOW(len(word_to_id), 3, seed=0)
    W_in, W_out = (p.copy() for p in model.params)
    loss = model.forward(contexts[:1], target[:1])
    model.backward()
    dW_in, dW_out = model.grads

    # Independent: h = 0.5 (w_you + w_goodbye); y = softmax(h W_out); dh = (y - t) W_out^T.
    h = 0.5 * (W_in[you] + W_in[goodbye])
    s = h @ W_out
    y = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    t = np.eye(len(word_to_id))[say]
    dh = (y - t) @ W_out.T
    assert loss == pytest.approx(-np.log(y[say]), rel=1e-13)

    untouched = [w for w in range(len(word_to_id)) if w not in (you, goodbye)]
    assert np.all(dW_in[untouched] == 0.0)
    np.testing.assert_allclose(dW_in[you], 0.5 * dh, rtol=1e-12, atol=0)
    np.testing.assert_allclose(dW_in[goodbye], 0.5 * dh, rtol=1e-12, atol=0)
    np.testing.assert_allclose(dW_out, np.outer(h, y - t), rtol=1e-12, atol=1e-18)
    assert np.abs(dh).min() > 0   # the example is not degenerate: both rows really move


def test_same_word_as_both_contexts_gets_both_contributions(toy):
    _, word_to_id, *_ = toy
    you, say = word_to_id["you"], word_to_id["say"]
    model = SimpleCBOW(7, 3, seed=0)
    W_in, W_out = (p.copy() for p in model.params)
    model.forward(np.array([[you, you]]), np.array([say]))
    model.backward()

    h = W_in[you]                         # 0.5 (w_you + w_you)
    s = h @ W_out
    y = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    dh = (y - np.eye(7)[say]) @ W_out.T
    # Each of the two input lines contributes 0.5 dh to the same row ...
    np.testing.assert_allclose(model.in_layer0.grads[0][you], 0.5 * dh, rtol=1e-12)
    np.testing.assert_allclose(model.in_layer1.grads[0][you], 0.5 * dh, rtol=1e-12)
    # ... and the shared W_in receives their sum: 2 x 0.5 dh = dh.
    np.testing.assert_allclose(model.grads[0][you], 2 * (0.5 * dh), rtol=1e-12)
    np.testing.assert_allclose(model.grads[0][you], dh, rtol=1e-12)
    others = [w for w in range(7) if w != you]
    assert np.all(model.grads[0][others] == 0.0)


def test_the_two_input_layers_share_one_array():
    model = SimpleCBOW(7, 3, seed=0)
    assert model.in_layer0.params[0] is model.in_layer1.params[0] is model.params[0]
    assert model.word_vecs is model.params[0]
    assert model.out_layer.params[0] is model.params[1]
    assert len(model.params) == len(model.grads) == 2   # W_in listed once
    assert [g.shape for g in model.grads] == [(7, 3), (3, 7)]


# ---- whole batches against the oracle; ids and one-hot paths ----------------------------------

def test_batch_loss_and_grads_match_the_oracle(toy):
    *_, contexts, target = toy
    model = SimpleCBOW(7, 3, seed=1, weight_scale=0.5)
    W_in, W_out = (p.copy() for p in model.params)
    loss = model.forward(contexts, target)
    model.backward()
    expected = oracle(W_in, W_out, contexts, target)
    assert loss == pytest.approx(expected["loss"], rel=1e-13)
    np.testing.assert_allclose(model.h, expected["h"], rtol=1e-13)
    np.testing.assert_allclose(model.grads[0], expected["dW_in"], rtol=1e-11, atol=1e-17)
    np.testing.assert_allclose(model.grads[1], expected["dW_out"], rtol=1e-11, atol=1e-17)
    np.testing.assert_allclose(model.predict(contexts), expected["y"], rtol=1e-13)


def test_ids_and_one_hot_paths_give_identical_loss_and_grads(toy):
    *_, contexts, target = toy
    by_ids, by_one_hot = SimpleCBOW(7, 3, seed=2), SimpleCBOW(7, 3, seed=2)
    loss_ids = by_ids.forward(contexts, target)
    loss_one_hot = by_one_hot.forward(convert_one_hot(contexts, 7), convert_one_hot(target, 7))
    by_ids.backward()
    by_one_hot.backward()
    assert loss_ids == loss_one_hot
    for a, b in zip(by_ids.grads, by_one_hot.grads):
        np.testing.assert_array_equal(a, b)


def test_mixed_paths_one_hot_contexts_with_id_targets(toy):
    *_, contexts, target = toy
    a, b = SimpleCBOW(7, 3, seed=3), SimpleCBOW(7, 3, seed=3)
    assert a.forward(convert_one_hot(contexts, 7), target) == b.forward(contexts, convert_one_hot(target, 7))


def test_initial_loss_is_close_to_log_vocab_size(toy):
    *_, contexts, target = toy
    # Tiny weights give near-uniform probabilities 1/7, so L = -log(1/7) = log 7.
    loss = SimpleCBOW(7, 5, seed=0).forward(contexts, target)
    assert loss == pytest.approx(np.log(7), abs=1e-3)


def test_seeds_are_reproducible():
    a, b, c = SimpleCBOW(7, 3, seed=5), SimpleCBOW(7, 3, seed=5), SimpleCBOW(7, 3, seed=6)
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.params[0], c.params[0])
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(SimpleCBOW(7, 3, seed=g1).params[1], SimpleCBOW(7, 3, seed=g2).params[1])


def test_dtype_is_honoured():
    model = SimpleCBOW(7, 3, seed=0, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in model.params)


# ---- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("V, H", [(0, 3), (7, 0), (-1, 3), (7.0, 3), (True, 3), ("7", 3)])
def test_rejects_bad_sizes(V, H):
    with pytest.raises(ValueError, match="must be a positive int"):
        SimpleCBOW(V, H)


@pytest.mark.parametrize("contexts, error, message", [
    (np.array([[0, 1, 2]]), ValueError, r"\(N, 2\).*got \(1, 3\)"),
    (np.array([0, 1]), ValueError, r"ids \(N, 2\) or one-hot \(N, 2, 7\).*got shape \(2,\)"),
    (np.array([[0, 7]]), ValueError, "below 7, got 7"),
    (np.array([[0, -2]]), ValueError, "non-negative ids, got -2"),
    (np.array([[0.5, 1.0]]), TypeError, "integer ids"),
    (np.zeros((1, 2, 6), dtype=int), ValueError, r"\(N, 2, 7\), got \(1, 2, 6\)"),
    (np.zeros((1, 2, 7), dtype=int), ValueError, "exactly one 1"),
])
def test_rejects_bad_contexts(contexts, error, message):
    with pytest.raises(error, match=message):
        SimpleCBOW(7, 3).forward(contexts, np.array([1]))


@pytest.mark.parametrize("target, error, message", [
    (np.array([7]), ValueError, "below 7, got 7"),
    (np.array([1, 2]), ValueError, r"1 ids.*\(2,\)"),
    (np.array([[0, 1, 1, 0, 0, 0, 0]]), ValueError, "exactly one 1"),
    (np.array([1.5]), TypeError, "integer ids"),
])
def test_rejects_bad_targets(target, error, message):
    with pytest.raises(error, match=message):
        SimpleCBOW(7, 3).forward(np.array([[0, 2]]), target)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="forward before backward"):
        SimpleCBOW(7, 3).backward()


# ---- runaway sizes ---------------------------------------------------------------------------

def test_a_model_too_big_to_allocate_is_refused_with_its_size():
    with pytest.raises(ValueError, match=r"W_in of shape \(1000000, 100000\) would take 800.0 GB"):
        SimpleCBOW(1_000_000, 100_000)
