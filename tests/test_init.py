"""Tests for lecture2.init: standard deviations, draws, initialize()."""

import math
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.init import SCHEMES, init_std, init_weights, initialize
from lecture2.network import Network


@pytest.mark.parametrize(
    "scheme, n_in, n_out, expected",
    [
        ("gaussian", 3, 7, 1.0),
        ("xavier", 3, 7, math.sqrt(2 / 10)),
        ("xavier", 30, 30, math.sqrt(1 / 30)),
        ("he", 3, 7, math.sqrt(2 / 3)),
        ("he", 50, 1, 0.2),
    ],
)
def test_init_std_formulas(scheme, n_in, n_out, expected):
    assert init_std(scheme, n_in, n_out) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_variance_of_large_draws(scheme, distribution, rng):
    n_in, n_out = 300, 500  # 150,000 weights: sampling error of the variance ~0.4%
    W = init_weights(scheme, n_in, n_out, rng, distribution)
    var = init_std(scheme, n_in, n_out) ** 2
    assert W.shape == (n_in, n_out)
    assert_allclose(W.var(), var, rtol=0.02)
    assert abs(W.mean()) < 0.01 * math.sqrt(var)
    if distribution == "uniform":
        a = math.sqrt(3 * var)
        assert np.abs(W).max() <= a
        assert np.abs(W).max() > 0.999 * a
    else:
        # Normal: about 0.27% of draws beyond 3 std; uniform has none beyond sqrt(3).
        frac = np.mean(np.abs(W) > 3 * math.sqrt(var))
        assert 0.0020 < frac < 0.0034


def test_draws_are_reproducible(rng):
    a = init_weights("he", 4, 5, np.random.default_rng(7))
    b = init_weights("he", 4, 5, np.random.default_rng(7))
    c = init_weights("he", 4, 5, 7)  # an int is a seed
    assert_array_equal(a, b)
    assert_array_equal(a, c)
    assert not np.array_equal(a, init_weights("he", 4, 5, 8))


@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_initialize_fills_in_place(distribution):
    net = Network([20, 400, 300, 2], "relu")
    w_before = net.w
    out = initialize(net, "he", np.random.default_rng(0), distribution)
    assert out is net
    assert net.w is w_before  # same buffer: the (W, b) views stay valid
    for W, b in net.weights:
        assert np.shares_memory(W, net.w) and np.shares_memory(b, net.w)
        assert_array_equal(b, 0.0)
    # Per-layer variance: 2 / n_in (the big middle layer has 120,000 weights).
    W2 = net.weights[1][0]
    assert_allclose(W2.var(), 2 / 400, rtol=0.02)
    # The same seed gives the same network.
    twin = initialize(Network([20, 400, 300, 2], "relu"), "he", 0, distribution)
    assert_array_equal(twin.w, net.w)


def test_initialize_draws_layers_in_order():
    net = initialize(Network([2, 3, 1]), "xavier", np.random.default_rng(5))
    rng = np.random.default_rng(5)
    W1 = init_weights("xavier", 2, 3, rng)
    W2 = init_weights("xavier", 3, 1, rng)
    assert_array_equal(net.weights[0][0], W1)
    assert_array_equal(net.weights[1][0], W2)


def test_biases_zero_after_reinitialising():
    net = Network([1, 5, 1])
    net.w = np.ones(net.p)
    initialize(net, "gaussian", 0)
    for _, b in net.weights:
        assert_array_equal(b, 0.0)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"scheme": "glorot"}, ValueError, "scheme must be one of 'gaussian', 'xavier', 'he'; got 'glorot'"),
        ({"scheme": None}, TypeError, "scheme must be one of"),
        ({"n_in": 0}, ValueError, "n_in must be an integer >= 1; got 0"),
        ({"n_in": -2}, ValueError, "n_in must be an integer >= 1; got -2"),
        ({"n_in": 2.5}, TypeError, "n_in must be an integer >= 1; got 2.5"),
        ({"n_out": 0}, ValueError, "n_out must be an integer >= 1; got 0"),
        ({"n_out": True}, TypeError, "n_out must be an integer"),
        ({"distribution": "gauss"}, ValueError, "distribution must be one of 'normal', 'uniform'; got 'gauss'"),
        ({"rng": None}, TypeError, "rng must be a numpy.random.Generator or a non-negative integer seed; got None"),
        ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
        ({"rng": -1}, ValueError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, error, message):
    args = {"scheme": "he", "n_in": 3, "n_out": 4, "rng": 0, "distribution": "normal"}
    args.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        init_weights(**args)


def test_init_std_bad_arguments():
    with pytest.raises(ValueError, match="scheme must be one of"):
        init_std("lecun", 2, 2)
    with pytest.raises(ValueError, match="n_out must be an integer >= 1"):
        init_std("xavier", 2, 0)


def test_initialize_bad_arguments():
    net = Network([1, 2, 1])
    with pytest.raises(ValueError, match="scheme must be one of"):
        initialize(net, "zeros", 0)
    with pytest.raises(ValueError, match="distribution must be one of"):
        initialize(net, "he", 0, "laplace")
    with pytest.raises(TypeError, match="rng must be"):
        initialize(net, "he", None)
    with pytest.raises(TypeError, match="net must be a lecture2.network.Network; got list"):
        initialize([1, 2, 1], "he", 0)
