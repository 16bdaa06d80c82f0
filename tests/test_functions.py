"""Tests of w2vlib.functions: softmax, log_softmax, cross_entropy_error."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import cross_entropy_error, log_softmax, softmax


def naive_softmax(x: np.ndarray) -> np.ndarray:
    """The textbook formula without the max shift: fine for small scores only."""
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("shape", [(7,), (1, 7), (4, 7), (3, 2)])
def test_softmax_matches_the_formula_on_small_scores(shape):
    x = np.random.default_rng(1).standard_normal(shape)
    y = softmax(x)
    assert y.shape == x.shape
    np.testing.assert_allclose(y, naive_softmax(x), rtol=1e-14, atol=0)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-14)


def test_softmax_rows_are_independent():
    x = np.random.default_rng(2).standard_normal((3, 5))
    batched = softmax(x)
    for n in range(3):
        np.testing.assert_array_equal(batched[n], softmax(x[n]))


@pytest.mark.parametrize("x", [[1000.0, 0.0, -1000.0], [1000.0, 1000.0], [-1000.0, -1000.0, -999.0]])
def test_softmax_is_finite_for_huge_scores(x):
    x = np.array(x)
    with np.errstate(over="raise", invalid="raise", divide="raise"):   # underflow to 0 is fine
        y = softmax(x)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(), 1.0, rtol=1e-15)
    # Shifting every score by the same amount changes nothing.
    np.testing.assert_allclose(y, softmax(x - x.max()), rtol=1e-15)


def test_softmax_of_two_equal_huge_scores_is_one_half_each():
    np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0])), [0.5, 0.5], rtol=1e-15)


def test_log_softmax_stays_exact_where_softmax_underflows():
    x = np.array([0.0, -1000.0])
    # log softmax(x)_1 = x_1 - logsumexp(x), and logsumexp(0, -1000) = log(1 + e^-1000) = 0 in float64.
    expected = x[1] - np.logaddexp(x[0], x[1])
    np.testing.assert_allclose(log_softmax(x)[1], expected, rtol=1e-15)
    assert softmax(x)[1] == 0.0   # the probability itself underflows, which is why the log matters


def test_log_softmax_is_log_of_softmax():
    x = np.random.default_rng(3).standard_normal((4, 6))
    np.testing.assert_allclose(log_softmax(x), np.log(naive_softmax(x)), rtol=1e-13, atol=1e-15)


def test_cross_entropy_with_ids_and_one_hot_agree_and_match_the_formula():
    rng = np.random.default_rng(4)
    y = naive_softmax(rng.standard_normal((5, 7)))
    ids = rng.integers(0, 7, size=5)
    one_hot = np.eye(7, dtype=int)[ids]
    expected = -np.mean([np.log(y[n, ids[n]]) for n in range(5)])
    assert cross_entropy_error(y, ids) == pytest.approx(expected, rel=1e-14)
    assert cross_entropy_error(y, one_hot) == pytest.approx(expected, rel=1e-14)
    assert cross_entropy_error(y, one_hot.astype(float)) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_of_a_single_sample():
    y = naive_softmax(np.random.default_rng(5).standard_normal(7))
    assert cross_entropy_error(y, 3) == pytest.approx(-np.log(y[3]), rel=1e-14)
    assert cross_entropy_error(y, np.eye(7)[3]) == pytest.approx(-np.log(y[3]), rel=1e-14)


def test_cross_entropy_of_a_zero_probability_is_inf_not_a_fudged_number():
    y = np.array([[1.0, 0.0]])
    assert cross_entropy_error(y, [1]) == np.inf
    assert cross_entropy_error(y, [0]) == 0.0


# ---- bad input -------------------------------------------------------------------------------

def test_softmax_rejects_nan_and_inf():
    with pytest.raises(ValueError, match="finite.*NaN or inf"):
        softmax(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="finite.*NaN or inf"):
        softmax(np.array([[0.0, np.inf]]))


def test_softmax_rejects_wrong_rank_and_non_numbers():
    with pytest.raises(ValueError, match=r"1-D or 2-D.*\(2, 3, 4\)"):
        softmax(np.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match="numbers"):
        softmax(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="numbers"):
        softmax(np.array([True, False]))


def test_cross_entropy_rejects_scores_instead_of_probabilities():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*softmax"):
        cross_entropy_error(np.array([[2.0, -1.0]]), [0])


@pytest.mark.parametrize("t, error, message", [
    ([0, 7], ValueError, "below 7, got 7"),
    ([0, -1], ValueError, "non-negative.*-1"),
    ([0.5, 1.0], TypeError, "integer ids.*non-integer"),
    ([0, 1, 2], ValueError, r"2 ids.*\(3,\)"),
    (["a", "b"], TypeError, "integer ids"),
])
def test_cross_entropy_rejects_bad_ids(t, error, message):
    y = np.full((2, 7), 1 / 7)
    with pytest.raises(error, match=message):
        cross_entropy_error(y, t)


def test_cross_entropy_rejects_rows_that_are_not_one_hot():
    y = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match="not.*exactly one 1"):
        cross_entropy_error(y, np.array([[1, 0, 0], [0, 1, 1]]))
    with pytest.raises(ValueError, match="not.*exactly one 1"):
        cross_entropy_error(y, np.array([[1, 0, 0], [0, 0.5, 0.5]]))
    with pytest.raises(ValueError, match="not.*exactly one 1"):
        cross_entropy_error(y, np.array([[1, 0, 0], [0, 0, 0]]))


def test_cross_entropy_names_both_shapes_when_one_hot_does_not_fit():
    y = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 4\)"):
        cross_entropy_error(y, np.eye(4, dtype=int)[:2])
