"""Interactive explorers and exercises for the four chapters (ipywidgets + matplotlib).

One call in a chapter shows a panel:

    matmul_explorer()        choose N, D, H and an entry (i, j) of W; see which entries of X
                             and dL/dY make dL/dW_ij = sum_n x_ni dy_nj
    input_layer_explorer()   choose the two context words; see which rows of dL/dW_in light up
    middle_layer_explorer()  choose contexts and target; see y, t, y - t and dL/dW_out = h^T (y - t)
    cbow_explorer()          train SimpleCBOW one update (or 10, or 100) at a time
    <chapter>_exercises()    questions with a Check button, hints and a solution

Where a panel is shown
----------------------
In JupyterLab (Binder) a panel is a live widget. Its ``_repr_mimebundle_`` also carries an
image/png of its default state and a text/plain line, which is what a PDF picks.

When ``W2VLIB_STATIC=1`` (the Makefile sets it for the website and the PDF) no kernel will be
behind the page, so the controls are built disabled, beside a note pointing to Binder, and the
panel is shown as separate outputs: the disabled controls (text/plain fallback: a line pointing
to Binder), then the default-state figure as a PNG. A page whose widget manager did not load
still shows the figure; the PDF shows the line and the figure; no widget repr reaches either.

Maths counts rows and columns from 1, code from 0: every label a reader sees is 1-based.
"""
from __future__ import annotations

import base64
import html
import io
import os
from typing import Sequence

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import TOY_TEXT
from ._validate import check_steps
from .corpus import create_contexts_target, preprocess
from .exercises import (CORRECT, MALFORMED, Exercise, Feedback, NumberExercise, RowsExercise,
                        ShapeExercise, VectorExercise)
from .layers import MatMul
from .models import SimpleCBOW
from .optim import SGD
from .plot import heatmap, loss_curve, probability_bars

STATIC_NOTE = ("This is a static copy: launch Binder (rocket icon above) to use it.")
EXPLORER_LINE = ("Interactive explorer: run this chapter in Binder to use it. "
                 "The figure shows its default state.")
EXERCISE_LINE = "Interactive exercise: run this chapter in Binder to check your answer."
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FIGURE_DPI = 80          # live redraws: small and fast
FALLBACK_DPI = 120       # the default-state PNG for the website and the PDF: sharper
MARK = "#111111"


def is_static() -> bool:
    """True when the page is being built for the website or the PDF (W2VLIB_STATIC=1)."""
    return os.environ.get("W2VLIB_STATIC", "").strip() == "1"


def _value_format(matrix: np.ndarray) -> str:
    """Enough decimals to show the largest entry with three significant digits."""
    largest = float(np.abs(matrix).max())
    if largest == 0 or largest >= 0.1:
        return "{:+.2f}"
    return "{:+.%df}" % min(6, int(np.ceil(-np.log10(largest))) + 2)


def _mark_cells(ax, cells: Sequence[tuple[int, int]], width: int = 1, height: int = 1) -> None:
    for row, col in cells:
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                               edgecolor=MARK, linewidth=2.5))


def _strip(ax) -> None:
    """Remove what was drawn on ax, keeping the axes and their ticks."""
    for artist in [*ax.images, *ax.patches, *ax.texts, *ax.lines, *ax.collections]:
        artist.remove()
    ax.containers.clear()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.relim()
    ax.autoscale()


def _static_note() -> widgets.HTML:
    return widgets.HTML(f'<div class="w2v-static-note" style="padding:4px 8px;'
                        f'border-left:4px solid #b2182b;background:#fbeaea">'
                        f'<b>{html.escape(STATIC_NOTE)}</b></div>')


def _widget_view(widget: widgets.Widget) -> dict:
    return {WIDGET_VIEW: widget._repr_mimebundle_()[WIDGET_VIEW]}


def _text_to_html(text: str) -> str:
    """Question text (plain text with $maths$) for an HTMLMath widget."""
    return html.escape(text, quote=False).replace("\n\n", "<br><br>")


