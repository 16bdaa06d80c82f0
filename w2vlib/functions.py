"""Softmax and cross-entropy, written so that large scores cannot overflow.

    softmax(x)_j = exp(x_j - m) / sum_k exp(x_k - m),   m = max_k x_k

Subtracting the row maximum changes nothing mathematically and keeps every
``exp`` at most 1. ``x`` is a score vector (C,) or a batch of them (N, C);
the softmax runs along the last axis.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, labels_to_ids


def log_softmax(x: np.ndarray) -> np.ndarray:
    """log softmax(x) = x - logsumexp(x), along the last axis; (C,) or (N, C)."""
    x = as_float_array(x, "x", ndim=(1, 2))
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(x: np.ndarray) -> np.ndarray:
    """Probabilities y = softmax(x) along the last axis; same shape as x, (C,) or (N, C)."""
    return np.exp(log_softmax(x))


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Mean cross-entropy  L = -(1/N) sum_n log y[n, t_n].

    y: probabilities, (C,) or (N, C). t: the correct ids, a scalar or (N,),
    or one-hot rows of y's shape. A probability of exactly 0 for the correct
    class gives ``inf``, honestly; to get a finite loss from scores whose
    softmax underflows, use ``SoftmaxWithLoss``, which works in log space.
    """
    y = as_float_array(y, "y", ndim=(1, 2))
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must hold probabilities in [0, 1]; did you pass scores? "
                         "Apply softmax first, or use SoftmaxWithLoss")
    t_arr = np.asarray(t)
    if y.ndim == 1:
        y = y[None, :]
        t_arr = t_arr[None, ...] if t_arr.ndim in (0, 1) else t_arr
    ids = labels_to_ids(t_arr, y.shape[0], y.shape[1], "t")
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(y[np.arange(y.shape[0]), ids])))
