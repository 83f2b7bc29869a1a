"""Exercises of chapters 01-03: networks, nonlinearities, universal approximation."""

from __future__ import annotations

import itertools

import numpy as np

from ._registry import exercise, rng_for

# The check's own nonlinearities (written here, independent of lecture2).


def _identity(f):
    return np.array(f, dtype=np.float64)


def _relu(f):
    return np.maximum(f, 0.0)


def _logistic(f):
    f = np.asarray(f, dtype=np.float64)
    e = np.exp(-np.abs(f))  # never overflows
    return np.where(f >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _step(f):
    return (np.asarray(f) > 0).astype(np.float64)


SIGMAS = {
    "tanh": np.tanh,
    "relu": _relu,
    "logistic": _logistic,
    "identity": _identity,
    "step": _step,
}


# ------------------------------------------------------------------ 01


@exercise(
    "parameter_count",
    "01",
    "parameter_count",
    stub='''
def parameter_count(sizes):
    """Number p of weights of a fully connected network, biases included.

    Parameters
    ----------
    sizes : list of int
        Layer widths [N_0, N_1, ..., N_L]: N_0 = d inputs, N_L = m outputs.

    Returns
    -------
    int
        The length of the weight vector w: all w_jk^l of the network
        equations (the slides' eq. (1)), for
        l = 1..L, j = 0..N_{l-1} (j = 0 is the bias), k = 1..N_l.
    """
    raise NotImplementedError("Exercise: write parameter_count")
''',
    task="""Write `parameter_count(sizes)`, which returns the number p of weights
    of a fully connected network with layer widths `sizes = [N_0, ..., N_L]`.
    Count every weight w_jk^l of the network equations (the slides' eq. (1)),
    the bias weights w_0k^l included, and return a Python `int`. Do not use
    lecture2's own `count_parameters`.""",
    title="counting the weights",
    book=r"""Write `parameter_count(sizes)`, which returns the number $p$ of
    weights of a fully connected network with layer widths
    `sizes` $= [N_0, \dots, N_L]$. Count every weight $w_{jk}^\ell$ of
    {eq}`eq-01-forward`, the bias weights $w_{0k}^\ell$ included, and return
    a Python `int`. Do not use lecture2's own `count_parameters`.""",
    forbidden=("lecture2.network:count_parameters", "lecture2.network:Network"),
)
def _check_parameter_count(fn, h):
    rng = rng_for("parameter_count")
    cases = [
        [1, 1],
        [2, 3],
        [3, 5, 2],
        [1, 20, 20, 1],
        (4, 8, 8, 8, 3),
        [784, 1000, 1000, 10],
        [1, 1000, 1],
    ]
    for _ in range(6):
        cases.append([int(v) for v in rng.integers(1, 60, size=rng.integers(2, 7))])
    for sizes in cases:
        h.case()
        label = f"sizes = {list(sizes)}"
        got = h.expect_number(h.call(label, sizes), label, integer=True)
        pairs = list(itertools.pairwise(sizes))
        want = sum((a + 1) * b for a, b in pairs)
        if got != want:
            if got == sum(a * b for a, b in pairs):
                h.fail(
                    f"wrong count for {label}",
                    "the bias weights w_0k^l are missing: each neuron also has one",
                )
            if got == sum(a * (b + 1) for a, b in pairs):
                h.fail(
                    f"wrong count for {label}",
                    "one bias per neuron of the *receiving* layer l, not per input",
                )
            h.fail(
                f"wrong count for {label}",
                "layer l has (N_{l-1} + 1) * N_l weights; add them up over "
                "l = 1..L (there are len(sizes) - 1 layers of weights)",
            )


@exercise(
    "layer_forward",
    "01",
    "layer_forward",
    stub='''
import numpy as np


def layer_forward(g_prev, W, b, sigma):
    """One layer of the slides' eq. (1) for a batch: g = sigma(g_prev @ W + b).

    Parameters
    ----------
    g_prev : ndarray, shape (n, N_prev)
        Outputs g^{l-1} of the previous layer, one row per input point.
    W : ndarray, shape (N_prev, N)
        Weights w_jk^l: row j is the input neuron, column k the output neuron.
    b : ndarray, shape (N,)
        Bias weights w_0k^l.
    sigma : callable
        The nonlinearity; it acts elementwise on an array.

    Returns
    -------
    ndarray, shape (n, N)
        The layer's outputs g^l = sigma(f^l).
    """
    raise NotImplementedError("Exercise: write layer_forward")
''',
    task="""Write `layer_forward(g_prev, W, b, sigma)`, one layer of the
    network equations (the slides' eq. (1)) for a whole batch: the
    activations are f = g_prev @ W + b (one row per point, `W` of shape
    (N_prev, N), `b` of shape (N,)) and the function returns g = sigma(f)
    with shape (n, N). Use matrix products, no loop over the points.""",
    title="one layer for a batch",
    book=r"""Write `layer_forward(g_prev, W, b, sigma)`, one layer of
    {eq}`eq-01-forward` for a whole batch, as in {eq}`eq-01-batch`: the
    activations are $F = G^{\ell-1} W + \mathbf{1}\,\mathbf{b}^\top$, in code
    `g_prev @ W + b` (one row per point, `W` of shape `(N_prev, N)`, `b` of
    shape `(N,)`), and the function returns $G = \sigma(F)$ with shape
    `(n, N)`. Use matrix products, no loop over the points.""",
    forbidden=(
        "lecture2.network:Network.forward",
        "lecture2.network:Network.forward_trace",
    ),
)
def _check_layer_forward(fn, h):
    rng = rng_for("layer_forward")
    dims = [
        (1, 1, 1, "tanh"),
        (5, 3, 4, "tanh"),
        (7, 4, 4, "relu"),
        (50, 10, 2, "logistic"),
        (3, 2, 1, "identity"),
        (6, 5, 5, "tanh"),
        (4, 3, 6, "step"),
    ]
    for n, n_prev, n_out, sig in dims:
        g = rng.normal(size=(n, n_prev))
        W = rng.normal(size=(n_prev, n_out))
        b = rng.normal(size=n_out)
        _layer_case(
            fn,
            h,
            g,
            W,
            b,
            sig,
            f"g_prev of shape {g.shape}, W of shape {W.shape}, sigma = {sig}",
        )
    # edge cases: zero inputs, large inputs
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    _layer_case(
        fn, h, np.zeros((4, 3)), W, b, "tanh", "g_prev = 0 (zeros of shape (4, 3))"
    )
    _layer_case(
        fn,
        h,
        1000.0 * rng.normal(size=(4, 3)),
        W,
        b,
        "logistic",
        "g_prev with entries near 1000 (shape (4, 3))",
    )


def _layer_case(fn, h, g, W, b, sig, label):
    h.case()
    sigma = SIGMAS[sig]
    out = h.expect_array(h.call(label, g, W, b, sigma), (g.shape[0], W.shape[1]), label)
    mistakes = [
        (sigma(g @ W), "the bias b is missing"),
        (sigma(g @ W) + b, "the bias goes inside sigma: sigma(g_prev @ W + b)"),
        (g @ W + b, "sigma is not applied"),
        (sigma(g) @ W + b, "sigma acts on f = g_prev @ W + b, not on g_prev"),
    ]
    if W.shape[0] == W.shape[1]:
        mistakes.append(
            (
                sigma(g @ W.T + b),
                ("W is transposed: f_k = sum_j g_j w_jk, i.e. g_prev @ W"),
            )
        )
    h.expect_close(
        out,
        sigma(g @ W + b),
        label,
        rtol=1e-9,
        atol=1e-12,
        hint="f = g_prev @ W + b, then g = sigma(f)",
        mistakes=mistakes,
    )


# ------------------------------------------------------------------ 02


def _swish_prime(x):
    """Independent formula: d/dx [x s(x)] = s + x s (1 - s), s = logistic."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        one_minus_s = np.where(x >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
        return s + x * s * one_minus_s


@exercise(
    "swish_derivative",
    "02",
    "swish_derivative",
    stub='''
import numpy as np


def swish_derivative(x):
    """Derivative sigma'(x) of swish, sigma(x) = x / (1 + exp(-x)).

    Parameters
    ----------
    x : ndarray of float, any shape
        Points where the derivative is wanted (|x| may be as large as 1000).

    Returns
    -------
    ndarray of float, same shape as x
        sigma'(x), computed without overflow (no RuntimeWarning).
    """
    raise NotImplementedError("Exercise: write swish_derivative")
''',
    task="""Write `swish_derivative(x)`, the derivative of the swish nonlinearity
    sigma(x) = x / (1 + e^{-x}), elementwise for an array `x` of any shape,
    returning an array of the same shape. Derive it with the product rule
    (writing s(x) for the logistic function helps), and compute it so that
    no overflow happens and no RuntimeWarning appears, even at x = -1000 or
    x = 1000.""",
    title="the derivative of swish",
    book=r"""Write `swish_derivative(x)`, the derivative of the swish
    nonlinearity {eq}`eq-02-swish`, $\sigma(x) = x / (1 + e^{-x})$,
    elementwise for an array `x` of any shape, returning an array of the same
    shape. Derive it with the product rule (writing $s(x)$ for the logistic
    function helps), and compute it so that no overflow happens and no
    `RuntimeWarning` appears, even at $x = -1000$ or $x = 1000$.""",
    forbidden=(
        "lecture2.activations:swish_derivative",
        "lecture2.activations:Activation.derivative",
        "lecture2.checks._networks:_swish_prime",
    ),
)
def _check_swish_derivative(fn, h):
    rng = rng_for("swish_derivative")
    edge = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    cases = [
        (np.array([0.0]), "x = [0.]"),
        (edge, f"x = {edge.tolist()}"),
        (rng.normal(scale=4.0, size=50), "x of shape (50,) drawn at random"),
        (rng.uniform(-10, 10, size=(4, 3)), "x of shape (4, 3) drawn at random"),
        (rng.normal(size=(6, 1)), "x of shape (6, 1) drawn at random"),
    ]
    for x, label in cases:
        h.case()
        out = h.expect_array(h.call(label, x), x.shape, label)
        with np.errstate(all="ignore"):
            s = _logistic(x)
            mistakes = [
                (
                    s * (1 - s),
                    (
                        "that is the derivative of the logistic "
                        "function; swish is x times it: use the product rule"
                    ),
                ),
                (s, "the product rule gives two terms; one is missing"),
                (x * s * (1 - s), ("the product rule gives two terms; one is missing")),
                (x * s, "that is swish itself, not its derivative"),
            ]
        h.expect_close(
            out,
            _swish_prime(x),
            label,
            rtol=1e-7,
            atol=1e-12,
            hint="with s = 1/(1 + e^{-x}), (x s)' = s + x s'(x) and s' = s (1 - s)",
            mistakes=mistakes,
        )


def _elu(x, alpha):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


@exercise(
    "elu",
    "02",
    "elu",
    stub='''
import numpy as np


def elu(x, alpha=1.0):
    """The ELU nonlinearity: x for x > 0, alpha * (exp(x) - 1) for x <= 0.

    Parameters
    ----------
    x : ndarray of float, any shape
        Inputs (|x| may be as large as 1000).
    alpha : float, default 1.0
        The positive scale of the negative branch.

    Returns
    -------
    ndarray of float, same shape as x
        Computed without overflow (no RuntimeWarning).
    """
    raise NotImplementedError("Exercise: write elu")
''',
    task="""Write `elu(x, alpha=1.0)`, the exponential linear unit: x where
    x > 0 and alpha (e^x - 1) where x <= 0, elementwise, for an array of any
    shape. It must not overflow: `np.where` evaluates both branches
    everywhere, so `np.exp(x)` at x = 1000 overflows and warns even though
    that branch is not selected. Find a way to evaluate the exponential only
    where it is small (for accuracy near 0, `np.expm1` is worth knowing).""",
    title="ELU without overflow",
    book=r"""Write `elu(x, alpha=1.0)`, the exponential linear unit
    {eq}`eq-02-elu`: $x$ where $x > 0$ and $\alpha\,(e^x - 1)$ where
    $x \le 0$, elementwise, for an array of any shape. It must not overflow:
    `np.where` evaluates both branches everywhere, so `np.exp(x)` at
    $x = 1000$ overflows and warns even though that branch is not selected.
    Find a way to evaluate the exponential only where it is small (for
    accuracy near 0, `np.expm1` is worth knowing).""",
    forbidden=(
        "lecture2.activations:elu",
        "lecture2.activations:Activation.__call__",
        "lecture2.checks._networks:_elu",
    ),
)
def _check_elu(fn, h):
    rng = rng_for("elu")
    edge = np.array([-1000.0, -5.0, -1e-8, 0.0, 1e-8, 2.0, 1000.0])
    cases = [
        (np.array([0.0]), 1.0, "x = [0.], alpha = 1.0"),
        (edge, 1.0, f"x = {edge.tolist()}, alpha = 1.0"),
        (edge, 0.5, f"x = {edge.tolist()}, alpha = 0.5"),
        (
            rng.normal(scale=3.0, size=40),
            2.0,
            ("x of shape (40,) drawn at random, alpha = 2.0"),
        ),
        (rng.uniform(-5, 5, size=(3, 4)), 0.3, "x of shape (3, 4), alpha = 0.3"),
        (rng.normal(size=(5, 1)), 1.0, "x of shape (5, 1), alpha = 1.0"),
    ]
    for x, alpha, label in cases:
        h.case()
        out = h.expect_array(h.call(label, x, alpha), x.shape, label)
        with np.errstate(all="ignore"):
            mistakes = [
                (_elu(x, 1.0), "alpha is ignored: it scales the negative branch"),
                (
                    np.where(x > 0, x, alpha * np.exp(x)),
                    ("the negative branch is alpha (e^x - 1): the -1 is missing"),
                ),
                (np.maximum(x, 0), "that is ReLU; ELU is alpha (e^x - 1) for x <= 0"),
                (
                    np.where(x > 0, alpha * x, np.expm1(x)),
                    ("alpha multiplies the negative branch, not the positive one"),
                ),
            ]
        h.expect_close(
            out,
            _elu(x, alpha),
            label,
            rtol=1e-7,
            atol=1e-12,
            hint="x for x > 0, alpha (e^x - 1) for x <= 0",
            mistakes=mistakes,
        )


# ------------------------------------------------------------------ 03


@exercise(
    "shallow_network",
    "03",
    "shallow_network",
    stub='''
import numpy as np


def shallow_network(x, a, b, c, sigma):
    """Cybenko's shallow network for scalar x: sum_i c_i sigma(a_i x + b_i).

    Parameters
    ----------
    x : ndarray, shape (n,)
        Input points.
    a, b, c : ndarray, shape (k,)
        Input weights a_i, offsets b_i (the bias weights), output weights c_i
        of the k hidden neurons.
    sigma : callable
        The nonlinearity; it acts elementwise on an array.

    Returns
    -------
    ndarray, shape (n,)
        f(x_j) = sum_{i=1}^k c_i sigma(a_i x_j + b_i) for every point x_j.
    """
    raise NotImplementedError("Exercise: write shallow_network")
''',
    task="""Write `shallow_network(x, a, b, c, sigma)`, the shallow network of
    Cybenko's theorem for scalar inputs: f(x) = sum_{i=1}^k c_i sigma(a_i x + b_i),
    evaluated at every point of `x` (shape (n,)), with `a`, `b`, `c` of shape
    (k,). Return an array of shape (n,). Use broadcasting (an (n, k) array of
    hidden activations) rather than a loop over the points.""",
    title="Cybenko's shallow network",
    book=r"""Write `shallow_network(x, a, b, c, sigma)`, the shallow network of
    Cybenko's theorem for scalar inputs,
    $f(x) = \sum_{i=1}^k c_i\, \sigma(a_i x + b_i)$ ({eq}`eq-03-shallow`
    with $d = 1$ and no output bias $c_0$), evaluated at every point of `x`
    (shape `(n,)`), with `a`, `b`, `c` of shape `(k,)`. Return an array of
    shape `(n,)`. Use broadcasting (an `(n, k)` array of hidden activations)
    rather than a loop over the points.""",
    forbidden=("lecture2.network:Network",),
)
def _check_shallow_network(fn, h):
    rng = rng_for("shallow_network")
    plan = [
        (1, 1, "tanh", 1.0),
        (50, 5, "tanh", 3.0),
        (20, 8, "logistic", 10.0),
        (30, 4, "relu", 2.0),
        (12, 6, "step", 5.0),
        (8, 3, "logistic", 1000.0),
    ]
    for n, k, sig, scale in plan:
        x = np.sort(rng.uniform(0, 1, size=n))
        a = scale * rng.normal(size=k)
        b = rng.normal(size=k) * (scale if scale < 100 else 1.0)
        c = rng.normal(size=k)
        label = f"x of shape ({n},), k = {k} neurons, sigma = {sig}" + (
            ", weights a near 1000" if scale >= 100 else ""
        )
        _shallow_case(fn, h, x, a, b, c, sig, label)
    a, b, c = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    _shallow_case(fn, h, np.zeros(4), a, b, c, "tanh", "x = 0 (shape (4,)), k = 3")


def _shallow_case(fn, h, x, a, b, c, sig, label):
    h.case()
    sigma = SIGMAS[sig]
    out = h.expect_array(h.call(label, x, a, b, c, sigma), x.shape, label)
    z = np.outer(x, a) + b
    mistakes = [
        (sigma(z).sum(axis=1), "the output weights c are missing"),
        (
            sigma(np.outer(x, b) + a) @ c,
            ("a multiplies x and b is the offset: sigma(a_i x + b_i)"),
        ),
        (sigma(np.outer(x, a)) @ c, "the offsets b are missing"),
        (
            sigma(z * c).sum(axis=1),
            ("c multiplies the output of sigma, it does not go inside"),
        ),
    ]
    h.expect_close(
        out,
        sigma(z) @ c,
        label,
        rtol=1e-9,
        atol=1e-12,
        hint="build the (n, k) array a_i x_j + b_i, apply sigma, then "
        "combine the k columns with the weights c",
        mistakes=mistakes,
    )