class Panel:
    """A set of controls and a matplotlib figure redrawn by ``update()``.

    Subclasses build ``self.controls`` (a list of widgets), set ``figsize`` and implement
    ``compute()`` (numbers, stored as attributes), ``make_axes(figure)`` and ``draw(axes)``;
    ``summary()`` returns one line of HTML (no TeX) shown under the controls.

    The axes are made once per ``layout_key()`` and reused: making axes and their ticks is
    most of matplotlib's cost, and a panel must redraw in well under 200 ms.
    """

    figsize: tuple[float, float] = (8.0, 3.0)
    controls: list[widgets.Widget] = []

    def __init__(self, static: bool | None = None) -> None:
        self.static = is_static() if static is None else static
        self.figure = Figure(figsize=self.figsize, dpi=FIGURE_DPI)
        FigureCanvasAgg(self.figure)
        # A static page shows the figure as its own PNG output: no Image widget, whose
        # bytes would otherwise be saved a second time in the page's widget state.
        self.image = None if self.static else widgets.Image(format="png")
        self.summary_html = widgets.HTML()   # no TeX: it must read right without MathJax
        for control in self.controls:
            control.disabled = self.static
            if hasattr(control, "observe") and hasattr(control, "value"):
                control.observe(lambda change: self.update(), names="value")
        box = widgets.HBox(self.controls, layout=widgets.Layout(flex_flow="row wrap"))
        if self.static:
            self.widget = widgets.VBox([_static_note(), box, self.summary_html])
        else:
            self.widget = widgets.VBox([box, self.summary_html, self.image])
        self.update()
        self.default_png = self._png(FALLBACK_DPI)

    def compute(self) -> None:
        raise NotImplementedError

    def make_axes(self, figure: Figure) -> list:
        raise NotImplementedError

    def draw(self, axes: list) -> None:
        raise NotImplementedError

    def layout_key(self) -> object:
        return None

    def summary(self) -> str:
        return ""

    def update(self) -> None:
        """Recompute and redraw; called whenever a control changes."""
        if getattr(self, "_updating", False):
            return      # a control changed while computing (a slider clamped): already covered
        self._updating = True
        try:
            self._redraw()
        finally:
            self._updating = False

    def _redraw(self) -> None:
        self.compute()
        key = self.layout_key()
        if getattr(self, "_axes", None) is None or key != self._layout:
            self.figure.clear()
            self._axes, self._layout = self.make_axes(self.figure), key
        else:
            for ax in self._axes:
                _strip(ax)
        self.draw(self._axes)
        self.png = self._png(FIGURE_DPI)
        if self.image is not None:
            self.image.value = self.png
        self.summary_html.value = self.summary()

    def _png(self, dpi: int) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {**_widget_view(self.widget),
                "image/png": base64.b64encode(self.default_png).decode("ascii"),
                "text/plain": EXPLORER_LINE}

    def _ipython_display_(self) -> None:
        if not self.static:
            display(self._repr_mimebundle_(), raw=True)
            return
        display({**_widget_view(self.widget), "text/plain": EXPLORER_LINE}, raw=True)
        display({"image/png": base64.b64encode(self.default_png).decode("ascii"),
                 "text/plain": "Default state of the explorer (figure)."}, raw=True)


def _int_slider(description: str, value: int, low: int, high: int) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             layout=widgets.Layout(width="14em"))


def _word_dropdown(description: str, vocab: Sequence[str], value: int) -> widgets.Dropdown:
    return widgets.Dropdown(options=[(f"{w} ({i + 1})", i) for i, w in enumerate(vocab)],
                            value=value, description=description,
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width="14em"))


# ---------------------------------------------------------------------------- chapter 1

class MatMulExplorer(Panel):
    """Y = X W with X: (N, D), W: (D, H); dL/dW = X^T dL/dY, so
    dL/dW_ij = sum_n x_ni dy_nj: column i of X meets column j of dL/dY (i, j 1-based).

    X and dL/dY are small integers drawn from a generator seeded by (N, D, H).
    """

    figsize = (8.4, 2.9)

    def __init__(self, N: int = 3, D: int = 3, H: int = 2, i: int = 2, j: int = 1,
                 static: bool | None = None) -> None:
        self.N, self.D, self.H = (_int_slider(name, value, 1, 5)
                                  for name, value in (("N", N), ("D", D), ("H", H)))
        self.i = _int_slider("row i of W", i, 1, D)
        self.j = _int_slider("column j of W", j, 1, H)
        self.controls = [self.N, self.D, self.H, self.i, self.j]
        super().__init__(static)

    def compute(self) -> None:
        self.i.max, self.j.max = self.D.value, self.H.value   # clamps i, j when D, H shrink
        N, D, H = self.N.value, self.D.value, self.H.value
        rng = np.random.default_rng([N, D, H])
        self.X = rng.integers(-3, 4, size=(N, D)).astype(np.float64)
        self.dY = rng.integers(-3, 4, size=(N, H)).astype(np.float64)
        layer = MatMul(rng.standard_normal((D, H)))
        layer.forward(self.X)
        layer.backward(self.dY)
        self.dW = layer.grads[0].copy()
        r, c = self.i.value - 1, self.j.value - 1          # code counts from 0
        self.terms = [(self.X[n, r], self.dY[n, c]) for n in range(N)]
        self.value = float(self.dW[r, c])

    def layout_key(self) -> object:
        return self.X.shape + self.dY.shape

    def make_axes(self, figure: Figure) -> list:
        D, H = self.X.shape[1], self.dY.shape[1]
        axes = figure.subplots(1, 3, gridspec_kw={"width_ratios": [max(D, 2), max(H, 2),
                                                                   max(H, 2)]})
        figure.subplots_adjust(left=0.05, right=0.98, top=0.78, bottom=0.16, wspace=0.35)
        labels = (("column (d)", "row n"), ("column (h)", "row n"), ("column j", "row i"))
        for ax, (xlabel, ylabel) in zip(axes, labels):
            ax.set_xlabel(xlabel, fontsize=8)
            ax.set_ylabel(ylabel, fontsize=8)
        return list(axes)

    def draw(self, axes: list) -> None:
        N, D, H = self.X.shape[0], self.X.shape[1], self.dY.shape[1]
        r, c = self.i.value - 1, self.j.value - 1
        n_labels = [str(n + 1) for n in range(N)]
        heatmap(self.X, n_labels, [str(k + 1) for k in range(D)], ax=axes[0], colorbar=False,
                fmt="{:.0f}", title=f"X  ({N}×{D})")
        _mark_cells(axes[0], [(0, r)], height=N)
        heatmap(self.dY, n_labels, [str(k + 1) for k in range(H)], ax=axes[1], colorbar=False,
                fmt="{:.0f}", title=f"∂L/∂Y  ({N}×{H})")
        _mark_cells(axes[1], [(0, c)], height=N)
        heatmap(self.dW, [str(k + 1) for k in range(D)], [str(k + 1) for k in range(H)],
                ax=axes[2], colorbar=False, fmt="{:.0f}", title=f"∂L/∂W = Xᵀ ∂L/∂Y  ({D}×{H})")
        _mark_cells(axes[2], [(r, c)])
        i, j = self.i.value, self.j.value
        axes[0].figure.suptitle(f"∂L/∂w_{i}{j} = column {i} of X · column {j} of ∂L/∂Y "
                                f"= {self.value:g}", fontsize=10)

    def summary(self) -> str:
        i, j = self.i.value, self.j.value
        products = " + ".join(f"({x:g})({d:g})" for x, d in self.terms)
        return (f"∂L/∂w<sub>{i}{j}</sub> = Σ<sub>n</sub> x<sub>n{i}</sub> · "
                f"∂L/∂y<sub>n{j}</sub> = {products} = <b>{self.value:g}</b>")


