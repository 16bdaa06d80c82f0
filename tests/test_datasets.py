"""Loading and preparing the Wikipedia sample (w2vlib/datasets.py)."""
from __future__ import annotations

import bz2
from collections import Counter
from xml.sax.saxutils import escape

import numpy as np
import pytest

from w2vlib.datasets import (WIKI_SAMPLE, gensim_test_data, load_wiki_sample, prepare_corpus,
                             tokenize_wiki_dump)

PAGE = """  <page>
    <title>{title}</title>
    <ns>{ns}</ns>
    <id>{id}</id>
    <revision>
      <id>{id}0</id>
      <text xml:space="preserve">{text}</text>
    </revision>
  </page>
"""
HEADER = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
          "  <siteinfo><sitename>Test</sitename></siteinfo>\n")
# 60 words of prose with wiki markup in it: a link with a label, a template, bold, a reference.
ARTICLE = (("'''Cats''' are small [[mammal|furry animals]] that live with people. {{Infobox cat}} "
            "Cats sleep and cats hunt mice.<ref>A book about cats</ref> ") * 4)
SHORT = "Too short to keep."


def write_dump(path):
    # the markup sits escaped inside <text>, as in a real dump
    pages = [PAGE.format(title="Cat", ns=0, id=1, text=escape(ARTICLE)),
             PAGE.format(title="Stub", ns=0, id=2, text=escape(SHORT)),
             PAGE.format(title="Talk:Cat", ns=1, id=3, text=escape(ARTICLE))]
    with bz2.open(path, "wt", encoding="utf8") as f:
        f.write(HEADER + "".join(pages) + "</mediawiki>\n")
    return path


def test_tokenize_wiki_dump_strips_markup_and_drops_short_and_talk_pages(tmp_path):
    texts = tokenize_wiki_dump(write_dump(tmp_path / "tiny.xml.bz2"))
    assert len(texts) == 1                              # the stub and the talk page are gone
    tokens = texts[0]
    assert tokens[:4] == ["cats", "are", "small", "furry"]   # link label kept, markup gone
    assert "infobox" not in tokens and "mammal" not in tokens and "ref" not in tokens
    assert all(t == t.lower() and len(t) >= 2 for t in tokens)


def test_prepare_corpus_vocabulary_ids_and_sentence_split():
    texts = [["b", "a", "a", "c", "a", "b", "d"], ["a", "b", "c", "c"]]
    corpus = prepare_corpus(texts, min_count=2, max_sentence_length=3)
    assert corpus.words == ["a", "b", "c"]              # by count, then alphabetically (b, c tie)
    np.testing.assert_array_equal(corpus.counts, [4, 3, 3])
    # "d" (count 1) is dropped from the text; sentences are cut into pieces of at most 3
    np.testing.assert_array_equal(corpus.ids, [1, 0, 0, 2, 0, 1, 0, 1, 2, 2])
    np.testing.assert_array_equal(corpus.sentence_starts, [0, 3, 6, 9])
    assert corpus.sentences() == [["b", "a", "a"], ["c", "a", "b"], ["a", "b", "c"], ["c"]]
    assert corpus.n_raw_tokens == 11 and corpus.n_articles == 2 and corpus.vocab_size == 3
    assert corpus.id_to_word[2] == "c" and corpus.word_to_id["b"] == 1


def test_prepare_corpus_rejects_bad_input():
    with pytest.raises(ValueError, match="min_count"):
        prepare_corpus([["a", "b"]], min_count=0)
    with pytest.raises(ValueError, match="only 1 word"):
        prepare_corpus([["a", "a", "b"]], min_count=2)
    with pytest.raises(TypeError, match="str tokens"):
        prepare_corpus([["a", 3]])


def test_load_wiki_sample_from_a_small_dump_builds_and_reuses_the_cache(tmp_path):
    dump = write_dump(tmp_path / "tiny.xml.bz2")
    cache = tmp_path / "cache"
    first = load_wiki_sample(min_count=4, path=dump, cache_dir=cache)
    files = list(cache.glob("*.npz"))
    assert len(files) == 1 and not list(cache.glob("*.tmp*"))
    expected = Counter(tokenize_wiki_dump(dump)[0])
    assert set(first.words) == {w for w, c in expected.items() if c >= 4}
    # the second call reads the cache: make the cached file differ, and see the difference
    with np.load(files[0]) as z:
        saved = dict(z)
    saved["n_articles"] = np.array(99)
    np.savez(files[0], **saved)
    second = load_wiki_sample(min_count=4, path=dump, cache_dir=cache)
    assert second.n_articles == 99
    np.testing.assert_array_equal(second.ids, first.ids)
    assert second.words == first.words
    # other settings get their own cache file
    load_wiki_sample(min_count=2, path=dump, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 2


def test_load_wiki_sample_reports_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_wiki_sample(path=tmp_path / "nothing.bz2", cache_dir=tmp_path)
    with pytest.raises(FileNotFoundError):
        gensim_test_data("no-such-file.txt")


def test_the_shipped_sample(tmp_path):
    """The real file: gensim's WikiCorpus keeps about half the pages; the vocabulary obeys min_count."""
    path = gensim_test_data(WIKI_SAMPLE)
    corpus = load_wiki_sample(min_count=5, path=path, cache_dir=tmp_path)
    assert 50 <= corpus.n_articles <= 206
    assert corpus.counts.min() >= 5
    assert np.all(np.diff(corpus.counts) <= 0)
    assert corpus.ids.size == corpus.counts.sum()        # every kept token is in the vocabulary
    np.testing.assert_array_equal(np.bincount(corpus.ids, minlength=corpus.vocab_size), corpus.counts)
    assert corpus.words[0] == "the"
    lengths = np.diff(np.append(corpus.sentence_starts, corpus.ids.size))
    assert lengths.max() <= 10_000 and lengths.min() >= 1
    for word in ("anarchism", "philosophy", "king", "queen"):
        assert word in corpus.word_to_id
