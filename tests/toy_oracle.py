"""An independent oracle for the toy model: one sample of SimpleCBOW(7, 3) in plain numpy,
written from the formulas, not from w2vlib's layers (tests of the explorers and the answers)."""
from __future__ import annotations

import numpy as np

import w2vlib


def softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max())
    return e / e.sum()


def by_hand(left: int, right: int, target: int, seed: int = 0) -> dict[str, np.ndarray]:
    """h, y, y - t, dL/dh, dL/dW_in and dL/dW_out for one sample (ids counted from 0)."""
    W_in, W_out = (p.copy() for p in w2vlib.SimpleCBOW(7, 3, seed=seed).params)
    h = 0.5 * (W_in[left] + W_in[right])
    y = softmax(h @ W_out)
    y_minus_t = y - np.eye(7)[target]
    dh = y_minus_t @ W_out.T
    dW_in = np.zeros_like(W_in)
    dW_in[left] += 0.5 * dh
    dW_in[right] += 0.5 * dh
    return dict(W_in=W_in, W_out=W_out, h=h, y=y, y_minus_t=y_minus_t, dh=dh, dW_in=dW_in,
                dW_out=np.outer(h, y_minus_t))
