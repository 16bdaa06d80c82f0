"""Tests of w2vlib.gradcheck: numerical_gradient, relative_error, gradient_check."""
from __future__ import annotations

import numpy as np
import pytest

from w2vlib import MatMul, SoftmaxWithLoss, gradient_check, numerical_gradient, relative_error


def test_numerical_gradient_of_known_functions():
    x = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(x ** 2)), x), 2 * x,
                               rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(np.sin(x))), x), np.cos(x),
                               rtol=1e-8, atol=1e-10)


def test_numerical_gradient_restores_x_exactly():
    x = np.random.default_rng(1).standard_normal(5)
    before = x.copy()
    numerical_gradient(lambda: float(np.prod(x)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_error_shrinks_like_eps_squared():
    # Central differences: error ~ eps^2 f'''/6. For f = sum(x^3), f''' = 6, so error ~ eps^2.
    x = np.array([0.3, -1.2])
    exact = 3 * x ** 2
    errors = [np.abs(numerical_gradient(lambda: float(np.sum(x ** 3)), x, eps=e) - exact).max()
              for e in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50   # a factor 100 in theory


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match="floating-point numpy array.*int64"):
        numerical_gradient(lambda: 0.0, np.arange(3))
    with pytest.raises(TypeError, match="floating-point numpy array, got list"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])


def test_relative_error_is_the_documented_ratio():
    g = np.random.default_rng(2)
    a, b = g.standard_normal((4, 3)), g.standard_normal((4, 3))
    expected = np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)))
    assert relative_error(a, b) == pytest.approx(expected, rel=1e-15)
    assert relative_error(a, b) == relative_error(b, a)
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(3), np.array([0.0, 1e-30, 0.0])) == 1.0


def test_relative_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(3, 2\)"):
        relative_error(np.zeros((2, 3)), np.zeros((3, 2)))


class WrongMatMul(MatMul):
    """A MatMul with a planted bug: its dW is twice the true gradient."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.grads[0] *= 2.0
        return dx


def test_gradient_check_catches_a_wrong_backward():
    g = np.random.default_rng(3)
    report = gradient_check(WrongMatMul(g.standard_normal((3, 2))), g.standard_normal((4, 3)))
    assert report["x"] < 1e-7             # dX is still right ...
    assert report["params[0]"] > 0.4      # ... and dW is caught: |2A - A| / |2A| = 0.5


def test_gradient_check_of_a_correct_layer_and_of_a_loss_layer():
    g = np.random.default_rng(4)
    report = gradient_check(MatMul(g.standard_normal((3, 2))), g.standard_normal((4, 3)))
    assert set(report) == {"x", "params[0]"} and max(report.values()) < 1e-7
    report = gradient_check(SoftmaxWithLoss(), g.standard_normal((4, 5)), np.array([0, 1, 4, 4]))
    assert set(report) == {"x"} and report["x"] < 1e-7


def test_gradient_check_leaves_the_parameters_unchanged():
    g = np.random.default_rng(5)
    layer = MatMul(g.standard_normal((3, 2)))
    x = g.standard_normal((4, 3))
    before_W, before_x = layer.params[0].copy(), x.copy()
    gradient_check(layer, x)
    np.testing.assert_array_equal(layer.params[0], before_W)
    np.testing.assert_array_equal(x, before_x)


def test_numerical_gradient_refuses_an_array_it_would_take_hours_over():
    calls = []
    x = np.zeros(1_000_000)
    with pytest.raises(ValueError, match="x has 1,000,000 entries.*at most 100,000"):
        numerical_gradient(lambda: calls.append(1) or 0.0, x)
    assert not calls
