"""Quality against training time: WordSim-353 Spearman rho after each amount of training.

A curve is measured, not assumed: each point is a model trained for ``epochs[i]`` passes over the
corpus and then evaluated. Two ways to get the points, because the two trainers differ:

- ``w2vlib``'s CBOW with row-wise AdaGrad has no schedule: a run of E epochs is the first E
  epochs of a longer run, so one run evaluated after every epoch gives every point;
- gensim's learning rate falls linearly to almost zero over the epochs it is *told* to run, so
  a point at E epochs is a run of its own, trained from scratch with ``epochs=E``.

A run continues until it stops improving: until, past ``min_epochs``, ``patience`` points in a row
have not raised the best rho by more than ``min_delta``, or the last point is reached (then
``stopped`` is False). ``min_epochs`` keeps a slow start from passing for a plateau: gensim with
its defaults scores no better after three epochs than after one.

Curves take minutes, so ``benchmarks/bench_negative_sampling.py --save-curves`` measures them
and stores them with everything that fixes their result (``fingerprint``) in ``CURVES_FILE``;
the chapter reads that file and retrains one point of each to show that it still holds.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .datasets import PreparedCorpus
from .similarity import evaluate_analogies, evaluate_word_pairs, most_similar

CURVES_FILE = Path(__file__).parent / "data" / "quality_curves.json"
# The words whose nearest neighbours are stored with each curve's best point.
PROBE_WORDS = ("king", "war", "music", "france", "january", "computer", "three")
# The modules whose code decides what a curve measures (training, sampling, evaluation).
_MODULES = ("cbow", "negative_sampling", "sparse", "similarity", "datasets", "gensim_reference",
            "learning_curve", "_validate")


@dataclass
class Curve:
    """One trainer's points: epochs[i] -> seconds[i] (training only, wall clock), cpu_seconds[i]
    (the same, in CPU time of this process: less moved by other work on the machine), spearman[i]
    (WordSim-353 rho), analogy[i] (accuracy). ``neighbours``: PROBE_WORDS -> the five nearest
    words at the best point; ``stopped``: True when the run ended because rho stopped rising."""

    name: str
    settings: dict
    epochs: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    spearman: list[float] = field(default_factory=list)
    analogy: list[float] = field(default_factory=list)
    neighbours: dict[str, list[str]] = field(default_factory=dict)
    stopped: bool = False

    @property
    def best(self) -> int:
        """Index of the point with the highest rho (the first, when tied)."""
        if not self.spearman:
            raise ValueError(f"curve {self.name!r} has no points")
        return int(np.argmax(self.spearman))

    def point(self, epochs: int) -> dict:
        """The point trained for ``epochs``: {"epochs", "seconds", "cpu_seconds", "spearman",
    "analogy"}."""
        if epochs not in self.epochs:
            raise ValueError(f"curve {self.name!r} has no point at {epochs} epochs: {self.epochs}")
        i = self.epochs.index(epochs)
        return {"epochs": epochs, "seconds": self.seconds[i], "cpu_seconds": self.cpu_seconds[i],
                "spearman": self.spearman[i], "analogy": self.analogy[i]}


def stopped_improving(values: Sequence[float], patience: int, min_delta: float) -> bool:
    """True when each of the last ``patience`` values is at most ``min_delta`` above the best value
    before them. (Callers apply ``min_epochs`` before asking.)"""
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError(f"patience must be a positive int, got {patience!r}")
    if len(values) <= patience:
        return False
    return max(values[-patience:]) <= max(values[:-patience]) + min_delta


def _add_point(curve: Curve, epochs: int, seconds: float, cpu_seconds: float, vectors: np.ndarray,
               word_to_id: dict[str, int]) -> None:
    rho = evaluate_word_pairs(vectors, word_to_id)["spearman"]
    curve.epochs.append(int(epochs))
    curve.seconds.append(float(seconds))
    curve.cpu_seconds.append(float(cpu_seconds))
    curve.spearman.append(float(rho))
    curve.analogy.append(float(evaluate_analogies(vectors, word_to_id)["accuracy"]))
    if curve.best == len(curve.spearman) - 1:
        id_to_word = {i: w for w, i in word_to_id.items()}
        curve.neighbours = {q: [w for w, _ in most_similar(q, word_to_id, id_to_word, vectors, top=5)]
                            for q in PROBE_WORDS if q in word_to_id}


def ours_curve(corpus: PreparedCorpus, *, lr: float = 0.1, batch_size: int = 1024,
               max_epochs: int = 30, min_epochs: int = 10, patience: int = 3,
               min_delta: float = 0.005, seed: int = 0,
               window: int = 5, vector_size: int = 100, negative: int = 5,
               progress: Callable[[str], None] | None = None) -> Curve:
    """w2vlib's CBOW with RowAdaGrad(lr), evaluated after every epoch of one run. Epoch E of this
    run is exactly ``CBOWTrainer.fit(max_epoch=E, seed=seed)`` (the same shuffles, the same draws)."""
    from .cbow import CBOW, CBOWTrainer
    from .sparse import RowAdaGrad
    settings = dict(lr=lr, batch_size=batch_size, window=window, vector_size=vector_size,
                    negative=negative, seed=seed)
    curve = Curve("w2vlib", settings)
    model = CBOW(corpus.vocab_size, vector_size, window_size=window, counts=corpus.counts,
                 sample_size=negative, seed=seed)
    trainer = CBOWTrainer(model, RowAdaGrad(lr=lr))
    rng = np.random.default_rng(seed)     # carried from epoch to epoch, as fit(max_epoch=E) does
    seconds = cpu_seconds = 0.0
    for epoch in range(1, max_epochs + 1):
        cpu = time.process_time()
        trainer.fit(corpus.ids, corpus.sentence_starts, max_epoch=1, batch_size=batch_size,
                    seed=rng, verbose=False)
        cpu_seconds += time.process_time() - cpu
        seconds += trainer.seconds
        _add_point(curve, epoch, seconds, cpu_seconds, model.word_vecs, corpus.word_to_id)
        if progress:
            progress(f"w2vlib  epoch {epoch:3d}  {seconds:7.1f} s  rho {curve.spearman[-1]:.3f}")
        if epoch >= min_epochs and stopped_improving(curve.spearman, patience, min_delta):
            curve.stopped = True
            break
    return curve


GENSIM_EPOCHS = (1, 2, 3, 5, 10, 20, 30, 40, 60, 80, 120)


def gensim_curve(corpus: PreparedCorpus, *, matching: bool, epochs: Sequence[int] = GENSIM_EPOCHS,
                 min_epochs: int = 10, patience: int = 2, min_delta: float = 0.005,
                 seed: int = 0, window: int = 5,
                 vector_size: int = 100, negative: int = 5,
                 progress: Callable[[str], None] | None = None) -> Curve:
    """gensim's Word2Vec (``train_gensim_cbow``), a fresh run for each number of epochs.
    matching=True: w2vlib's settings (no down-sampling, fixed windows); False: gensim's defaults."""
    from .gensim_reference import train_gensim_cbow
    settings = dict(matching=matching, window=window, vector_size=vector_size, negative=negative,
                    seed=seed)
    curve = Curve("gensim, matched settings" if matching else "gensim, its defaults", settings)
    for e in epochs:
        run = train_gensim_cbow(corpus, window=window, vector_size=vector_size, negative=negative,
                                epochs=e, seed=seed, matching=matching)
        _add_point(curve, e, run.seconds, run.cpu_seconds, run.vectors, run.word_to_id)
        if progress:
            progress(f"{curve.name}  epochs {e:3d}  {run.seconds:7.1f} s  rho {curve.spearman[-1]:.3f}")
        if e >= min_epochs and stopped_improving(curve.spearman, patience, min_delta):
            curve.stopped = True
            break
    return curve


def fingerprint(corpus: PreparedCorpus) -> dict:
    """Everything that fixes a curve's numbers: the corpus (a hash of its ids and words), the code
    of the modules that train and evaluate, and the versions of numpy, scipy and gensim. (The
    seconds depend on the machine as well; that is recorded apart, in ``machine``.)"""
    import scipy
    here = Path(__file__).parent
    code = hashlib.sha256()
    for name in _MODULES:
        code.update((here / f"{name}.py").read_bytes())
    data = hashlib.sha256(np.ascontiguousarray(corpus.ids).tobytes())
    data.update("\n".join(corpus.words).encode("utf8"))
    data.update(np.ascontiguousarray(corpus.sentence_starts).tobytes())
    try:
        from importlib.metadata import version
        gensim_version = version("gensim")
    except Exception:                        # gensim is optional for w2vlib itself
        gensim_version = None
    return {"corpus": data.hexdigest()[:16], "code": code.hexdigest()[:16],
            "numpy": np.__version__, "scipy": scipy.__version__, "gensim": gensim_version}


def save_curves(curves: Sequence[Curve], corpus: PreparedCorpus, path: str | os.PathLike = CURVES_FILE,
                note: str = "") -> Path:
    """Write the curves, the fingerprint and the machine they were timed on, as JSON."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    doc = {"fingerprint": fingerprint(corpus),
           "machine": {"cores": os.cpu_count(), "load_average": load,
                       "processor": platform.processor() or platform.machine()},
           "note": note, "curves": [asdict(c) for c in curves]}
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf8")
    return path


def load_curves(path: str | os.PathLike = CURVES_FILE) -> tuple[list[Curve], dict]:
    """The stored curves and the rest of the file (fingerprint, machine, note)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no stored curves at {path}: run "
                                "`benchmarks/bench_negative_sampling.py --save-curves`")
    doc = json.loads(path.read_text(encoding="utf8"))
    curves = [Curve(**c) for c in doc.pop("curves")]
    return curves, doc


def plot_curves(curves: Sequence[Curve], x: str = "epochs", ax=None, log_x: bool = True):
    """rho against epochs or training time, one line per curve: ``w2vlib.plot.quality_curves``,
    which draws it (in a module outside the fingerprint: its labels are words, not results)."""
    from .plot import quality_curves
    return quality_curves(curves, x=x, ax=ax, log_x=log_x)
