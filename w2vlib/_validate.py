"""Input checks shared by the public functions and layers.

Every check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong content) with a message that says what was expected and
what arrived, so a reader never has to decode a numpy traceback.
"""
from __future__ import annotations

import math

import numpy as np

# Bounds on what one call may cost, so that a typo (one zero too many) gets a message instead of a
# kernel that freezes or dies: the largest array a function allocates, the number of optimizer
# steps a training call runs, and the entries numerical_gradient perturbs (two forward passes each).
# The book's largest array (chapter 5's W_in: 9,002 x 100 float32) is 3.6 MB; its longest training,
# a few hundred thousand steps.
MAX_ARRAY_BYTES = 2 * 1024**3
MAX_STEPS = 10_000_000
MAX_NUMERICAL_ENTRIES = 100_000


def check_array_bytes(shape: tuple[int, ...], dtype: object, name: str) -> None:
    """Raise ValueError when an array of ``shape`` and ``dtype`` would exceed MAX_ARRAY_BYTES."""
    nbytes = math.prod(int(n) for n in shape) * np.dtype(dtype).itemsize  # Python ints: no overflow
    if nbytes > MAX_ARRAY_BYTES:
        raise ValueError(f"{name} of shape {tuple(int(n) for n in shape)} would take "
                         f"{nbytes / 1e9:,.1f} GB; w2vlib allocates at most "
                         f"{MAX_ARRAY_BYTES / 1e9:.1f} GB per array: use smaller sizes")


def check_steps(steps: int, name: str) -> None:
    """Raise ValueError when a training call would run more than MAX_STEPS optimizer steps."""
    if steps > MAX_STEPS:
        raise ValueError(f"{name} would run {steps:,} optimizer steps; at most {MAX_STEPS:,} per "
                         "call: use fewer epochs or larger batches (or call fit again)")


def as_float_array(x: object, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``x`` as a floating-point array; reject NaN, inf and wrong ranks."""
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except Exception as exc:  # ragged lists and the like
            raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from exc
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, but it contains NaN or inf")
    return arr


def as_id_array(ids: object, name: str, upper: int | None = None) -> np.ndarray:
    """Return ``ids`` as an int64 array of ids in ``[0, upper)``."""
    arr = np.asarray(ids)
    if arr.dtype == bool:
        raise TypeError(f"{name} must be integer ids, got booleans")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise TypeError(f"{name} must be integer ids, got non-integer values of dtype {arr.dtype}")
        arr = arr.astype(np.int64)
    elif not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be integer ids, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must be non-negative ids, got {int(arr.min())}")
    if upper is not None and arr.size and arr.max() >= upper:
        raise ValueError(f"{name} must be ids below {upper}, got {int(arr.max())}")
    return arr


def one_hot_to_ids(t: np.ndarray, name: str) -> np.ndarray:
    """Turn one-hot rows (last axis) into ids, rejecting rows that are not one-hot."""
    values_ok = np.all((t == 0) | (t == 1))
    rows_ok = np.all(t.sum(axis=-1) == 1)
    if not (values_ok and rows_ok):
        raise ValueError(f"{name} looks one-hot (shape {t.shape}) but some rows are not: "
                         "each row must hold exactly one 1 and zeros elsewhere")
    return t.argmax(axis=-1).astype(np.int64)


def labels_to_ids(t: object, n_samples: int, n_classes: int, name: str = "t") -> np.ndarray:
    """Accept labels as ids of shape (N,) or one-hot of shape (N, C); return ids (N,)."""
    arr = np.asarray(t)
    if arr.ndim == 2:
        if arr.shape != (n_samples, n_classes):
            raise ValueError(f"one-hot {name} must have shape ({n_samples}, {n_classes}), got {arr.shape}")
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"one-hot {name} must hold 0s and 1s, got dtype {arr.dtype}")
        return one_hot_to_ids(arr, name)
    if arr.ndim == 1:
        if arr.shape[0] != n_samples:
            raise ValueError(f"{name} must hold {n_samples} ids (one per sample), got shape {arr.shape}")
        return as_id_array(arr, name, upper=n_classes)
    raise ValueError(f"{name} must be ids of shape ({n_samples},) or one-hot of shape "
                     f"({n_samples}, {n_classes}), got shape {arr.shape}")
