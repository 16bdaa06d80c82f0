"""Pictures of matrices and vectors, drawn the same way on every page.

``heatmap`` is the book's picture of W_in, W_out and their gradients: rows
labelled by vocabulary words, a diverging colour map centred on 0 (blue
negative, red positive, white zero), rows that are entirely zero hatched in
grey so they read as "untouched", and optional highlighted rows.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib
import numpy as np

from ._validate import as_float_array

matplotlib.use(matplotlib.get_backend())  # keep the notebook's backend; Agg elsewhere
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

DIVERGING = "RdBu_r"
ZERO_ROW_COLOUR = "#d9d9d9"
HIGHLIGHT_COLOUR = "#111111"


# heatmap(annotate=True) writes one text per cell: far more would take minutes to draw, unreadably.
MAX_ANNOTATED_CELLS = 2500


def heatmap(matrix: np.ndarray, row_labels: Sequence[str] | None = None,
            col_labels: Sequence[str] | None = None, *, title: str | None = None,
            highlight_rows: Sequence[int] = (), annotate: bool | None = None,
            fmt: str = "{:+.2f}", ax: plt.Axes | None = None, colorbar: bool = True,
            limit: float | None = None) -> plt.Axes:
    """Draw a 2-D array; returns the Axes.

    matrix: (R, C). row_labels: R strings (e.g. the vocabulary), col_labels: C strings.
    highlight_rows: row indices (0-based, as in code) framed in black.
    annotate: print each value in its cell; default on for matrices up to 12 x 12.
    limit: the colour scale runs from -limit to +limit; default max |matrix|. Give several panels
    the same limit to compare their colours.
    """
    m = np.asarray(matrix)
    if m.ndim not in (1, 2):
        raise ValueError(f"heatmap draws a 2-D array, got shape {m.shape}")
    m = as_float_array(m, "matrix").astype(np.float64, copy=False)
    if m.ndim == 1:
        m = m[None, :]
    rows, cols = m.shape
    for name, labels, n in (("row_labels", row_labels, rows), ("col_labels", col_labels, cols)):
        if labels is not None and len(labels) != n:
            raise ValueError(f"{name} must have {n} entries, got {len(labels)}")
    # Checked before a figure exists, so a rejected call leaves no empty figure behind.
    if annotate and rows * cols > MAX_ANNOTATED_CELLS:
        raise ValueError(f"annotate prints every value: a {rows} x {cols} matrix has more than "
                         f"{MAX_ANNOTATED_CELLS} cells to print; leave annotate off")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)):
            raise TypeError(f"limit must be a positive number, got {type(limit).__name__}")
        if not (np.isfinite(limit) and limit > 0):
            raise ValueError(f"limit must be a positive finite number, got {limit}")
    highlight_rows = list(highlight_rows)
    for r in highlight_rows:
        if not 0 <= r < rows:
            raise ValueError(f"highlight_rows must be row indices in [0, {rows}), got {r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(3.0, 0.6 * cols + 1.6), max(2.0, 0.42 * rows + 0.9)))
    if limit is None:
        limit = float(np.abs(m).max()) or 1.0
    image = ax.imshow(m, cmap=DIVERGING, vmin=-limit, vmax=limit, aspect="auto")
    zero_rows = np.flatnonzero(np.all(m == 0, axis=1))
    for r in zero_rows:
        ax.add_patch(Rectangle((-0.5, r - 0.5), cols, 1, facecolor=ZERO_ROW_COLOUR,
                               edgecolor="white", hatch="///", linewidth=0))
    for r in highlight_rows:
        ax.add_patch(Rectangle((-0.5, r - 0.5), cols, 1, fill=False,
                               edgecolor=HIGHLIGHT_COLOUR, linewidth=2.5))
    if annotate is None:
        annotate = rows <= 12 and cols <= 12
    if annotate:
        for (r, c), value in np.ndenumerate(m):
            if r in zero_rows:
                continue
            dark = abs(value) > 0.6 * limit
            ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    ax.set_yticks(range(rows), row_labels if row_labels is not None else range(rows))
    ax.set_xticks(range(cols), col_labels if col_labels is not None else range(cols))
    if col_labels is not None and max(len(str(c)) for c in col_labels) > 3:
        ax.tick_params(axis="x", labelrotation=45)
    ax.tick_params(length=0)
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax


def probability_bars(y: np.ndarray, t: np.ndarray, labels: Sequence[str], *,
                     title: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Softmax probabilities y (V,) as bars beside the one-hot target t (V,)."""
    y, t = np.asarray(y, dtype=np.float64).ravel(), np.asarray(t, dtype=np.float64).ravel()
    if y.shape != t.shape or len(labels) != y.size:
        raise ValueError(f"y, t and labels must have one entry per word: got {y.size}, {t.size}, "
                         f"{len(labels)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.7 * y.size + 1), 2.8))
    x = np.arange(y.size)
    ax.bar(x - 0.2, y, width=0.4, label="y = softmax(s)", color="#2166ac")
    ax.bar(x + 0.2, t, width=0.4, label="t (one-hot target)", color="#b2182b")
    ax.set_xticks(x, labels)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("probability")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def loss_curve(losses: Sequence[float], *, eval_interval: int = 1,
               ax: plt.Axes | None = None) -> plt.Axes:
    """The training loss against iterations; each point is a mean over eval_interval iterations."""
    if len(losses) == 0:
        raise ValueError("there is no loss history to plot: train first")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    iters = (np.arange(len(losses)) + 1) * eval_interval
    ax.plot(iters, losses, color="#2166ac")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    return ax


def word_vectors(vectors: np.ndarray, labels: Sequence[str], *, title: str | None = None,
                 ax: plt.Axes | None = None) -> plt.Axes:
    """Word vectors (V, H) projected to their first two principal components, labelled.

    Points closer than 3 % of the plot's span share one label ("you, hello"), which would
    otherwise be printed over each other.
    """
    v = np.asarray(vectors, dtype=np.float64)
    if v.ndim != 2 or len(labels) != v.shape[0]:
        raise ValueError(f"vectors must be (V, H) with one label per row, got {v.shape} and "
                         f"{len(labels)} labels")
    centred = v - v.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    xy = centred @ vt[:2].T if vt.shape[0] >= 2 else np.c_[centred @ vt[:1].T, np.zeros(len(v))]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    ax.scatter(xy[:, 0], xy[:, 1], color="#2166ac")
    near = 0.03 * (float(np.ptp(xy, axis=0).max()) or 1.0)
    groups: list[list[int]] = []
    for i, point in enumerate(xy):
        group = next((g for g in groups if np.linalg.norm(xy[g[0]] - point) < near), None)
        if group is None:
            groups.append([i])
        else:
            group.append(i)
    for group in groups:
        ax.annotate(", ".join(labels[i] for i in group), tuple(xy[group[0]]),
                    textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax
