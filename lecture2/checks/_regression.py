"""Exercises of chapters 04-06: regression, least squares, network regression."""

from __future__ import annotations

import itertools

import numpy as np

from ._networks import SIGMAS
from ._registry import exercise, rng_for

# ------------------------------------------------------------------ 04


@exercise(
    "mse",
    "04",
    "mse",
    stub='''
import numpy as np


def mse(y_pred, y):
    """Mean squared error: the mean of (y_pred - y)**2 over all entries.

    Parameters
    ----------
    y_pred, y : ndarray, shape (n,) or (n, k)
        Predictions and targets. They must have the same shape: raise a
        ValueError otherwise (do not let NumPy broadcast (n,) against (n, 1)).

    Returns
    -------
    float
    """
    raise NotImplementedError("Exercise: write mse")
''',
    task="""Write `mse(y_pred, y)`, the mean of the squared residuals
    (y_pred - y)^2 over all entries, for arrays of shape (n,) or (n, k), and
    return a float. If the two shapes differ, raise a `ValueError` that says
    so: NumPy would silently broadcast a (n,) array against a (n, 1) array
    into an (n, n) table of differences and return a meaningless number.""",
    title="the mean squared error",
    book=r"""Write `mse(y_pred, y)`, the mean of the squared residuals
    `(y_pred - y)**2` over all entries, for arrays of shape `(n,)` or
    `(n, k)`, and return a float. If the two shapes differ, raise a
    `ValueError` that says so: NumPy would silently broadcast an `(n,)`
    array against an `(n, 1)` array into an `(n, n)` table of differences
    and return a meaningless number.""",
    forbidden=("lecture2.losses:mse", "lecture2.losses:squared_error"),
)
def _check_mse(fn, h):
    rng = rng_for("mse")
    cases = [
        ((7,), 1.0, "y_pred and y of shape (7,)"),
        ((1,), 1.0, "y_pred and y of shape (1,)"),
        ((20, 3), 1.0, "y_pred and y of shape (20, 3)"),
        ((15, 1), 1.0, "y_pred and y of shape (15, 1)"),
        ((30,), 1000.0, "y_pred and y of shape (30,) with values near 1000"),
    ]
    for shape, scale, label in cases:
        _mse_case(
            fn, h, scale * rng.normal(size=shape), scale * rng.normal(size=shape), label
        )
    z = rng.normal(size=6)
    _mse_case(fn, h, z, z.copy(), "y_pred equal to y (shape (6,))")
    mismatches = [
        ((5,), (5, 1)),
        ((5, 1), (5,)),
        ((4, 2), (2,)),
        ((3, 1), (1, 3)),
        ((6,), (4,)),
    ]
    for a, b in mismatches:
        h.case()
        label = f"y_pred of shape {a} and y of shape {b}"
        h.call(
            label,
            rng.normal(size=a),
            rng.normal(size=b),
            raises=ValueError,
            raise_hint="compare y_pred.shape with y.shape first and raise "
            "ValueError(...) when they differ",
        )


def _mse_case(fn, h, pred, y, label):
    h.case()
    got = h.expect_number(h.call(label, pred, y), label)
    r = pred - y
    n = r.shape[0]
    mistakes = [
        (np.sum(r**2), ("that is the sum; the mean divides by the number of entries")),
        (np.sqrt(np.mean(r**2)), "that is the root of the mean squared error"),
        (np.mean(np.abs(r)), "square the residuals, do not take absolute values"),
        (0.5 * np.mean(r**2), "no factor 1/2 in the mean squared error"),
        (np.sum(r**2) / n, ("average over all n*k entries, not only over the n rows")),
    ]
    h.expect_close(
        got,
        np.mean(r**2),
        label,
        rtol=1e-9,
        atol=1e-12,
        hint="mean over all entries of (y_pred - y)**2",
        mistakes=mistakes,
    )


def _het_std(x, sigma):
    return sigma * (0.2 + 1.6 * np.asarray(x, dtype=np.float64))