# ---------------------------------------------------------------------------- chapters 2-4

class _ToyModelPanel(Panel):
    """Shared set-up: the toy corpus, its vocabulary and a SimpleCBOW(7, 3, seed=0); by default,
    dropdowns for one sample's two context words and its target (the worked example's)."""

    def __init__(self, left: str = "you", right: str = "goodbye", target: str = "say",
                 model: SimpleCBOW | None = None, seed: int = 0,
                 static: bool | None = None) -> None:
        self._set_up_model(model, seed)
        self._word_controls(left, right, target)
        super().__init__(static)

    def _set_up_model(self, model: SimpleCBOW | None, seed: int) -> None:
        corpus, word_to_id, id_to_word = preprocess(TOY_TEXT)
        self.vocab = [id_to_word[i] for i in range(len(id_to_word))]
        self.contexts, self.targets = create_contexts_target(corpus)
        self.seed = seed
        self.model = model if model is not None else SimpleCBOW(len(self.vocab), 3, seed=seed)

    def _word_controls(self, left: str, right: str, target: str) -> None:
        """Three dropdowns over the vocabulary: the two context words and the target."""
        ids = {w: i for i, w in enumerate(self.vocab)}
        self.left = _word_dropdown("context 1", self.vocab, ids[left])
        self.right = _word_dropdown("context 2", self.vocab, ids[right])
        self.target = _word_dropdown("target", self.vocab, ids[target])
        self.controls = [self.left, self.right, self.target]

    def _forward_backward(self, left: int, right: int, target: int) -> None:
        self.loss = self.model.forward(np.array([[left, right]]), np.array([target]))
        self.model.backward()

    def _label(self, k: int) -> str:
        return f"{self.vocab[k]} ({k + 1})"


class InputLayerExplorer(_ToyModelPanel):
    """dL/dW_in = x_0^T (dh/2) + x_1^T (dh/2): each one-hot context line writes half of
    dL/dh (1, H) into its own word's row of the (V, H) gradient; the same word twice gets both.
    """

    figsize = (8.4, 3.0)

    def compute(self) -> None:
        self._forward_backward(self.left.value, self.right.value, self.target.value)
        self.grad_line0 = self.model.in_layer0.grads[0].copy()
        self.grad_line1 = self.model.in_layer1.grads[0].copy()
        self.grad = self.model.grads[0].copy()
        ds = self.model.loss_layer.backward()
        self.dh = (ds @ self.model.params[1].T)[0]
        self.nonzero_rows = [int(r) for r in np.flatnonzero(np.any(self.grad != 0, axis=1))]

    def make_axes(self, figure: Figure) -> list:
        axes = figure.subplots(1, 3)
        figure.subplots_adjust(left=0.13, right=0.99, top=0.9, bottom=0.08, wspace=0.08)
        return list(axes)

    def draw(self, axes: list) -> None:
        labels = [self._label(k) for k in range(len(self.vocab))]
        fmt = _value_format(self.grad)
        cols = [str(k + 1) for k in range(self.grad.shape[1])]
        for ax, matrix, title, rows in (
                (axes[0], self.grad_line0, f"line 1: {self.vocab[self.left.value]}",
                 [self.left.value]),
                (axes[1], self.grad_line1, f"line 2: {self.vocab[self.right.value]}",
                 [self.right.value]),
                (axes[2], self.grad, "∂L/∂W_in (sum)", self.nonzero_rows)):
            heatmap(matrix, labels, cols, ax=ax, colorbar=False, fmt=fmt, title=title,
                    highlight_rows=rows)
        for ax in axes[1:]:
            ax.set_yticklabels([])

    def summary(self) -> str:
        rows = " and ".join(f"<b>{self._label(r)}</b>" for r in self.nonzero_rows)
        dh = ", ".join(f"{v:+.4f}" for v in self.dh)
        same = self.left.value == self.right.value
        how = ("both lines write into this one row, so it holds ½ + ½ = all of ∂L/∂h"
               if same else "each holds ½ ∂L/∂h")
        return (f"Non-zero rows: {rows}; {how}. "
                f"∂L/∂h = ({dh}), loss {self.loss:.4f}.")


