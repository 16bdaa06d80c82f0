"""Row gradients and the row-wise optimizers (w2vlib/sparse.py)."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import Adam, SGD
from w2vlib.sparse import RowAdaGrad, RowAdam, RowGrad, RowSGD, rows_times


def dense_rows_times(idx, weights, dY, n_rows):
    """X^T dY with X built densely: the definition, entry by entry."""
    idx = np.atleast_2d(np.asarray(idx).T).T if np.ndim(idx) == 1 else np.asarray(idx)
    weights = np.broadcast_to(weights, idx.shape)
    X = np.zeros((idx.shape[0], n_rows))
    for n in range(idx.shape[0]):
        for k in range(idx.shape[1]):
            X[n, idx[n, k]] += weights[n, k]
    return X.T @ dY


def test_rows_times_matches_the_dense_product_with_repeated_ids():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 9, size=(12, 4))
    idx[0] = [3, 3, 3, 5]                     # the same id several times in one sample
    weights = rng.standard_normal((12, 4))
    dY = rng.standard_normal((12, 5))
    grad = rows_times(idx, weights, dY, 9)
    assert np.all(np.diff(grad.rows) > 0)
    assert set(grad.rows) == set(idx.ravel())
    np.testing.assert_allclose(grad.dense(), dense_rows_times(idx, weights, dY, 9), atol=1e-12)


def test_rows_times_scalar_weight_and_one_dimensional_ids():
    rng = np.random.default_rng(1)
    idx = rng.integers(0, 6, size=10)
    dY = rng.standard_normal((10, 3))
    grad = rows_times(idx, 0.5, dY, 6)
    np.testing.assert_allclose(grad.dense(), dense_rows_times(idx, 0.5, dY, 6), atol=1e-12)


def test_row_sgd_equals_dense_sgd():
    rng = np.random.default_rng(2)
    W = rng.standard_normal((7, 3))
    grad = rows_times(rng.integers(0, 7, (5, 2)), 1.0, rng.standard_normal((5, 3)), 7)
    expected = W.copy()
    SGD(lr=0.1).update([expected], [grad.dense()])
    RowSGD(lr=0.1).update([W], [grad])
    np.testing.assert_allclose(W, expected)


def test_row_adam_equals_dense_adam_when_every_row_is_touched():
    rng = np.random.default_rng(3)
    W_dense = rng.standard_normal((4, 3))
    W_rows = W_dense.copy()
    dense, rows = Adam(lr=0.05), RowAdam(lr=0.05)
    for _ in range(3):
        g = rng.standard_normal((4, 3))
        dense.update([W_dense], [g])
        rows.update([W_rows], [RowGrad(np.arange(4), g, 4)])
    np.testing.assert_allclose(W_rows, W_dense, rtol=1e-12)


def test_row_adam_leaves_untouched_rows_and_their_moments_alone():
    W = np.ones((5, 2))
    opt = RowAdam(lr=0.1)
    opt.update([W], [RowGrad(np.array([1, 3]), np.ones((2, 2)), 5)])
    assert np.all(W[[0, 2, 4]] == 1) and np.all(W[[1, 3]] < 1)
    assert np.all(opt.m[0][[0, 2, 4]] == 0) and np.all(opt.v[0][[0, 2, 4]] == 0)


def test_row_adagrad_follows_its_formula_row_by_row():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((6, 3))
    expected, G = W.copy(), np.zeros(6)
    opt = RowAdaGrad(lr=0.2)
    for rows in ([1, 4], [4, 5], [1, 4]):
        rows = np.array(rows)
        g = rng.standard_normal((2, 3))
        for i, row in enumerate(rows):            # the formula, one row at a time
            G[row] += np.mean(g[i] ** 2)
            expected[row] -= 0.2 * g[i] / (np.sqrt(G[row]) + 1e-8)
        opt.update([W], [RowGrad(rows, g, 6)])
    np.testing.assert_allclose(W, expected, rtol=1e-12)
    np.testing.assert_allclose(opt.G[0], G)
    assert np.all(W[[0, 2, 3]] == expected[[0, 2, 3]]) and np.all(G[[0, 2, 3]] == 0)


@pytest.mark.parametrize("make", [lambda: RowSGD(lr=0), lambda: RowAdam(lr=-1),
                                  lambda: RowAdam(beta1=1.0), lambda: RowAdam(beta2=-0.1),
                                  lambda: RowAdaGrad(lr=0), lambda: RowAdaGrad(eps=0)])
def test_bad_hyperparameters_are_rejected(make):
    with pytest.raises(ValueError):
        make()