@exercise(
    "heteroskedastic_noise",
    "04",
    "noise_std",
    stub='''
import numpy as np


def noise_std(x, sigma):
    """Standard deviation of the heteroskedastic noise at x in [0, 1].

    The noise grows linearly with x, from 0.2 sigma at x = 0 to 1.8 sigma at
    x = 1, so that its average over [0, 1] is sigma:
    std(x) = sigma * (0.2 + 1.6 x).

    Parameters
    ----------
    x : ndarray, any shape
        Points in [0, 1].
    sigma : float
        Mean noise level (sigma >= 0).

    Returns
    -------
    ndarray, same shape as x
    """
    raise NotImplementedError("Exercise: write noise_std")
''',
    task="""Write `noise_std(x, sigma)`, the standard deviation of the chapter's
    heteroskedastic noise at the points `x` in [0, 1]: it grows linearly from
    0.2 sigma at x = 0 to 1.8 sigma at x = 1, so that its mean over [0, 1] is
    sigma, i.e. sigma (0.2 + 1.6 x). Return an array of the same shape as `x`.
    (This is the model behind `lecture2.data.make_sinusoid`; do not call it.)""",
    title="the noise level",
    book=r"""Write `noise_std(x, sigma)`, the standard deviation
    {eq}`eq-04-noise-std` of the chapter's heteroskedastic noise at the
    points `x` in $[0, 1]$: it grows linearly from $0.2\,\sigma$ at $x = 0$ to
    $1.8\,\sigma$ at $x = 1$, so that its mean over $[0, 1]$ is $\sigma$,
    i.e. $\sigma\,(0.2 + 1.6\,x)$. Return an array of the same shape as `x`.
    (This is the model behind `lecture2.data.make_sinusoid`; do not call
    it.)""",
    forbidden=(
        "lecture2.data:noise_std",
        "lecture2.data:make_sinusoid",
        "lecture2.checks._regression:_het_std",
    ),
)
def _check_heteroskedastic_noise(fn, h):
    rng = rng_for("heteroskedastic_noise")
    grid = np.linspace(0.0, 1.0, 11)
    cases = [
        (grid, 0.2, "x = np.linspace(0, 1, 11), sigma = 0.2"),
        (np.zeros(3), 0.5, "x = [0, 0, 0], sigma = 0.5"),
        (rng.uniform(size=30), 0.7, "x of shape (30,) drawn from U[0, 1], sigma = 0.7"),
        (rng.uniform(size=(8, 1)), 0.1, "x of shape (8, 1), sigma = 0.1"),
        (grid, 0.0, "x = np.linspace(0, 1, 11), sigma = 0.0"),
        (rng.uniform(size=(3, 4)), 1000.0, "x of shape (3, 4), sigma = 1000"),
    ]
    for x, sigma, label in cases:
        h.case()
        out = h.expect_array(h.call(label, x, sigma), x.shape, label)
        mistakes = [
            (
                sigma * np.ones_like(x),
                (
                    "that is homoskedastic noise: the "
                    "standard deviation must grow with x"
                ),
            ),
            (sigma * 1.6 * x, "at x = 0 the noise is 0.2 sigma, not 0"),
            (
                sigma**2 * (0.2 + 1.6 * x),
                (
                    "that is a variance-like "
                    "scaling; the standard deviation is proportional to sigma"
                ),
            ),
            (
                (0.2 + 1.6 * x) ** 2 * sigma,
                ("the standard deviation grows linearly in x"),
            ),
        ]
        h.expect_close(
            out,
            _het_std(x, sigma),
            label,
            rtol=1e-9,
            atol=1e-12,
            hint="a straight line in x from 0.2 sigma to 1.8 sigma",
            mistakes=mistakes,
        )


# ------------------------------------------------------------------ 05


