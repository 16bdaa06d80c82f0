"""SimpleCBOW: the book's chapter-3 model, built from MatMul nodes.

    h = 0.5 * (x0 @ W_in + x1 @ W_in)     x0, x1: one-hot contexts (N, V); W_in: (V, H); h: (N, H)
    s = h @ W_out                         W_out: (H, V); s: scores (N, V)
    L = SoftmaxWithLoss(s, t)             t: the target word, ids (N,) or one-hot (N, V)

Both input layers hold the *same* array W_in. Each computes its own gradient,
and backward adds the two, right here, because a weight used twice in the
forward pass receives the sum of both uses' gradients.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_array_bytes, as_id_array, one_hot_to_ids
from .corpus import convert_one_hot
from .functions import softmax
from .layers import MatMul, SoftmaxWithLoss


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


class SimpleCBOW:
    """CBOW with a window of one word on each side, as in the book's ``ch03/simple_cbow.py``."""

    def __init__(self, vocab_size: int, hidden_size: int, *, seed: int | np.random.Generator | None = 0,
                 weight_scale: float = 0.01, dtype: type = np.float64) -> None:
        for name, value in (("vocab_size", vocab_size), ("hidden_size", hidden_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.vocab_size, self.hidden_size = int(vocab_size), int(hidden_size)
        check_array_bytes((vocab_size, hidden_size), dtype, "W_in")
        rng = _rng(seed)
        W_in = (weight_scale * rng.standard_normal((vocab_size, hidden_size))).astype(dtype)
        W_out = (weight_scale * rng.standard_normal((hidden_size, vocab_size))).astype(dtype)

        self.in_layer0 = MatMul(W_in)
        self.in_layer1 = MatMul(W_in)   # the same array: W_in is shared
        self.out_layer = MatMul(W_out)
        self.loss_layer = SoftmaxWithLoss()

        # One entry per distinct weight, so an optimizer updates W_in once.
        self.params = [W_in, W_out]
        self.grads = [np.zeros_like(W_in), np.zeros_like(W_out)]
        self.word_vecs = W_in
        self.h: np.ndarray | None = None

    def _one_hot_contexts(self, contexts: np.ndarray) -> np.ndarray:
        arr = np.asarray(contexts)
        V = self.vocab_size
        if arr.ndim == 3:
            if arr.shape[1:] != (2, V):
                raise ValueError(f"one-hot contexts must have shape (N, 2, {V}), got {arr.shape}")
            one_hot_to_ids(arr, "contexts")   # rejects rows that are not one-hot
            return arr
        if arr.ndim == 2:
            if arr.shape[1] != 2:
                raise ValueError(f"context ids must have shape (N, 2): one word on each side, "
                                 f"got {arr.shape}")
            return convert_one_hot(as_id_array(arr, "contexts", upper=V), V)
        raise ValueError(f"contexts must be ids (N, 2) or one-hot (N, 2, {V}), got shape {arr.shape}")

    def forward(self, contexts: np.ndarray, target: np.ndarray) -> float:
        """Loss for contexts (N, 2) ids or (N, 2, V) one-hot, target (N,) ids or (N, V) one-hot."""
        x = self._one_hot_contexts(contexts)
        h0 = self.in_layer0.forward(x[:, 0])
        h1 = self.in_layer1.forward(x[:, 1])
        self.h = 0.5 * (h0 + h1)
        score = self.out_layer.forward(self.h)
        return self.loss_layer.forward(score, target)

    def backward(self, dout: float = 1.0) -> None:
        """Fill ``grads`` = [dL/dW_in, dL/dW_out]."""
        ds = self.loss_layer.backward(dout)
        dh = self.out_layer.backward(ds)
        # h = 0.5*(h0 + h1): each line receives half of dh.
        dh_each = 0.5 * dh
        self.in_layer1.backward(dh_each)
        self.in_layer0.backward(dh_each)
        # Shared weight: its gradient is the sum of the two lines' gradients.
        self.grads[0][...] = self.in_layer0.grads[0] + self.in_layer1.grads[0]
        self.grads[1][...] = self.out_layer.grads[0]

    def predict(self, contexts: np.ndarray) -> np.ndarray:
        """Softmax probabilities (N, V) of the centre word for each pair of contexts."""
        x = self._one_hot_contexts(contexts)
        W_in, W_out = self.params
        h = 0.5 * (x[:, 0] @ W_in + x[:, 1] @ W_in)
        return softmax(h @ W_out)
