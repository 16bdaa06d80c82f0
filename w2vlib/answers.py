"""The answers of the chapters' answer-box exercises, computed with w2vlib.

Each function belongs to one exercise of a chapter (the exercise's label is in its docstring).
It returns the marking (an ``Exercise`` of ``w2vlib.exercises``) with

- ``given``: the values the question shows; the chapter prints them, so no number is typed;
- ``answer``: the correct answer, computed from those values by w2vlib's own layers;
- ``mistakes``: likely wrong answers and the catalogue key of the feedback each one earns.

The chapter holds the question, the hint and the solution; ``w2vlib.widgets.answer_box``
draws the box that checks a typed answer against the returned exercise.

Maths counts rows and columns from 1, code from 0: ``given`` rows and columns are 1-based.
"""
from __future__ import annotations

import numpy as np

from . import TOY_TEXT
from .corpus import create_contexts_target, preprocess
from .exercises import Mistake, NumberExercise, RowsExercise, ShapeExercise, VectorExercise
from .layers import MatMul
from .models import SimpleCBOW
from .optim import SGD


def _toy() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The toy corpus's vocabulary (in id order), its contexts (N, 2) and targets (N,)."""
    corpus, _, id_to_word = preprocess(TOY_TEXT)
    contexts, targets = create_contexts_target(corpus)
    return [id_to_word[i] for i in range(len(id_to_word))], contexts, targets


def _worked_example() -> tuple[list[str], int, int, int]:
    """The vocabulary and the first sample, the worked example: contexts a, b and target c."""
    vocab, contexts, targets = _toy()
    (a, b), c = contexts[0], targets[0]
    return vocab, int(a), int(b), int(c)


def _backward(contexts: tuple[int, int], target: int, seed: int = 0) -> SimpleCBOW:
    """SimpleCBOW(7, 3, seed) after one forward and backward pass on one sample."""
    model = SimpleCBOW(7, 3, seed=seed)
    model.forward(np.array([contexts]), np.array([target]))
    model.backward()
    return model


def _dh(model: SimpleCBOW) -> np.ndarray:
    """dL/dh (H,) = (y - t) W_out^T, for a model after a one-sample forward pass."""
    return (model.loss_layer.backward() @ model.params[1].T)[0]


def _nonzero_rows(matrix: np.ndarray) -> frozenset[int]:
    return frozenset(int(r) for r in np.flatnonzero(np.any(matrix != 0, axis=1)))


# ---------------------------------------------------------------------------- chapter 1

def matmul_dx_shape(N: int = 4, D: int = 5, H: int = 3) -> ShapeExercise:
    """matmul-ex-dx-shape: the shape of dL/dX for Y = XW, X: (N, D), W: (D, H)."""
    layer = MatMul(np.zeros((D, H)))
    layer.forward(np.zeros((N, D)))
    dX = layer.backward(np.zeros((N, H)))
    return ShapeExercise(answer=dX.shape, given={"N": N, "D": D, "H": H},
                         mistakes=[Mistake((N, H), "mistake.shape_of_Y"),
                                   Mistake((D, H), "mistake.shape_of_W")])


