"""Learning-rate schedules: values at chosen steps, arrays, and bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from lecture2.optim import (
    Constant,
    Exponential,
    PiecewiseConstant,
    Schedule,
    as_schedule,
)


def test_constant_is_the_same_at_every_step():
    sched = Constant(0.05)
    assert sched(0) == 0.05
    assert sched(1) == 0.05
    assert sched(10**6) == 0.05


def test_exponential_starts_at_lr0_and_falls_tenfold_every_s_steps():
    sched = Exponential(0.2, s=50)
    assert sched(0) == 0.2  # the first update uses lr0
    assert_allclose(sched(50), 0.02, rtol=1e-14)
    assert_allclose(sched(100), 0.002, rtol=1e-14)
    assert_allclose(sched(25), 0.2 / np.sqrt(10), rtol=1e-14)
    assert_allclose(sched(1), 0.2 * 0.1 ** (1 / 50), rtol=1e-14)


def test_exponential_accepts_a_non_integer_s():
    assert_allclose(Exponential(1.0, s=2.5)(5), 0.01, rtol=1e-14)


def test_piecewise_constant_boundaries_belong_to_the_next_interval():
    sched = PiecewiseConstant([10, 30], [0.1, 0.01, 0.001])
    got = [sched(k) for k in (0, 9, 10, 29, 30, 10**6)]
    assert got == [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]


def test_piecewise_constant_without_boundaries_is_constant():
    sched = PiecewiseConstant([], [0.3])
    assert sched(0) == 0.3
    assert sched(12345) == 0.3


@pytest.mark.parametrize(
    "sched",
    [Constant(0.1), Exponential(0.1, 7), PiecewiseConstant([3, 5], [1.0, 0.5, 0.25])],
)
def test_arrays_of_steps_give_the_scalar_values(sched):
    ks = np.arange(12)
    values = sched(ks)
    assert values.shape == (12,)
    assert_allclose(values, [sched(int(k)) for k in ks], rtol=1e-15)


def test_as_schedule_wraps_floats_and_keeps_schedules():
    assert isinstance(as_schedule(0.1), Constant)
    assert as_schedule(0.1)(7) == 0.1
    sched = Exponential(1.0, 3)
    assert as_schedule(sched) is sched


def test_as_schedule_wraps_a_function_and_checks_its_values():
    sched = as_schedule(lambda k: 1.0 / (k + 1))
    assert isinstance(sched, Schedule)
    assert sched(3) == 0.25
    assert_allclose(sched(np.arange(3)), [1.0, 0.5, 1 / 3])
    bad = as_schedule(lambda k: 0.1 - 0.05 * k)
    assert bad(1) == pytest.approx(0.05)
    with pytest.raises(ValueError, match=r"schedule must return a positive.*-0\.0.*k = 3"):
        bad(3)


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: Constant(0.0), ValueError, r"lr must be a positive finite float; got 0\.0"),
        (lambda: Constant(-0.1), ValueError, r"lr must be .*got -0\.1"),
        (lambda: Constant(float("nan")), ValueError, r"lr must be .*got nan"),
        (lambda: Constant("0.1"), TypeError, r"lr must be .*got '0\.1'"),
        (lambda: Exponential(0.0, 10), ValueError, r"lr0 must be .*got 0\.0"),
        (lambda: Exponential(0.1, 0), ValueError, r"s must be a positive .*got 0"),
        (lambda: Exponential(0.1, -5), ValueError, r"s must be a positive .*got -5"),
        (lambda: Exponential(0.1, float("inf")), ValueError, r"s must be .*got inf"),
        (lambda: PiecewiseConstant([20, 10], [1.0, 0.5, 0.1]), ValueError,
         r"boundaries must be strictly increasing; got \[20, 10\]"),
        (lambda: PiecewiseConstant([0, 10], [1.0, 0.5, 0.1]), ValueError,
         r"boundaries\[0\] must be an integer >= 1; got 0"),
        (lambda: PiecewiseConstant([10.5], [1.0, 0.5]), TypeError,
         r"boundaries\[0\] must be an integer"),
        (lambda: PiecewiseConstant([10], [1.0]), ValueError,
         r"values must have one more entry than boundaries; got 1 values for 1"),
        (lambda: PiecewiseConstant([10], [1.0, -0.5]), ValueError,
         r"values\[1\] must be a positive finite float; got -0\.5"),
        (lambda: PiecewiseConstant(10, [1.0]), TypeError, r"boundaries must be a sequence"),
        (lambda: as_schedule("fast"), TypeError, r"lr must be a positive finite float, a "),
        (lambda: as_schedule(-1.0), ValueError, r"lr must be .*got -1\.0"),
        (lambda: Constant(0.1)(-1), ValueError, r"k must be an integer >= 0; got -1"),
        (lambda: Constant(0.1)(1.5), TypeError, r"k must be an integer"),
        (lambda: Exponential(0.1, 5)(np.array([0, -2])), ValueError, r"k must be >= 0"),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_exponential_never_underflows_to_zero():
    sched = Exponential(0.1, s=10)
    tiny = np.finfo(float).tiny
    assert sched(3300) == tiny  # 0.1 * 1e-330 would underflow to 0.0
    assert sched(10**6) == tiny
    assert_allclose(sched(np.array([0, 3000, 3300])), [0.1, 1e-301, tiny], rtol=1e-12)
    assert sched(3000) > tiny  # the clamp does not touch representable rates
