"""Tests for lecture2.data: the noisy sinusoid and the target functions."""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.data import TARGETS, make_sinusoid, noise_std, sinusoid


def test_sinusoid_values():
    assert_allclose(sinusoid([0.0, 0.25, 0.5, 0.75, 1.0]), [0, 1, 0, -1, 0], atol=1e-15)


def test_noise_std_homoskedastic_is_constant():
    x = np.linspace(0, 1, 11)
    assert_array_equal(noise_std(x, 0.3, "homoskedastic"), np.full(11, 0.3))


def test_noise_std_heteroskedastic_formula_and_mean():
    assert_allclose(noise_std([0.0, 0.5, 1.0], 0.5, "heteroskedastic"), [0.1, 0.5, 0.9],
                    rtol=1e-15)
    # The average over [0, 1] equals sigma (midpoint rule, exact for a line).
    x = (np.arange(1000) + 0.5) / 1000
    assert_allclose(noise_std(x, 0.2).mean(), 0.2, rtol=1e-12)
    # Shape is kept.
    assert noise_std(np.zeros((4, 1)), 1.0).shape == (4, 1)


def test_make_sinusoid_shapes_and_order(rng):
    x, y = make_sinusoid(50, rng=rng)
    assert x.shape == (50, 1) and y.shape == (50, 1)
    assert np.all(np.diff(x[:, 0]) >= 0)
    assert x.min() >= 0 and x.max() < 1


def test_make_sinusoid_is_seeded():
    a = make_sinusoid(30, 0.2, "heteroskedastic", rng=np.random.default_rng(3))
    b = make_sinusoid(30, 0.2, "heteroskedastic", rng=3)  # an int is a seed
    c = make_sinusoid(30, 0.2, "heteroskedastic", rng=4)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_make_sinusoid_draw_order():
    # Documented: n uniforms (then sorted), then n standard normals.
    rng = np.random.default_rng(11)
    u = np.sort(rng.uniform(0, 1, 40))
    z = rng.standard_normal(40)
    x, y = make_sinusoid(40, 0.3, "homoskedastic", rng=11)
    assert_array_equal(x[:, 0], u)
    assert_allclose(y[:, 0], np.sin(2 * np.pi * u) + 0.3 * z, rtol=1e-15, atol=1e-15)


def test_zero_noise_is_exact():
    x, y = make_sinusoid(20, sigma=0.0, rng=0)
    assert_array_equal(y, sinusoid(x))


@pytest.mark.parametrize("kind", ["homoskedastic", "heteroskedastic"])
def test_noise_level(kind):
    sigma, n = 0.25, 200_000
    x, y = make_sinusoid(n, sigma, kind, rng=1)
    residual = y - sinusoid(x)
    # Standardised residuals are N(0, 1).
    z = residual / noise_std(x, sigma, kind)
    assert_allclose(z.std(), 1.0, rtol=0.01)
    assert abs(z.mean()) < 0.01
    # Overall the noise level is sigma on average; heteroskedastic noise is
    # small near x = 0 and large near x = 1.
    for in_bin, centre in ((x < 0.1, 0.05), (x > 0.9, 0.95)):
        expected = sigma if kind == "homoskedastic" else sigma * (0.2 + 1.6 * centre)
        # the spread of s(x) inside a bin moves its RMS by < 1.5%
        assert_allclose(residual[in_bin].std(), expected, rtol=0.03)
        rms = np.sqrt(np.mean(noise_std(x[in_bin], sigma, kind) ** 2))
        assert_allclose(residual[in_bin].std(), rms, rtol=0.015)
    if kind == "heteroskedastic":
        # near x = 1 the noise is 1.8 / 0.2 = 9 times larger than near 0
        ratio = residual[x > 0.99].std() / residual[x < 0.01].std()
        assert 7.5 < ratio < 10.5


def test_targets():
    assert set(TARGETS) >= {"sinusoid", "step", "bump", "abs", "sawtooth"}
    x = np.linspace(0, 1, 101)
    for name, f in TARGETS.items():
        y = f(x)
        assert y.shape == x.shape, name
        assert np.all(np.isfinite(y)), name
        assert f(x.reshape(-1, 1)).shape == (101, 1), name
    assert_array_equal(TARGETS["step"](np.array([0.4, 0.5, 0.6])), [0, 0, 1])
    assert_allclose(TARGETS["abs"](np.array([0.0, 0.5, 1.0])), [1, 0, 1])
    assert TARGETS["bump"](0.5) == 1.0
    assert_allclose(TARGETS["sawtooth"](np.array([0.0, 1 / 6, 0.5])), [0, 0.5, 0.5])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n": 0}, ValueError, "n must be an integer >= 1; got 0"),
        ({"n": -5}, ValueError, "n must be an integer >= 1; got -5"),
        ({"n": 10.0}, TypeError, "n must be an integer >= 1; got 10.0"),
        ({"sigma": -0.1}, ValueError, "sigma must be a non-negative finite float; got -0.1"),
        ({"sigma": np.nan}, ValueError, "sigma must be a non-negative finite float; got nan"),
        ({"sigma": "0.2"}, TypeError, "sigma must be a non-negative finite float; got '0.2'"),
        ({"kind": "hetero"}, ValueError, "kind must be one of 'homoskedastic', 'heteroskedastic'; got 'hetero'"),
        ({"rng": None}, TypeError, "rng must be a numpy.random.Generator or a non-negative integer seed; got None"),
        ({"rng": 1.5}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_make_sinusoid_bad_arguments(kwargs, error, message):
    args = {"n": 10, "sigma": 0.2, "kind": "heteroskedastic", "rng": 0}
    args.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        make_sinusoid(**args)


def test_noise_std_bad_arguments():
    with pytest.raises(ValueError, match="kind must be one of"):
        noise_std([0.5], 0.2, "constant")
    with pytest.raises(ValueError, match="sigma must be a non-negative finite float"):
        noise_std([0.5], -1.0)
