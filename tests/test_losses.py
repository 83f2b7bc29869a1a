"""Tests for lecture2.losses."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from lecture2.gradcheck import numerical_gradient
from lecture2.losses import mse, squared_error, squared_error_gradient

PRED = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
Y = np.array([[0.0, 2.0], [1.0, 1.0], [1.0, 0.0]])
# residuals: [1, 0], [-1, -2], [2, 0.5] -> sum of squares 1 + 5 + 4.25 = 10.25


def test_values_by_hand():
    assert squared_error(PRED, Y, "sum") == pytest.approx(10.25 / 2, rel=1e-15)
    assert squared_error(PRED, Y) == pytest.approx(10.25 / 6, rel=1e-15)  # 1/(2n), n=3
    assert mse(PRED, Y) == pytest.approx(10.25 / 6, rel=1e-15)  # mean over n*m = 6
    assert mse(PRED[:, 0], Y[:, 0]) == pytest.approx(6.0 / 3, rel=1e-15)
    assert squared_error([2.0], [0.0]) == 2.0


@pytest.mark.parametrize("reduction, c", [("mean", 1 / 3), ("sum", 1.0)])
def test_gradient(reduction, c):
    grad = squared_error_gradient(PRED, Y, reduction)
    assert_allclose(grad, c * (PRED - Y), rtol=1e-15)  # f - y, not y - f
    numerical = numerical_gradient(
        lambda p: squared_error(p.reshape(PRED.shape), Y, reduction), PRED.ravel()
    )
    assert_allclose(grad.ravel(), numerical, rtol=1e-8, atol=1e-10)


def test_inputs_not_modified():
    pred, y = PRED.copy(), Y.copy()
    squared_error_gradient(pred, y)
    assert np.array_equal(pred, PRED) and np.array_equal(y, Y)


@pytest.mark.parametrize("fn", [squared_error, squared_error_gradient, mse])
def test_shape_mismatch_never_broadcasts(fn):
    with pytest.raises(ValueError, match=r"y must have the same shape as pred \(3,\); got shape \(3, 1\)"):
        fn(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="y must have the same shape"):
        fn(np.zeros((3, 2)), np.zeros((2, 3)))


@pytest.mark.parametrize("fn", [squared_error, squared_error_gradient, mse])
def test_bad_shapes_and_types(fn):
    with pytest.raises(ValueError, match="pred must be a 1-D or 2-D array; got shape"):
        fn(1.0, 1.0)
    with pytest.raises(ValueError, match="pred must contain at least one point"):
        fn(np.zeros((0, 1)), np.zeros((0, 1)))
    with pytest.raises(TypeError, match="y must be an array of real numbers"):
        fn(np.zeros(2), ["a", "b"])


@pytest.mark.parametrize("fn", [squared_error, squared_error_gradient])
def test_bad_reduction(fn):
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum'; got 'avg'"):
        fn(PRED, Y, "avg")
