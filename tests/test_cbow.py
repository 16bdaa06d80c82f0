"""CBOW with negative sampling and its trainer (w2vlib/cbow.py)."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import SGD, gradient_check
from w2vlib.cbow import CBOW, CBOWTrainer, EmbeddingMean, centre_positions, contexts_at
from w2vlib.negative_sampling import sigmoid
from w2vlib.sparse import RowAdam, RowSGD


def small_model(window_size=2, seed=0):
    counts = np.random.default_rng(9).integers(1, 30, 12)
    return CBOW(12, 4, window_size, counts, sample_size=3, seed=seed, dtype=np.float64,
                weight_scale=0.5)


def test_embedding_mean_forward_and_gradient():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((7, 3))
    idx = np.array([[0, 2, 2, 5], [1, 1, 1, 1], [6, 0, 3, 4]])
    layer = EmbeddingMean(W)
    h = layer.forward(idx)
    np.testing.assert_allclose(h, W[idx].mean(axis=1))
    errors = gradient_check(layer, idx)
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("window_size", [1, 2, 5])
def test_cbow_loss_and_gradients_for_any_window(window_size):
    rng = np.random.default_rng(window_size)
    model = small_model(window_size)
    contexts = rng.integers(0, 12, (5, 2 * window_size))
    target = rng.integers(0, 12, 5)
    negatives = model.ns_loss.sampler.get_negative_sample(target)
    W_in, W_out = model.params
    h = W_in[contexts].mean(axis=1)
    pos = np.sum(W_out[target] * h, axis=1)
    neg = np.einsum("nkh,nh->nk", W_out[negatives], h)
    expected = np.mean(-np.log(sigmoid(pos)) - np.sum(np.log(1 - sigmoid(neg)), axis=1))
    assert model.forward(contexts, target, negatives) == pytest.approx(expected)
    errors = gradient_check(model, contexts, target, negatives)
    assert errors.keys() == {"params[0]", "params[1]"}
    assert max(errors.values()) < 1e-7


def test_cbow_is_reproducible_and_its_word_vectors_are_w_in():
    a, b = small_model(seed=3), small_model(seed=3)
    np.testing.assert_array_equal(a.params[0], b.params[0])
    assert a.word_vecs is a.params[0]
    assert small_model().params[0].dtype == np.float64
    assert CBOW(5, 2, 1, np.ones(5)).params[0].dtype == np.float32


def test_cbow_rejects_bad_input():
    model = small_model(window_size=2)
    with pytest.raises(ValueError, match=r"shape \(N, 4\)"):
        model.forward(np.zeros((3, 2), dtype=int), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="one per row"):
        model.forward(np.zeros((3, 4), dtype=int), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="below 12"):
        model.forward(np.full((1, 4), 12), np.zeros(1, dtype=int))
    for bad in ({"vocab_size": 0}, {"hidden_size": 2.0}, {"window_size": 0}):
        kwargs = {"vocab_size": 5, "hidden_size": 2, "window_size": 1, **bad}
        with pytest.raises(ValueError):
            CBOW(counts=np.ones(5), **kwargs)


def test_centre_positions_stay_inside_sentences():
    # sentences [0, 7), [7, 9) (too short for w = 2) and [9, 15)
    positions = centre_positions(np.array([0, 7, 9]), 15, 2)
    np.testing.assert_array_equal(positions, [2, 3, 4, 11, 12])
    ids = np.arange(15) * 10
    np.testing.assert_array_equal(contexts_at(ids, positions[:1], 2), [[0, 10, 30, 40]])
    with pytest.raises(ValueError, match="fits nowhere"):
        centre_positions(np.array([0]), 4, 2)
    with pytest.raises(ValueError, match="increasing"):
        centre_positions(np.array([0, 5, 5]), 9, 1)


def text_with_structure(n_tokens=6000, seed=0):
    """Ids where word 2k+1 always follows word 2k: learnable pairs for a quick training test."""
    rng = np.random.default_rng(seed)
    firsts = rng.integers(0, 10, n_tokens // 2) * 2
    return np.stack([firsts, firsts + 1], axis=1).ravel()


@pytest.mark.parametrize("optimizer", [RowAdam(lr=0.01), RowSGD(lr=2.0)])
def test_trainer_lowers_the_loss(optimizer):
    ids = text_with_structure()
    model = CBOW(20, 8, 2, np.bincount(ids, minlength=20), seed=0)
    trainer = CBOWTrainer(model, optimizer)
    losses = trainer.fit(ids, max_epoch=3, batch_size=64, eval_interval=10, verbose=False, seed=0)
    assert len(losses) >= 5
    assert losses[-1] < 0.8 * losses[0]
    assert trainer.words_per_second > 0 and trainer.seconds > 0


def test_trainer_is_reproducible_and_honours_max_batches_and_final_lr():
    ids = text_with_structure(2000)
    runs = []
    for _ in range(2):
        model = CBOW(20, 4, 1, np.bincount(ids, minlength=20), seed=1)
        opt = RowSGD(lr=1.0)
        CBOWTrainer(model, opt).fit(ids, max_epoch=2, batch_size=50, final_lr=0.01, max_batches=7,
                                    verbose=False, seed=2)
        assert opt.lr == 1.0          # the schedule does not leave the optimizer changed
        runs.append(model.params[0].copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_trainer_rejects_bad_input():
    model = CBOW(5, 2, 1, np.ones(5))
    with pytest.raises(TypeError, match="RowSGD, RowAdam or RowAdaGrad"):
        CBOWTrainer(model, SGD())
    trainer = CBOWTrainer(model, RowSGD())
    with pytest.raises(ValueError, match="below 5"):
        trainer.fit(np.array([0, 1, 5, 2]), verbose=False)
    with pytest.raises(ValueError, match="final_lr"):
        trainer.fit(np.arange(5), final_lr=1.0, verbose=False)
    with pytest.raises(ValueError, match="batch_size"):
        trainer.fit(np.arange(5), batch_size=0, verbose=False)


def test_trainer_progress_line_in_a_terminal(capsys):
    ids = text_with_structure(2000)
    model = CBOW(20, 4, 1, np.bincount(ids, minlength=20), seed=0)
    CBOWTrainer(model, RowSGD(lr=1.0)).fit(ids, max_epoch=2, batch_size=100, verbose=True)
    line = capsys.readouterr().err.strip().split("\r")[-1]
    assert "epoch 2/2" in line and "words/s" in line and line.startswith("[####################]")


# ---- runaway sizes ---------------------------------------------------------------------------

def test_cbow_refuses_a_model_too_big_and_a_runaway_fit():
    counts = np.ones(50)
    with pytest.raises(ValueError, match=r"W_in of shape \(1000000, 10000\) would take 40.0 GB"):
        CBOW(1_000_000, 10_000, 1, np.ones(1_000_000))
    model = CBOW(50, 4, 1, counts, seed=0)
    trainer = CBOWTrainer(model, RowSGD(0.1))
    ids = np.arange(1000) % 50
    with pytest.raises(ValueError, match="CBOWTrainer.fit would run 10,000,000,000 optimizer steps"):
        trainer.fit(ids, max_epoch=10**9, batch_size=100, verbose=False)