class MiddleLayerExplorer(_ToyModelPanel):
    """s = h W_out, y = softmax(s); dL/ds = y - t (1, V) and dL/dW_out = h^T (y - t) (H, V)."""

    figsize = (8.4, 5.0)

    def compute(self) -> None:
        self._forward_backward(self.left.value, self.right.value, self.target.value)
        self.h = self.model.h[0].copy()
        self.y = self.model.loss_layer.y[0].copy()
        self.t = np.zeros_like(self.y)
        self.t[self.target.value] = 1.0
        self.y_minus_t = self.y - self.t
        self.grad = self.model.grads[1].copy()

    def make_axes(self, figure: Figure) -> list:
        V, H = len(self.vocab), len(self.h)
        grid = figure.add_gridspec(3, 2, width_ratios=[1, V], height_ratios=[2.2, 0.6, H * 0.6],
                                   hspace=0.55, wspace=0.05, left=0.08, right=0.98, top=0.93,
                                   bottom=0.2)
        return [figure.add_subplot(grid[0, :]), figure.add_subplot(grid[1, 1]),
                figure.add_subplot(grid[2, 0]), figure.add_subplot(grid[2, 1])]

    def draw(self, axes: list) -> None:
        V, H = len(self.vocab), len(self.h)
        ax_bars, ax_l, ax_h, ax_g = axes
        probability_bars(self.y, self.t, self.vocab, ax=ax_bars,
                         title=f"y = softmax(h W_out) and t; loss {self.loss:.4f}")
        heatmap(self.y_minus_t[None, :], ["y − t"], [""] * V, ax=ax_l, colorbar=False,
                fmt="{:+.3f}", highlight_rows=[])
        ax_l.set_xticks([])
        _mark_cells(ax_l, [(0, self.target.value)])
        heatmap(self.h[:, None], [f"h{k + 1}" for k in range(H)], ["hᵀ"], ax=ax_h,
                colorbar=False, fmt=_value_format(self.h))
        heatmap(self.grad, [""] * H, self.vocab, ax=ax_g, colorbar=False,
                fmt=_value_format(self.grad))
        ax_g.set_yticks([])
        _mark_cells(ax_g, [(0, self.target.value)], height=H)
        ax_g.set_xlabel("∂L/∂W_out = hᵀ (y − t)   (H×V)", fontsize=9)

    def summary(self) -> str:
        word = self._label(self.target.value)
        h = ", ".join(f"{v:+.5f}" for v in self.h)
        return (f"h = ({h}), loss {self.loss:.5f}. "
                f"The target <b>{word}</b> is the one entry where y − t is negative "
                f"({self.y_minus_t[self.target.value]:+.4f}); every other entry is y<sub>j</sub> "
                "&gt; 0, so every column of ∂L/∂W<sub>out</sub> is non-zero.")


