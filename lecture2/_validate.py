"""Argument checks shared by the package.

Every helper returns the cleaned value (a Python ``float``/``int``, a float64
array or a ``Generator``) or raises an error whose message follows one
pattern::

    NAME must be WHAT WAS EXPECTED; got WHAT WAS RECEIVED

``TypeError`` when the kind of object is wrong (a string where a number was
expected), ``ValueError`` when the kind is right but the value is not (a
negative learning rate, a wrong shape).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "check_array",
    "check_choice",
    "check_finite",
    "check_int",
    "check_nonnegative",
    "check_positive",
    "check_probability",
    "check_rng",
    "check_sizes",
]


def _show(value) -> str:
    """A short representation of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _real(name: str, value, expected: str) -> float:
    """``value`` as a float, or a TypeError naming ``expected``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}; got {_show(value)}")
    return float(value)


def check_finite(name: str, value) -> float:
    """Return ``value`` as a float; it must be a finite real number."""
    expected = "a finite float"
    x = _real(name, value, expected)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be {expected}; got {_show(value)}")
    return x


def check_positive(name: str, value) -> float:
    """Return ``value`` as a float; it must be finite and > 0.

    Examples
    --------
    >>> check_positive("lr", 0.1)
    0.1
    >>> check_positive("lr", -0.1)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a positive finite float; got -0.1
    """
    expected = "a positive finite float"
    x = _real(name, value, expected)
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be {expected}; got {_show(value)}")
    return x


def check_nonnegative(name: str, value) -> float:
    """Return ``value`` as a float; it must be finite and >= 0."""
    expected = "a non-negative finite float"
    x = _real(name, value, expected)
    if not (np.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be {expected}; got {_show(value)}")
    return x


def check_probability(name: str, value, *, open_low: bool = True,
                      open_high: bool = True) -> float:
    """Return ``value`` as a float in the interval between 0 and 1.

    ``open_low``/``open_high`` say whether 0 and 1 are excluded (both by
    default: the interval is (0, 1), as for momentum decay ``beta``).
    """
    left, right = ("(" if open_low else "["), (")" if open_high else "]")
    expected = f"a float in {left}0, 1{right}"
    x = _real(name, value, expected)
    low_ok = x > 0 if open_low else x >= 0
    high_ok = x < 1 if open_high else x <= 1
    if not (low_ok and high_ok):
        raise ValueError(f"{name} must be {expected}; got {_show(value)}")
    return x


def check_int(name: str, value, minimum: int | None = None) -> int:
    """Return ``value`` as an int; it must be an integer >= ``minimum``.

    Booleans and floats (even ``3.0``) are refused: a count is an integer.
    """
    expected = "an integer" if minimum is None else f"an integer >= {minimum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {_show(value)}")
    n = int(value)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be {expected}; got {n}")
    return n


def check_choice(name: str, value, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (strings), else raise."""
    expected = "one of " + ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {expected}; got {_show(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be {expected}; got {value!r}")
    return value


def check_array(name: str, x, ndim=None, *, shape=None, finite: bool = True
                ) -> np.ndarray:
    """Return ``x`` as a float64 array after checking its shape.

    Parameters
    ----------
    name : str
        The parameter's name, used in the error message.
    x : array_like
        Real numbers (integers and booleans are converted to float64).
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    shape : tuple, optional
        Required shape; an entry ``None`` matches any length.
    finite : bool, default True
        Refuse NaN and infinite entries.

    Returns
    -------
    numpy.ndarray
        ``x`` as float64 (no copy when it already is one).
    """
    expected = f"{name} must be an array of real numbers; got "
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged nested lists
        raise TypeError(expected + _show(x)) from None
    # Refuse text, complex (its imaginary part would be dropped with a
    # warning), dates; accept booleans, integers, floats, objects holding them.
    if arr.dtype.kind not in "biufO":
        raise TypeError(expected + _show(arr))
    try:
        arr = arr.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise TypeError(expected + _show(x)) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{k}-D" for k in allowed)
            raise ValueError(
                f"{name} must be a {want} array; got shape {arr.shape}"
            )
    if shape is not None:
        ok = arr.ndim == len(shape) and all(
            s is None or s == t for s, t in zip(shape, arr.shape)
        )
        if not ok:
            want = "(" + ", ".join("n" if s is None else str(s) for s in shape)
            want += ",)" if len(shape) == 1 else ")"
            raise ValueError(
                f"{name} must have shape {want}; got shape {arr.shape}"
            )
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} must contain only finite numbers; got NaN or infinity"
        )
    return arr


def check_rng(name: str, rng) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from ``rng``.

    ``rng`` is a Generator (used as is) or a non-negative integer seed (a new
    ``numpy.random.default_rng(seed)``). ``None`` is refused: every random
    draw in this package is reproducible.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    expected = "a numpy.random.Generator or a non-negative integer seed"
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {_show(rng)}")
    if rng < 0:
        raise ValueError(f"{name} must be {expected}; got {int(rng)}")
    return np.random.default_rng(int(rng))


def check_sizes(sizes, name: str = "sizes") -> tuple[int, ...]:
    """Return layer widths ``[N_0, ..., N_L]`` as a tuple of ints.

    ``sizes`` must be a sequence of at least two positive integers: the input
    dimension ``d = N_0``, any hidden widths, the output dimension ``m = N_L``.
    """
    expected = "a list of at least 2 positive integers"
    if isinstance(sizes, (str, bytes)) or not isinstance(
        sizes, (Sequence, np.ndarray)
    ):
        raise TypeError(f"{name} must be {expected}; got {_show(sizes)}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"{name} must be {expected}; got {_show(sizes)}")
    for k, s in enumerate(sizes):
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Integral):
            raise TypeError(
                f"{name} must be {expected}; got {_show(sizes)} "
                f"({name}[{k}] = {s!r} is not an integer)"
            )
        if s < 1:
            raise ValueError(
                f"{name} must be {expected}; got {_show(sizes)} "
                f"({name}[{k}] = {s!r} is not positive)"
            )
    return tuple(int(s) for s in sizes)