def matmul_dw_entry(i: int = 2, j: int = 1, seed: int = 3) -> NumberExercise:
    """matmul-ex-entry: entry (i, j) of dL/dW = X^T dL/dY, X: (3, 3), dL/dY: (3, 2), i and j
    counted from 1; X and dL/dY are small integers."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-2, 3, size=(3, 3))
    dY = rng.integers(-2, 3, size=(3, 2))
    layer = MatMul(np.zeros((3, 2)))
    layer.forward(X.astype(np.float64))
    layer.backward(dY.astype(np.float64))
    dW = layer.grads[0]
    return NumberExercise(
        answer=float(dW[i - 1, j - 1]), atol=1e-9, given={"X": X, "dY": dY, "i": i, "j": j},
        mistakes=[Mistake(float(dW[j - 1, i - 1]), "mistake.entry_swapped", {"i": i, "j": j}),
                  Mistake(float(dW[i, j]), "mistake.entry_from_zero")])


# ---------------------------------------------------------------------------- chapter 2

def input_layer_rows() -> RowsExercise:
    """input_layer-ex-which-rows: the non-zero rows of dL/dW_in for the worked example."""
    vocab, a, b, c = _worked_example()
    model = _backward((a, b), c)
    target = {"target": vocab[c]}
    return RowsExercise(
        answer=_nonzero_rows(model.grads[0]), n_rows=len(vocab), vocab=vocab,
        given={"contexts": (vocab[a], vocab[b]), "target": vocab[c]},
        mistakes=[Mistake({c}, "mistake.target_row", target),
                  Mistake({a, b, c}, "mistake.target_in_W_in", target),
                  Mistake(set(range(len(vocab))), "mistake.all_rows")])


def input_layer_half() -> NumberExercise:
    """input_layer-ex-half: entry (row of the first context, column 1) of dL/dW_in for the
    worked example; each line receives dL/dh^(1) = dL/dh / 2."""
    vocab, a, b, c = _worked_example()
    model = _backward((a, b), c)
    dh = _dh(model)
    return NumberExercise(
        answer=float(model.grads[0][a, 0]), rtol=0.02,
        given={"dh": dh, "row": a + 1, "word": vocab[a], "column": 1},
        mistakes=[Mistake(float(dh[0]), "mistake.whole_dh", {"entry": 1})])


def input_layer_twice() -> NumberExercise:
    """input_layer-ex-twice: the second context word on both sides; its row holds
    dL/dh / 2 + dL/dh / 2 = dL/dh. Entry (that row, column 1)."""
    vocab, _, b, c = _worked_example()
    model = _backward((b, b), c)
    dh = _dh(model)
    return NumberExercise(
        answer=float(model.grads[0][b, 0]), rtol=0.02,
        given={"dh": dh, "row": b + 1, "word": vocab[b], "target": vocab[c], "column": 1},
        mistakes=[Mistake(float(0.5 * dh[0]), "mistake.one_share", {"entry": 1})])


# ---------------------------------------------------------------------------- chapter 3

def middle_layer_y_minus_t() -> VectorExercise:
    """middle_layer-ex-y-minus-t: y - t (V,) for the worked example."""
    vocab, a, b, c = _worked_example()
    model = _backward((a, b), c)
    y = model.loss_layer.y[0].copy()
    eye = np.eye(len(vocab))
    target = {"target": vocab[c], "entry": c + 1}
    return VectorExercise(
        answer=y - eye[c], atol=5e-3, given={"y": y, "vocab": vocab, "target": vocab[c]},
        mistakes=[Mistake(y, "mistake.y_itself", {"target": vocab[c]}),
                  *(Mistake(y - eye[k], "mistake.minus_one", target)
                    for k in range(len(vocab)) if k != c)])


def middle_layer_dwout_shape() -> ShapeExercise:
    """middle_layer-ex-dwout-shape: the shape of dL/dW_out = h^T (y - t), h: (1, H)."""
    vocab, a, b, c = _worked_example()
    model = _backward((a, b), c)
    H, V = model.params[1].shape
    return ShapeExercise(
        answer=model.grads[1].shape, given={"H": H, "V": V},
        mistakes=[Mistake((1, V), "mistake.shape_of_y_minus_t"),
                  Mistake((1, H), "mistake.shape_of_h"), Mistake((H, 1), "mistake.shape_of_hT"),
                  Mistake((V, H), "mistake.W_out_transposed")])


def middle_layer_dwout_entry(i: int = 1) -> NumberExercise:
    """middle_layer-ex-dwout-entry: entry (i, c) of dL/dW_out, h_i (y_c - t_c), with c the
    target's column (both counted from 1)."""
    vocab, a, b, c = _worked_example()
    model = _backward((a, b), c)
    h, y = model.h[0].copy(), model.loss_layer.y[0].copy()
    y_minus_t = y - np.eye(len(vocab))[c]
    grad, j = model.grads[1], c + 1
    return NumberExercise(
        answer=float(grad[i - 1, j - 1]), rtol=0.02,
        given={"h": h, "y_minus_t": y_minus_t, "row": i, "column": j, "target": vocab[c]},
        mistakes=[Mistake(float(h[i - 1] * y[j - 1]), "mistake.used_y"),
                  Mistake(float(h[i] * y_minus_t[j]), "mistake.entry_from_zero")])


# ---------------------------------------------------------------------------- chapter 4

def _one_sgd_update() -> tuple[list[str], int, int, int, list[np.ndarray], list[np.ndarray]]:
    """SimpleCBOW(7, 3, seed=0) before and after one SGD update (lr 1) on the worked example."""
    vocab, a, b, c = _worked_example()
    model = SimpleCBOW(len(vocab), 3, seed=0)
    before = [p.copy() for p in model.params]
    model.forward(np.array([[a, b]]), np.array([c]))
    model.backward()
    SGD(1.0).update(model.params, model.grads)
    return vocab, a, b, c, before, [p.copy() for p in model.params]


def cbow_sgd_rows() -> RowsExercise:
    """cbow-ex-sgd-rows: the rows of W_in that one SGD update on the worked example changes."""
    vocab, a, b, c, before, after = _one_sgd_update()
    return RowsExercise(
        answer=_nonzero_rows(after[0] != before[0]), n_rows=len(vocab), vocab=vocab,
        given={"contexts": (vocab[a], vocab[b]), "target": vocab[c]},
        mistakes=[Mistake({c}, "mistake.unused_target_row")])


def cbow_sgd_columns() -> RowsExercise:
    """cbow-ex-sgd-columns: the columns of W_out that the same update changes."""
    vocab, a, b, c, before, after = _one_sgd_update()
    return RowsExercise(
        answer=_nonzero_rows((after[1] != before[1]).T), n_rows=len(vocab), vocab=vocab,
        what="column", placeholder="placeholder.columns",
        given={"contexts": (vocab[a], vocab[b]), "target": vocab[c]},
        mistakes=[Mistake({c}, "mistake.only_target", {"target": vocab[c]}),
                  Mistake({a, b}, "mistake.contexts_columns")])