class CBOWExplorer(_ToyModelPanel):
    """Full-batch SGD on the six samples of the toy corpus, one update per click:
    W <- W - lr dL/dW for W_in and W_out. Shows both matrices, the loss and the predictions.
    """

    figsize = (8.6, 5.6)

    def __init__(self, lr: float = 1.0, seed: int = 0, static: bool | None = None) -> None:
        self._set_up_model(None, seed)
        self.lr = widgets.Dropdown(options=[0.1, 0.3, 1.0, 3.0], value=lr,
                                   description="learning rate",
                                   style={"description_width": "initial"},
                                   layout=widgets.Layout(width="12em"))
        self.step_buttons = {n: widgets.Button(description=f"+{n} update{'s' * (n > 1)}",
                                               layout=widgets.Layout(width="10em"))
                             for n in (1, 10, 100)}
        self.reset_button = widgets.Button(description="Reset",
                                           layout=widgets.Layout(width="6em"))
        for n, button in self.step_buttons.items():
            button.on_click(lambda _, n=n: self.step(n))
        self.reset_button.on_click(lambda _: self.reset())
        self.controls = [*self.step_buttons.values(), self.reset_button, self.lr]
        self._fresh_state()
        Panel.__init__(self, static)  # not _ToyModelPanel's: no word dropdowns here

    def _fresh_state(self) -> None:
        self.model = SimpleCBOW(len(self.vocab), 3, seed=self.seed)
        self.optimizer = SGD(self.lr.value)
        self.iteration = 0
        self.losses: list[float] = []

    def step(self, n: int = 1) -> None:
        """n updates, each on the whole toy corpus, then one redraw."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive int, got {n!r}")
        check_steps(n, "CBOWExplorer.step")
        self.optimizer.lr = self.lr.value
        for _ in range(n):
            self.losses.append(self.model.forward(self.contexts, self.targets))
            self.model.backward()
            self.optimizer.update(self.model.params, self.model.grads)
            self.iteration += 1
        self.update()

    def reset(self) -> None:
        self._fresh_state()
        self._axes = None          # redraw from scratch: the picture equals the first one
        self.update()

    def compute(self) -> None:
        self.probabilities = self.model.predict(self.contexts)
        self.current_loss = float(-np.mean(np.log(
            self.probabilities[np.arange(len(self.targets)), self.targets])))
        self.n_correct = int(np.sum(self.probabilities.argmax(axis=1) == self.targets))

    def make_axes(self, figure: Figure) -> list:
        axes = figure.subplots(2, 2, gridspec_kw={"width_ratios": [1, 2.2], "hspace": 0.55,
                                                  "wspace": 0.3})
        figure.subplots_adjust(left=0.12, right=0.98, top=0.94, bottom=0.11)
        return list(axes.ravel())

    def draw(self, axes: list) -> None:
        W_in, W_out = self.model.params
        words = self.vocab
        axes = np.array(axes, dtype=object).reshape(2, 2)
        # Colour only, as in wevi; the titles give the scale. Text is what makes redraws slow.
        heatmap(W_in, [self._label(k) for k in range(len(words))], ["1", "2", "3"],
                ax=axes[0, 0], colorbar=False, annotate=False,
                title=f"W_in (V×H), largest |w| {np.abs(W_in).max():.2g}")
        heatmap(W_out, ["1", "2", "3"], words, ax=axes[0, 1], colorbar=False, annotate=False,
                title=f"W_out (H×V), largest |w| {np.abs(W_out).max():.2g}")
        if self.losses:
            loss_curve(self.losses, ax=axes[1, 0])
        else:
            axes[1, 0].text(0.5, 0.5, "no updates yet", ha="center", va="center",
                            transform=axes[1, 0].transAxes)
            axes[1, 0].set_xlabel("iteration")
            axes[1, 0].set_ylabel("loss")
        axes[1, 0].set_title(f"loss after {self.iteration} updates: {self.current_loss:.3f}",
                             fontsize=9)
        sample_labels = [f"{words[a]} _ {words[b]}" for a, b in self.contexts]
        heatmap(self.probabilities, sample_labels, words, ax=axes[1, 1], colorbar=False,
                annotate=False, title=f"predictions: {self.n_correct} of {len(self.targets)} "
                                    "targets ranked first (target framed)")
        axes[1, 1].images[-1].set_clim(-1.0, 1.0)   # probabilities on a fixed scale: 1 = deep red
        _mark_cells(axes[1, 1], [(n, int(t)) for n, t in enumerate(self.targets)])

    def summary(self) -> str:
        return (f"After <b>{self.iteration}</b> updates (SGD, learning rate {self.lr.value}): "
                f"loss {self.current_loss:.4f}; the target is the most probable word for "
                f"{self.n_correct} of the {len(self.targets)} contexts.")


def matmul_explorer(**kwargs) -> MatMulExplorer:
    """Chapter 1's panel: which entries of X and dL/dY make one entry of dL/dW."""
    return MatMulExplorer(**kwargs)


def input_layer_explorer(**kwargs) -> InputLayerExplorer:
    """Chapter 2's panel: the rows of dL/dW_in that two context words light up."""
    return InputLayerExplorer(**kwargs)


def middle_layer_explorer(**kwargs) -> MiddleLayerExplorer:
    """Chapter 3's panel: y, t, y - t and the outer product dL/dW_out."""
    return MiddleLayerExplorer(**kwargs)


def cbow_explorer(**kwargs) -> CBOWExplorer:
    """Chapter 4's panel: SimpleCBOW trained one update at a time (after wevi)."""
    return CBOWExplorer(**kwargs)


# ---------------------------------------------------------------------------- exercises

_FEEDBACK_STYLE = {
    CORRECT: ("✔", "#1a7f37", "#e6f4ea"),
    MALFORMED: ("?", "#6e7781", "#f3f4f6"),
}


class ExercisePanel:
    """One question, an answer box, Check and Show solution buttons, and the feedback."""

    def __init__(self, exercise: Exercise, static: bool | None = None) -> None:
        self.exercise = exercise
        self.static = is_static() if static is None else static
        self.prompt = widgets.HTMLMath(_text_to_html(exercise.question))
        self.answer = widgets.Text(placeholder=exercise.placeholder,
                                   layout=widgets.Layout(width="24em"))
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.solution_button = widgets.Button(description="Show solution")
        self.feedback = widgets.HTML()
        self.solution = widgets.HTMLMath()
        self.result: Feedback | None = None
        self.check_button.on_click(lambda _: self.check())
        self.solution_button.on_click(lambda _: self.toggle_solution())
        row = widgets.HBox([self.answer, self.check_button, self.solution_button])
        if self.static:
            for control in (self.answer, self.check_button, self.solution_button):
                control.disabled = True
            self.widget = widgets.VBox([row, _static_note()])
        else:
            self.widget = widgets.VBox([self.prompt, row, self.feedback, self.solution],
                                       layout=widgets.Layout(margin="0 0 1em 0"))

    def check(self) -> Feedback:
        self.result = self.exercise.check(self.answer.value)
        mark, colour, background = _FEEDBACK_STYLE.get(self.result.status,
                                                       ("✘", "#9a3412", "#fff4e5"))
        self.feedback.value = (f'<div class="w2v-feedback w2v-{self.result.status}" '
                               f'style="padding:4px 8px;color:{colour};background:{background}">'
                               f"{mark} {html.escape(self.result.message)}</div>")
        return self.result

    def toggle_solution(self) -> None:
        if self.solution.value:
            self.solution.value = ""
            self.solution_button.description = "Show solution"
        else:
            self.solution.value = "<b>Solution.</b> " + _text_to_html(self.exercise.solution)
            self.solution_button.description = "Hide solution"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {**_widget_view(self.widget),
                "text/markdown": self._question_markdown(),
                "text/plain": EXERCISE_LINE}

    def _question_markdown(self) -> str:
        return f"**Exercise.** {self.exercise.question}"

    def _solution_markdown(self) -> str:
        return (":::{admonition} Solution\n:class: dropdown\n"
                f"{self.exercise.solution}\n:::\n")

    def _ipython_display_(self) -> None:
        if not self.static:
            display(self._repr_mimebundle_(), raw=True)
            return
        display({"text/markdown": self._question_markdown(),
                 "text/plain": self.exercise.question}, raw=True)
        display({**_widget_view(self.widget), "text/plain": EXERCISE_LINE}, raw=True)
        display({"text/markdown": self._solution_markdown(),
                 "text/plain": "Solution: " + self.exercise.solution}, raw=True)


