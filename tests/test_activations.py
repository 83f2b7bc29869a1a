"""Tests for lecture2.activations: values, derivatives, extremes, lookup."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lecture2 import activations as act
from lecture2.activations import ACTIVATIONS, Activation, get_activation

ALPHAS = (0.5, 1.0, 2.0)


def closed_form(name, x, alpha=1.0):
    """The slide's formulas, evaluated naively (safe for |x| <= 30)."""
    return {
        "step": np.where(x > 0, 1.0, 0.0),
        "logistic": 1.0 / (1.0 + np.exp(-x)),
        "tanh": (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
        "relu": np.where(x > 0, x, 0.0),
        "elu": np.where(x > 0, x, alpha * (np.exp(x) - 1.0)),
        "swish": x / (1.0 + np.exp(-x)),
    }[name]


def closed_derivative(name, x, alpha=1.0):
    s = 1.0 / (1.0 + np.exp(-x))
    return {
        "step": np.zeros_like(x),
        "logistic": s * (1 - s),
        "tanh": 1 - np.tanh(x) ** 2,
        "relu": np.where(x > 0, 1.0, 0.0),
        "elu": np.where(x > 0, 1.0, alpha * np.exp(x)),
        "swish": s + x * s * (1 - s),
    }[name]


def _act(name, alpha):
    """The nonlinearity ``name``, with ``alpha`` if it is ELU (only ELU has one)."""
    return get_activation(name, alpha if name == "elu" else 1.0)


@pytest.fixture
def grid():
    """Points on [-30, 30] avoiding the kink at 0 by at least 1e-3."""
    x = np.linspace(-30, 30, 2001)
    return x[np.abs(x) > 1e-3]


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("alpha", ALPHAS)
def test_values_match_closed_forms(name, alpha, grid):
    sigma = _act(name, alpha)
    assert_allclose(sigma(grid), closed_form(name, grid, alpha), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("alpha", ALPHAS)
def test_derivatives_match_closed_forms(name, alpha, grid):
    sigma = _act(name, alpha)
    expected = closed_derivative(name, grid, alpha)
    assert_allclose(sigma.derivative(grid), expected, rtol=1e-12, atol=1e-15)
    # Reusing g = sigma(f) gives the same derivative.
    assert_allclose(sigma.derivative(grid, sigma(grid)), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "step"])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_derivatives_match_finite_differences(name, alpha, grid):
    sigma = _act(name, alpha)
    x = grid[np.abs(grid) < 8]  # where the derivatives are not tiny
    h = 1e-6
    numerical = (sigma(x + h) - sigma(x - h)) / (2 * h)
    assert_allclose(sigma.derivative(x), numerical, rtol=1e-7, atol=1e-9)


def test_module_functions_match_objects(grid):
    for name in ACTIVATIONS:
        fn = getattr(act, name)
        d_fn = getattr(act, f"{name}_derivative")
        sigma = get_activation(name)
        assert_array_equal(fn(grid), sigma(grid))
        assert_array_equal(d_fn(grid), sigma.derivative(grid))
    assert_array_equal(act.elu(grid, 2.0), get_activation("elu", 2.0)(grid))
    assert_array_equal(act.elu_derivative(grid, 2.0),
                       get_activation("elu", 2.0).derivative(grid))


BIG = np.finfo(np.float64).max
EXTREMES = np.array([-np.inf, -BIG, -1000.0, 1000.0, BIG, np.inf])
LIMITS = {
    # name: (values, derivatives) at EXTREMES, for alpha = 2
    "step": ([0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0]),
    "logistic": ([0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0]),
    "tanh": ([-1, -1, -1, 1, 1, 1], [0, 0, 0, 0, 0, 0]),
    "relu": ([0, 0, 0, 1000, BIG, np.inf], [0, 0, 0, 1, 1, 1]),
    "elu": ([-2, -2, -2, 1000, BIG, np.inf], [0, 0, 0, 1, 1, 1]),
    "swish": ([0, 0, 0, 1000, BIG, np.inf], [0, 0, 0, 1, 1, 1]),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_extremes_no_warning_and_correct_limits(name):
    sigma = _act(name, 2.0)
    values, slopes = LIMITS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        g = sigma(EXTREMES)
        d = sigma.derivative(EXTREMES)
        d_reuse = sigma.derivative(EXTREMES, g)
    assert_array_equal(g, values)
    assert_array_equal(d, slopes)
    assert_array_equal(d_reuse, slopes)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_nan_propagates_quietly(name):
    sigma = get_activation(name)
    x = np.array([np.nan, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g, d = sigma(x), sigma.derivative(x)
    if name not in ("step", "relu"):  # comparisons read NaN as "not > 0"
        assert np.isnan(g[0]) and np.isnan(d[0])
    assert np.isfinite(g[1]) and np.isfinite(d[1])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_large_random_inputs_finite(name, rng):
    x = rng.normal(scale=500.0, size=10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sigma = get_activation(name)
        assert np.all(np.isfinite(sigma(x)))
        assert np.all(np.isfinite(sigma.derivative(x)))


def test_values_at_the_kinks_and_origin():
    assert act.step(0.0) == 0.0
    assert act.step_derivative(0.0) == 0.0
    assert act.relu(0.0) == 0.0
    assert act.relu_derivative(0.0) == 0.0
    assert act.elu(0.0, 2.0) == 0.0
    assert act.elu_derivative(0.0, 2.0) == 2.0  # left derivative alpha
    assert act.logistic(0.0) == 0.5
    assert act.logistic_derivative(0.0) == 0.25
    assert act.tanh_derivative(0.0) == 1.0
    assert act.swish(0.0) == 0.0
    assert act.swish_derivative(0.0) == 0.5


def test_tails_keep_relative_accuracy():
    # The naive 1 - sigma or 1 - tanh^2 would give exactly 0 here.
    assert_allclose(act.logistic(-40.0), np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-14)
    assert_allclose(act.logistic_derivative(40.0), np.exp(-40.0), rtol=1e-12)
    assert_allclose(act.tanh_derivative(20.0), 4 * np.exp(-40.0), rtol=1e-12)
    assert_allclose(act.swish(-30.0), -30.0 * np.exp(-30.0) / (1 + np.exp(-30.0)),
                    rtol=1e-14)
    assert_allclose(act.elu(-1e-10), -1e-10, rtol=1e-9)  # expm1, not exp - 1


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("x", [0.5, [1, -2, 3], np.ones((2, 3, 4), dtype=np.float32)])
def test_shape_and_dtype(name, x):
    sigma = get_activation(name)
    for out in (sigma(x), sigma.derivative(x)):
        assert out.dtype == np.float64
        assert out.shape == np.shape(x)


def test_tanh_derivative_reuses_g():
    # With g given, the derivative is 1 - g^2 whatever f is: g is not recomputed.
    g = np.array([0.5, -0.25])
    assert_array_equal(act.tanh_derivative(np.zeros(2), g), [0.75, 0.9375])
    assert_array_equal(act.logistic_derivative(np.zeros(2), g), [0.25, -0.3125])


def test_activation_attributes():
    expected = {
        "step": (True, False),
        "logistic": (True, True),
        "tanh": (True, True),
        "relu": (False, True),
        "elu": (False, True),
        "swish": (False, True),
    }
    assert set(ACTIVATIONS) == set(expected)
    for name, (saturating, differentiable) in expected.items():
        sigma = get_activation(name)
        assert sigma.name == name
        assert sigma.saturating is saturating
        assert sigma.differentiable is differentiable
    assert get_activation("elu", 0.3).alpha == 0.3
    assert repr(get_activation("elu", 0.3)) == "Activation('elu', alpha=0.3)"
    sigma = Activation("tanh")
    assert get_activation(sigma) is sigma
    assert get_activation("relu") == Activation("relu")


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="name must be one of") as info:
        get_activation("sigmoid")
    for name in ACTIVATIONS:
        assert repr(name) in str(info.value)
    assert "'sigmoid'" in str(info.value)


@pytest.mark.parametrize("name", [None, 3, ["tanh"]])
def test_name_of_wrong_type(name):
    with pytest.raises(TypeError, match="name must be one of"):
        get_activation(name)


@pytest.mark.parametrize(
    "alpha, error",
    [(0.0, ValueError), (-1.0, ValueError), (np.nan, ValueError), (np.inf, ValueError),
     ("1", TypeError), (None, TypeError), (True, TypeError)],
)
def test_bad_alpha(alpha, error):
    with pytest.raises(error, match=r"alpha must be a positive finite float; got"):
        get_activation("elu", alpha)
    with pytest.raises(error, match=r"alpha must be"):
        act.elu(np.zeros(3), alpha)
    with pytest.raises(error, match=r"alpha must be"):
        act.elu_derivative(np.zeros(3), alpha)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_out_argument_writes_in_place(name, grid):
    sigma = _act(name, 0.7)
    g = sigma(grid)
    buf = np.empty_like(grid)
    assert sigma(grid, out=buf) is buf
    assert_array_equal(buf, g)
    buf2 = np.empty_like(grid)
    assert sigma.derivative(grid, g, out=buf2) is buf2
    assert_allclose(buf2, sigma.derivative(grid), rtol=1e-12, atol=1e-15)
    # out may be f itself (the backward pass overwrites f^l this way)
    f = grid.copy()
    sigma.derivative(f, g, out=f)
    assert_allclose(f, sigma.derivative(grid), rtol=1e-12, atol=1e-15)


def test_activation_objects_hash_and_alpha_conflict():
    assert len({get_activation("elu", 2.0), Activation("elu", 2.0)}) == 1
    elu2 = Activation("elu", 2.0)
    assert get_activation(elu2, 2.0) is elu2
    with pytest.raises(ValueError, match="alpha must match the given"):
        get_activation(elu2, 3.0)


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "elu"])
def test_alpha_is_refused_for_nonlinearities_without_one(name):
    message = f"alpha is ELU's parameter; '{name}' has none, so leave alpha at 1.0; got alpha=3"
    with pytest.raises(ValueError, match=message):
        Activation(name, 3)
    with pytest.raises(ValueError, match=message):
        get_activation(name, alpha=3)
    assert Activation(name, 1.0) == Activation(name)  # the default is allowed


def test_logistic_and_tanh_derivatives_from_g_equal_the_formula_exactly(grid):
    g = act.logistic(grid)
    assert_array_equal(act.logistic_derivative(grid, g), g * (1.0 - g))
    t = act.tanh(grid)
    assert_array_equal(act.tanh_derivative(grid, t), 1.0 - t * t)
    assert_array_equal(act.relu_derivative(grid), (grid > 0).astype(float))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_module_functions_take_out(name, grid):
    fn, d_fn = getattr(act, name), getattr(act, f"{name}_derivative")
    buf, dbuf = np.empty_like(grid), np.empty_like(grid)
    assert fn(grid, out=buf) is buf
    assert_array_equal(buf, fn(grid))
    assert d_fn(grid, out=dbuf) is dbuf
    assert_array_equal(dbuf, d_fn(grid))
