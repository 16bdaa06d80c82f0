"""CBOW with negative sampling on word ids, for any window size (the book's ``ch04/cbow.py``).

    h = (1/C) sum_c W_in[contexts[:, c]]          contexts: (N, C) ids, C = 2 * window_size; h: (N, H)
    L = NegativeSamplingLoss(h, target)           W_out: (V, H); target: (N,) ids

Backward: the loss layer gives dh (N, H); every context row receives dh / C, so
    dW_in = X^T dh,   X[n, v] = (number of times v is among sample n's contexts) / C,
chapter 2's input-layer rule with an averaged one-hot X. Both gradients touch only the rows
a batch looked up; ``CBOWTrainer`` applies them with ``w2vlib.sparse.RowSGD``, ``RowAdam`` or
``RowAdaGrad``.
"""
from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from ._validate import as_float_array, as_id_array, check_array_bytes, check_steps
from .negative_sampling import NegativeSamplingLoss, _RowGradLayer, _rng
from .optim import _Progress as _OptimProgress
from .sparse import RowAdaGrad, RowAdam, RowSGD, rows_times


class _PlainText:
    """Shown by a notebook as its text, without the quotes of a str's repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _Progress(_OptimProgress):
    """The optim module's status line, with the notebook display free of quotes."""

    def show(self, text: str, final: bool = False) -> None:
        if self.handle is not None:
            self.handle.update(_PlainText(text))
        else:
            super().show(text, final)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


class EmbeddingMean(_RowGradLayer):
    """The mean of C looked-up rows: h[n] = (1/C) sum_c W[idx[n, c]].

    forward(idx): idx (N, C) ids; returns h (N, H).
    backward(dh): dW = X^T dh with X[n, v] = #{c : idx[n, c] == v} / C (rows of idx only).
    Returns None: ids have no gradient.
    """

    def __init__(self, W: np.ndarray) -> None:
        W = as_float_array(W, "W", ndim=2)
        self.params = [W]
        self._set_row_grads([None])
        self.idx: np.ndarray | None = None

    def forward(self, idx: np.ndarray) -> np.ndarray:
        W, = self.params
        idx = as_id_array(idx, "idx", upper=W.shape[0])
        if idx.ndim != 2 or idx.shape[1] < 1:
            raise ValueError(f"idx must be ids of shape (N, C), got shape {idx.shape}")
        self.idx = idx
        # h = X W with X[n, v] = #{c : idx[n, c] == v} / C, the averaged one-hot rows: chapter 2's
        # input layer, with X stored sparse (C entries per row), so no (N, C, H) block is built.
        n, C = idx.shape
        X = sp.csr_matrix((np.full(n * C, 1.0 / C, dtype=W.dtype), idx.ravel(),
                           np.arange(0, n * C + 1, C)), shape=(n, W.shape[0]))
        return np.asarray(X @ W)

    def backward(self, dh: np.ndarray) -> None:
        if self.idx is None:
            raise RuntimeError("call forward before backward")
        W, = self.params
        dh = as_float_array(dh, "dh", ndim=2)
        if dh.shape != (self.idx.shape[0], W.shape[1]):
            raise ValueError(f"dh must have shape {(self.idx.shape[0], W.shape[1])}, got {dh.shape}")
        C = self.idx.shape[1]
        self._set_row_grads([rows_times(self.idx, 1.0 / C, dh.astype(W.dtype, copy=False),
                                        W.shape[0])])
        return None


