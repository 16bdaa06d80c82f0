"""Real text for the negative-sampling chapter: the Wikipedia sample shipped inside gensim's wheel.

gensim's package carries, under ``gensim/test/test_data``, a shortened English Wikipedia dump
(``enwiki-latest-pages-articles1.xml-...-shortened.bz2``), WordSim-353 (``wordsim353.tsv``) and
the Google analogy questions (``questions-words.txt``), so everything here works offline.

``load_wiki_sample`` strips the wiki markup and tokenises with gensim's own ``WikiCorpus``
(lower case, tokens of 2-15 letters, articles of at least 50 tokens), keeps the words seen at
least ``min_count`` times, drops the rest from the text (as word2vec does), splits articles
into sentences of at most ``max_sentence_length`` tokens (gensim silently cuts longer ones),
and caches the result as one ``.npz`` file, so the tokenising happens once per machine.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

WIKI_SAMPLE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
WORDSIM353 = "wordsim353.tsv"
ANALOGY_QUESTIONS = "questions-words.txt"
_CACHE_FORMAT = 1   # bump when the prepared corpus changes meaning


def gensim_test_data(name: str) -> Path:
    """The path of a file in gensim's shipped test data (e.g. ``WORDSIM353``).

    Found without importing gensim, which takes seconds."""
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("gensim is not installed: pip install -r requirements.txt")
    path = Path(list(spec.submodule_search_locations)[0]) / "test" / "test_data" / name
    if not path.is_file():
        raise FileNotFoundError(f"gensim's test data has no file {name!r} (looked at {path})")
    return path


def default_cache_dir() -> Path:
    """``$W2VLIB_CACHE``, else ``$XDG_CACHE_HOME/w2vlib``, else ``~/.cache/w2vlib``."""
    if os.environ.get("W2VLIB_CACHE"):
        return Path(os.environ["W2VLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "w2vlib"


@dataclass
class PreparedCorpus:
    """A tokenised corpus with its vocabulary.

    ids: (T,) int32, every kept token as a word id, sentences one after another.
    sentence_starts: (S,) int64 offsets into ids, the first 0.
    words: (V,) the vocabulary, most frequent first (ties: alphabetical); counts: (V,) int64.
    n_raw_tokens: tokens before the min_count filter; n_articles: articles kept by WikiCorpus.
    """

    ids: np.ndarray
    sentence_starts: np.ndarray
    words: list[str]
    counts: np.ndarray
    n_raw_tokens: int
    n_articles: int
    min_count: int
    word_to_id: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.word_to_id = {w: i for i, w in enumerate(self.words)}

    @property
    def id_to_word(self) -> dict[int, str]:
        return dict(enumerate(self.words))

    @property
    def vocab_size(self) -> int:
        return len(self.words)

    def sentences(self) -> list[list[str]]:
        """The kept tokens as lists of words, one per sentence (what gensim's Word2Vec takes)."""
        words = np.asarray(self.words, dtype=object)
        bounds = np.append(self.sentence_starts, self.ids.size)
        return [words[self.ids[a:b]].tolist() for a, b in zip(bounds[:-1], bounds[1:])]


def tokenize_wiki_dump(path: str | os.PathLike) -> list[list[str]]:
    """Articles of a MediaWiki XML dump (.bz2) as lists of tokens, via gensim's WikiCorpus."""
    from gensim.corpora.wikicorpus import WikiCorpus
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no wiki dump at {path}")
    # dictionary={} skips WikiCorpus's own vocabulary pass; processes=1 keeps it to one core.
    return [list(tokens) for tokens in WikiCorpus(str(path), dictionary={}, processes=1).get_texts()]


def prepare_corpus(texts: Iterable[list[str]], min_count: int = 5,
                   max_sentence_length: int = 10_000) -> PreparedCorpus:
    """Vocabulary of words with count >= min_count, ids of the kept tokens, sentences of at most
    max_sentence_length tokens (longer texts are split into consecutive pieces)."""
    for name, value in (("min_count", min_count), ("max_sentence_length", max_sentence_length)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    texts = [list(t) for t in texts]
    for t in texts:
        if any(not isinstance(w, str) for w in t):
            raise TypeError("each text must be a list of str tokens")
    counter = Counter(w for t in texts for w in t)
    kept = sorted((w for w, c in counter.items() if c >= min_count), key=lambda w: (-counter[w], w))
    if len(kept) < 2:
        raise ValueError(f"only {len(kept)} word(s) occur at least min_count = {min_count} times: "
                         "lower min_count or give more text")
    word_to_id = {w: i for i, w in enumerate(kept)}
    pieces, starts, offset = [], [], 0
    for t in texts:
        ids = np.array([word_to_id[w] for w in t if w in word_to_id], dtype=np.int32)
        for a in range(0, ids.size, max_sentence_length):
            piece = ids[a:a + max_sentence_length]
            starts.append(offset)
            pieces.append(piece)
            offset += piece.size
    return PreparedCorpus(ids=np.concatenate(pieces), sentence_starts=np.array(starts, dtype=np.int64),
                          words=kept, counts=np.array([counter[w] for w in kept], dtype=np.int64),
                          n_raw_tokens=sum(counter.values()), n_articles=len(texts),
                          min_count=int(min_count))


def load_wiki_sample(min_count: int = 5, *, path: str | os.PathLike | None = None,
                     cache_dir: str | os.PathLike | None = None, max_sentence_length: int = 10_000,
                     use_cache: bool = True) -> PreparedCorpus:
    """The prepared Wikipedia sample (default: gensim's shipped one), from the cache when there.

    The cache file's name hashes the dump's name and size, the settings and the gensim version,
    so a change to any of them prepares the corpus afresh. Writing goes through a temporary file
    and a rename, so two builds running at once never read half a file.
    """
    path = Path(path) if path is not None else gensim_test_data(WIKI_SAMPLE)
    if not path.is_file():
        raise FileNotFoundError(f"no wiki dump at {path}")
    key = f"{path.name}|{path.stat().st_size}|{min_count}|{max_sentence_length}|" \
          f"{importlib.metadata.version('gensim')}|" \
          f"{_CACHE_FORMAT}"
    cache_file = Path(cache_dir or default_cache_dir()) / \
        f"wiki-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"
    if use_cache and cache_file.is_file():
        with np.load(cache_file, allow_pickle=False) as z:
            return PreparedCorpus(ids=z["ids"], sentence_starts=z["sentence_starts"],
                                  words=z["words"].tolist(), counts=z["counts"],
                                  n_raw_tokens=int(z["n_raw_tokens"]), n_articles=int(z["n_articles"]),
                                  min_count=int(z["min_count"]))
    corpus = prepare_corpus(tokenize_wiki_dump(path), min_count, max_sentence_length)
    if use_cache:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(f"{cache_file.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, ids=corpus.ids, sentence_starts=corpus.sentence_starts,
                 words=np.array(corpus.words), counts=corpus.counts,
                 n_raw_tokens=corpus.n_raw_tokens, n_articles=corpus.n_articles,
                 min_count=corpus.min_count)
        os.replace(tmp, cache_file)
    return corpus
