"""EmbeddingDot, SigmoidWithLoss, UnigramSampler and NegativeSamplingLoss (w2vlib/negative_sampling.py)."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import gradient_check, numerical_gradient, relative_error
from w2vlib.negative_sampling import (EmbeddingDot, NegativeSamplingLoss, SigmoidWithLoss,
                                      UnigramSampler, sigmoid)


def test_sigmoid_is_stable_and_correct():
    x = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    with np.errstate(over="raise"):
        y = sigmoid(x)
    np.testing.assert_allclose(y[1:4], 1 / (1 + np.exp(-x[1:4])))
    assert y[0] == 0.0 and y[-1] == 1.0


@pytest.mark.parametrize("idx_shape", [(5,), (5, 3)])
def test_embedding_dot_forward_and_gradients(idx_shape):
    rng = np.random.default_rng(0)
    W = rng.standard_normal((8, 4))
    h = rng.standard_normal((5, 4))
    idx = rng.integers(0, 8, size=idx_shape)
    layer = EmbeddingDot(W)
    scores = layer.forward(h, idx)
    assert scores.shape == idx_shape
    expected = np.einsum("nkh,nh->nk", W[idx.reshape(5, -1)], h).reshape(idx_shape)
    np.testing.assert_allclose(scores, expected)
    errors = gradient_check(layer, h, idx)
    assert errors.keys() == {"x", "params[0]"}
    assert max(errors.values()) < 1e-7


def test_embedding_dot_dense_grads_are_zero_outside_the_looked_up_rows():
    rng = np.random.default_rng(1)
    layer = EmbeddingDot(rng.standard_normal((6, 2)))
    layer.forward(rng.standard_normal((2, 2)), np.array([1, 4]))
    layer.backward(np.ones(2))
    dW = layer.grads[0]
    assert np.all(dW[[0, 2, 3, 5]] == 0) and np.all(dW[[1, 4]] != 0)


def test_sigmoid_with_loss_value_and_gradient():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3))
    t = (rng.random((4, 3)) < 0.5).astype(float)
    layer = SigmoidWithLoss()
    loss = layer.forward(x, t)
    y = 1 / (1 + np.exp(-x))
    assert loss == pytest.approx(-np.sum(t * np.log(y) + (1 - t) * np.log(1 - y)) / 4)
    dx = layer.backward()
    np.testing.assert_allclose(dx, (y - t) / 4)
    numeric = numerical_gradient(lambda: layer.forward(x, t), x)
    assert relative_error(dx, numeric) < 1e-7


def test_sigmoid_with_loss_is_finite_for_huge_scores():
    layer = SigmoidWithLoss()
    loss = layer.forward(np.array([1000.0, -1000.0]), np.array([0, 1]))
    assert loss == pytest.approx(1000.0)   # (1000 + 1000) / N with N = 2


def test_unigram_sampler_probabilities():
    counts = np.array([10, 0, 3, 1])
    sampler = UnigramSampler(counts, power=0.75)
    expected = counts ** 0.75 / np.sum(counts ** 0.75)
    np.testing.assert_allclose(sampler.word_p, expected)


def test_unigram_sampler_draws_follow_counts_to_the_power():
    """Large-sample frequencies against counts^0.75 (normalised): a chi-square test."""
    counts = np.array([50, 20, 10, 5, 3, 1, 0, 12])
    sampler = UnigramSampler(counts, power=0.75, seed=123)
    n = 200_000
    observed = np.bincount(sampler.sample(n), minlength=counts.size)
    expected = n * counts ** 0.75 / np.sum(counts ** 0.75)
    assert observed[6] == 0                               # a zero count is never drawn
    nonzero = expected > 0
    chi2 = np.sum((observed[nonzero] - expected[nonzero]) ** 2 / expected[nonzero])
    # 6 degrees of freedom: P(chi2 > 22.46) = 0.001, so this fails only on a real mismatch.
    assert chi2 < 22.46, (chi2, observed, expected)


def test_negative_samples_exclude_the_target_and_keep_the_other_proportions():
    counts = np.array([40, 30, 20, 10])
    sampler = UnigramSampler(counts, power=0.75, sample_size=5, seed=7)
    target = np.zeros(40_000, dtype=int)                   # the most frequent word is the target
    negatives = sampler.get_negative_sample(target)
    assert negatives.shape == (40_000, 5)
    assert not np.any(negatives == 0)
    observed = np.bincount(negatives.ravel(), minlength=4)[1:] / negatives.size
    p = counts[1:] ** 0.75 / np.sum(counts[1:] ** 0.75)    # the distribution given "not the target"
    np.testing.assert_allclose(observed, p, atol=0.005)


def test_sampler_is_reproducible_with_a_seed():
    counts = np.arange(1, 30)
    a = UnigramSampler(counts, seed=5).get_negative_sample(np.arange(29))
    b = UnigramSampler(counts, seed=5).get_negative_sample(np.arange(29))
    c = UnigramSampler(counts, seed=6).get_negative_sample(np.arange(29))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("counts, kwargs, error", [
    ([3, -1, 2], {}, ValueError),
    ([5, 0, 0], {}, ValueError),
    ([[1, 2], [3, 4]], {}, ValueError),
    (["a", "b"], {}, TypeError),
    ([1, 2, 3], {"power": 0}, ValueError),
    ([1, 2, 3], {"sample_size": 0}, ValueError),
    ([1, 2, 3], {"sample_size": 2.5}, ValueError),
])
def test_sampler_rejects_bad_input(counts, kwargs, error):
    with pytest.raises(error):
        UnigramSampler(np.array(counts), **kwargs)


def test_sampler_rejects_bad_targets():
    sampler = UnigramSampler(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="below 3"):
        sampler.get_negative_sample(np.array([0, 3]))
    with pytest.raises(TypeError):
        sampler.get_negative_sample(np.array([0.5]))


def test_negative_sampling_loss_value_gradients_and_labels():
    rng = np.random.default_rng(3)
    V, H, N, K = 10, 4, 6, 3
    W = rng.standard_normal((V, H))
    counts = rng.integers(1, 50, V)
    layer = NegativeSamplingLoss(W, counts, sample_size=K, seed=0)
    h = rng.standard_normal((N, H))
    target = rng.integers(0, V, N)
    negatives = layer.sampler.get_negative_sample(target)
    loss = layer.forward(h, target, negatives)
    pos = np.sum(W[target] * h, axis=1)
    neg = np.einsum("nkh,nh->nk", W[negatives], h)
    expected = np.sum(-np.log(sigmoid(pos)) - np.sum(np.log(1 - sigmoid(neg)), axis=1)) / N
    assert loss == pytest.approx(expected)
    errors = gradient_check(layer, h, target, negatives)
    assert errors.keys() == {"x", "params[0]"}
    assert max(errors.values()) < 1e-7


def test_negative_sampling_loss_draws_its_own_negatives():
    rng = np.random.default_rng(4)
    layer = NegativeSamplingLoss(rng.standard_normal((20, 3)), np.arange(1, 21), sample_size=4, seed=1)
    target = rng.integers(0, 20, 50)
    layer.forward(rng.standard_normal((50, 3)), target)
    assert layer.negatives.shape == (50, 4)
    assert not np.any(layer.negatives == target[:, None])


def test_negative_sampling_loss_rejects_bad_input():
    rng = np.random.default_rng(5)
    W = rng.standard_normal((6, 3))
    with pytest.raises(ValueError, match="one entry per row"):
        NegativeSamplingLoss(W, np.ones(5), sample_size=2)
    layer = NegativeSamplingLoss(W, np.ones(6), sample_size=2)
    h = rng.standard_normal((2, 3))
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        layer.forward(h, np.array([0, 1]), np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match="below 6"):
        layer.forward(h, np.array([0, 6]))
    with pytest.raises(ValueError, match="3 columns"):
        layer.forward(rng.standard_normal((2, 4)), np.array([0, 1]))
    with pytest.raises(RuntimeError):
        NegativeSamplingLoss(W, np.ones(6)).backward()


def test_embedding_dot_rejects_mismatched_ids():
    layer = EmbeddingDot(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        layer.forward(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(RuntimeError):
        EmbeddingDot(np.zeros((4, 2))).backward(np.ones(3))


def test_sampler_refuses_a_runaway_sample_size():
    sampler = UnigramSampler(np.ones(10), sample_size=10**9)
    with pytest.raises(ValueError, match=r"negative samples of shape \(1000, 1000000000\) would take"):
        sampler.get_negative_sample(np.zeros(1000, dtype=np.int64))