@exercise(
    "polynomial_design_matrix",
    "05",
    "design_matrix",
    stub='''
import numpy as np


def design_matrix(x, degree):
    """Polynomial design matrix H with columns 1, x, x**2, ..., x**degree.

    Parameters
    ----------
    x : ndarray, shape (n,)
        Input points.
    degree : int
        Highest power (degree >= 0).

    Returns
    -------
    ndarray, shape (n, degree + 1)
        H[i, j] = phi_j(x_i) = x_i**j, j = 0..degree.
    """
    raise NotImplementedError("Exercise: write design_matrix")
''',
    task="""Write `design_matrix(x, degree)`, the matrix H of the least-squares
    slide for the polynomial basis phi_j(x) = x^j, j = 0, ..., degree: row i
    holds 1, x_i, x_i^2, ..., x_i^degree, so H has shape (n, degree + 1) for
    `x` of shape (n,). Mind the order of the columns (increasing powers) and
    the constant column.""",
    title="the polynomial design matrix",
    book=r"""Write `design_matrix(x, degree)`, the matrix $H$ of
    {eq}`eq-05-design-matrix` for the polynomial basis $\phi_j(x) = x^j$,
    $j = 0, \dots, \mathtt{degree}$: row $i$ holds
    $1, x_i, x_i^2, \dots, x_i^{\mathtt{degree}}$, so $H$ has shape
    `(n, degree + 1)` for `x` of shape `(n,)`. Mind the order of the columns
    (increasing powers) and the constant column.""",
    forbidden=(
        "lecture2.regression:polynomial_features",
        "lecture2.regression:BasisRegression",
    ),
)
def _check_polynomial_design_matrix(fn, h):
    rng = rng_for("polynomial_design_matrix")
    cases = [
        (np.linspace(0, 1, 5), 3, "x = np.linspace(0, 1, 5), degree = 3"),
        (rng.uniform(size=20), 0, "x of shape (20,), degree = 0"),
        (rng.uniform(size=20), 1, "x of shape (20,), degree = 1"),
        (np.zeros(4), 4, "x = [0, 0, 0, 0], degree = 4"),
        (np.array([2.5]), 6, "x = [2.5], degree = 6"),
        (
            rng.uniform(-1000, 1000, size=7),
            2,
            ("x of shape (7,) with values up to 1000, degree = 2"),
        ),
        (rng.normal(size=12), 5, "x of shape (12,) with negative values, degree = 5"),
    ]
    for x, degree, label in cases:
        h.case()
        out = h.call(label, x, degree)
        if isinstance(out, np.ndarray) and out.shape == (len(x), degree):
            h.fail(
                f"H has shape {out.shape}, expected {(len(x), degree + 1)} "
                f"(for {label})",
                "there are degree + 1 columns: the constant "
                "column x**0 = 1 comes first",
            )
        out = h.expect_array(out, (len(x), degree + 1), label)
        want = x[:, None] ** np.arange(degree + 1)
        mistakes = [
            (
                want[:, ::-1],
                (
                    "the columns are in decreasing order; the slide's "
                    "H starts with phi_1 = 1 (np.vander needs increasing=True)"
                ),
            ),
            (
                x[:, None] ** np.arange(1, degree + 2),
                ("the first column must be x**0 = 1"),
            ),
        ]
        h.expect_close(
            out,
            want,
            label,
            rtol=1e-12,
            atol=0.0,
            hint="column j holds x**j, j = 0..degree",
            mistakes=mistakes,
        )


def _ill_conditioned(rng, n=40, degree=14):
    x = np.sort(rng.uniform(0, 1, size=n))
    H = x[:, None] ** np.arange(degree + 1)
    y = np.sin(2 * np.pi * x) + 0.1 * rng.normal(size=n)
    return H, y


