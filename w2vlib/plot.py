"""Pictures of matrices and vectors, drawn the same way on every page.

``heatmap`` is the book's picture of W_in, W_out and their gradients: rows
labelled by vocabulary words, a diverging colour map centred on 0 (blue
negative, red positive, white zero), rows that are entirely zero hatched in
grey so they read as "untouched", and optional highlighted rows.

Labels come from the catalogue ``w2vlib.messages``. In Japanese (``W2VLIB_LANG=ja``) every
figure w2vlib draws first calls ``use_language_font()``, which adds the Japanese font
IPAexGothic (Debian: fonts-ipaexfont-gothic) behind DejaVu Sans, so kana and kanji are drawn
and Latin letters, digits and maths look as in English. In English nothing is changed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib
import numpy as np

from ._validate import as_float_array
from .messages import language, message

matplotlib.use(matplotlib.get_backend())  # keep the notebook's backend; Agg elsewhere
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

DIVERGING = "RdBu_r"
ZERO_ROW_COLOUR = "#d9d9d9"
HIGHLIGHT_COLOUR = "#111111"


# The fonts each language needs behind matplotlib's default, DejaVu Sans (which has no kana or
# kanji): family name, the file where Debian installs it, and the Debian package.
LANGUAGE_FONTS = {
    "ja": ("IPAexGothic", Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
           "fonts-ipaexfont-gothic"),
}
_DEFAULT_FAMILY = "DejaVu Sans"
_replaced_family: list | None = None     # font.family before use_language_font changed it


def use_language_font() -> None:
    """Make matplotlib able to draw the current language: in Japanese, set ``font.family`` to
    DejaVu Sans with IPAexGothic as fallback (adding the font file when matplotlib has not found
    it); in English, leave every setting as it is (or put back what a Japanese call changed).

    Raises RuntimeError, naming the package to install, when the language's font is missing.
    """
    global _replaced_family
    font = LANGUAGE_FONTS.get(language())
    if font is None:
        if _replaced_family is not None:
            matplotlib.rcParams["font.family"] = _replaced_family
            _replaced_family = None
        return
    family, path, package = font
    if not any(entry.name == family for entry in font_manager.fontManager.ttflist):
        if not path.is_file():
            raise RuntimeError(f"figures in language {language()!r} need the font {family} "
                               f"({path}), which is not installed: "
                               f"apt-get install {package}")
        font_manager.fontManager.addfont(str(path))
    wanted = [_DEFAULT_FAMILY, family]
    if list(matplotlib.rcParams["font.family"]) != wanted:
        if _replaced_family is None:
            _replaced_family = list(matplotlib.rcParams["font.family"])
        matplotlib.rcParams["font.family"] = wanted


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
    use_language_font()
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
    use_language_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.7 * y.size + 1), 2.8))
    x = np.arange(y.size)
    ax.bar(x - 0.2, y, width=0.4, label="y = softmax(s)", color="#2166ac")
    ax.bar(x + 0.2, t, width=0.4, label=message("plot.one_hot_target"), color="#b2182b")
    ax.set_xticks(x, labels)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(message("plot.probability"))
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def loss_curve(losses: Sequence[float], *, eval_interval: int = 1,
               ax: plt.Axes | None = None) -> plt.Axes:
    """The training loss against iterations; each point is a mean over eval_interval iterations."""
    if len(losses) == 0:
        raise ValueError("there is no loss history to plot: train first")
    use_language_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    iters = (np.arange(len(losses)) + 1) * eval_interval
    ax.plot(iters, losses, color="#2166ac")
    ax.set_xlabel(message("plot.iteration"))
    ax.set_ylabel(message("plot.loss"))
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
    use_language_font()
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
    ax.set_xlabel(message("plot.component", number=1))
    ax.set_ylabel(message("plot.component", number=2))
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


_CURVE_AXES = {"epochs": "curve.epochs", "seconds": "curve.seconds",
               "cpu_seconds": "curve.cpu_seconds"}


def curve_label(curve) -> str:
    """A quality curve's name in the current language. The name stored with the curve is the
    English one; gensim's curves are told apart by their settings, as ``gensim_curve`` names
    them. Any other curve keeps its own name."""
    if "matching" in curve.settings:
        return message("curve.gensim_matched" if curve.settings["matching"]
                       else "curve.gensim_defaults")
    return message("curve.w2vlib") if curve.name == "w2vlib" else curve.name


def quality_curves(curves: Sequence, x: str = "epochs", ax: plt.Axes | None = None,
                   log_x: bool = True) -> plt.Axes:
    """rho against epochs (x="epochs") or against training time (x="seconds": wall clock,
    "cpu_seconds": CPU time), one line per ``learning_curve.Curve``, its best point ringed.
    Returns the Axes."""
    if x not in _CURVE_AXES:
        raise ValueError(f"x must be 'epochs', 'seconds' or 'cpu_seconds', got {x!r}")
    use_language_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for curve, marker in zip(curves, "osD^v"):
        xs = getattr(curve, x)
        line, = ax.plot(xs, curve.spearman, marker=marker, markersize=4, label=curve_label(curve))
        b = curve.best
        ax.plot(xs[b], curve.spearman[b], marker="o", markersize=11, fillstyle="none",
                color=line.get_color())
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(message(_CURVE_AXES[x]))
    ax.set_ylabel(message("curve.spearman"))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return ax
