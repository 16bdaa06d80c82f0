"""Gradients that touch only a few rows of a big matrix, and optimizers that update only those rows.

A batch of N samples touches a few thousand of the V rows of W_in and W_out.
The embedding backward is chapter 2's input-layer rule,

    dW = X^T dY,    X: (N, V) one-hot (or averaged one-hot) rows,  dY: (N, H),

and X is almost all zeros. ``rows_times`` builds X^T restricted to the rows
that occur, as a scipy sparse matrix, and multiplies: one C loop instead of
``np.add.at``'s slow scatter, and duplicates (a word twice in a batch) add up
as the rule says. The result is a ``RowGrad``: the touched rows and their
gradient rows. ``RowSGD`` and ``RowAdam`` apply such gradients to those rows only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .optim import Adam


@dataclass
class RowGrad:
    """The gradient of a (n_rows, H) matrix that is zero outside ``rows``.

    rows: (U,) distinct row ids, increasing. values: (U, H), values[u] = dW[rows[u]].
    """

    rows: np.ndarray
    values: np.ndarray
    n_rows: int

    def dense(self) -> np.ndarray:
        """The full (n_rows, H) gradient, zeros outside ``rows``."""
        full = np.zeros((self.n_rows, self.values.shape[1]), dtype=self.values.dtype)
        full[self.rows] = self.values
        return full


def rows_times(idx: np.ndarray, weights: np.ndarray | float, dY: np.ndarray, n_rows: int) -> RowGrad:
    """X^T dY for the sparse X with X[n, idx[n, k]] += weights[n, k]; as a RowGrad.

    idx: (N, K) row ids in [0, n_rows). weights: (N, K) or a scalar. dY: (N, H).
    Row u of the result is sum over (n, k) with idx[n, k] == rows[u] of weights[n, k] * dY[n].
    """
    idx = np.asarray(idx)
    if idx.ndim == 1:
        idx = idx[:, None]
    n, k = idx.shape
    # The touched rows in increasing order and each id's position among them, without a sort:
    # O(n_rows + N K) instead of np.unique's O(N K log N K).
    present = np.zeros(n_rows, dtype=bool)
    present[idx] = True
    rows = np.flatnonzero(present)
    position = np.empty(n_rows, dtype=np.int32)
    position[rows] = np.arange(rows.size, dtype=np.int32)
    data = np.broadcast_to(np.asarray(weights, dtype=dY.dtype), (n, k)).ravel()
    # Column n of X^T holds sample n's K entries: a CSC matrix needs no sorting at all.
    # Repeated ids in one column are allowed; the product adds them.
    xt = sp.csc_matrix((data, position[idx.ravel()], np.arange(0, n * k + 1, k)),
                       shape=(rows.size, n))
    return RowGrad(rows, np.asarray(xt @ dY), n_rows)


class RowSGD:
    """W[rows] <- W[rows] - lr * dW[rows], for each (param, RowGrad) pair."""

    def __init__(self, lr: float = 0.01) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr!r}")
        self.lr = lr

    def update(self, params: list[np.ndarray], row_grads: list[RowGrad]) -> None:
        for param, grad in zip(params, row_grads):
            param[grad.rows] -= self.lr * grad.values


class RowAdam(Adam):
    """Adam on the touched rows only ("lazy" Adam): rows a batch does not touch keep their
    weights and their moments. Same hyperparameters and formulas as ``w2vlib.Adam``, on the
    touched rows:

        m <- m + (1 - beta1) (g - m),    v <- v + (1 - beta2) (g^2 - v)
        W <- W - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + 1e-7)

    with t the number of updates so far.
    """

    def update(self, params: list[np.ndarray], row_grads: list[RowGrad]) -> None:  # type: ignore[override]
        if self.m is None or self.v is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = float(self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter))
        for param, grad, m, v in zip(params, row_grads, self.m, self.v):
            r, g = grad.rows, grad.values.astype(param.dtype, copy=False)
            # Gather the touched rows once, update them in place, scatter them back:
            # in-place float32 arithmetic keeps this step as cheap as the gradient itself.
            m_r, v_r = m[r], v[r]
            m_r *= self.beta1
            m_r += (1 - self.beta1) * g
            v_r *= self.beta2
            v_r += (1 - self.beta2) * (g * g)
            m[r], v[r] = m_r, v_r
            step = np.sqrt(v_r)
            step += 1e-7
            np.divide(m_r, step, out=step)
            step *= lr_t
            param[r] -= step


class RowAdaGrad:
    """AdaGrad with one accumulator per row ("row-wise AdaGrad", common for embedding tables):

        G[r] <- G[r] + mean_j g[r, j]^2,     W[r] <- W[r] - lr * g[r] / (sqrt(G[r]) + eps)

    A word that has received many large gradients takes smaller steps; a rare word keeps
    large ones. One number of state per row keeps the update almost as cheap as SGD's.
    """

    def __init__(self, lr: float = 0.1, eps: float = 1e-8) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr!r}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps!r}")
        self.lr, self.eps = lr, eps
        self.G: list[np.ndarray] | None = None

    def update(self, params: list[np.ndarray], row_grads: list[RowGrad]) -> None:
        if self.G is None:
            self.G = [np.zeros(p.shape[0], dtype=np.float64) for p in params]
        for param, grad, G in zip(params, row_grads, self.G):
            r, g = grad.rows, grad.values.astype(param.dtype, copy=False)
            G[r] += np.einsum("ij,ij->i", g, g) / g.shape[1]   # row means of g^2, no temporary
            scale = (self.lr / (np.sqrt(G[r]) + self.eps)).astype(param.dtype)
            param[r] -= g * scale[:, None]
