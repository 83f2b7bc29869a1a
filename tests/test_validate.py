"""Tests for lecture2._validate, the shared argument checks."""

import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from lecture2._validate import (
    check_array,
    check_choice,
    check_finite,
    check_int,
    check_nonnegative,
    check_positive,
    check_probability,
    check_rng,
    check_sizes,
)


def test_accepted_values_are_returned_clean():
    assert check_positive("lr", 0.1) == 0.1
    assert type(check_positive("lr", np.float32(0.5))) is float
    assert check_nonnegative("tol", 0) == 0.0
    assert check_finite("a", -3) == -3.0
    assert check_probability("beta", 0.9) == 0.9
    assert check_probability("p", 1.0, open_high=False) == 1.0
    assert check_probability("p", 0.0, open_low=False) == 0.0
    assert check_int("steps", np.int64(5), minimum=0) == 5
    assert type(check_int("steps", np.int64(5))) is int
    assert check_choice("kind", "he", ("he", "xavier")) == "he"
    assert check_sizes([1, np.int64(30), 1]) == (1, 30, 1)
    gen = np.random.default_rng(0)
    assert check_rng("rng", gen) is gen
    assert_array_equal(check_rng("rng", 3).random(2), np.random.default_rng(3).random(2))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: check_positive("lr", -0.1), ValueError, "lr must be a positive finite float; got -0.1"),
        (lambda: check_positive("lr", 0), ValueError, "lr must be a positive finite float; got 0"),
        (lambda: check_positive("lr", float("inf")), ValueError, "lr must be a positive finite float; got inf"),
        (lambda: check_positive("lr", "0.1"), TypeError, "lr must be a positive finite float; got '0.1'"),
        (lambda: check_positive("lr", True), TypeError, "lr must be a positive finite float; got True"),
        (lambda: check_positive("lr", [0.1]), TypeError, "lr must be a positive finite float; got [0.1]"),
        (lambda: check_nonnegative("tol", -1e-9), ValueError, "tol must be a non-negative finite float; got -1e-09"),
        (lambda: check_finite("a", float("nan")), ValueError, "a must be a finite float; got nan"),
        (lambda: check_probability("beta", 1.0), ValueError, "beta must be a float in (0, 1); got 1.0"),
        (lambda: check_probability("beta", 0), ValueError, "beta must be a float in (0, 1); got 0"),
        (lambda: check_probability("c", 1.5, open_low=False, open_high=False), ValueError, "c must be a float in [0, 1]; got 1.5"),
        (lambda: check_int("steps", -1, minimum=0), ValueError, "steps must be an integer >= 0; got -1"),
        (lambda: check_int("steps", 2.0), TypeError, "steps must be an integer; got 2.0"),
        (lambda: check_int("steps", False, 0), TypeError, "steps must be an integer >= 0; got False"),
        (lambda: check_choice("kind", "x", ("a", "b")), ValueError, "kind must be one of 'a', 'b'; got 'x'"),
        (lambda: check_choice("kind", 1, ("a", "b")), TypeError, "kind must be one of 'a', 'b'; got 1"),
        (lambda: check_rng("rng", None), TypeError, "rng must be a numpy.random.Generator or a non-negative integer seed; got None"),
        (lambda: check_rng("rng", np.random.RandomState(0)), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: check_array("X", [[1.0], [2.0, 3.0]]), TypeError, "X must be an array of real numbers"),
        (lambda: check_array("X", ["a"]), TypeError, "X must be an array of real numbers"),
        (lambda: check_array("X", [1j]), TypeError, "X must be an array of real numbers; got array of shape (1,) and dtype complex128"),
        (lambda: check_array("X", np.zeros(3), ndim=2), ValueError, "X must be a 2-D array; got shape (3,)"),
        (lambda: check_array("X", np.zeros(3), ndim=(2, 3)), ValueError, "X must be a 2-D or 3-D array; got shape (3,)"),
        (lambda: check_array("w", np.zeros((3, 1)), shape=(3,)), ValueError, "w must have shape (3,); got shape (3, 1)"),
        (lambda: check_array("X", np.zeros((3, 2)), shape=(None, 1)), ValueError, "X must have shape (n, 1); got shape (3, 2)"),
        (lambda: check_array("X", [np.nan]), ValueError, "X must contain only finite numbers; got NaN or infinity"),
        (lambda: check_sizes([1]), ValueError, "sizes must be a list of at least 2 positive integers; got [1]"),
        (lambda: check_sizes([1, 0], name="layers"), ValueError, "layers must be a list of at least 2 positive integers; got [1, 0] (layers[1] = 0 is not positive)"),
    ],
)
def test_messages_name_parameter_expectation_and_value(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_check_array_converts_without_copy_when_possible():
    x = np.arange(4.0)
    assert check_array("x", x) is x
    assert check_array("x", [True, False]).dtype == np.float64
    assert_array_equal(check_array("x", [np.inf], finite=False), [np.inf])
