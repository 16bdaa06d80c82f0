"""Every answer parser of w2vlib.exercises, fuzzed with Hypothesis.

Whatever a reader types, a parser returns a parsed answer or raises ``AnswerError`` (a friendly
message the answer box shows), never another exception, and it does so within a bound of time and
memory: no answer can take the kernel down. The examples are derandomised, so every run tries the
same inputs (Hypothesis still shrinks a failure to its smallest form).
"""
from __future__ import annotations

import time
import tracemalloc
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2vlib.exercises import (MAX_ANSWER_LENGTH, MAX_RANGE, AnswerError, RowsAnswer, parse_number,
                              parse_rows, parse_shape, parse_vector)

VOCAB = ("you", "say", "goodbye", "and", "i", "hello", ".")

# Per input, generous for a loaded 2-core machine: a parser reads a short answer in well under a
# millisecond; the expansions this guards against took seconds and a gigabyte.
SECONDS_PER_INPUT = 0.5
BYTES_PER_INPUT = 5_000_000

FUZZ = settings(max_examples=300, derandomize=True, database=None,
                deadline=timedelta(seconds=2),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces an answer is made of: numbers of every size and form, ranges, words, separators, brackets.
_integer = st.integers(min_value=0, max_value=10**40).map(str)
_float = st.floats(allow_nan=False, allow_infinity=False).map(repr)
_piece = st.one_of(
    _integer, _float,
    st.tuples(_integer, _integer).map("-".join),                    # ranges, huge ones too
    st.tuples(_integer, _integer).map("/".join),                    # fractions, /0 too
    st.sampled_from(VOCAB + ("all", "rows", "and", "x", "by", "×", "e", "-", "+", ".", "1e999")),
    st.sampled_from([",", ";", " ", "(", ")", "[", "]", "{", "}", "*", ":", "−", "\t"]),
    st.text(max_size=5),                                            # anything at all
)
answers = st.one_of(
    st.lists(_piece, max_size=40).map("".join),
    st.lists(_piece, max_size=40).map(" ".join),
    st.text(max_size=50),
    # Long answers: just under and over the length limit.
    st.integers(min_value=MAX_ANSWER_LENGTH - 5, max_value=MAX_ANSWER_LENGTH + 5).map(lambda n: "1" * n),
    st.integers(min_value=1, max_value=5000).map(lambda n: ",".join(["1-999"] * n)),
)


def parse_within_bounds(parser, text: str):
    """``parser(text)``, which must return or raise AnswerError within the time and memory bound."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = parser(text)
    except AnswerError as error:
        result = error
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < SECONDS_PER_INPUT, f"{parser.__name__}({text[:80]!r}...) took {elapsed:.2f} s"
    assert peak < BYTES_PER_INPUT, f"{parser.__name__}({text[:80]!r}...) used {peak / 1e6:.1f} MB"
    if isinstance(result, AnswerError):
        message = str(result)
        assert message and len(message) < 600 and "Traceback" not in message, message
    return result


@FUZZ
@given(answers)
def test_parse_number_reads_or_explains(text):
    value = parse_within_bounds(parse_number, text)
    assert isinstance(value, (float, AnswerError))


@FUZZ
@given(answers)
def test_parse_vector_reads_or_explains(text):
    vector = parse_within_bounds(parse_vector, text)
    if not isinstance(vector, AnswerError):
        assert isinstance(vector, np.ndarray) and vector.ndim == 1 and vector.size >= 1


@FUZZ
@given(answers)
def test_parse_shape_reads_or_explains(text):
    shape = parse_within_bounds(parse_shape, text)
    if not isinstance(shape, AnswerError):
        assert len(shape) == 2 and all(isinstance(n, int) and n >= 1 for n in shape)


@FUZZ
@given(answers, st.sampled_from([None, VOCAB]), st.booleans(),
       st.sampled_from([None, 1, 7, 100]))
def test_parse_rows_reads_or_explains(text, vocab, and_as_word, n_rows):
    def parse(answer):
        return parse_rows(answer, vocab, and_as_word=and_as_word, n_rows=n_rows)
    parse.__name__ = "parse_rows"
    rows = parse_within_bounds(parse, text)
    if not isinstance(rows, AnswerError):
        assert isinstance(rows, RowsAnswer)
        assert len(rows.numbers) <= MAX_ANSWER_LENGTH * MAX_RANGE
        assert all(0 <= i < len(vocab or ()) for i in rows.word_ids)


# ---- the bounds themselves ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1-20000000", f"1-{MAX_RANGE + 1}", "5-999999999999999999999"])
def test_a_huge_range_is_refused_before_it_is_expanded(text):
    refused = parse_within_bounds(parse_rows, text)
    assert isinstance(refused, AnswerError) and "more than" in str(refused), refused


def test_a_range_beyond_the_rows_asked_about_names_the_last_row():
    with pytest.raises(AnswerError, match="no row 9: the rows are numbered 1 to 7"):
        parse_rows("2-9", n_rows=7)
    assert parse_rows("2-7", n_rows=7).numbers == (2, 3, 4, 5, 6, 7)
    assert parse_rows(f"1-{MAX_RANGE}").numbers == tuple(range(1, MAX_RANGE + 1))


@pytest.mark.parametrize("parser", [parse_number, parse_vector, parse_shape, parse_rows])
def test_an_answer_longer_than_the_box_is_refused(parser):
    with pytest.raises(AnswerError, match=f"at most {MAX_ANSWER_LENGTH}"):
        parser("1 " * MAX_ANSWER_LENGTH)


@pytest.mark.parametrize("n_rows", [0, -3, 2.5, True, "7"])
def test_parse_rows_rejects_a_bad_row_count(n_rows):
    with pytest.raises(ValueError, match="n_rows must be a positive int"):
        parse_rows("1", n_rows=n_rows)
