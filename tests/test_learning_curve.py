"""Quality against training time (w2vlib/learning_curve.py), on a small made-up corpus."""
from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from w2vlib.cbow import CBOW, CBOWTrainer
from w2vlib.datasets import prepare_corpus
from w2vlib.learning_curve import (CURVES_FILE, Curve, fingerprint, gensim_curve, load_curves,
                                   ours_curve, plot_curves, save_curves, stopped_improving)
from w2vlib.similarity import evaluate_word_pairs
from w2vlib.sparse import RowAdaGrad


def small_corpus():
    """Sentences over words of WordSim-353 and of the first analogy questions, so that both
    evaluations have something to score."""
    from w2vlib.similarity import read_analogies, read_word_pairs
    words = sorted({w for a, b, _ in read_word_pairs() for w in (a, b)})[:50]
    words = sorted(set(words) | {w for q in read_analogies()[:3] for w in q})
    rng = np.random.default_rng(0)
    texts = [[words[j] for j in rng.integers(0, len(words), 300)] for _ in range(4)]
    return prepare_corpus(texts, min_count=5)


def test_stopped_improving():
    assert not stopped_improving([0.1, 0.2], patience=2, min_delta=0.0)     # too few points
    assert stopped_improving([0.1, 0.3, 0.29, 0.3], patience=2, min_delta=0.0)
    assert not stopped_improving([0.1, 0.3, 0.29, 0.31], patience=2, min_delta=0.0)
    assert stopped_improving([0.1, 0.3, 0.29, 0.31], patience=2, min_delta=0.02)
    with pytest.raises(ValueError, match="patience"):
        stopped_improving([0.1, 0.2, 0.3], patience=0, min_delta=0.0)


def test_curve_best_and_point():
    c = Curve("x", {}, epochs=[1, 2, 5], seconds=[1.0, 2.0, 5.0], cpu_seconds=[1.0, 2.0, 4.0],
              spearman=[0.1, 0.3, 0.3], analogy=[0.0, 0.1, 0.2])
    assert c.best == 1                                   # the first of a tie
    assert c.point(5) == {"epochs": 5, "seconds": 5.0, "cpu_seconds": 4.0, "spearman": 0.3,
                          "analogy": 0.2}
    with pytest.raises(ValueError, match="no point at 3 epochs"):
        c.point(3)
    with pytest.raises(ValueError, match="no points"):
        Curve("empty", {}).best


def test_ours_curve_points_are_runs_of_that_many_epochs():
    corpus = small_corpus()
    curve = ours_curve(corpus, max_epochs=3, patience=5, vector_size=8, window=2, negative=2,
                       batch_size=64)
    assert curve.epochs == [1, 2, 3] and not curve.stopped
    assert all(np.diff(curve.seconds) > 0) and all(np.diff(curve.cpu_seconds) >= 0)
    # Epoch 2 of the curve is the same model as a fresh fit(max_epoch=2).
    model = CBOW(corpus.vocab_size, 8, window_size=2, counts=corpus.counts, sample_size=2, seed=0)
    CBOWTrainer(model, RowAdaGrad(lr=0.1)).fit(corpus.ids, corpus.sentence_starts, max_epoch=2,
                                               batch_size=64, seed=0, verbose=False)
    rho = evaluate_word_pairs(model.word_vecs, corpus.word_to_id)["spearman"]
    assert curve.point(2)["spearman"] == rho


def test_ours_curve_stops_when_rho_stops_rising():
    corpus = small_corpus()
    curve = ours_curve(corpus, max_epochs=30, min_epochs=3, patience=1, min_delta=1.0,
                       vector_size=8, window=2, negative=2, batch_size=64)
    assert curve.stopped and curve.epochs == [1, 2, 3]   # nothing rises by more than 1.0


def test_gensim_curve_runs_each_point_from_scratch():
    from w2vlib.gensim_reference import train_gensim_cbow
    corpus = small_corpus()
    curve = gensim_curve(corpus, matching=False, epochs=(1, 3), patience=1, vector_size=8,
                         window=2, negative=2)
    # Not stopped after 3 epochs, however rho moved: min_epochs (10) is not reached yet.
    assert curve.epochs == [1, 3] and curve.name == "gensim, its defaults" and not curve.stopped
    run = train_gensim_cbow(corpus, window=2, vector_size=8, negative=2, epochs=3, seed=0,
                            matching=False)
    assert curve.point(3)["spearman"] == evaluate_word_pairs(run.vectors, run.word_to_id)["spearman"]
    assert set(curve.neighbours) <= {"king", "war", "music", "france", "january", "computer", "three"}


def test_save_and_load_round_trip(tmp_path):
    corpus = small_corpus()
    c = Curve("w2vlib", {"lr": 0.1}, epochs=[1], seconds=[0.5], cpu_seconds=[0.4], spearman=[0.2],
              analogy=[0.0], neighbours={"war": ["a", "b"]}, stopped=True)
    path = save_curves([c], corpus, tmp_path / "curves.json", note="test")
    curves, rest = load_curves(path)
    assert curves == [c]
    assert rest["fingerprint"] == fingerprint(corpus) and rest["note"] == "test"
    assert rest["machine"]["cores"] >= 1
    with pytest.raises(FileNotFoundError, match="--save-curves"):
        load_curves(tmp_path / "missing.json")


def test_fingerprint_changes_with_the_corpus():
    corpus = small_corpus()
    other = prepare_corpus([corpus.sentences()[0][::-1]] + corpus.sentences()[1:], min_count=5)
    assert fingerprint(corpus)["corpus"] != fingerprint(other)["corpus"]
    assert fingerprint(corpus) == fingerprint(small_corpus())


def test_stored_curves_are_complete():
    """The file chapter 5 plots: three curves, each with its points and neighbours, and a
    fingerprint; every run either stopped improving or says it did not."""
    curves, rest = load_curves(CURVES_FILE)
    assert [c.name for c in curves] == ["w2vlib", "gensim, matched settings", "gensim, its defaults"]
    for c in curves:
        n = len(c.epochs)
        assert n >= 2 and len(c.seconds) == len(c.cpu_seconds) == len(c.spearman) == len(c.analogy) == n
        assert c.epochs == sorted(c.epochs) and c.neighbours
    assert 2 in curves[0].epochs and 2 in curves[1].epochs     # the points the chapter retrains
    assert set(rest["fingerprint"]) == {"corpus", "code", "numpy", "scipy", "gensim"}
    json.dumps(rest)


def test_plot_curves():
    c = Curve("a", {}, epochs=[1, 2], seconds=[1.0, 2.0], cpu_seconds=[1.0, 2.0],
              spearman=[0.1, 0.2], analogy=[0.0, 0.0])
    ax = plot_curves([c], x="cpu_seconds")
    assert ax.get_xlabel() == "training time, CPU seconds" and len(ax.lines) == 2
    with pytest.raises(ValueError, match="x must be"):
        plot_curves([c], x="minutes")
