"""Using word vectors: nearest neighbours, analogies, and the two standard evaluations.

All similarities are cosines, cos(a, b) = a . b / (|a| |b|), computed on row-normalised
vectors. An analogy "a is to b as c is to ?" is answered with the word whose vector is
closest to unit(b) - unit(a) + unit(c), leaving out a, b and c themselves (3CosAdd, as the
book and gensim do).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from scipy.stats import spearmanr

from ._validate import as_float_array


def normalize_rows(word_matrix: np.ndarray) -> np.ndarray:
    """Each row divided by its length (rows of zeros stay zero). (V, H) -> (V, H) float64."""
    m = as_float_array(word_matrix, "word_matrix", ndim=2).astype(np.float64)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def _lookup(word: str, word_to_id: Mapping[str, int], n_rows: int) -> int:
    if not isinstance(word, str):
        raise TypeError(f"a query word must be a str, got {type(word).__name__}")
    if word not in word_to_id:
        raise ValueError(f"{word!r} is not in the vocabulary")
    i = word_to_id[word]
    if not 0 <= i < n_rows:
        raise ValueError(f"word_to_id maps {word!r} to {i}, outside the matrix's {n_rows} rows")
    return i


def _top(scores: np.ndarray, exclude: Sequence[int], id_to_word: Mapping[int, str],
         top: int) -> list[tuple[str, float]]:
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive int, got {top!r}")
    scores = scores.copy()
    scores[list(exclude)] = -np.inf
    best = np.argsort(-scores, kind="stable")[:min(top, scores.size - len(set(exclude)))]
    return [(id_to_word[int(i)], float(scores[i])) for i in best]


def most_similar(query: str, word_to_id: Mapping[str, int], id_to_word: Mapping[int, str],
                 word_matrix: np.ndarray, top: int = 5) -> list[tuple[str, float]]:
    """The ``top`` words with the largest cosine to ``query`` (itself excluded), best first."""
    unit = normalize_rows(word_matrix)
    q = _lookup(query, word_to_id, unit.shape[0])
    return _top(unit @ unit[q], [q], id_to_word, top)


def analogy(a: str, b: str, c: str, word_to_id: Mapping[str, int], id_to_word: Mapping[int, str],
            word_matrix: np.ndarray, top: int = 5) -> list[tuple[str, float]]:
    """"a is to b as c is to ?": the words closest to unit(b) - unit(a) + unit(c), without a, b, c.
    Scores are cosines with that (normalised) query vector."""
    unit = normalize_rows(word_matrix)
    ia, ib, ic = (_lookup(w, word_to_id, unit.shape[0]) for w in (a, b, c))
    query = unit[ib] - unit[ia] + unit[ic]
    query /= np.linalg.norm(query) or 1.0
    return _top(unit @ query, [ia, ib, ic], id_to_word, top)


def _default(path: str | os.PathLike | None, name: str) -> Path:
    if path is not None:
        return Path(path)
    from .datasets import gensim_test_data
    return gensim_test_data(name)


def read_word_pairs(path: str | os.PathLike | None = None) -> list[tuple[str, str, float]]:
    """(word1, word2, human score) from a tab-separated file, lower-cased; '#' lines are comments.
    Default: WordSim-353 as shipped with gensim."""
    from .datasets import WORDSIM353
    pairs = []
    for number, line in enumerate(_default(path, WORDSIM353).read_text(encoding="utf8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            pairs.append((parts[0].lower(), parts[1].lower(), float(parts[2])))
        except (IndexError, ValueError) as exc:
            raise ValueError(f"line {number} is not 'word<TAB>word<TAB>score': {line!r}") from exc
    return pairs


def evaluate_word_pairs(word_matrix: np.ndarray, word_to_id: Mapping[str, int],
                        path: str | os.PathLike | None = None) -> dict[str, float]:
    """Spearman correlation between human similarity scores and the vectors' cosines, over the
    pairs whose two words are in the vocabulary (the rest are skipped, as gensim does).
    Spearman's rho is the Pearson correlation of the ranks, ties sharing their mean rank
    (``scipy.stats.spearmanr``, which gensim uses too).

    Returns {"spearman", "pairs_used", "pairs_total", "oov_ratio"}.
    """
    unit = normalize_rows(word_matrix)
    pairs = read_word_pairs(path)
    used = [(word_to_id[a], word_to_id[b], s) for a, b, s in pairs if a in word_to_id and b in word_to_id]
    if len(used) < 2:
        raise ValueError(f"only {len(used)} of the {len(pairs)} pairs are in the vocabulary")
    ia, ib, human = (np.array(col) for col in zip(*used))
    cosines = np.sum(unit[ia] * unit[ib], axis=1)
    if np.ptp(human) == 0 or np.ptp(cosines) == 0:
        raise ValueError("a rank correlation needs scores and cosines that are not all equal")
    return {"spearman": float(spearmanr(human, cosines).statistic), "pairs_used": len(used), "pairs_total": len(pairs),
            "oov_ratio": 1 - len(used) / len(pairs)}


def read_analogies(path: str | os.PathLike | None = None) -> list[tuple[str, str, str, str]]:
    """Questions "a b c d" (a is to b as c is to d), lower-cased; ':' lines name sections.
    Default: the Google analogy questions as shipped with gensim."""
    from .datasets import ANALOGY_QUESTIONS
    questions = []
    for number, line in enumerate(_default(path, ANALOGY_QUESTIONS).read_text(encoding="utf8").splitlines(), 1):
        if not line.strip() or line.startswith(":"):
            continue
        parts = line.lower().split()
        if len(parts) != 4:
            raise ValueError(f"line {number} is not four words: {line!r}")
        questions.append(tuple(parts))
    return questions


def evaluate_analogies(word_matrix: np.ndarray, word_to_id: Mapping[str, int],
                       path: str | os.PathLike | None = None, batch: int = 1024) -> dict[str, float]:
    """Accuracy of 3CosAdd on the questions whose four words are all in the vocabulary.

    Returns {"accuracy", "correct", "questions_used", "questions_total"}.
    """
    # float32 halves the cost of the (questions x V) score matrix, the bulk of the work; gensim
    # scores in float32 too.
    unit = normalize_rows(word_matrix).astype(np.float32)
    questions = read_analogies(path)
    used = np.array([[word_to_id[w] for w in q] for q in questions if all(w in word_to_id for w in q)],
                    dtype=np.int64).reshape(-1, 4)
    if used.shape[0] == 0:
        raise ValueError(f"none of the {len(questions)} questions has all its words in the vocabulary")
    correct = 0
    for start in range(0, used.shape[0], batch):
        a, b, c, d = used[start:start + batch].T
        scores = (unit[b] - unit[a] + unit[c]) @ unit.T     # the query's length does not change argmax
        rows = np.arange(a.size)
        for excluded in (a, b, c):
            scores[rows, excluded] = -np.inf
        correct += int(np.sum(scores.argmax(axis=1) == d))
    return {"accuracy": correct / used.shape[0], "correct": correct,
            "questions_used": int(used.shape[0]), "questions_total": len(questions)}