class CBOW(_RowGradLayer):
    """CBOW with negative sampling, as in the book's chapter 4, for contexts of any width.

    vocab_size V, hidden_size H, window_size w (C = 2w context words per target);
    counts (V,): word frequencies for the negative sampler. Weights start as
    weight_scale * N(0, 1), seeded. params = [W_in (V, H), W_out (V, H)]; the word vectors are W_in.
    """

    def __init__(self, vocab_size: int, hidden_size: int, window_size: int, counts: np.ndarray, *,
                 sample_size: int = 5, power: float = 0.75,
                 seed: int | np.random.Generator | None = 0, weight_scale: float = 0.01,
                 dtype: type = np.float32) -> None:
        V = _positive_int("vocab_size", vocab_size)
        H = _positive_int("hidden_size", hidden_size)
        self.window_size = _positive_int("window_size", window_size)
        check_array_bytes((V, H), dtype, "W_in")
        rng = _rng(seed)
        W_in = (weight_scale * rng.standard_normal((V, H))).astype(dtype)
        W_out = (weight_scale * rng.standard_normal((V, H))).astype(dtype)
        self.in_layer = EmbeddingMean(W_in)
        self.ns_loss = NegativeSamplingLoss(W_out, counts, power=power, sample_size=sample_size,
                                            seed=rng)
        self.params = [W_in, W_out]
        self._set_row_grads([None, None])
        self.word_vecs = W_in
        self.vocab_size, self.hidden_size = V, H

    def forward(self, contexts: np.ndarray, target: np.ndarray,
                negatives: np.ndarray | None = None) -> float:
        """Loss for contexts (N, 2 * window_size) ids and target (N,) ids (negatives: see
        ``NegativeSamplingLoss.forward``)."""
        contexts = np.asarray(contexts)
        C = 2 * self.window_size
        if contexts.ndim != 2 or contexts.shape[1] != C:
            raise ValueError(f"contexts must be ids of shape (N, {C}): {self.window_size} words on "
                             f"each side, got shape {contexts.shape}")
        if np.ndim(target) != 1 or np.shape(target)[0] != contexts.shape[0]:
            raise ValueError(f"target must be ids of shape ({contexts.shape[0]},), one per row of "
                             f"contexts, got shape {np.shape(target)}")
        h = self.in_layer.forward(contexts)
        return self.ns_loss.forward(h, target, negatives)

    def backward(self, dout: float = 1.0) -> None:
        """Fill ``row_grads`` = [dL/dW_in, dL/dW_out] (dense view: ``grads``)."""
        dh = self.ns_loss.backward(dout)
        self.in_layer.backward(dh)
        self._set_row_grads([self.in_layer.row_grads[0], self.ns_loss.row_grads[0]])


def centre_positions(sentence_starts: np.ndarray, n_tokens: int, window_size: int) -> np.ndarray:
    """Positions in a corpus of concatenated sentences that have ``window_size`` words on each
    side inside their own sentence: the targets CBOW trains on. Returns int64 (M,), increasing.

    sentence_starts: (S,) increasing token offsets, the first 0; sentence i covers
    [sentence_starts[i], sentence_starts[i + 1]) and the last ends at n_tokens.
    """
    w = _positive_int("window_size", window_size)
    starts = as_id_array(sentence_starts, "sentence_starts")
    if starts.ndim != 1 or starts.size == 0 or starts[0] != 0 or np.any(np.diff(starts) <= 0) \
            or starts[-1] >= n_tokens:
        raise ValueError("sentence_starts must be increasing offsets, the first 0 and all below "
                         f"n_tokens = {n_tokens}")
    ends = np.append(starts[1:], n_tokens)
    pieces = [np.arange(s + w, e - w) for s, e in zip(starts, ends) if e - s > 2 * w]
    if not pieces:
        raise ValueError(f"no sentence has more than {2 * w} words: a window of {w} fits nowhere")
    return np.concatenate(pieces).astype(np.int64)


def contexts_at(ids: np.ndarray, positions: np.ndarray, window_size: int) -> np.ndarray:
    """The (M, 2w) context ids around each position, left to right (like create_contexts_target)."""
    offsets = np.r_[-window_size:0, 1:window_size + 1]
    return ids[positions[:, None] + offsets]


