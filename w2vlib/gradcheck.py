"""Numerical gradients by central differences, and a check of any layer or model.

    df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

The error between an analytic gradient A and a numerical one B is reported as

    relative_error(A, B) = max_i |A_i - B_i| / max(max_i |A_i|, max_i |B_i|)

i.e. the largest discrepancy measured against the gradient's own scale, so
entries that are exactly zero (rows of W_in no context touched) do not blow up
the ratio.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._validate import MAX_NUMERICAL_ENTRIES


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored, so ``f``
    takes no arguments: it reads ``x`` through whatever holds it (a layer's
    params, a closure). Returns an array of x's shape.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a floating-point numpy array, got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if x.size > MAX_NUMERICAL_ENTRIES:
        raise ValueError(f"x has {x.size:,} entries, and numerical_gradient calls f twice for each; "
                         f"at most {MAX_NUMERICAL_ENTRIES:,}: check a smaller model or a slice")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = f()
        x[i] = original - eps
        f_minus = f()
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numerical: np.ndarray) -> float:
    """max |A - B| / max(max |A|, max |B|); 0.0 when both are exactly zero."""
    a, b = np.asarray(analytic, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"the two gradients must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.abs(a - b).max() / scale)


def gradient_check(layer: object, *inputs: np.ndarray, seed: int = 0,
                   eps: float = 1e-5) -> dict[str, float]:
    """Compare a layer's or model's ``backward`` with numerical gradients.

    ``layer.forward(*inputs)`` may return an array (a layer: the check uses
    L = sum(out * G) for a fixed random G, so dL/dout = G) or a scalar loss
    (a loss layer or a model: dL/dout = 1). Checked: every array in
    ``layer.params`` ("params[i]") and, for a layer that returns its input's
    gradient, the first input ("x"). Returns {name: relative error}.
    """
    rng = np.random.default_rng(seed)
    out = layer.forward(*inputs)
    if np.ndim(out) == 0:
        weights = None
        def loss() -> float:
            return float(layer.forward(*inputs))
        dx = layer.backward(1.0)
    else:
        weights = rng.standard_normal(np.shape(out))
        def loss() -> float:
            return float(np.sum(layer.forward(*inputs) * weights))
        dx = layer.backward(weights)
    analytic = {f"params[{i}]": g.copy() for i, g in enumerate(layer.grads)}
    report: dict[str, float] = {}
    x = inputs[0] if inputs else None
    if dx is not None and isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
        report["x"] = relative_error(dx, numerical_gradient(loss, x, eps))
    for i, p in enumerate(layer.params):
        report[f"params[{i}]"] = relative_error(analytic[f"params[{i}]"], numerical_gradient(loss, p, eps))
    return report
