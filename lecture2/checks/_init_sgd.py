"""Exercises of chapters 09-10: weight initialisation, stochastic gradient
descent."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from ._registry import exercise

# ------------------------------------------------------------------ 09

_SIZES = [
    (1, 1),
    (2, 3),
    (3, 2),
    (100, 10),
    (10, 100),
    (784, 1000),
    (1000, 1),
    (64, 64),
]


def _std_check(fn, h, want, mistakes):
    for n_in, n_out in _SIZES:
        h.case()
        label = f"n_in = {n_in}, n_out = {n_out}"
        got = h.expect_number(h.call(label, n_in, n_out), label)
        h.expect_close(
            got,
            want(n_in, n_out),
            label,
            rtol=1e-12,
            atol=0.0,
            hint="the slide gives the variance sigma^2; the function "
            "returns the standard deviation sigma",
            mistakes=[(m(n_in, n_out), hint) for m, hint in mistakes],
        )


@exercise(
    "xavier_std",
    "09",
    "xavier_std",
    stub='''
import numpy as np


def xavier_std(n_in, n_out):
    """Standard deviation of Xavier (Glorot) initialisation.

    Parameters
    ----------
    n_in, n_out : int
        Number of neurons feeding the layer and number in the layer.

    Returns
    -------
    float
        sigma, where sigma^2 = 2 / (n_in + n_out).
    """
    raise NotImplementedError("Exercise: write xavier_std")
''',
    task="""Write `xavier_std(n_in, n_out)`, the standard deviation (not the
    variance) of the Gaussian weights of Xavier/Glorot initialisation, whose
    variance is the reciprocal of the average number of neurons,
    2 / (n_in + n_out). Return a float.""",
    title="Xavier's standard deviation",
    book=r"""Write `xavier_std(n_in, n_out)`, the standard deviation (not the
    variance) of the Gaussian weights of Xavier/Glorot initialisation
    {eq}`eq-09-xavier`, whose variance is the reciprocal of the average
    number of neurons, $2 / (n_{\text{in}} + n_{\text{out}})$. Return a
    float.""",
    forbidden=(
        "lecture2.init:init_std",
        "lecture2.init:init_weights",
        "lecture2.init:initialize",
    ),
)
def _check_xavier_std(fn, h):
    _std_check(
        fn,
        h,
        lambda a, b: math.sqrt(2.0 / (a + b)),
        [
            (lambda a, b: 2.0 / (a + b), "that is the variance; take its square root"),
            (
                lambda a, b: math.sqrt(1.0 / (a + b)),
                ("the average number of neurons is (n_in + n_out) / 2"),
            ),
            (
                lambda a, b: math.sqrt(2.0 / a),
                ("that is He's formula; Xavier uses both n_in and n_out"),
            ),
        ],
    )


@exercise(
    "he_std",
    "09",
    "he_std",
    stub='''
import numpy as np


def he_std(n_in, n_out):
    """Standard deviation of He initialisation.

    Parameters
    ----------
    n_in, n_out : int
        Number of neurons feeding the layer and number in the layer
        (n_out is not needed by the formula; it is here so that every
        initialiser has the same signature).

    Returns
    -------
    float
        sigma, where sigma^2 = 2 / n_in.
    """
    raise NotImplementedError("Exercise: write he_std")
''',
    task="""Write `he_std(n_in, n_out)`, the standard deviation of the Gaussian
    weights of He initialisation, whose variance is 2 / n_in (n_in is the
    number of neurons feeding the layer, its fan-in). The argument `n_out` is
    there only so that all initialisers share one signature. Return a
    float.""",
    title="He's standard deviation",
    book=r"""Write `he_std(n_in, n_out)`, the standard deviation of the
    Gaussian weights of He initialisation {eq}`eq-09-he`, whose variance is
    $2 / n_{\text{in}}$ ($n_{\text{in}}$ is the number of neurons feeding the
    layer, its fan-in). The argument `n_out` is there only so that all
    initialisers share one signature. Return a float.""",
    forbidden=(
        "lecture2.init:init_std",
        "lecture2.init:init_weights",
        "lecture2.init:initialize",
    ),
)
def _check_he_std(fn, h):
    _std_check(
        fn,
        h,
        lambda a, b: math.sqrt(2.0 / a),
        [
            (
                lambda a, b: math.sqrt(2.0 / b),
                (
                    "fan-in and fan-out are swapped: He "
                    "uses n_in, the number of inputs of each neuron"
                ),
            ),
            (lambda a, b: 2.0 / a, "that is the variance; take its square root"),
            (lambda a, b: math.sqrt(1.0 / a), "He's variance is 2 / n_in"),
            (lambda a, b: math.sqrt(2.0 / (a + b)), "that is Xavier's formula"),
        ],
    )


# ------------------------------------------------------------------ 10


@exercise(
    "minibatches",
    "10",
    "minibatches",
    stub='''
import numpy as np


def minibatches(n, batch_size, rng):
    """Split the indices 0..n-1 into shuffled mini-batches for one epoch.

    Parameters
    ----------
    n : int
        Number of training points.
    batch_size : int
        Points per batch; the last batch is smaller when batch_size does not
        divide n.
    rng : numpy.random.Generator
        The only source of randomness (the same seed gives the same batches).

    Returns
    -------
    list of ndarray of int
        Consecutive pieces of one random permutation: every index appears
        exactly once.
    """
    raise NotImplementedError("Exercise: write minibatches")
''',
    task="""Write `minibatches(n, batch_size, rng)`, the batches of one epoch of
    stochastic gradient descent: shuffle the indices 0, ..., n-1 once with
    the Generator `rng` (and nothing else: no `np.random.seed`, no global
    `np.random` functions), then cut the permutation into consecutive pieces
    of `batch_size` indices, the last one possibly shorter. Return a list of
    1-D integer arrays in which every index appears exactly once.""",
    title="shuffled mini-batches",
    book=r"""Write `minibatches(n, batch_size, rng)`, the batches
    $\mathcal{B}_k$ of {eq}`eq-10-sgd` for one epoch of stochastic gradient
    descent: shuffle the indices $0, \dots, n-1$ once with the Generator
    `rng` (and nothing else: no `np.random.seed`, no global `np.random`
    functions), then cut the permutation into consecutive pieces of
    `batch_size` indices, the last one possibly shorter. Return a list of
    1-D integer arrays in which every index appears exactly once.""",
    forbidden=("lecture2.training:iterate_minibatches",),
)
def _check_minibatches(fn, h):
    plan = [(10, 3), (12, 4), (100, 32), (5, 5), (5, 10), (7, 1), (1, 1), (1000, 100)]
    for n, bs in plan:
        h.case()
        label = f"n = {n}, batch_size = {bs}"
        take = functools.partial(_take, limit=n + 2)
        first = _batches(
            h,
            h.call(label, n, bs, np.random.default_rng(7), mutable=(2,), post=take),
            n,
            bs,
            label,
        )
        again = _batches(
            h,
            h.call(label, n, bs, np.random.default_rng(7), mutable=(2,), post=take),
            n,
            bs,
            label,
        )
        if any(not np.array_equal(a, b) for a, b in zip(first, again)):
            h.fail(
                f"two calls with the same seed give different batches ({label})",
                "draw the permutation from the rng argument (rng.permutation(n)), "
                "not from np.random",
            )
        if n >= 10:
            other = _batches(
                h,
                h.call(label, n, bs, np.random.default_rng(8), mutable=(2,), post=take),
                n,
                bs,
                label,
            )
            if all(np.array_equal(a, b) for a, b in zip(first, other)):
                h.fail(
                    f"different seeds give the same batches ({label})",
                    "the order must come from the rng argument",
                )
            if np.array_equal(np.concatenate(first), np.arange(n)):
                h.fail(
                    f"the indices are not shuffled ({label})",
                    "shuffle once per epoch, e.g. with rng.permutation(n)",
                )


def _take(out, limit):
    """A generator or other iterator the student returned, as a list (at
    most ``limit`` items, so an endless generator cannot hang the check)."""
    if isinstance(out, (list, tuple, np.ndarray, str, bytes)) or out is None:
        return out
    if hasattr(out, "__next__") or (
        hasattr(out, "__iter__") and not hasattr(out, "__len__")
    ):
        return list(itertools.islice(out, limit))
    return out


def _batches(h, out, n, bs, label):
    if (
        out is None
        or isinstance(out, (np.ndarray, str, bytes))
        or not hasattr(out, "__iter__")
    ):
        h.fail(
            f"the result should be a list of index arrays, but it is "
            f"{type(out).__name__} (for {label})",
            "collect the batches in a list, e.g. [perm[i:i + batch_size] ...]",
        )
    out = list(out)
    for b in out:
        if not isinstance(b, np.ndarray) or b.ndim != 1 or b.dtype.kind not in "iu":
            h.fail(
                f"each batch should be a 1-D integer array (for {label})",
                "slice an integer permutation such as rng.permutation(n)",
            )
    count = -(-n // bs)
    sizes = [len(b) for b in out]
    if (
        len(out) != count
        or sizes[:-1] != [bs] * (count - 1)
        or sizes[-1] != n - bs * (count - 1)
    ):
        h.fail(
            f"wrong number or sizes of batches (for {label})",
            "all batches hold batch_size indices except possibly the last, which "
            "holds what is left; none are dropped, none are empty",
        )
    if not np.array_equal(np.sort(np.concatenate(out)), np.arange(n)):
        h.fail(
            f"the batches do not contain every index 0..n-1 exactly once ({label})",
            "cut one permutation into pieces; do not draw each batch "
            "independently (that repeats some points and misses others)",
        )
    return out
