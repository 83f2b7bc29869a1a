"""Tests for lecture2.regression: bases, stable least squares, normal equations."""

import re

import numpy as np
import pytest
import scipy.linalg
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.regression import (
    BasisRegression,
    fourier_features,
    gaussian_features,
    least_squares,
    normal_equations,
    polynomial_features,
    predict,
)


def test_polynomial_features():
    H = polynomial_features(np.array([0.0, 0.5, 2.0]), 3)
    assert_array_equal(H, [[1, 0, 0, 0], [1, 0.5, 0.25, 0.125], [1, 2, 4, 8]])
    assert polynomial_features(np.zeros((4, 1)), 0).shape == (4, 1)


def test_gaussian_features():
    x = np.array([0.0, 0.5])
    H = gaussian_features(x, centers=[0.0, 1.0], width=0.5)
    expected = [[1, 1, np.exp(-2.0)], [1, np.exp(-0.5), np.exp(-0.5)]]
    assert_allclose(H, expected, rtol=1e-15)


def test_fourier_features_are_orthogonal():
    n, K = 64, 5
    x = np.arange(n) / n  # a full period, equally spaced
    H = fourier_features(x, K)
    assert H.shape == (n, 2 * K + 1)
    assert_allclose(H[:, 1], np.cos(2 * np.pi * x), atol=1e-15)
    assert_allclose(H[:, 2], np.sin(2 * np.pi * x), atol=1e-15)
    assert_allclose(H.T @ H / n, np.diag([1.0] + [0.5] * (2 * K)), atol=1e-13)


def test_least_squares_recovers_exact_coefficients(rng):
    H = rng.standard_normal((50, 4))
    theta = np.array([1.0, -2.0, 0.5, 3.0])
    assert_allclose(least_squares(H, H @ theta), theta, rtol=1e-12)
    # several right-hand sides at once
    Theta = np.stack([theta, -theta], axis=1)
    assert_allclose(least_squares(H, H @ Theta), Theta, rtol=1e-12)
    assert_allclose(normal_equations(H, H @ theta), theta, rtol=1e-10)


def test_least_squares_is_the_projection(rng):
    H = rng.standard_normal((40, 3))
    y = rng.standard_normal(40)
    theta = least_squares(H, y)
    # residual orthogonal to the columns of H
    assert_allclose(H.T @ (y - predict(H, theta)), 0.0, atol=1e-12)


def test_ill_conditioned_polynomial_basis(rng):
    x = np.linspace(0, 1, 100)
    H = polynomial_features(x, 15)
    assert np.linalg.cond(H) > 1e10  # nearly parallel monomials on [0, 1]
    theta_true = rng.standard_normal(16)
    y = H @ theta_true

    theta = least_squares(H, y)
    # An independent solve: Householder QR, then back substitution.
    Q, R = np.linalg.qr(H)
    theta_qr = scipy.linalg.solve_triangular(R, Q.T @ y)
    theta_scipy = scipy.linalg.lstsq(H, y)[0]
    # Coefficients are determined only to about cond(H) * eps ~ 3e-5 ...
    assert_allclose(theta, theta_qr, rtol=0, atol=1e-4 * np.abs(theta_true).max())
    assert_allclose(theta, theta_scipy, rtol=1e-8, atol=1e-8)
    # ... but the fit itself is accurate to machine precision.
    rel_resid = np.linalg.norm(H @ theta - y) / np.linalg.norm(y)
    assert rel_resid < 1e-13
    assert np.linalg.norm(theta - theta_true) / np.linalg.norm(theta_true) < 1e-4

    # The normal equations square the condition number (~1e22 > 1/eps):
    # both the coefficients and the fit visibly lose accuracy.
    theta_ne = normal_equations(H, y)
    rel_resid_ne = np.linalg.norm(H @ theta_ne - y) / np.linalg.norm(y)
    assert rel_resid_ne > 1e3 * rel_resid
    assert np.linalg.norm(theta_ne - theta_true) / np.linalg.norm(theta_true) > 1e-2


