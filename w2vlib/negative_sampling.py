"""Negative sampling: the book's chapter-4 pieces, each with ``params``, ``grads``,
``forward`` and ``backward``.

Instead of a softmax over all V words, the model answers yes/no questions:
"is word v the centre word?" for the true target (answer 1) and for
``sample_size`` words drawn at random (answer 0). Each answer is a score

    s = h . W_out[v]                      (EmbeddingDot)

turned into a probability by the sigmoid and scored by binary cross-entropy

    L = (1/N) sum_n sum_k [ -t_nk log sigmoid(s_nk) - (1 - t_nk) log(1 - sigmoid(s_nk)) ]

(SigmoidWithLoss), whose gradient with respect to the scores is again y - t:

    dL/ds_nk = (sigmoid(s_nk) - t_nk) / N.

Gradients with respect to the big matrix W_out touch only the rows that were
looked up; layers keep them as ``row_grads`` (see ``w2vlib.sparse``) and show
the dense ``grads`` of the book's convention on request.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_id_array, check_array_bytes
from .sparse import RowGrad, rows_times


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), computed as exp(-log(1 + exp(-x))) so no exp overflows."""
    return np.exp(-np.logaddexp(0.0, -x))


class _RowGradLayer:
    """Mixin for a layer whose parameters get row gradients.

    ``backward`` sets ``row_grads`` (one ``RowGrad`` per parameter); ``grads`` is the
    book's dense list of arrays, built from them on first use after each backward.
    """

    params: list[np.ndarray]
    row_grads: list[RowGrad | None]
    _dense: list[np.ndarray] | None

    def _set_row_grads(self, row_grads: list[RowGrad]) -> None:
        self.row_grads = row_grads
        self._dense = None

    @property
    def grads(self) -> list[np.ndarray]:
        if self._dense is None:
            self._dense = [np.zeros_like(p) if g is None else g.dense().astype(p.dtype, copy=False)
                           for p, g in zip(self.params, self.row_grads)]
        return self._dense


class EmbeddingDot(_RowGradLayer):
    """Scores of chosen output words: s[n, k] = h[n] . W[idx[n, k]].

    forward(h, idx): h (N, H), idx (N,) or (N, K) ids; returns s of idx's shape.
    backward(ds), ds of s's shape:
        dh[n]  = sum_k ds[n, k] W[idx[n, k]]                      (N, H)
        dW[v]  = sum over (n, k) with idx[n, k] == v of ds[n, k] h[n]   (rows of idx only)
    The second line is chapter 2's rule dW = X^T dY with X[n, v] = sum_k ds[n, k] [idx[n, k] == v].
    """

    def __init__(self, W: np.ndarray) -> None:
        W = as_float_array(W, "W", ndim=2)
        self.params = [W]
        self._set_row_grads([None])
        self.cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def forward(self, h: np.ndarray, idx: np.ndarray) -> np.ndarray:
        W, = self.params
        h = as_float_array(h, "h", ndim=2)
        if h.shape[1] != W.shape[1]:
            raise ValueError(f"h must have {W.shape[1]} columns (W's width), got shape {h.shape}")
        idx = as_id_array(idx, "idx", upper=W.shape[0])
        if idx.ndim not in (1, 2) or idx.shape[0] != h.shape[0]:
            raise ValueError(f"idx must be ids of shape ({h.shape[0]},) or ({h.shape[0]}, K), "
                             f"got shape {idx.shape}")
        idx2 = idx.reshape(h.shape[0], -1)
        target_W = W[idx2]                                   # (N, K, H)
        scores = (target_W @ h[:, :, None])[:, :, 0]         # (N, K)
        self.cache = (h, idx2, target_W)
        return scores.reshape(idx.shape)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.cache is None:
            raise RuntimeError("call forward before backward")
        W, = self.params
        h, idx2, target_W = self.cache
        dout = as_float_array(dout, "dout")
        if dout.size != idx2.size or dout.shape[0] != idx2.shape[0]:
            raise ValueError(f"dout must have the scores' shape {idx2.shape} (or ({idx2.shape[0]},) "
                             f"for K = 1), got {dout.shape}")
        ds = dout.reshape(idx2.shape).astype(h.dtype, copy=False)
        dh = (ds[:, None, :] @ target_W)[:, 0, :]            # (N, H)
        self._set_row_grads([rows_times(idx2, ds, h, W.shape[0])])
        return dh


class SigmoidWithLoss:
    """Sigmoid followed by binary cross-entropy, summed over answers, averaged over samples.

    forward(x, t): scores x of shape (N,) or (N, K); labels t of the same shape, 0 or 1.
        L = (1/N) sum [ softplus(x) - t x ]   (= -t log y - (1 - t) log(1 - y), y = sigmoid(x),
        written with softplus(x) = log(1 + e^x) so that large scores cannot overflow)
    backward(dout=1): dL/dx = dout * (y - t) / N, x's shape.
    """

    def __init__(self) -> None:
        self.params: list[np.ndarray] = []
        self.grads: list[np.ndarray] = []
        self.y: np.ndarray | None = None
        self.t: np.ndarray | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x = as_float_array(x, "x (scores)", ndim=(1, 2))
        t_arr = np.asarray(t)
        if t_arr.shape != x.shape:
            raise ValueError(f"t must have the scores' shape {x.shape}, got {t_arr.shape}")
        if t_arr.dtype != bool and not np.issubdtype(t_arr.dtype, np.number):
            raise TypeError(f"t must hold 0s and 1s, got dtype {t_arr.dtype}")
        if not np.all((t_arr == 0) | (t_arr == 1)):
            raise ValueError("t must hold only 0 (a negative sample) and 1 (the true word)")
        self.t = t_arr.astype(x.dtype)
        self.y = sigmoid(x)
        return float(np.sum(np.logaddexp(0.0, x) - self.t * x) / x.shape[0])

    def backward(self, dout: float = 1.0) -> np.ndarray:
        if self.y is None or self.t is None:
            raise RuntimeError("call forward before backward")
        return (self.y - self.t) * (dout / self.y.shape[0])


