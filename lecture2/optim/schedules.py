"""Learning-rate schedules ``k -> eta_k`` (lecture: "Learning Rate Schedule").

A schedule is a callable that maps the step counter ``k = 0, 1, 2, ...`` to
the learning rate ``eta_k`` (spelled ``lr`` in code) used by update ``k``,
that is by the update ``w^{k+1} = w^k + eta_k v^k`` of eq. (4). ``k`` counts
from 0, so the first update uses ``eta_0`` (``lr0``).

Every schedule also accepts an integer array of steps and then returns an
array of learning rates, which is handy for plotting a schedule.
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from lecture2._validate import check_int, check_positive

__all__ = [
    "Constant",
    "Exponential",
    "PiecewiseConstant",
    "Schedule",
    "as_schedule",
]

# The smallest positive normal float64: Exponential's floor (no underflow to 0).
_TINY = np.finfo(np.float64).tiny


def _check_step(k):
    """Return ``k`` as an int or an int64 array of non-negative steps."""
    if np.ndim(k) == 0:
        return check_int("k", k, minimum=0)
    arr = np.asarray(k)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"k must be an integer or an array of integers; got dtype {arr.dtype}")
    if arr.size and arr.min() < 0:
        raise ValueError(f"k must be >= 0; got an array with minimum {arr.min()}")
    return arr.astype(np.int64)


class Schedule:
    """Base class: a learning rate for every step ``k >= 0``.

    Subclasses implement ``_value(k)`` for an int or an int array; ``__call__``
    checks ``k`` first.
    """

    def __call__(self, k):
        k = _check_step(k)
        value = self._value(k)
        return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)

    def _value(self, k):  # pragma: no cover - abstract
        raise NotImplementedError


class Constant(Schedule):
    r"""The constant schedule :math:`\eta_k = \eta` for every step ``k``.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta > 0`.

    Examples
    --------
    >>> Constant(0.1)(0), Constant(0.1)(1000)
    (0.1, 0.1)
    """

    def __init__(self, lr):
        self.lr = check_positive("lr", lr)

    def _value(self, k):
        return np.full(np.shape(k), self.lr) if np.ndim(k) else self.lr

    def __repr__(self):
        return f"Constant(lr={self.lr!r})"


class Exponential(Schedule):
    r"""Exponential decay :math:`\eta_k = \eta_0 \, 0.1^{k/s}` (lecture, "Learning Rate Schedule").

    The rate falls by a factor of 10 every ``s`` steps: ``eta_0`` at ``k = 0``
    (the first update), ``eta_0 / 10`` at ``k = s``, ``eta_0 / 100`` at
    ``k = 2 s``.

    The formula underflows to 0 once :math:`\eta_0 0.1^{k/s}` falls below the
    smallest float (for ``lr0=0.1, s=10`` at about ``k = 3230``), and a rate of
    0 is not a learning rate. So the value is clamped from below at the
    smallest positive normal float, ``numpy.finfo(float).tiny`` (about
    2.2e-308): a long run keeps going with updates too small to change the
    weights, instead of stopping with an error.

    Parameters
    ----------
    lr0 : float
        The initial rate :math:`\eta_0 > 0`.
    s : float
        The number of steps over which the rate falls tenfold, ``s > 0``
        (need not be an integer).

    Examples
    --------
    >>> sched = Exponential(0.1, s=100)
    >>> sched(0), round(sched(100), 12), round(sched(200), 12)
    (0.1, 0.01, 0.001)
    """

    def __init__(self, lr0, s):
        self.lr0 = check_positive("lr0", lr0)
        self.s = check_positive("s", s)

    def _value(self, k):
        rate = self.lr0 * 0.1 ** (np.asarray(k, dtype=float) / self.s)
        # clamp: never 0 (underflow) for finite k, see the class docstring
        return np.maximum(rate, _TINY)

    def __repr__(self):
        return f"Exponential(lr0={self.lr0!r}, s={self.s!r})"


class PiecewiseConstant(Schedule):
    r"""A constant rate on each interval of steps (lecture, "Learning Rate Schedule").

    With boundaries :math:`b_1 < b_2 < \dots < b_n` and values
    :math:`v_0, \dots, v_n`, :math:`\eta_k = v_i` for :math:`b_i \le k < b_{i+1}`,
    where :math:`b_0 = 0` and :math:`b_{n+1} = \infty`: ``values[0]`` before the
    first boundary, ``values[i]`` from ``boundaries[i-1]`` on, ``values[-1]``
    from the last boundary on.

    Parameters
    ----------
    boundaries : sequence of int
        Strictly increasing steps ``>= 1`` where the rate changes.
    values : sequence of float
        ``len(boundaries) + 1`` positive rates.

    Examples
    --------
    >>> sched = PiecewiseConstant([100, 200], [0.1, 0.01, 0.001])
    >>> sched(0), sched(99), sched(100), sched(199), sched(200)
    (0.1, 0.1, 0.01, 0.01, 0.001)
    """

    def __init__(self, boundaries, values):
        for name, seq in (("boundaries", boundaries), ("values", values)):
            if isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__"):
                raise TypeError(f"{name} must be a sequence; got {seq!r}")
        bounds = [check_int(f"boundaries[{i}]", b, minimum=1) for i, b in enumerate(boundaries)]
        if any(b1 <= b0 for b0, b1 in itertools.pairwise(bounds)):
            raise ValueError(f"boundaries must be strictly increasing; got {bounds}")
        rates = [check_positive(f"values[{i}]", v) for i, v in enumerate(values)]
        if len(rates) != len(bounds) + 1:
            raise ValueError(
                "values must have one more entry than boundaries; got "
                f"{len(rates)} values for {len(bounds)} boundaries"
            )
        self.boundaries = tuple(bounds)
        self.values = tuple(rates)

    def _value(self, k):
        # side="right": at k == boundaries[i] the next value is already in use.
        index = np.searchsorted(self.boundaries, k, side="right")
        return np.asarray(self.values)[index]

    def __repr__(self):
        return f"PiecewiseConstant(boundaries={list(self.boundaries)}, values={list(self.values)})"


class _Callable(Schedule):
    """A user's function ``k -> lr``, with its values checked at every call."""

    def __init__(self, fn):
        self.fn = fn

    def _value(self, k):
        if np.ndim(k):
            values = np.array([self._value(int(j)) for j in k.ravel()])
            return values.reshape(k.shape)
        lr = self.fn(k)
        if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, numbers.Real) or not (
            np.isfinite(lr) and lr > 0
        ):
            raise ValueError(
                f"the learning-rate schedule must return a positive finite float; "
                f"got {lr!r} at step k = {k}"
            )
        return float(lr)

    def __repr__(self):
        return f"as_schedule({self.fn!r})"


def as_schedule(lr):
    """Return a :class:`Schedule` for a float, a Schedule or a function ``k -> lr``.

    Parameters
    ----------
    lr : float, Schedule or callable
        A positive float gives :class:`Constant`; a Schedule is returned as it
        is; any other callable ``k -> lr`` is wrapped so that each value it
        returns is checked (a positive finite float) when it is used.

    Examples
    --------
    >>> as_schedule(0.05)
    Constant(lr=0.05)
    """
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        return _Callable(lr)
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, numbers.Real):
        raise TypeError(
            "lr must be a positive finite float, a Schedule or a callable k -> lr; "
            f"got {lr!r}"
        )
    return Constant(lr)
