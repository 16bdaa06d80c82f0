"""From text to word ids, contexts and targets, as in the book's ``common/util.py``."""
from __future__ import annotations

import numpy as np

from ._validate import check_array_bytes, as_id_array


def preprocess(text: str) -> tuple[np.ndarray, dict[str, int], dict[int, str]]:
    """Lower-case, split off the full stop, split on white space; number words in order of
    first appearance.

    Returns (corpus, word_to_id, id_to_word), corpus an int array (T,).
    "You say goodbye and I say hello." -> [0 1 2 3 4 1 5 6].
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    words = text.lower().replace(".", " .").split()
    if not words:
        raise ValueError("text has no words: the corpus would be empty")
    word_to_id: dict[str, int] = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    id_to_word = {i: w for w, i in word_to_id.items()}
    corpus = np.array([word_to_id[w] for w in words], dtype=np.int64)
    return corpus, word_to_id, id_to_word


def create_contexts_target(corpus: np.ndarray, window_size: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every position with ``window_size`` words on each side becomes one sample.

    Returns contexts (T - 2w, 2w), the words around each target left to right,
    and target (T - 2w,).
    """
    if isinstance(window_size, bool) or not isinstance(window_size, (int, np.integer)):
        raise TypeError(f"window_size must be an int, got {type(window_size).__name__}")
    if window_size < 1:
        raise ValueError(f"window_size must be at least 1, got {window_size}")
    corpus = as_id_array(corpus, "corpus")
    if corpus.ndim != 1:
        raise ValueError(f"corpus must be 1-D word ids, got shape {corpus.shape}")
    if corpus.size <= 2 * window_size:
        raise ValueError(f"a window of {window_size} on each side needs a corpus of at least "
                         f"{2 * window_size + 1} words, got {corpus.size}")
    check_array_bytes((corpus.size - 2 * window_size, 2 * window_size), np.int64, "contexts")
    target = corpus[window_size:-window_size]
    offsets = [o for o in range(-window_size, window_size + 1) if o != 0]
    positions = np.arange(window_size, corpus.size - window_size)
    contexts = np.stack([corpus[positions + o] for o in offsets], axis=1)
    return contexts, target.copy()


def convert_one_hot(corpus: np.ndarray, vocab_size: int) -> np.ndarray:
    """Ids of shape (N,) or (N, C) -> one-hot int32 arrays of shape (N, V) or (N, C, V)."""
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size < 1:
        raise ValueError(f"vocab_size must be a positive int, got {vocab_size!r}")
    ids = as_id_array(corpus, "corpus", upper=vocab_size)
    if ids.ndim not in (1, 2):
        raise ValueError(f"corpus must be ids of shape (N,) or (N, C), got shape {ids.shape}")
    check_array_bytes(ids.shape + (vocab_size,), np.int32, "the one-hot array")
    one_hot = np.zeros(ids.shape + (vocab_size,), dtype=np.int32)
    np.put_along_axis(one_hot, ids[..., None], 1, axis=-1)
    return one_hot