class ExerciseSet:
    """Several ExercisePanels shown one after the other."""

    def __init__(self, exercises: Sequence[Exercise], static: bool | None = None) -> None:
        self.panels = [ExercisePanel(e, static=static) for e in exercises]
        self.static = self.panels[0].static if self.panels else bool(static)
        self.widget = widgets.VBox([p.widget for p in self.panels])

    def __getitem__(self, k: int) -> ExercisePanel:
        return self.panels[k]

    def __len__(self) -> int:
        return len(self.panels)

    def _ipython_display_(self) -> None:
        if not self.static:
            display({**_widget_view(self.widget), "text/plain": EXERCISE_LINE}, raw=True)
            return
        for panel in self.panels:
            panel._ipython_display_()


def _pmatrix(matrix: np.ndarray, fmt: str = "{:g}") -> str:
    rows = [" & ".join(fmt.format(v) for v in row) for row in np.atleast_2d(matrix)]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def _vector(values: np.ndarray, fmt: str) -> str:
    return r"(" + r",\ ".join(fmt.format(v) for v in values) + r")"


def matmul_exercise_list() -> list[Exercise]:
    """Chapter 1: the shape of dL/dX, and one entry of dL/dW computed by hand."""
    N, D, H = 4, 5, 3
    layer = MatMul(np.zeros((D, H)))
    layer.forward(np.zeros((N, D)))
    dX_shape = layer.backward(np.zeros((N, H))).shape
    shape = ShapeExercise(
        question=(f"A MatMul node computes $Y = XW$ with $N = {N}$ samples, $D = {D}$ inputs and "
                  f"$H = {H}$ outputs. What is the shape of $\\partial L/\\partial X$?"),
        solution=(f"${N}\\times{D}$, the shape of $X$: "
                  r"$\partial L/\partial X = \partial L/\partial Y\, W^\top$ is "
                  f"$({N}\\times{H})({H}\\times{D})$."),
        hint="A gradient has the shape of the thing it is taken with respect to.",
        answer=dX_shape,
        mistakes=[((N, H), "That is the shape of Y and of ∂L/∂Y. The question asks about X."),
                  ((D, H), "That is the shape of W and of ∂L/∂W. The question asks about X.")])

    rng = np.random.default_rng(3)
    X = rng.integers(-2, 3, size=(3, 3)).astype(np.float64)
    dY = rng.integers(-2, 3, size=(3, 2)).astype(np.float64)
    layer = MatMul(np.zeros((3, 2)))
    layer.forward(X)
    layer.backward(dY)
    dW = layer.grads[0]
    i, j = 2, 1                                     # 1-based, as in the question
    entry = NumberExercise(
        question=(f"Take $X = {_pmatrix(X)}$ and $\\partial L/\\partial Y = {_pmatrix(dY)}$. "
                  f"What is $\\partial L/\\partial w_{{{i}{j}}}$ (row {i}, column {j}, "
                  "counting from 1)?"),
        solution=(f"Column {i} of $X$ times column {j} of $\\partial L/\\partial Y$: "
                  + " + ".join(f"({X[n, i - 1]:g})({dY[n, j - 1]:g})" for n in range(3))
                  + f" $= {dW[i - 1, j - 1]:g}$."),
        hint=f"Pair column {i} of X with column {j} of ∂L/∂Y, entry by entry, and add.",
        answer=float(dW[i - 1, j - 1]), atol=1e-9,
        mistakes=[(float(dW[j - 1, i - 1]), f"That is entry ({j}, {i}): the row index of ∂L/∂W "
                                            "picks the column of X, the column index the column "
                                            "of ∂L/∂Y."),
                  (float(dW[i, j]), "That is the entry you get counting from 0: in maths "
                                    f"row {i} is the {['first', 'second', 'third'][i - 1]} row.")])
    return [shape, entry]


