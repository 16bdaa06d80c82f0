"""Tests of w2vlib.corpus: preprocess, create_contexts_target, convert_one_hot."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import TOY_TEXT, convert_one_hot, create_contexts_target, preprocess


def test_toy_corpus_ids_follow_the_conventions():
    corpus, word_to_id, id_to_word = preprocess(TOY_TEXT)
    # The ids every chapter relies on (CONVENTIONS.md, the book's ch. 2): first appearance order.
    assert word_to_id == {"you": 0, "say": 1, "goodbye": 2, "and": 3, "i": 4, "hello": 5, ".": 6}
    assert id_to_word == {i: w for w, i in word_to_id.items()}
    assert corpus.dtype == np.int64
    # Reading the ids back gives the lower-cased sentence with the full stop split off.
    assert " ".join(id_to_word[i] for i in corpus) == "you say goodbye and i say hello ."


def test_ids_are_numbered_by_first_appearance():
    corpus, word_to_id, _ = preprocess("B a b C. a c d.")
    first_seen = []
    for i in corpus:
        if i not in first_seen:
            first_seen.append(int(i))
    assert first_seen == list(range(len(word_to_id)))
    assert set(word_to_id) == {"b", "a", "c", "d", "."}


def test_white_space_of_any_kind_separates_words():
    a, *_ = preprocess("you  say\tgoodbye\n")
    b, *_ = preprocess("you say goodbye")
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("window", [1, 2, 3])
def test_contexts_and_targets_match_a_plain_loop(window):
    corpus, *_ = preprocess(TOY_TEXT)
    contexts, target = create_contexts_target(corpus, window_size=window)
    expected_contexts, expected_target = [], []
    for position in range(window, len(corpus) - window):
        expected_target.append(corpus[position])
        expected_contexts.append([corpus[position + o] for o in range(-window, window + 1) if o != 0])
    np.testing.assert_array_equal(target, expected_target)
    np.testing.assert_array_equal(contexts, expected_contexts)
    assert contexts.shape == (len(corpus) - 2 * window, 2 * window)


def test_default_window_is_one_and_first_sample_is_the_worked_example():
    corpus, word_to_id, _ = preprocess(TOY_TEXT)
    contexts, target = create_contexts_target(corpus)
    np.testing.assert_array_equal(contexts[0], [word_to_id["you"], word_to_id["goodbye"]])
    assert target[0] == word_to_id["say"]


def test_smallest_corpus_for_a_window_gives_one_sample():
    contexts, target = create_contexts_target(np.array([4, 5, 6]), window_size=1)
    np.testing.assert_array_equal(contexts, [[4, 6]])
    np.testing.assert_array_equal(target, [5])


def test_target_is_a_copy_not_a_view_of_the_corpus():
    corpus = np.array([0, 1, 2, 3])
    _, target = create_contexts_target(corpus)
    target[0] = 99
    assert corpus[1] == 1


@pytest.mark.parametrize("shape", [(6,), (6, 2)])
def test_convert_one_hot_puts_a_single_one_at_each_id(shape):
    ids = np.random.default_rng(0).integers(0, 7, size=shape)
    one_hot = convert_one_hot(ids, 7)
    assert one_hot.shape == shape + (7,)
    assert np.issubdtype(one_hot.dtype, np.integer)
    np.testing.assert_array_equal(one_hot.sum(axis=-1), 1)
    np.testing.assert_array_equal(one_hot.argmax(axis=-1), ids)
    np.testing.assert_array_equal(one_hot, np.eye(7, dtype=int)[ids])


# ---- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_rejected(text):
    with pytest.raises(ValueError, match="no words.*empty"):
        preprocess(text)


def test_non_text_is_rejected():
    with pytest.raises(TypeError, match="str, got list"):
        preprocess(["you", "say"])


@pytest.mark.parametrize("corpus_length, window", [(0, 1), (2, 1), (4, 2), (8, 4)])
def test_window_too_large_for_the_corpus(corpus_length, window):
    corpus = np.arange(corpus_length)
    with pytest.raises(ValueError, match=rf"window of {window}.*at least {2 * window + 1} words, "
                                         rf"got {corpus_length}"):
        create_contexts_target(corpus, window_size=window)


def test_empty_corpus_is_rejected():
    with pytest.raises(ValueError, match="got 0"):
        create_contexts_target(np.array([], dtype=np.int64))
    with pytest.raises(ValueError, match="got 0"):
        create_contexts_target([])


@pytest.mark.parametrize("window, error, message", [
    (0, ValueError, "at least 1, got 0"),
    (-1, ValueError, "at least 1, got -1"),
    (1.0, TypeError, "int, got float"),
    (True, TypeError, "int, got bool"),
])
def test_bad_window_sizes(window, error, message):
    with pytest.raises(error, match=message):
        create_contexts_target(np.arange(10), window_size=window)


@pytest.mark.parametrize("corpus, error, message", [
    (np.array([0, -1, 2]), ValueError, "non-negative ids, got -1"),
    (np.array([0, 1.5, 2]), TypeError, "integer ids"),
    (np.array([[0, 1, 2]]), ValueError, r"1-D.*\(1, 3\)"),
    (np.array(["a", "b", "c"]), TypeError, "integer ids"),
])
def test_bad_corpora_for_contexts(corpus, error, message):
    with pytest.raises(error, match=message):
        create_contexts_target(corpus)


@pytest.mark.parametrize("ids, vocab, error, message", [
    (np.array([0, 7]), 7, ValueError, "below 7, got 7"),
    (np.array([-1]), 7, ValueError, "non-negative ids, got -1"),
    (np.array([0.5]), 7, TypeError, "integer ids"),
    (np.array([0]), 0, ValueError, "vocab_size must be a positive int, got 0"),
    (np.array([0]), 7.0, ValueError, "vocab_size must be a positive int"),
    (np.zeros((2, 2, 2), dtype=int), 7, ValueError, r"\(N,\) or \(N, C\).*\(2, 2, 2\)"),
])
def test_bad_input_to_convert_one_hot(ids, vocab, error, message):
    with pytest.raises(error, match=message):
        convert_one_hot(ids, vocab)


# ---- runaway sizes ---------------------------------------------------------------------------

def test_one_hot_and_contexts_too_big_to_allocate_are_refused():
    with pytest.raises(ValueError, match="the one-hot array of shape .* would take"):
        convert_one_hot(np.zeros(1_000_000, dtype=np.int64), 10**6)
    corpus = np.arange(1_000_000) % 7
    with pytest.raises(ValueError, match=r"contexts of shape \(800000, 200000\) would take"):
        create_contexts_target(corpus, window_size=100_000)
