"""Tests for lecture2.gradcheck."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.gradcheck import check_gradient, numerical_gradient, relative_error
from lecture2.network import Network


def cubic(w):
    """L(w) = sum w^3 + w0 w1, gradient 3 w^2 + (w1, w0, 0, ...)."""
    return float(np.sum(w**3) + w[0] * w[1])


def cubic_grad(w):
    g = 3 * w**2
    g[0] += w[1]
    g[1] += w[0]
    return g


def test_numerical_gradient_of_known_function():
    w = np.array([0.5, -1.5, 2.0, 0.0])
    h = 1e-4
    # Central differences of a cubic are exact up to h^2 (w_j^3 term: +h^2).
    assert_allclose(numerical_gradient(cubic, w, h), cubic_grad(w) + h**2, rtol=1e-9,
                    atol=1e-9)
    assert_allclose(numerical_gradient(cubic, w), cubic_grad(w), rtol=1e-8, atol=1e-9)


def test_numerical_gradient_leaves_w_alone():
    w = np.array([1.0, 2.0, 3.0])
    saved = w.copy()
    numerical_gradient(cubic, w)
    assert_array_equal(w, saved)


def test_relative_error_properties():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    b = a + np.array([1e-3, 0, 0])
    assert relative_error(a, b) == relative_error(b, a)
    assert relative_error(a, b) == pytest.approx(1e-3 / (2 * np.sqrt(14) + 0), rel=1e-3)


def test_check_gradient_accepts_right_and_rejects_wrong():
    w = np.array([0.3, -0.7, 1.1])
    assert check_gradient(lambda v: (cubic(v), cubic_grad(v)), w) < 1e-8
    # Forgotten cross term, or sign slip (the slide's y - f): clearly wrong.
    assert check_gradient(lambda v: (cubic(v), 3 * v**2), w) > 1e-2
    assert check_gradient(lambda v: (cubic(v), -cubic_grad(v)), w) == pytest.approx(1.0)


def test_check_gradient_on_a_network():
    net = Network([2, 4, 3, 2], "tanh", rng=0)
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((10, 2)), rng.standard_normal((10, 2))
    assert check_gradient(net.objective(X, Y), net.w) < 1e-7
    # The slide's output adjoint y - f flips the whole gradient.
    flipped = net.objective(X, Y)
    assert check_gradient(lambda w: (flipped(w)[0], -flipped(w)[1]), net.w) > 0.99


def test_bad_arguments():
    w = np.ones(3)
    with pytest.raises(ValueError, match="h must be a positive finite float; got 0.0"):
        numerical_gradient(cubic, w, h=0.0)
    with pytest.raises(TypeError, match="fun must be a callable"):
        numerical_gradient(3.0, w)
    with pytest.raises(ValueError, match=r"w must be a 1-D array; got shape \(3, 1\)"):
        numerical_gradient(cubic, np.ones((3, 1)))
    with pytest.raises(TypeError, match="fun_and_grad must be a callable"):
        check_gradient(None, w)
    with pytest.raises(ValueError, match=r"grad must have shape \(3,\); got shape \(2,\)"):
        check_gradient(lambda v: (0.0, np.zeros(2)), w)
    with pytest.raises(ValueError, match=r"b must have the same shape as a \(3,\); got shape \(2,\)"):
        relative_error(np.ones(3), np.ones(2))