@exercise(
    "least_squares_fit",
    "05",
    "fit",
    stub='''
import numpy as np


def fit(H, y):
    """Least-squares coefficients: theta minimising ||H theta - y||^2.

    Parameters
    ----------
    H : ndarray, shape (n, m)
        Design matrix (n >= m), possibly badly conditioned.
    y : ndarray, shape (n,) or (n, k)
        Targets.

    Returns
    -------
    ndarray, shape (m,) or (m, k)
        theta. Solve the problem stably: do not form (H^T H)^{-1}.
    """
    raise NotImplementedError("Exercise: write fit")
''',
    task="""Write `fit(H, y)`, the least-squares estimate theta (the slides'
    eq. (2)) for a design matrix `H` (shape (n, m)) and targets `y` (shape (n,) or (n, k)).
    The slide's formula (H^T H)^{-1} H^T y is exact mathematics but poor
    numerics: forming H^T H squares the condition number. Your function must
    stay accurate for badly conditioned H (e.g. a degree-14 polynomial basis),
    so use an orthogonal factorisation (QR or SVD), for example through
    `np.linalg.lstsq`.""",
    title="a stable least-squares fit",
    book=r"""Write `fit(H, y)`, the least-squares estimate $\hat\theta$ of
    {eq}`eq-05-least-squares` for a design matrix `H` (shape `(n, m)`) and
    targets `y` (shape `(n,)` or `(n, k)`). The formula
    {eq}`eq-05-normal-equations`, $\hat\theta = (H^T H)^{-1} H^T \mathbf{Y}$,
    is exact mathematics but poor numerics: forming $H^T H$ squares the
    condition number. Your function must stay accurate for badly conditioned
    $H$ (e.g. a degree-14 polynomial basis), so use an orthogonal
    factorisation (QR or SVD), for example through `np.linalg.lstsq`.""",
    forbidden=(
        "lecture2.regression:least_squares",
        "lecture2.regression:normal_equations",
        "lecture2.regression:BasisRegression",
    ),
)
def _check_least_squares_fit(fn, h):
    rng = rng_for("least_squares_fit")
    cases = []
    H = rng.normal(size=(20, 3))
    cases.append(
        (H, rng.normal(size=20), "H of shape (20, 3) drawn at random, y of shape (20,)")
    )
    x = np.linspace(0, 1, 30)
    H = x[:, None] ** np.arange(6)
    cases.append((H, np.sin(2 * np.pi * x), "a degree-5 polynomial H on 30 points"))
    cases.append((H, rng.normal(size=(30, 2)), "the same H with y of shape (30, 2)"))
    H = rng.normal(size=(4, 4))
    cases.append((H, rng.normal(size=4), "a square H of shape (4, 4)"))
    H = rng.normal(size=(25, 3))
    cases.append(
        (
            H,
            1000.0 * rng.normal(size=25),
            ("H of shape (25, 3), y with values near 1000"),
        )
    )
    cases.append((rng.normal(size=(10, 2)), np.zeros(10), "y = 0 (H of shape (10, 2))"))
    H, y = _ill_conditioned(rng)
    cases.append((H, y, "a badly conditioned H (degree-14 polynomial on 40 points)"))
    x = rng.uniform(size=30)
    H = np.column_stack([np.ones(30), x, x + 1e-7 * rng.normal(size=30)])
    cases.append((H, rng.normal(size=30), "H with two nearly equal columns"))
    for H, y, label in cases:
        h.case()
        out = h.call(label, H, y)
        if isinstance(out, tuple):
            h.fail(
                f"the result is a tuple (for {label})",
                "np.linalg.lstsq returns (solution, residuals, rank, singular "
                "values): return only the first element",
            )
        shape = (H.shape[1],) + y.shape[1:]
        theta = h.expect_array(out, shape, label)
        best, *_ = np.linalg.lstsq(H, y, rcond=None)
        r_best = np.linalg.norm(H @ best - y)
        with np.errstate(all="ignore"):
            r_got = np.linalg.norm(H @ theta - y)
        tol = 1e-7 * (np.linalg.norm(y) + 1e-300)
        if not np.isfinite(r_got) or r_got > r_best + tol:
            h.fail(
                f"the residual ||H theta - y|| is larger than the least-squares "
                f"minimum (for {label})",
                "the normal equations (H^T H) theta = H^T y lose twice as many "
                "digits as H's condition number: use np.linalg.lstsq (QR/SVD)"
                if np.linalg.cond(H) > 1e6
                else "theta does not minimise ||H theta - y||: check the formula for a "
                "missing inverse, a sign or a transpose",
            )
        if np.linalg.cond(H) < 1e4:
            h.expect_close(
                theta,
                best,
                label,
                rtol=1e-6,
                atol=1e-9,
                hint="theta solves min ||H theta - y||",
            )


# ------------------------------------------------------------------ 06


def _forward(x, weights, sigma):
    g = x
    for i, (W, b) in enumerate(weights):
        f = g @ W + b
        g = sigma(f) if i < len(weights) - 1 else f
    return g