class CBOWTrainer:
    """Shuffled mini-batches of (contexts, target) over a corpus of ids, row-wise updates.

    optimizer: ``RowSGD``, ``RowAdam`` or ``RowAdaGrad``. With ``final_lr``, the learning rate
    falls linearly from the optimizer's lr to final_lr over the run (word2vec's schedule).
    After ``fit``: ``loss_list`` (mean loss of every eval_interval batches), ``words_per_second``
    (targets trained per second of wall time) and ``seconds``.
    """

    def __init__(self, model: CBOW, optimizer: RowSGD | RowAdam | RowAdaGrad) -> None:
        if not isinstance(optimizer, (RowSGD, RowAdam, RowAdaGrad)):
            raise TypeError("optimizer must be a RowSGD, RowAdam or RowAdaGrad (they apply row "
                            f"gradients), got {type(optimizer).__name__}")
        self.model, self.optimizer = model, optimizer
        self.loss_list: list[float] = []
        self.eval_interval = 20
        self.words_per_second = float("nan")
        self.seconds = 0.0

    def fit(self, ids: np.ndarray, sentence_starts: np.ndarray | None = None, *, max_epoch: int = 1,
            batch_size: int = 1024, final_lr: float | None = None, eval_interval: int = 20,
            seed: int | np.random.Generator | None = 0, verbose: bool = True,
            max_batches: int | None = None) -> list[float]:
        """Train on the token ids (T,); sentence_starts as in ``centre_positions`` (default: one
        sentence). max_batches stops early (for timing a part of an epoch)."""
        model = self.model
        ids = as_id_array(ids, "ids", upper=model.vocab_size)
        if ids.ndim != 1:
            raise ValueError(f"ids must be 1-D token ids, got shape {ids.shape}")
        starts = np.zeros(1, dtype=np.int64) if sentence_starts is None else sentence_starts
        positions = centre_positions(starts, ids.size, model.window_size)
        max_epoch = _positive_int("max_epoch", max_epoch)
        batch_size = _positive_int("batch_size", batch_size)
        self.eval_interval = _positive_int("eval_interval", eval_interval)
        if final_lr is not None and not 0 < final_lr <= self.optimizer.lr:
            raise ValueError(f"final_lr must be in (0, lr = {self.optimizer.lr}], got {final_lr!r}")
        rng = _rng(seed)
        w = model.window_size
        n_batches = -(-positions.size // batch_size)
        total = n_batches * max_epoch if max_batches is None else min(max_batches, n_batches * max_epoch)
        check_steps(total, "CBOWTrainer.fit")
        lr0 = self.optimizer.lr
        progress = _Progress() if verbose else None
        loss_sum, loss_count, done, words = 0.0, 0, 0, 0
        start = last_shown = time.perf_counter()
        for epoch in range(max_epoch):
            order = rng.permutation(positions)
            for b in range(n_batches):
                if done == total:
                    break
                if final_lr is not None:
                    self.optimizer.lr = lr0 + (final_lr - lr0) * done / total
                centre = order[b * batch_size:(b + 1) * batch_size]
                loss_sum += model.forward(contexts_at(ids, centre, w), ids[centre])
                model.backward()
                self.optimizer.update(model.params, model.row_grads)
                loss_count += 1
                done += 1
                words += centre.size
                if loss_count == self.eval_interval:
                    self.loss_list.append(loss_sum / loss_count)
                    loss_sum, loss_count = 0.0, 0
                now = time.perf_counter()
                if progress is not None and (now - last_shown > 0.5 or done == total):
                    last_shown = now
                    bar = "#" * int(20 * done / total)
                    last = f"{self.loss_list[-1]:.3f}" if self.loss_list else "-"
                    progress.show(f"[{bar:<20}] epoch {epoch + 1}/{max_epoch} | batch {done}/{total}"
                                  f" | {words / (now - start):,.0f} words/s | loss {last}",
                                  final=done == total)
        self.seconds = time.perf_counter() - start
        self.words_per_second = words / self.seconds
        self.optimizer.lr = lr0
        return self.loss_list

    def plot(self, ax=None):
        """Draw the loss history; returns the matplotlib Axes."""
        from .plot import loss_curve
        return loss_curve(self.loss_list, eval_interval=self.eval_interval, ax=ax)
