"""gensim's Word2Vec with settings matched to w2vlib's CBOW (w2vlib/gensim_reference.py)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from w2vlib.datasets import prepare_corpus
from w2vlib.gensim_reference import stable_hash, train_gensim_cbow


def small_corpus():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    texts = [[words[j] for j in rng.integers(0, 30, 400)] for _ in range(5)]
    return prepare_corpus(texts, min_count=5)


def test_stable_hash_is_the_same_in_another_process():
    code = "from w2vlib.gensim_reference import stable_hash; print(stable_hash('king'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "123"})
    assert int(other.stdout) == stable_hash("king")
    assert stable_hash("king") != stable_hash("queen")


def test_train_gensim_cbow_matches_settings_vocabulary_and_repeats_exactly():
    corpus = small_corpus()
    run = train_gensim_cbow(corpus, window=2, vector_size=8, negative=3, epochs=2, seed=0)
    model = run.model
    assert (model.sg, model.cbow_mean, model.hs, model.negative, model.window, model.vector_size) == \
        (0, 1, 0, 3, 2, 8)
    assert (model.sample, model.shrink_windows, model.workers) == (0, False, 1)
    assert set(run.word_to_id) == set(corpus.words)
    assert run.vectors.shape == (corpus.vocab_size, 8)
    assert run.words_per_second > 0 and run.seconds > 0
    again = train_gensim_cbow(corpus, window=2, vector_size=8, negative=3, epochs=2, seed=0)
    np.testing.assert_array_equal(run.vectors, again.vectors)


def test_gensim_defaults_when_not_matching():
    run = train_gensim_cbow(small_corpus(), vector_size=8, epochs=1, matching=False)
    assert run.model.sample > 0 and run.model.shrink_windows