@exercise(
    "network_forward",
    "06",
    "forward",
    stub='''
import numpy as np


def forward(x, weights, sigma):
    """Outputs of a fully connected network (the slides' eq. (1)), for a batch.

    Parameters
    ----------
    x : ndarray, shape (n, d)
        Inputs, one row per point (g^0 = x).
    weights : list of (W, b) pairs
        One pair per layer l = 1..L: W of shape (N_{l-1}, N_l), b of shape
        (N_l,).
    sigma : callable
        Nonlinearity of the hidden layers 1..L-1. The output layer L is linear:
        the network's output is f^L.

    Returns
    -------
    ndarray, shape (n, N_L)
    """
    raise NotImplementedError("Exercise: write forward")
''',
    task="""Write `forward(x, weights, sigma)`, the network of the slides'
    eq. (1) run on a batch `x` of shape (n, d): for each layer l = 1..L with weights
    `(W, b) = weights[l-1]`, compute f^l = g^{l-1} @ W + b, and g^l = sigma(f^l)
    for the hidden layers. The output layer is linear: return f^L, of shape
    (n, N_L). It must work for any number of layers, including a single one
    (L = 1).""",
    title="the forward pass",
    book=r"""Write `forward(x, weights, sigma)`, the network {eq}`eq-01-forward`
    run on a batch `x` of shape `(n, d)`: for each layer
    $\ell = 1, \dots, L$ with weights `(W, b) = weights[l-1]`, compute
    $F^\ell = G^{\ell-1} W + \mathbf{1}\,\mathbf{b}^\top$ (in code
    `g @ W + b`) and, for the hidden layers, $G^\ell = \sigma(F^\ell)$, as in
    {eq}`eq-01-batch`. The output layer is linear: return $F^L$, of shape
    `(n, N_L)`. It must work for any number of layers, including a single
    one ($L = 1$).""",
    forbidden=("lecture2.network:Network", "lecture2.checks._regression:_forward"),
)
def _check_network_forward(fn, h):
    rng = rng_for("network_forward")
    plan = [
        ([1, 5, 1], 20, "tanh"),
        ([3, 4, 4, 2], 10, "relu"),
        ([2, 3], 6, "tanh"),
        ([1, 10, 10, 10, 1], 30, "logistic"),
        ([4, 4, 4], 5, "tanh"),
        ([2, 1, 3], 1, "relu"),
    ]
    for sizes, n, sig in plan:
        weights = [
            (rng.normal(size=(a, b)) / np.sqrt(a), rng.normal(size=b))
            for a, b in itertools.pairwise(sizes)
        ]
        x = rng.normal(size=(n, sizes[0]))
        _forward_case(
            fn,
            h,
            x,
            weights,
            sig,
            f"sizes = {sizes}, x of shape {x.shape}, sigma = {sig}",
        )
    weights = [
        (rng.normal(size=(2, 3)), rng.normal(size=3)),
        (rng.normal(size=(3, 1)), rng.normal(size=1)),
    ]
    _forward_case(fn, h, np.zeros((3, 2)), weights, "tanh", "x = 0, sizes = [2, 3, 1]")
    _forward_case(
        fn,
        h,
        1000 * rng.normal(size=(3, 2)),
        weights,
        "tanh",
        "x with entries near 1000, sizes = [2, 3, 1]",
    )


def _forward_case(fn, h, x, weights, sig, label):
    h.case()
    sigma = SIGMAS[sig]
    out = h.expect_array(
        h.call(label, x, weights, sigma), (x.shape[0], weights[-1][0].shape[1]), label
    )
    all_sigma = x
    for W, b in weights:
        all_sigma = sigma(all_sigma @ W + b)
    mistakes = [
        (all_sigma, "the output layer is linear: no sigma after the last layer"),
        (
            _forward(x, [(W, 0 * b) for W, b in weights], sigma),
            "the biases b are missing",
        ),
        (
            _forward(x, weights, SIGMAS["identity"]),
            ("sigma is not applied in the hidden layers"),
        ),
    ]
    if all(W.shape[0] == W.shape[1] for W, _ in weights):
        mistakes.append(
            (
                _forward(x, [(W.T, b) for W, b in weights], sigma),
                "W is transposed: f = g @ W + b",
            )
        )
    h.expect_close(
        out,
        _forward(x, weights, sigma),
        label,
        rtol=1e-9,
        atol=1e-12,
        hint="loop over the layers: f = g @ W + b, g = sigma(f) except "
        "after the last layer",
        mistakes=mistakes,
    )
