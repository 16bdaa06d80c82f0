"""CBOW with negative sampling on gensim's Wikipedia sample: w2vlib against gensim and against
the book's chapter-4 style. Prints figures; passes or fails nothing.

    .venv/bin/python benchmarks/bench_negative_sampling.py           # everything (~10-20 min)
    .venv/bin/python benchmarks/bench_negative_sampling.py --quick   # no full training runs
    .venv/bin/python benchmarks/bench_negative_sampling.py --curves-only --save-curves
        # quality against training time, each trainer run until it stops improving (~10-20 min),
        # written to w2vlib/data/quality_curves.json, which chapter 5 plots

Speeds are words (targets) trained per second, by wall clock and by this process's CPU time.
The machine is shared, so the wall figures move with the load; CPU time moves less, and the
goal ratios are given for both. Settings shared by both libraries: CBOW, window 5, 100
dimensions, 5 negatives, min_count 5, 5 epochs, no down-sampling of frequent words, fixed
windows (gensim: sample=0, shrink_windows=False, workers=1). gensim's defaults are timed too,
and the curves of quality against training time compare each trainer at its best (as chapter 5).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import scipy.sparse as sp

from w2vlib import Adam, Embedding, cross_entropy_error, remove_duplicate
from w2vlib.cbow import CBOW, CBOWTrainer, centre_positions, contexts_at
from w2vlib.datasets import load_wiki_sample
from w2vlib.gensim_reference import stable_hash
from w2vlib.learning_curve import gensim_curve, ours_curve, save_curves
from w2vlib.negative_sampling import sigmoid
from w2vlib.similarity import evaluate_analogies, evaluate_word_pairs
from w2vlib.sparse import RowAdaGrad, RowAdam, rows_times

WINDOW, SIZE, NEGATIVE, EPOCHS, MIN_COUNT, SEED = 5, 100, 5, 5, 5, 0
OURS = dict(optimizer=lambda: RowAdaGrad(lr=0.1), batch_size=1024)


# ---- the book's chapter-4 CBOW, written straightforwardly (one layer object per context and
# ---- per sample, np.add.at in every embedding, a per-row sampler loop, dense Adam) -----------

class BookEmbeddingDot:
    def __init__(self, W):
        self.embed = Embedding(W)
        self.params, self.grads = self.embed.params, self.embed.grads
        self.cache = None

    def forward(self, h, idx):
        target_W = self.embed.forward(idx)
        self.cache = (h, target_W)
        return np.sum(target_W * h, axis=1)

    def backward(self, dout):
        h, target_W = self.cache
        dout = dout.reshape(-1, 1)
        self.embed.backward(dout * h)
        return dout * target_W


class BookSigmoidWithLoss:
    params, grads = [], []

    def forward(self, x, t):
        self.t, self.y = t, sigmoid(x)
        return cross_entropy_error(np.c_[1 - self.y, self.y], self.t)

    def backward(self, dout=1):
        return (self.y - self.t) * dout / self.t.shape[0]


class BookUnigramSampler:
    def __init__(self, counts, power, sample_size, rng):
        p = counts.astype(np.float64) ** power
        self.word_p, self.sample_size, self.rng = p / p.sum(), sample_size, rng

    def get_negative_sample(self, target):
        out = np.zeros((target.size, self.sample_size), dtype=np.int64)
        for i, t in enumerate(target):
            p = self.word_p.copy()
            p[t] = 0
            p /= p.sum()
            out[i] = self.rng.choice(p.size, size=self.sample_size, replace=False, p=p)
        return out


class BookNegativeSamplingLoss:
    def __init__(self, W, counts, rng, power=0.75, sample_size=5):
        self.sample_size = sample_size
        self.sampler = BookUnigramSampler(counts, power, sample_size, rng)
        self.loss_layers = [BookSigmoidWithLoss() for _ in range(sample_size + 1)]
        self.embed_dot_layers = [BookEmbeddingDot(W) for _ in range(sample_size + 1)]
        self.params = [p for layer in self.embed_dot_layers for p in layer.params]
        self.grads = [g for layer in self.embed_dot_layers for g in layer.grads]

    def forward(self, h, target):
        negatives = self.sampler.get_negative_sample(target)
        n = target.shape[0]
        loss = self.loss_layers[0].forward(self.embed_dot_layers[0].forward(h, target),
                                           np.ones(n, dtype=np.int32))
        for i in range(self.sample_size):
            score = self.embed_dot_layers[1 + i].forward(h, negatives[:, i])
            loss += self.loss_layers[1 + i].forward(score, np.zeros(n, dtype=np.int32))
        return loss

    def backward(self, dout=1):
        dh = 0
        for l0, l1 in zip(self.loss_layers, self.embed_dot_layers):
            dh = dh + l1.backward(l0.backward(dout))
        return dh


class BookCBOW:
    def __init__(self, V, H, window_size, counts, rng):
        W_in = (0.01 * rng.standard_normal((V, H))).astype("f")
        W_out = (0.01 * rng.standard_normal((V, H))).astype("f")
        self.in_layers = [Embedding(W_in) for _ in range(2 * window_size)]
        self.ns_loss = BookNegativeSamplingLoss(W_out, counts, rng, sample_size=NEGATIVE)
        layers = self.in_layers + [self.ns_loss]
        self.params = [p for layer in layers for p in layer.params]
        self.grads = [g for layer in layers for g in layer.grads]

    def forward(self, contexts, target):
        h = sum(layer.forward(contexts[:, i]) for i, layer in enumerate(self.in_layers))
        h *= 1 / len(self.in_layers)
        return self.ns_loss.forward(h, target)

    def backward(self, dout=1):
        dh = self.ns_loss.backward(dout) * (1 / len(self.in_layers))
        for layer in self.in_layers:
            layer.backward(dh)


def book_words_per_second(corpus, positions, batches=15, batch_size=100):
    rng = np.random.default_rng(SEED)
    model = BookCBOW(corpus.vocab_size, SIZE, WINDOW, corpus.counts, rng)
    optimizer = Adam()
    order = rng.permutation(positions)
    wall, cpu = time.perf_counter(), time.process_time()
    for b in range(batches):
        centre = order[b * batch_size:(b + 1) * batch_size]
        model.forward(contexts_at(corpus.ids, centre, WINDOW), corpus.ids[centre])
        model.backward()
        params, grads = remove_duplicate(model.params, model.grads)
        optimizer.update(params, grads)
    words = batches * batch_size
    return words / (time.perf_counter() - wall), words / (time.process_time() - cpu)


# ---- pieces, before and after --------------------------------------------------------------

def best_of(f, repeat=20):
    f()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        f()
        times.append(time.process_time() - start)
    return 1000 * min(times)


def scatter_methods(corpus, positions, batch_size=1024):
    """dW_in for one batch: the same numbers by four routes (ms, best of 20 by CPU time)."""
    rng = np.random.default_rng(SEED)
    centre = rng.choice(positions, batch_size, replace=False)
    idx = contexts_at(corpus.ids, centre, WINDOW)                      # (N, C)
    dh = rng.standard_normal((batch_size, SIZE)).astype(np.float32)
    V, C = corpus.vocab_size, idx.shape[1]
    rows_of = np.repeat(dh / C, C, axis=0)                              # (N C, H), one row per context

    def add_at():
        dW = np.zeros((V, SIZE), np.float32)
        np.add.at(dW, idx.ravel(), rows_of)
        return dW

    def per_context_add_at():   # the book: one Embedding per context, each its own dense dW
        total = np.zeros((V, SIZE), np.float32)
        for c in range(C):
            dW = np.zeros((V, SIZE), np.float32)
            np.add.at(dW, idx[:, c], dh / C)
            total += dW
        return total

    def sort_reduceat():
        flat = idx.ravel()
        order = np.argsort(flat, kind="stable")
        sorted_ids = flat[order]
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
        dW = np.zeros((V, SIZE), np.float32)
        dW[sorted_ids[starts]] = np.add.reduceat(rows_of[order], starts, axis=0)
        return dW

    def sparse_rows():
        return rows_times(idx, 1.0 / C, dh, V)

    reference = add_at()
    assert np.allclose(sort_reduceat(), reference, atol=1e-5)
    assert np.allclose(per_context_add_at(), reference, atol=1e-5)
    assert np.allclose(sparse_rows().dense(), reference, atol=1e-5)
    print(f"dW_in of one batch ({batch_size} targets x {C} contexts, H = {SIZE}), ms:")
    for name, f in (("book: one np.add.at per context layer", per_context_add_at),
                    ("one np.add.at over all contexts", add_at),
                    ("argsort + np.add.reduceat", sort_reduceat),
                    ("w2vlib: sparse X^T dh on touched rows", sparse_rows)):
        print(f"  {name:<42} {best_of(f):7.2f}")

    W = np.random.default_rng(1).standard_normal((V, SIZE)).astype(np.float32)
    X = sp.csr_matrix((np.full(idx.size, 1.0 / C, np.float32), idx.ravel(),
                       np.arange(0, idx.size + 1, C)), shape=(batch_size, V))
    assert np.allclose(W[idx].mean(axis=1), X @ W, atol=1e-5)
    print("h of one batch, ms:")
    print(f"  {'book: sum of C Embedding lookups':<42} {best_of(lambda: sum(W[idx[:, c]] for c in range(C)) / C):7.2f}")
    print(f"  {'gather (N, C, H), then mean':<42} {best_of(lambda: W[idx].mean(axis=1)):7.2f}")
    print(f"  {'w2vlib: sparse X W':<42} {best_of(lambda: X @ W):7.2f}")


def train_ours(corpus, epochs, batch_size, optimizer, max_batches=None):
    model = CBOW(corpus.vocab_size, SIZE, WINDOW, corpus.counts, sample_size=NEGATIVE, seed=SEED)
    trainer = CBOWTrainer(model, optimizer)
    cpu = time.process_time()
    trainer.fit(corpus.ids, corpus.sentence_starts, max_epoch=epochs, batch_size=batch_size,
                seed=SEED, verbose=False, max_batches=max_batches)
    cpu = time.process_time() - cpu
    words = trainer.words_per_second * trainer.seconds
    return model, trainer, trainer.words_per_second, words / cpu


def train_gensim(corpus, **settings):
    """As w2vlib.gensim_reference.train_gensim_cbow, timed by CPU as well as wall clock."""
    from gensim.models import Word2Vec
    sentences = corpus.sentences()
    model = Word2Vec(sg=0, hs=0, negative=NEGATIVE, vector_size=SIZE, window=WINDOW,
                     min_count=MIN_COUNT, workers=1, seed=SEED, hashfxn=stable_hash, **settings)
    model.build_vocab(sentences)
    wall, cpu = time.perf_counter(), time.process_time()
    trained, _ = model.train(sentences, total_examples=len(sentences), epochs=EPOCHS)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return model, trained / wall, trained / cpu


def quality(vectors, word_to_id):
    pairs = evaluate_word_pairs(vectors, word_to_id)
    questions = evaluate_analogies(vectors, word_to_id)
    return pairs, questions


def curves(corpus, save: bool) -> list:
    """WordSim-353 rho against epochs and seconds, each trainer until it stops improving: the
    comparison chapter 5 shows (from the saved file)."""
    print("\n== quality against training time (each run until rho stops rising)")
    load = os.getloadavg()[0]
    results = [ours_curve(corpus, progress=print),
               gensim_curve(corpus, matching=True, progress=print),
               gensim_curve(corpus, matching=False, progress=print)]
    print(f"  {'':<28}{'best rho':>9}{'at epochs':>10}{'wall s':>8}{'cpu s':>8}{'analogy':>9}"
          f"{'rho @ 2 ep':>11}{'rho @ 5 ep':>11}  stopped improving?")
    for c in results:
        b = c.best
        at = {e: f"{c.point(e)['spearman']:.3f}" if e in c.epochs else "-" for e in (2, 5)}
        print(f"  {c.name:<28}{c.spearman[b]:9.3f}{c.epochs[b]:10d}{c.seconds[b]:8.1f}{c.cpu_seconds[b]:8.1f}"
              f"{c.analogy[b]:9.3f}{at[2]:>11}{at[5]:>11}  {'yes' if c.stopped else 'no: cap reached'}")
    print(f"  (load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
          f"{os.cpu_count()} cores: the seconds move with it)")
    if save:
        path = save_curves(results, corpus, note="benchmarks/bench_negative_sampling.py --save-curves")
        print(f"  saved to {path}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the full training runs")
    parser.add_argument("--curves-only", action="store_true",
                        help="only the quality-against-time curves")
    parser.add_argument("--save-curves", action="store_true",
                        help="write the curves to w2vlib/data/quality_curves.json (chapter 5 plots it)")
    args = parser.parse_args()

    start = time.perf_counter()
    corpus = load_wiki_sample(min_count=MIN_COUNT)
    print(f"corpus: {corpus.n_articles} articles, {corpus.n_raw_tokens:,} tokens, "
          f"{corpus.vocab_size:,} words with count >= {MIN_COUNT}, {corpus.ids.size:,} tokens kept, "
          f"{corpus.sentence_starts.size} sentences (loaded in {time.perf_counter() - start:.1f} s)")
    positions = centre_positions(corpus.sentence_starts, corpus.ids.size, WINDOW)

    if args.curves_only:
        curves(corpus, args.save_curves)
        return

    print("\n== pieces, before and after")
    scatter_methods(corpus, positions)

    print("\n== batch size and optimizer (0.15 M words each; words/s wall | cpu)")
    for batch_size in (256, 1024, 4096):
        for name, make in (("RowAdaGrad(0.1)", lambda: RowAdaGrad(lr=0.1)),
                           ("RowAdam(0.01)", lambda: RowAdam(lr=0.01))):
            _, _, wall, cpu = train_ours(corpus, 1, batch_size, make(), max_batches=150_000 // batch_size)
            print(f"  batch {batch_size:5d}  {name:<16} {wall:10,.0f} | {cpu:10,.0f}")

    book_wall, book_cpu = book_words_per_second(corpus, positions)
    print(f"\n== the book's chapter-4 style (batch 100, dense Adam; 1,500 words): "
          f"{book_wall:,.0f} | {book_cpu:,.0f} words/s (wall | cpu)")
    if args.quick:
        return

    print(f"\n== full runs: {EPOCHS} epochs, window {WINDOW}, {SIZE} dimensions, {NEGATIVE} negatives")
    header = f"  {'':<44}{'words/s wall':>13}{'words/s cpu':>13}{'WS-353 rho':>12}{'analogy':>9}"
    print(header)
    rows = {}
    g_model, g_wall, g_cpu = train_gensim(corpus, sample=0, shrink_windows=False)
    rows["gensim"] = (g_wall, g_cpu) + quality(g_model.wv.vectors, g_model.wv.key_to_index)
    d_model, d_wall, d_cpu = train_gensim(corpus)
    rows["gensim defaults (sample=1e-3, shrink wins)"] = \
        (d_wall, d_cpu) + quality(d_model.wv.vectors, d_model.wv.key_to_index)
    o_model, _, o_wall, o_cpu = train_ours(corpus, EPOCHS, OURS["batch_size"], OURS["optimizer"]())
    rows[f"w2vlib, RowAdaGrad(0.1), batch {OURS['batch_size']}"] = \
        (o_wall, o_cpu) + quality(o_model.word_vecs, corpus.word_to_id)
    a_model, _, a_wall, a_cpu = train_ours(corpus, EPOCHS, 1024, RowAdam(lr=0.01))
    rows["w2vlib, RowAdam(0.01), batch 1024"] = (a_wall, a_cpu) + quality(a_model.word_vecs, corpus.word_to_id)
    for name, (wall, cpu, pairs, questions) in rows.items():
        print(f"  {name:<44}{wall:13,.0f}{cpu:13,.0f}{pairs['spearman']:12.3f}{questions['accuracy']:9.3f}")
    pairs = rows["gensim"][2]
    print(f"  (WordSim-353: {pairs['pairs_used']} of {pairs['pairs_total']} pairs in the vocabulary; "
          f"analogies: {rows['gensim'][3]['questions_used']:,} of {rows['gensim'][3]['questions_total']:,} "
          "questions)")

    ours_c, matched_c, defaults_c = curves(corpus, args.save_curves)

    ours = rows[f"w2vlib, RowAdaGrad(0.1), batch {OURS['batch_size']}"]
    print("\n== goals (issue 7)")
    print(f"  speed vs gensim, single worker (goal >= 0.2): {ours[0] / g_wall:.2f} wall, {ours[1] / g_cpu:.2f} cpu")
    for other in (matched_c, defaults_c):
        diff = ours_c.spearman[ours_c.best] - other.spearman[other.best]
        print(f"  best WordSim-353 rho, ours - {other.name} (each trained until it stops "
              f"improving): {diff:+.3f}")
    print(f"  speed vs the book's chapter-4 style (goal > 1): {ours[0] / book_wall:.0f}x wall, "
          f"{ours[1] / book_cpu:.0f}x cpu")


if __name__ == "__main__":
    main()