class UnigramSampler:
    """Draws negative samples with P(v) = counts[v]^power / sum_u counts[u]^power.

    The power 0.75 (word2vec's choice) lifts rare words a little above their share of the text.
    ``get_negative_sample(target)`` returns (N, sample_size) ids, none equal to that row's
    target (as in the book: the true word is never its own negative). All draws come from one
    seeded ``numpy.random.Generator`` by inverse-CDF lookup, vectorised over the batch.
    """

    def __init__(self, counts: np.ndarray, power: float = 0.75, sample_size: int = 5,
                 seed: int | np.random.Generator | None = 0) -> None:
        counts = as_float_array(counts, "counts", ndim=1)
        if np.any(counts < 0):
            raise ValueError("counts must be non-negative word counts")
        if np.count_nonzero(counts) < 2:
            raise ValueError("counts needs at least two words with a positive count: with one, "
                             "no word other than the target could be drawn")
        if isinstance(power, bool) or not isinstance(power, (int, float)) or not power > 0:
            raise ValueError(f"power must be a positive number, got {power!r}")
        if isinstance(sample_size, bool) or not isinstance(sample_size, (int, np.integer)) \
                or sample_size < 1:
            raise ValueError(f"sample_size must be a positive int, got {sample_size!r}")
        self.vocab_size = counts.size
        self.sample_size = int(sample_size)
        weights = counts ** power
        self.word_p = weights / weights.sum()
        self.cdf = np.cumsum(self.word_p)
        self.cdf[-1] = 1.0                 # guard against rounding: every u < 1 finds a word
        self.rng = _rng(seed)

    def sample(self, shape: int | tuple[int, ...]) -> np.ndarray:
        """Independent draws from word_p, an int64 array of the given shape."""
        u = self.rng.random(shape)
        return np.searchsorted(self.cdf, u, side="right").astype(np.int64)

    def get_negative_sample(self, target: np.ndarray) -> np.ndarray:
        """(N, sample_size) draws from word_p, redrawing any that equal the row's target."""
        target = as_id_array(target, "target", upper=self.vocab_size)
        if target.ndim != 1:
            raise ValueError(f"target must be 1-D ids (N,), got shape {target.shape}")
        check_array_bytes((target.size, self.sample_size), np.int64, "the negative samples")
        negatives = self.sample((target.size, self.sample_size))
        clash = negatives == target[:, None]
        while clash.any():                 # few and quickly fewer: redraw only those
            negatives[clash] = self.sample(int(clash.sum()))
            clash = negatives == target[:, None]
        return negatives


class NegativeSamplingLoss(_RowGradLayer):
    """The loss of one true word and ``sample_size`` negatives per sample.

    forward(h, target, negatives=None): h (N, H) hidden vectors, target (N,) ids;
        negatives (N, sample_size) ids, drawn by the sampler when not given.
        Scores s = [h . W[target], h . W[neg_1], ...] (N, 1 + K), labels t = [1, 0, ..., 0];
        L = SigmoidWithLoss(s, t) = (1/N) sum_n [ -log y_n0 - sum_k log(1 - y_nk) ].
    backward(dout=1): returns dh (N, H); row gradient of W in ``row_grads`` (dense: ``grads``).
    The book builds 1 + K EmbeddingDot and SigmoidWithLoss objects; one of each over an
    (N, 1 + K) block computes the same numbers.
    """

    def __init__(self, W: np.ndarray, counts: np.ndarray, power: float = 0.75,
                 sample_size: int = 5, seed: int | np.random.Generator | None = 0) -> None:
        self.sampler = UnigramSampler(counts, power, sample_size, seed)
        self.embed_dot = EmbeddingDot(W)
        if self.sampler.vocab_size != self.embed_dot.params[0].shape[0]:
            raise ValueError(f"counts must have one entry per row of W ({W.shape[0]}), "
                             f"got {self.sampler.vocab_size}")
        self.loss_layer = SigmoidWithLoss()
        self.sample_size = self.sampler.sample_size
        self.params = self.embed_dot.params
        self._set_row_grads([None])
        self.negatives: np.ndarray | None = None

    def forward(self, h: np.ndarray, target: np.ndarray, negatives: np.ndarray | None = None) -> float:
        V = self.params[0].shape[0]
        target = as_id_array(target, "target", upper=V)
        if target.ndim != 1:
            raise ValueError(f"target must be 1-D ids (N,), got shape {target.shape}")
        if negatives is None:
            negatives = self.sampler.get_negative_sample(target)
        else:
            negatives = as_id_array(negatives, "negatives", upper=V)
            if negatives.shape != (target.size, self.sample_size):
                raise ValueError(f"negatives must have shape ({target.size}, {self.sample_size}), "
                                 f"got {negatives.shape}")
        self.negatives = negatives
        idx = np.concatenate([target[:, None], negatives], axis=1)          # (N, 1 + K)
        scores = self.embed_dot.forward(h, idx)
        labels = np.zeros(idx.shape, dtype=scores.dtype)
        labels[:, 0] = 1.0
        return self.loss_layer.forward(scores, labels)

    def backward(self, dout: float = 1.0) -> np.ndarray:
        dscores = self.loss_layer.backward(dout)
        dh = self.embed_dot.backward(dscores)
        self._set_row_grads(self.embed_dot.row_grads)
        return dh