def _toy() -> tuple[list[str], np.ndarray, np.ndarray]:
    corpus, _, id_to_word = preprocess(TOY_TEXT)
    contexts, targets = create_contexts_target(corpus)
    return [id_to_word[i] for i in range(len(id_to_word))], contexts, targets


def _gradients(contexts: Sequence[int], target: int, seed: int = 0) -> SimpleCBOW:
    model = SimpleCBOW(7, 3, seed=seed)
    model.forward(np.array([contexts]), np.array([target]))
    model.backward()
    return model


def _dh(model: SimpleCBOW) -> np.ndarray:
    return (model.loss_layer.backward() @ model.params[1].T)[0]


def input_layer_exercise_list() -> list[Exercise]:
    """Chapter 2: which rows of dL/dW_in are non-zero; one entry, with the 0.5; a word twice."""
    vocab, contexts, targets = _toy()
    (a, b), t = contexts[0], int(targets[0])
    model = _gradients((a, b), t)
    rows = frozenset(int(r) for r in np.flatnonzero(np.any(model.grads[0] != 0, axis=1)))
    which = RowsExercise(
        question=(f"The contexts are “{vocab[a]}” and “{vocab[b]}”, the target is “{vocab[t]}”. "
                  r"Which rows of $\partial L/\partial W_\mathrm{in}$ are non-zero? "
                  "Give row numbers (from 1) or words."),
        solution=(f"Rows {a + 1} ({vocab[a]}) and {b + 1} ({vocab[b]}): a one-hot context picks "
                  r"one row of $W_\mathrm{in}$, so only that row receives a gradient."),
        hint="A one-hot row vector times W_in picks one row: which words are the contexts?",
        answer=rows, n_rows=len(vocab), vocab=vocab,
        mistakes=[({t}, f"That is the target's row. The target “{vocab[t]}” enters through "
                        "W_out, not W_in."),
                  ({a, b, t}, f"The target “{vocab[t]}” does not go through W_in; only the "
                              "contexts do."),
                  (set(range(len(vocab))), "Only the rows picked by the one-hot contexts receive "
                                           "a gradient.")])

    dh = _dh(model)
    entry = NumberExercise(
        question=(f"For the same sample, $\\partial L/\\partial h = {_vector(dh, '{:+.5f}')}$. "
                  f"What is the entry of $\\partial L/\\partial W_\\mathrm{{in}}$ in row {a + 1} "
                  f"(“{vocab[a]}”), column 1?"),
        solution=(r"$h = \tfrac12(x_1 W_\mathrm{in} + x_2 W_\mathrm{in})$, so each context line "
                  r"receives $\tfrac12\,\partial L/\partial h$: the entry is "
                  f"$\\tfrac12 \\times ({dh[0]:+.5f}) = {model.grads[0][a, 0]:+.6f}$."),
        hint="Remember how h is made from the two context rows.",
        answer=float(model.grads[0][a, 0]), rtol=0.02,
        mistakes=[(float(dh[0]), "That is the whole ∂L/∂h₁. h is the average of the two context "
                                 "rows, so each line receives half of it.")])

    twice = _gradients((b, b), t)
    dh_twice = _dh(twice)
    same = NumberExercise(
        question=(f"Now both contexts are “{vocab[b]}” (the target is still “{vocab[t]}”), and "
                  f"$\\partial L/\\partial h = {_vector(dh_twice, '{:+.5f}')}$. What is the entry "
                  f"of $\\partial L/\\partial W_\\mathrm{{in}}$ in row {b + 1} (“{vocab[b]}”), "
                  "column 1?"),
        solution=("Both lines pick the same row, and a weight used twice receives the sum of both "
                  r"gradients: $\tfrac12\,\partial L/\partial h_1 + \tfrac12\,\partial L/\partial "
                  f"h_1 = {twice.grads[0][b, 0]:+.6f}$."),
        hint="How many lines write into that row?",
        answer=float(twice.grads[0][b, 0]), rtol=0.02,
        mistakes=[(float(0.5 * dh_twice[0]), "That is one line's share. Both lines write into "
                                             "this row: add them.")])
    return [which, entry, same]


