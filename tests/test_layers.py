"""Tests of w2vlib.layers: MatMul, SoftmaxWithLoss, Embedding."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import Embedding, MatMul, SoftmaxWithLoss, convert_one_hot, gradient_check

TOL = 1e-7   # the bound on the relative error of every gradient check (float64)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def softmax_rows(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---- gradient checks ----------------------------------------------------------------------

@pytest.mark.parametrize("N, D, H", [(1, 4, 3), (5, 4, 3), (1, 7, 1), (3, 1, 6), (6, 7, 3)])
def test_matmul_passes_gradient_check(N, D, H):
    g = rng(N * 100 + D * 10 + H)
    layer = MatMul(g.standard_normal((D, H)))
    report = gradient_check(layer, g.standard_normal((N, D)))
    assert set(report) == {"x", "params[0]"}
    assert max(report.values()) < TOL, report


@pytest.mark.parametrize("N, C", [(1, 7), (4, 7), (3, 2), (8, 5)])
@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_passes_gradient_check(N, C, one_hot):
    g = rng(N * 10 + C)
    ids = g.integers(0, C, size=N)
    t = np.eye(C, dtype=int)[ids] if one_hot else ids
    report = gradient_check(SoftmaxWithLoss(), 3.0 * g.standard_normal((N, C)), t)
    assert set(report) == {"x"}
    assert report["x"] < TOL, report


@pytest.mark.parametrize("idx_shape, V, H", [((1,), 7, 3), ((5,), 7, 3), ((4, 2), 5, 2), ((6,), 3, 4)])
def test_embedding_passes_gradient_check(idx_shape, V, H):
    g = rng(V * 10 + H)
    idx = g.integers(0, V, size=idx_shape)
    report = gradient_check(Embedding(g.standard_normal((V, H))), idx)
    assert set(report) == {"params[0]"}   # ids have no gradient
    assert report["params[0]"] < TOL, report


def test_gradient_check_on_repeated_ids_in_embedding():
    idx = np.array([2, 2, 0, 2])
    report = gradient_check(Embedding(rng(1).standard_normal((4, 3))), idx)
    assert report["params[0]"] < TOL, report


# ---- MatMul against the formulas, computed independently ----------------------------------

def test_matmul_forward_and_backward_follow_the_formulas():
    g = rng(2)
    X, W, dY = g.standard_normal((4, 5)), g.standard_normal((5, 3)), g.standard_normal((4, 3))
    layer = MatMul(W.copy())
    np.testing.assert_allclose(layer.forward(X), np.einsum("nd,dh->nh", X, W), rtol=1e-13)
    dX = layer.backward(dY)
    # dL/dX_nd = sum_h dY_nh W_dh and dL/dW_dh = sum_n X_nd dY_nh, index by index.
    np.testing.assert_allclose(dX, np.einsum("nh,dh->nd", dY, W), rtol=1e-13)
    np.testing.assert_allclose(layer.grads[0], np.einsum("nd,nh->dh", X, dY), rtol=1e-13)


def test_matmul_keeps_the_weight_array_it_was_given():
    W = np.ones((2, 3))
    layer = MatMul(W)
    assert layer.params[0] is W   # sharing W_in between two layers relies on this
    assert layer.grads[0].shape == W.shape


def test_matmul_backward_overwrites_grads_like_the_book():
    g = rng(3)
    layer = MatMul(g.standard_normal((3, 2)))
    x = g.standard_normal((2, 3))
    layer.forward(x)
    layer.backward(np.ones((2, 2)))
    layer.backward(np.ones((2, 2)))
    np.testing.assert_allclose(layer.grads[0], x.T @ np.ones((2, 2)), rtol=1e-14)


# ---- SoftmaxWithLoss --------------------------------------------------------------------------

def test_softmax_with_loss_forward_and_backward_follow_the_formulas():
    g = rng(4)
    x, ids = g.standard_normal((5, 7)), g.integers(0, 7, size=5)
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, ids)
    y, t = softmax_rows(x), np.eye(7)[ids]
    assert loss == pytest.approx(-np.mean(np.log(y[np.arange(5), ids])), rel=1e-13)
    np.testing.assert_allclose(layer.backward(), (y - t) / 5, rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(layer.backward(2.0), 2.0 * (y - t) / 5, rtol=1e-12, atol=1e-17)


def test_softmax_with_loss_ids_and_one_hot_agree():
    g = rng(5)
    x, ids = g.standard_normal((4, 6)), g.integers(0, 6, size=4)
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert a.forward(x, ids) == b.forward(x, convert_one_hot(ids, 6))
    np.testing.assert_array_equal(a.backward(), b.backward())


def test_loss_is_exact_when_the_target_probability_underflows():
    scores, target = np.array([[0.0, -1000.0]]), np.array([1])
    # L = logsumexp(0, -1000) - (-1000), and logsumexp(0, -1000) = log(1 + e^-1000) = 0 in float64.
    expected = np.logaddexp(0.0, -1000.0) - (-1000.0)
    layer = SoftmaxWithLoss()
    loss = layer.forward(scores, target)
    assert loss == pytest.approx(expected, rel=1e-15)
    assert loss == pytest.approx(1000.0, rel=1e-15)
    dx = layer.backward()
    assert np.all(np.isfinite(dx))
    np.testing.assert_allclose(dx, [[1.0, -1.0]], rtol=1e-15)   # y = (1, 0), t = (0, 1)


def test_loss_of_huge_scores_is_finite():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([[1000.0, -1000.0, 0.0]]), [0])
    assert np.isfinite(loss) and loss == pytest.approx(0.0, abs=1e-15)


# ---- one-hot MatMul and Embedding are the same computation ---------------------------------

@pytest.mark.parametrize("ids", [[3], [0, 4, 1], [2, 2, 5, 2, 0], [6, 6]])
def test_one_hot_matmul_and_embedding_agree_forward_and_backward(ids):
    ids = np.array(ids)
    g = rng(len(ids))
    W = g.standard_normal((7, 3))
    dout = g.standard_normal((len(ids), 3))
    matmul, embed = MatMul(W.copy()), Embedding(W.copy())
    np.testing.assert_array_equal(matmul.forward(convert_one_hot(ids, 7)), embed.forward(ids))
    matmul.backward(dout)
    assert embed.backward(dout) is None   # ids have no gradient
    np.testing.assert_allclose(embed.grads[0], matmul.grads[0], rtol=1e-14, atol=0)


def test_embedding_adds_the_gradients_of_a_repeated_id():
    ids = np.array([1, 3, 1, 1])
    dout = rng(6).standard_normal((4, 2))
    layer = Embedding(np.zeros((5, 2)))
    layer.forward(ids)
    layer.backward(dout)
    expected = np.zeros((5, 2))
    for position, word in enumerate(ids):   # plain loop: the definition of a scatter-add
        expected[word] += dout[position]
    np.testing.assert_allclose(layer.grads[0], expected, rtol=1e-15)
    assert np.all(layer.grads[0][[0, 2, 4]] == 0)


def test_embedding_backward_does_not_accumulate_across_calls():
    layer = Embedding(np.zeros((3, 2)))
    layer.forward(np.array([0]))
    layer.backward(np.ones((1, 2)))
    layer.forward(np.array([1]))
    layer.backward(np.ones((1, 2)))
    np.testing.assert_array_equal(layer.grads[0], [[0, 0], [1, 1], [0, 0]])


# ---- bad input ------------------------------------------------------------------------------

def test_matmul_names_both_shapes_when_they_do_not_fit():
    layer = MatMul(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"x has shape \(2, 5\).*W has shape \(4, 3\)"):
        layer.forward(np.zeros((2, 5)))


def test_matmul_rejects_bad_dout_and_backward_before_forward():
    layer = MatMul(np.zeros((4, 3)))
    with pytest.raises(RuntimeError, match="forward before backward"):
        layer.backward(np.zeros((2, 3)))
    layer.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"\(2, 3\).*got \(3, 2\)"):
        layer.backward(np.zeros((3, 2)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_layers_reject_nan_and_inf(bad):
    x = np.zeros((2, 4))
    x[1, 2] = bad
    with pytest.raises(ValueError, match="x must be finite"):
        MatMul(np.zeros((4, 3))).forward(x)
    with pytest.raises(ValueError, match="scores.*finite"):
        SoftmaxWithLoss().forward(x, [0, 1])
    with pytest.raises(ValueError, match="W must be finite"):
        MatMul(x.T.copy())


def test_matmul_rejects_wrong_ranks_and_non_numbers():
    with pytest.raises(ValueError, match=r"W must be 2-D, got shape \(3,\)"):
        MatMul(np.zeros(3))
    with pytest.raises(ValueError, match=r"x must be 2-D, got shape \(4,\)"):
        MatMul(np.zeros((4, 3))).forward(np.zeros(4))
    with pytest.raises(TypeError, match="numbers"):
        MatMul(np.array([["a"]]))


@pytest.mark.parametrize("t, error, message", [
    ([0, 7], ValueError, "t must be ids below 7, got 7"),
    ([-1, 0], ValueError, "non-negative ids, got -1"),
    ([0.0, 1.5], TypeError, "integer ids.*non-integer"),
    ([True, False], TypeError, "booleans"),
    ([0, 1, 2], ValueError, r"2 ids .*got shape \(3,\)"),
    (3, ValueError, r"ids of shape \(2,\) or one-hot of shape \(2, 7\)"),
])
def test_softmax_with_loss_rejects_bad_labels(t, error, message):
    with pytest.raises(error, match=message):
        SoftmaxWithLoss().forward(np.zeros((2, 7)), t)


def test_softmax_with_loss_rejects_rows_that_are_not_one_hot():
    x = np.zeros((2, 3))
    for t in ([[1, 0, 0], [1, 1, 0]], [[1, 0, 0], [0, 0, 0]], [[1, 0, 0], [0, 2, -1]]):
        with pytest.raises(ValueError, match="each row must hold exactly one 1"):
            SoftmaxWithLoss().forward(x, np.array(t))


def test_softmax_with_loss_names_both_shapes_for_a_misfit_one_hot_target():
    with pytest.raises(ValueError, match=r"\(2, 3\), got \(2, 4\)"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.eye(4, dtype=int)[:2])


def test_softmax_with_loss_backward_before_forward():
    with pytest.raises(RuntimeError, match="forward before backward"):
        SoftmaxWithLoss().backward()


@pytest.mark.parametrize("idx, error, message", [
    ([0, 5], ValueError, "idx must be ids below 5, got 5"),
    ([0, 9], ValueError, "below 5, got 9"),
    ([-1], ValueError, "non-negative ids, got -1"),
    ([1.5], TypeError, "integer ids"),
    ([True], TypeError, "booleans"),
    (["a"], TypeError, "integer ids"),
])
def test_embedding_rejects_bad_ids(idx, error, message):
    with pytest.raises(error, match=message):
        Embedding(np.zeros((5, 2))).forward(np.array(idx))


def test_embedding_accepts_integral_floats_and_rejects_bad_dout():
    layer = Embedding(np.arange(10.0).reshape(5, 2))
    np.testing.assert_array_equal(layer.forward(np.array([4.0, 0.0])), [[8, 9], [0, 1]])
    with pytest.raises(ValueError, match=r"\(2, 2\), got \(2, 3\)"):
        layer.backward(np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match="forward before backward"):
        Embedding(np.zeros((5, 2))).backward(np.zeros((1, 2)))
