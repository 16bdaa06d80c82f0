"""gensim's Word2Vec as the reference: CBOW with negative sampling on a ``PreparedCorpus``,
with the same settings as ``w2vlib.cbow.CBOW``, timed the same way.

"The same settings" means: CBOW (sg=0) averaging the contexts (cbow_mean=1), negative sampling
and no hierarchical softmax (negative=K, hs=0), a fixed window of w words on each side
(shrink_windows=False: word2vec normally draws a smaller window per word) and no down-sampling
of frequent words (sample=0), on the same sentences and vocabulary, single worker thread.
gensim seeds each word's first vector from a hash of the word; Python's ``hash`` of a str
changes from process to process, so ``stable_hash`` is passed instead to make runs repeatable.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import numpy as np

from .datasets import PreparedCorpus


def stable_hash(text: str) -> int:
    """A hash of a str that is the same in every process (the first 8 bytes of its MD5)."""
    return int.from_bytes(hashlib.md5(text.encode("utf8")).digest()[:8], "little")


@dataclass
class GensimRun:
    """vectors: (V, H) in gensim's order; word_to_id: that order; words_per_second: words trained
    (gensim's own count) per second of ``train``; seconds: wall time of ``train``; model: the Word2Vec;
    cpu_seconds: the CPU time of ``train`` (all of this process's threads)."""

    vectors: np.ndarray
    word_to_id: dict[str, int]
    words_per_second: float
    seconds: float
    model: object
    cpu_seconds: float = float("nan")


def train_gensim_cbow(corpus: PreparedCorpus, *, window: int = 5, vector_size: int = 100,
                      negative: int = 5, epochs: int = 5, seed: int = 0,
                      matching: bool = True, **extra) -> GensimRun:
    """Train gensim's Word2Vec (CBOW, negative sampling, one worker) on ``corpus.sentences()``.

    matching=True turns off the two things w2vlib's CBOW does not do (sample=0,
    shrink_windows=False); matching=False keeps gensim's defaults for them. ``extra`` goes to
    Word2Vec as is. min_count is the corpus's own, so the vocabulary is the same.
    """
    from gensim.models import Word2Vec
    settings = dict(sg=0, cbow_mean=1, hs=0, negative=negative, vector_size=vector_size,
                    window=window, min_count=corpus.min_count, workers=1, seed=seed,
                    hashfxn=stable_hash)
    if matching:
        settings.update(sample=0, shrink_windows=False)
    settings.update(extra)
    sentences = corpus.sentences()
    model = Word2Vec(**settings)
    model.build_vocab(sentences)
    start, cpu = time.perf_counter(), time.process_time()
    trained, _ = model.train(sentences, total_examples=len(sentences), epochs=epochs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return GensimRun(vectors=model.wv.vectors, word_to_id=dict(model.wv.key_to_index),
                     words_per_second=trained / seconds, seconds=seconds, model=model,
                     cpu_seconds=cpu)
