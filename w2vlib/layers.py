"""The layers of the book's chapter 3, each with ``params``, ``grads``,
``forward`` and ``backward``.

``params`` and ``grads`` are lists of arrays of matching shapes. ``backward``
writes the parameter gradients into ``grads`` (overwriting, as the book does)
and returns the gradient with respect to the layer's input.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_id_array, labels_to_ids
from .functions import log_softmax


class MatMul:
    """Y = X @ W,   X: (N, D), W: (D, H), Y: (N, H).

    backward, from dY = dL/dY of shape (N, H):
        dW = X.T @ dY   (D, H)   -- the MatMul chapter (the memo's formula 3-2)
        dX = dY @ W.T   (N, D)   -- the MatMul chapter (the memo's formula 3-4)
    """

    def __init__(self, W: np.ndarray) -> None:
        W = as_float_array(W, "W", ndim=2)
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        W, = self.params
        x = as_float_array(x, "x", ndim=2)
        if x.shape[1] != W.shape[0]:
            raise ValueError(f"x @ W needs x.shape[1] == W.shape[0]: x has shape {x.shape}, "
                             f"W has shape {W.shape}")
        self.x = x
        return x @ W

    def backward(self, dout: np.ndarray) -> np.ndarray:
        W, = self.params
        if self.x is None:
            raise RuntimeError("call forward before backward")
        dout = as_float_array(dout, "dout", ndim=2)
        expected = (self.x.shape[0], W.shape[1])
        if dout.shape != expected:
            raise ValueError(f"dout must have the output's shape {expected}, got {dout.shape}")
        dx = dout @ W.T
        dW = self.x.T @ dout
        self.grads[0][...] = dW
        return dx


class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy loss.

    forward(x, t): x are scores (N, C); t the correct ids (N,) or one-hot (N, C).
        L = -(1/N) sum_n log softmax(x_n)[t_n], computed in log space, so the
        loss stays exact when the correct class's probability underflows.
    backward(dout=1): dL/dx = dout * (y - t) / N,  (N, C)  -- output-layer chapter (memo: 4-1)
        (y - t for one sample; the 1/N comes from the mean over the batch).
    """

    def __init__(self) -> None:
        self.params: list[np.ndarray] = []
        self.grads: list[np.ndarray] = []
        self.y: np.ndarray | None = None
        self.t: np.ndarray | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x = as_float_array(x, "x (scores)", ndim=2)
        self.t = labels_to_ids(t, x.shape[0], x.shape[1], "t")
        log_y = log_softmax(x)
        self.y = np.exp(log_y)
        return float(-np.mean(log_y[np.arange(x.shape[0]), self.t]))

    def backward(self, dout: float = 1.0) -> np.ndarray:
        if self.y is None or self.t is None:
            raise RuntimeError("call forward before backward")
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1.0
        return dx * (dout / n)


class Embedding:
    """Row lookup: forward(idx) = W[idx],  W: (V, H), idx: ids of any shape.

    This is what a one-hot MatMul computes, without the multiplications:
    one_hot(idx) @ W == W[idx]. backward scatter-adds dout into the picked
    rows, so an id that appears twice receives both gradients:
        dW[v] = sum over positions p with idx[p] == v of dout[p].
    """

    def __init__(self, W: np.ndarray) -> None:
        W = as_float_array(W, "W", ndim=2)
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx: np.ndarray | None = None

    def forward(self, idx: np.ndarray) -> np.ndarray:
        W, = self.params
        self.idx = as_id_array(idx, "idx", upper=W.shape[0])
        return W[self.idx]

    def backward(self, dout: np.ndarray) -> None:
        W, = self.params
        if self.idx is None:
            raise RuntimeError("call forward before backward")
        dout = as_float_array(dout, "dout")
        expected = self.idx.shape + (W.shape[1],)
        if dout.shape != expected:
            raise ValueError(f"dout must have the output's shape {expected}, got {dout.shape}")
        dW = self.grads[0]
        dW[...] = 0.0
        np.add.at(dW, self.idx.ravel(), dout.reshape(-1, W.shape[1]))
        return None
