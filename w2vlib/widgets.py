"""Interactive explorers and the answer box of the four chapters (ipywidgets + matplotlib).

One call in a chapter shows a panel:

    matmul_explorer()        choose N, D, H and an entry (i, j) of W; see which entries of X
                             and dL/dY make dL/dW_ij = sum_n x_ni dy_nj
    input_layer_explorer()   choose the two context words; see which rows of dL/dW_in light up
    middle_layer_explorer()  choose contexts and target; see y, t, y - t and dL/dW_out = h^T (y - t)
    cbow_explorer()          SimpleCBOW trained by full-batch SGD, 1, 10 or 100 updates a click
    answer_box(exercise)     a text box, a Check button and the feedback for one exercise

Words and machinery
-------------------
This module computes and draws; it holds no sentence a learner reads. An exercise's question,
hint and solution, and the explanation of an explorer, are in the chapter's Markdown; what an
exercise expects is computed in ``w2vlib.answers`` and marked in ``w2vlib.exercises``. The few
words a panel shows itself -- labels, a one-line summary, the feedback, the static note -- come
from the catalogue ``w2vlib.messages`` (``message(key, ...)``), in the language it is set to.

Where a panel is shown
----------------------
In JupyterLab (Binder, JupyterLite) a panel is a live widget. Its ``_repr_mimebundle_`` also
carries an image/png of its first state and a text/plain line.

When ``W2VLIB_STATIC=1`` (the Makefile sets it for the website and the PDF) no kernel will be
behind the page, so the controls are built disabled, beside a note pointing to the live
versions, and the panel is shown as separate outputs: the disabled controls, with a short
text/markdown line as fallback, then an explorer's first-state figure as a PNG. The website
draws the disabled widget; the PDF, which has no widgets, prints the line as a paragraph and
the figure; no widget repr reaches either.

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
from .exercises import CORRECT, MALFORMED, Exercise, Feedback
from .layers import MatMul
from .messages import message
from .models import SimpleCBOW
from .optim import SGD
from .plot import heatmap, loss_curve, probability_bars, use_language_font

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


def _static_note(key: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="w2v-static-note" style="padding:4px 8px;'
                        f'border-left:4px solid #b2182b;background:#fbeaea">'
                        f'<b>{html.escape(message(key))}</b></div>')


def _widget_view(widget: widgets.Widget) -> dict:
    return {WIDGET_VIEW: widget._repr_mimebundle_()[WIDGET_VIEW]}


def _static_view(widget: widgets.Widget, key: str) -> dict:
    """A disabled widget for the website, and for the PDF (no widgets) the line ``key`` as a
    paragraph: text/markdown, which the LaTeX builder prefers to text/plain (a code box)."""
    line = message(key)
    return {**_widget_view(widget), "text/markdown": f"*{line}*", "text/plain": line}


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
            self.widget = widgets.VBox([_static_note("panel.static_note"), box,
                                        self.summary_html])
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
        use_language_font()
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
                "text/plain": message("panel.static_line")}

    def _ipython_display_(self) -> None:
        if not self.static:
            display(self._repr_mimebundle_(), raw=True)
            return
        display(_static_view(self.widget, "panel.static_line"), raw=True)
        display({"image/png": base64.b64encode(self.default_png).decode("ascii"),
                 "text/plain": message("panel.figure")}, raw=True)


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
        self.i = _int_slider(message("matmul.row_i"), i, 1, D)
        self.j = _int_slider(message("matmul.column_j"), j, 1, H)
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
        labels = ((message("matmul.axis_column", index="d"), message("matmul.axis_row", index="n")),
                  (message("matmul.axis_column", index="h"), message("matmul.axis_row", index="n")),
                  (message("matmul.axis_entry_column"), message("matmul.axis_entry_row")))
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
        axes[0].figure.suptitle(message("matmul.title", i=i, j=j, value=f"{self.value:g}"),
                                fontsize=10)

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
        self.left = _word_dropdown(message("panel.context", number=1), self.vocab, ids[left])
        self.right = _word_dropdown(message("panel.context", number=2), self.vocab, ids[right])
        self.target = _word_dropdown(message("panel.target"), self.vocab, ids[target])
        self.controls = [self.left, self.right, self.target]

    def _forward_backward(self, left: int, right: int, target: int) -> None:
        self.loss = self.model.forward(np.array([[left, right]]), np.array([target]))
        self.model.backward()

    def _label(self, k: int) -> str:
        return f"{self.vocab[k]} ({k + 1})"


class InputLayerExplorer(_ToyModelPanel):
    """dL/dW_in = x^(1)T (dL/dh / 2) + x^(2)T (dL/dh / 2): each one-hot context line
    x^(k) (1, V) writes half of dL/dh (1, H) into its own word's row of the (V, H) gradient;
    the same word twice gets both halves.
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
                (axes[0], self.grad_line0,
                 message("input.line", number=1, word=self.vocab[self.left.value]),
                 [self.left.value]),
                (axes[1], self.grad_line1,
                 message("input.line", number=2, word=self.vocab[self.right.value]),
                 [self.right.value]),
                (axes[2], self.grad, message("input.sum"), self.nonzero_rows)):
            heatmap(matrix, labels, cols, ax=ax, colorbar=False, fmt=fmt, title=title,
                    highlight_rows=rows)
        for ax in axes[1:]:
            ax.set_yticklabels([])

    def summary(self) -> str:
        rows = message("input.and").join(f"<b>{html.escape(self._label(r))}</b>"
                                          for r in self.nonzero_rows)
        dh = ", ".join(f"{v:+.4f}" for v in self.dh)
        key = "input.summary_same" if self.left.value == self.right.value else "input.summary"
        return message(key, rows=rows, dh=dh, loss=f"{self.loss:.4f}")


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
                         title=message("middle.title", loss=f"{self.loss:.4f}"))
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
        word = f"<b>{html.escape(self._label(self.target.value))}</b>"
        h = ", ".join(f"{v:+.5f}" for v in self.h)
        return message("middle.summary", h=h, loss=f"{self.loss:.5f}", word=word,
                       value=f"{self.y_minus_t[self.target.value]:+.4f}")