def test_normal_equations_singular_gram():
    H = np.ones((5, 2))  # two equal columns
    with pytest.raises(np.linalg.LinAlgError, match="use least_squares"):
        normal_equations(H, np.arange(5.0))
    # least squares gives the minimum-norm solution instead
    assert_allclose(least_squares(H, np.full(5, 2.0)), [1.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize(
    "basis, kw, n_columns",
    [("polynomial", {"degree": 4}, 5), ("gaussian", {"centers": 7}, 8),
     ("gaussian", {"centers": [0.2, 0.8], "width": 0.3}, 3),
     ("fourier", {"n_freq": 2}, 5)],
)
def test_basis_regression(basis, kw, n_columns):
    x = np.linspace(0, 1, 40)
    model = BasisRegression(basis, **kw)
    assert model.design_matrix(x).shape == (40, n_columns)
    y = model.design_matrix(x) @ np.arange(1.0, n_columns + 1)  # in the span
    model.fit(x, y)
    assert_allclose(model.theta, np.arange(1.0, n_columns + 1), rtol=1e-6)
    assert_allclose(model.predict(x), y, rtol=1e-10, atol=1e-10)
    # (n, 1) targets give (n, 1) predictions
    assert model.fit(x.reshape(-1, 1), y.reshape(-1, 1)).predict(x).shape == (40, 1)


def test_basis_regression_defaults():
    assert BasisRegression().degree == 3
    assert BasisRegression("fourier").n_freq == 3
    model = BasisRegression("gaussian", centers=5)
    assert_allclose(model.centers, [0, 0.25, 0.5, 0.75, 1])
    assert model.width == 0.25
    assert repr(model) == "BasisRegression('gaussian', centers=5, width=0.25)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: polynomial_features([0.1], -1), ValueError, "degree must be an integer >= 0; got -1"),
        (lambda: polynomial_features([0.1], 2.0), TypeError, "degree must be an integer >= 0; got 2.0"),
        (lambda: polynomial_features(np.zeros((3, 2)), 2), ValueError, "x must have shape (n,) or (n, 1); got shape (3, 2)"),
        (lambda: gaussian_features([0.1], [0.5], 0.0), ValueError, "width must be a positive finite float; got 0.0"),
        (lambda: gaussian_features([0.1], [[0.5]], 0.1), ValueError, "centers must be a 1-D array; got shape (1, 1)"),
        (lambda: fourier_features([0.1], -2), ValueError, "n_freq must be an integer >= 0; got -2"),
        (lambda: least_squares(np.ones((3, 2)), np.ones(4)), ValueError, "y must have 3 rows, one per row of H; got shape (4,)"),
        (lambda: least_squares(np.ones(3), np.ones(3)), ValueError, "H must be a 2-D array; got shape (3,)"),
        (lambda: least_squares(np.ones((3, 2)), np.ones(3), rcond=-1.0), ValueError, "rcond must be a positive finite float; got -1.0"),
        (lambda: normal_equations(np.ones((3, 2)), np.ones((2, 1))), ValueError, "y must have 3 rows"),
        (lambda: predict(np.ones((3, 2)), np.ones(3)), ValueError, "theta must have 2 rows, one per column of H; got shape (3,)"),
        (lambda: least_squares(np.full((3, 2), np.nan), np.ones(3)), ValueError, "H must contain only finite numbers"),
        (lambda: BasisRegression("spline"), ValueError, "basis must be one of 'polynomial', 'gaussian', 'fourier'; got 'spline'"),
        (lambda: BasisRegression("polynomial", n_freq=3), TypeError, "n_freq is not a setting of the 'polynomial' basis; it takes degree"),
        (lambda: BasisRegression("polynomial", degree=-1), ValueError, "degree must be an integer >= 0; got -1"),
        (lambda: BasisRegression("gaussian", centers=0), ValueError, "centers must be an integer >= 1; got 0"),
        (lambda: BasisRegression("gaussian", width=-0.1), ValueError, "width must be a positive finite float; got -0.1"),
        (lambda: BasisRegression().predict([0.5]), RuntimeError, "not fitted yet"),
    ],
)
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


@pytest.mark.parametrize("solve", [least_squares, normal_equations])
def test_no_data_points_is_an_error(solve):
    with pytest.raises(ValueError, match=re.escape(
            "H must have at least one row (one per data point); got shape (0, 3)")):
        solve(np.zeros((0, 3)), np.zeros(0))