def middle_layer_exercise_list() -> list[Exercise]:
    """Chapter 3: the vector y - t, the shape of dL/dW_out, one of its entries."""
    vocab, contexts, targets = _toy()
    (a, b), t = contexts[0], int(targets[0])
    model = _gradients((a, b), t)
    y = model.loss_layer.y[0]
    onehot = np.eye(len(vocab))[t]
    y_minus_t = y - onehot
    wrong_places = [(y - np.eye(len(vocab))[k],
                     f"The −1 belongs at the target “{vocab[t]}”, entry {t + 1}.")
                    for k in range(len(vocab)) if k != t]
    vector = VectorExercise(
        question=(f"For contexts “{vocab[a]}”, “{vocab[b]}” and target “{vocab[t]}”, the softmax "
                  f"gives $y = {_vector(y, '{:.3f}')}$ (words in vocabulary order: "
                  f"{', '.join(vocab)}). Type $y - t$, seven numbers."),
        solution=(f"$t$ is one-hot with its 1 at “{vocab[t]}”, so only entry {t + 1} changes: "
                  f"$y - t = {_vector(y_minus_t, '{:+.3f}')}$."),
        hint="t is 1 at the target word and 0 elsewhere.",
        answer=y_minus_t, atol=5e-3,
        mistakes=[(y, f"That is y itself. Subtract t, which has its 1 at “{vocab[t]}”."),
                  *wrong_places])

    H, V = model.params[1].shape
    shape = ShapeExercise(
        question=(r"With $H = 3$ hidden units and $V = 7$ words, what is the shape of "
                  r"$\partial L/\partial W_\mathrm{out}$?"),
        solution=(f"${H}\\times{V}$: it is $h^\\top (y - t)$, "
                  f"$({H}\\times 1)(1\\times {V})$, the shape of $W_\\mathrm{{out}}$."),
        hint="It has the shape of W_out, which maps h to the scores.",
        answer=model.grads[1].shape,
        mistakes=[((1, V), "That is the shape of y − t. Multiply by hᵀ on the left."),
                  ((1, H), "That is the shape of h."), ((H, 1), "That is the shape of hᵀ."),
                  ((V, H), "Shape transposed: W_out takes h (H numbers) to V scores, so it is "
                           "H×V.")])

    h = model.h[0]
    i, j = 1, t + 1                                      # 1-based
    grad = model.grads[1]
    entry = NumberExercise(
        question=(f"Same sample: $h = {_vector(h, '{:+.5f}')}$ and $y - t$ as above. What is the "
                  f"entry of $\\partial L/\\partial W_\\mathrm{{out}}$ in row {i}, column {j} "
                  f"(“{vocab[t]}”)?"),
        solution=(f"$h_{i}\\,(y_{j} - t_{j}) = ({h[i - 1]:+.5f})({y_minus_t[j - 1]:+.4f}) "
                  f"= {grad[i - 1, j - 1]:+.6f}$."),
        hint="Entry (i, j) of the outer product hᵀ(y − t) is h_i (y_j − t_j).",
        answer=float(grad[i - 1, j - 1]), rtol=0.02,
        mistakes=[(float(h[i - 1] * y[j - 1]), "You used y_j; use y_j − t_j."),
                  (float(h[i] * y_minus_t[j]), "That is the entry counting from 0: in maths the "
                                               "first row is row 1.")])
    return [vector, shape, entry]


def cbow_exercise_list() -> list[Exercise]:
    """Chapter 4: what one SGD update changes in W_in and in W_out."""
    vocab, contexts, targets = _toy()
    (a, b), t = contexts[0], int(targets[0])
    model = SimpleCBOW(7, 3, seed=0)
    before = [p.copy() for p in model.params]
    model.forward(contexts[:1], targets[:1])
    model.backward()
    SGD(1.0).update(model.params, model.grads)
    changed_rows = frozenset(int(r) for r in np.flatnonzero(np.any(model.params[0] != before[0],
                                                                   axis=1)))
    changed_cols = frozenset(int(c) for c in np.flatnonzero(np.any(model.params[1] != before[1],
                                                                   axis=0)))
    sample = f"contexts “{vocab[a]}”, “{vocab[b]}”, target “{vocab[t]}”"
    rows = RowsExercise(
        question=(f"One SGD update on the single sample ({sample}). Which rows of "
                  r"$W_\mathrm{in}$ change?"),
        solution=(f"Rows {a + 1} ({vocab[a]}) and {b + 1} ({vocab[b]}): the other rows of "
                  r"$\partial L/\partial W_\mathrm{in}$ are zero."),
        hint="Only rows with a non-zero gradient move.",
        answer=changed_rows, n_rows=len(vocab), vocab=vocab,
        mistakes=[({t}, "The target's row of W_in is not used by this sample.")])
    cols = RowsExercise(
        question=(f"Same update. Which columns of $W_\\mathrm{{out}}$ change? "
                  "Give column numbers (from 1), words, or “all”."),
        solution=("All of them: softmax gives every word a probability $y_j > 0$, so "
                  r"$y_j - t_j \neq 0$ for every $j$ and every column of "
                  r"$\partial L/\partial W_\mathrm{out} = h^\top (y - t)$ is non-zero."),
        hint="Look at y − t: which of its entries are zero?",
        answer=changed_cols, n_rows=len(vocab), vocab=vocab, what="column",
        placeholder="e.g. 1, 4  or  and, i  or  all",
        mistakes=[({t}, f"Not only “{vocab[t]}”: every word has y_j > 0, so (y − t)_j ≠ 0 "
                        "for every j."),
                  ({a, b}, "Those are the contexts, which pick rows of W_in. The columns of "
                           "W_out belong to the predicted words.")])
    return [rows, cols]


def matmul_exercises(static: bool | None = None) -> ExerciseSet:
    return ExerciseSet(matmul_exercise_list(), static=static)


def input_layer_exercises(static: bool | None = None) -> ExerciseSet:
    return ExerciseSet(input_layer_exercise_list(), static=static)


def middle_layer_exercises(static: bool | None = None) -> ExerciseSet:
    return ExerciseSet(middle_layer_exercise_list(), static=static)


def cbow_exercises(static: bool | None = None) -> ExerciseSet:
    return ExerciseSet(cbow_exercise_list(), static=static)