class CBOWExplorer(_ToyModelPanel):
    """Full-batch SGD on the six samples of the toy corpus, 1, 10 or 100 updates per click:
    W <- W - lr dL/dW for W_in and W_out. Shows both matrices, the loss and the predictions.

    It opens after ``first_updates`` updates, so that its first state (also the static
    figure) already shows a loss curve; Reset goes back to the untrained weights.
    """

    figsize = (8.6, 5.6)

    def __init__(self, lr: float = 1.0, seed: int = 0, first_updates: int = 40,
                 static: bool | None = None) -> None:
        if not isinstance(first_updates, (int, np.integer)) or first_updates < 0:
            raise ValueError(f"first_updates must be a whole number >= 0, got {first_updates!r}")
        self._set_up_model(None, seed)
        self.lr = widgets.Dropdown(options=[0.1, 0.3, 1.0, 3.0], value=lr,
                                   description=message("cbow.learning_rate"),
                                   style={"description_width": "initial"},
                                   layout=widgets.Layout(width="12em"))
        self.step_buttons = {n: widgets.Button(description=message("cbow.step", count=n),
                                               layout=widgets.Layout(width="10em"))
                             for n in (1, 10, 100)}
        self.reset_button = widgets.Button(description=message("cbow.reset"),
                                           layout=widgets.Layout(width="6em"))
        for n, button in self.step_buttons.items():
            button.on_click(lambda _, n=n: self.step(n))
        self.reset_button.on_click(lambda _: self.reset())
        self.controls = [*self.step_buttons.values(), self.reset_button, self.lr]
        self._fresh_state()
        self._train(int(first_updates))
        Panel.__init__(self, static)  # not _ToyModelPanel's: no word dropdowns here

    def _fresh_state(self) -> None:
        self.model = SimpleCBOW(len(self.vocab), 3, seed=self.seed)
        self.optimizer = SGD(self.lr.value)
        self.iteration = 0
        self.losses: list[float] = []

    def _train(self, n: int) -> None:
        """n updates, each on the whole toy corpus; the loss of each is recorded."""
        check_steps(n, "CBOWExplorer.step")
        self.optimizer.lr = self.lr.value
        for _ in range(n):
            self.losses.append(self.model.forward(self.contexts, self.targets))
            self.model.backward()
            self.optimizer.update(self.model.params, self.model.grads)
            self.iteration += 1

    def step(self, n: int = 1) -> None:
        """n updates, then one redraw."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive int, got {n!r}")
        self._train(n)
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
                title=message("cbow.W_in", largest=f"{np.abs(W_in).max():.2g}"))
        heatmap(W_out, ["1", "2", "3"], words, ax=axes[0, 1], colorbar=False, annotate=False,
                title=message("cbow.W_out", largest=f"{np.abs(W_out).max():.2g}"))
        if self.losses:
            loss_curve(self.losses, ax=axes[1, 0])
        else:
            axes[1, 0].text(0.5, 0.5, message("cbow.no_updates"), ha="center", va="center",
                            transform=axes[1, 0].transAxes)
        axes[1, 0].set_xlabel(message("plot.iteration"))
        axes[1, 0].set_ylabel(message("plot.loss"))
        axes[1, 0].set_title(message("cbow.loss_after", count=self.iteration,
                                     loss=f"{self.current_loss:.3f}"), fontsize=9)
        sample_labels = [f"{words[a]} _ {words[b]}" for a, b in self.contexts]
        heatmap(self.probabilities, sample_labels, words, ax=axes[1, 1], colorbar=False,
                annotate=False, title=message("cbow.predictions", correct=self.n_correct,
                                              samples=len(self.targets)))
        axes[1, 1].images[-1].set_clim(-1.0, 1.0)   # probabilities on a fixed scale: 1 = deep red
        _mark_cells(axes[1, 1], [(n, int(t)) for n, t in enumerate(self.targets)])

    def summary(self) -> str:
        return message("cbow.summary", count=self.iteration, updates=f"<b>{self.iteration}</b>",
                       lr=self.lr.value, loss=f"{self.current_loss:.4f}",
                       correct=self.n_correct, samples=len(self.targets))


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


# ---------------------------------------------------------------------------- the answer box

_FEEDBACK_STYLE = {
    CORRECT: ("✔", "#1a7f37", "#e6f4ea"),
    MALFORMED: ("?", "#6e7781", "#f3f4f6"),
}
_WRONG_STYLE = ("✘", "#9a3412", "#fff4e5")


class AnswerBox:
    """A text box, a Check button and the feedback for one exercise of a chapter.

    The chapter shows the question (Markdown) and the values it needs (a code cell prints
    them); ``exercise`` (from ``w2vlib.answers``) parses and marks what is typed.
    On a static page the box and the button are disabled, beside a note.
    """

    def __init__(self, exercise: Exercise, static: bool | None = None) -> None:
        if not isinstance(exercise, Exercise):
            raise TypeError("answer_box expects an Exercise from w2vlib.answers, "
                            f"got {type(exercise).__name__}")
        self.exercise = exercise
        self.static = is_static() if static is None else static
        self.answer = widgets.Text(placeholder=message(exercise.placeholder)
                                   if exercise.placeholder else "",
                                   layout=widgets.Layout(width="24em"))
        self.check_button = widgets.Button(description=message("box.check"),
                                           button_style="primary")
        self.feedback = widgets.HTML()
        self.result: Feedback | None = None
        self.check_button.on_click(lambda _: self.check())
        row = widgets.HBox([self.answer, self.check_button])
        if self.static:
            self.answer.disabled = self.check_button.disabled = True
            self.widget = widgets.VBox([row, _static_note("box.static_note")])
        else:
            self.widget = widgets.VBox([row, self.feedback],
                                       layout=widgets.Layout(margin="0 0 1em 0"))

    def check(self) -> Feedback:
        """Mark the text in the box and show the feedback under it."""
        self.result = self.exercise.check(self.answer.value)
        mark, colour, background = _FEEDBACK_STYLE.get(self.result.status, _WRONG_STYLE)
        self.feedback.value = (f'<div class="w2v-feedback w2v-{self.result.status}" '
                               f'role="status" style="padding:4px 8px;color:{colour};'
                               f'background:{background}">'
                               f"{mark} {html.escape(self.result.message)}</div>")
        return self.result

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {**_widget_view(self.widget), "text/plain": message("box.static_line")}

    def _ipython_display_(self) -> None:
        if self.static:
            display(_static_view(self.widget, "box.static_line"), raw=True)
        else:
            display(self._repr_mimebundle_(), raw=True)


def answer_box(exercise: Exercise, static: bool | None = None) -> AnswerBox:
    """The answer box of one exercise: type an answer, press Check, read the feedback."""
    return AnswerBox(exercise, static=static)
