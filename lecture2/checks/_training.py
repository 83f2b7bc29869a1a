"""Exercises of chapters 07-08: gradient descent and backpropagation."""

from __future__ import annotations

import numpy as np

from ._registry import exercise, rng_for

# ------------------------------------------------------------------ 07


@exercise(
    "gradient_descent_step",
    "07",
    "gd_step",
    stub='''
import numpy as np


def gd_step(w, grad, lr):
    """One gradient-descent update (the slides' eq. (4), v^k = -grad L(w^k)).

    Parameters
    ----------
    w : ndarray, shape (p,)
        Current weights w^k.
    grad : ndarray, shape (p,)
        The gradient of the loss at w^k.
    lr : float
        Learning rate eta_k > 0.

    Returns
    -------
    ndarray, shape (p,)
        w^{k+1}, as a new array (leave w itself unchanged).
    """
    raise NotImplementedError("Exercise: write gd_step")
''',
    task="""Write `gd_step(w, grad, lr)`, one step of gradient descent (the
    slides' eq. (4)) with the greedy direction v^k = -grad L(w^k): it returns
    w^{k+1} as a new array of the same shape as `w`, and leaves `w`
    unchanged (no in-place `-=` on the argument).""",
    title="one gradient-descent step",
    book=r"""Write `gd_step(w, grad, lr)`, one step {eq}`eq-07-gd-recursion`
    of gradient descent with the greedy direction
    $\mathbf{v}^k = -\nabla\mathcal{L}(\mathbf{w}^k)$, that is
    {eq}`eq-07-gd`: it returns $\mathbf{w}^{k+1}$ as a new array of the same
    shape as `w`, and leaves `w` unchanged (no in-place `-=` on the
    argument).""",
    forbidden=("lecture2.optim:GradientDescent",),
)
def _check_gradient_descent_step(fn, h):
    rng = rng_for("gradient_descent_step")
    cases = [
        (
            rng.normal(size=5),
            rng.normal(size=5),
            0.1,
            "w, grad of shape (5,), lr = 0.1",
        ),
        (
            rng.normal(size=1),
            rng.normal(size=1),
            0.5,
            "w, grad of shape (1,), lr = 0.5",
        ),
        (rng.normal(size=4), np.zeros(4), 0.3, "grad = 0, lr = 0.3"),
        (rng.normal(size=4), rng.normal(size=4), 0.0, "lr = 0"),
        (
            rng.normal(size=6),
            1000 * rng.normal(size=6),
            1e-3,
            ("grad near 1000, lr = 0.001"),
        ),
        (
            rng.normal(size=(3, 2)),
            rng.normal(size=(3, 2)),
            0.05,
            ("w, grad of shape (3, 2), lr = 0.05"),
        ),
        (
            rng.normal(size=50),
            rng.normal(size=50),
            2.0,
            ("w, grad of shape (50,), lr = 2.0"),
        ),
    ]
    for w, g, lr, label in cases:
        h.case()
        out = h.expect_array(h.call(label, w, g, lr), w.shape, label)
        mistakes = [
            (w + lr * g, "the step goes against the gradient: minus, not plus"),
            (w - g, "the learning rate lr is missing"),
            (-lr * g, "that is the step v; return the new weights w + step"),
        ]
        h.expect_close(
            out,
            w - lr * g,
            label,
            rtol=1e-12,
            atol=1e-14,
            hint="w^{k+1} = w^k - eta grad",
            mistakes=mistakes,
        )


def _should_stop(losses, patience):
    losses = list(losses)
    return len(losses) > patience and min(losses[-patience:]) >= min(losses[:-patience])


@exercise(
    "should_stop",
    "07",
    "should_stop",
    stub='''
def should_stop(losses, patience):
    """The lecture's "no improvement" termination rule.

    Parameters
    ----------
    losses : sequence of float
        Loss after each step so far, oldest first.
    patience : int
        Number of steps (>= 1) without improvement that ends training.

    Returns
    -------
    bool
        True when none of the last `patience` losses is strictly lower than
        the best (smallest) loss seen before them; False while there are at
        most `patience` losses.
    """
    raise NotImplementedError("Exercise: write should_stop")
''',
    task="""Write `should_stop(losses, patience)`, the rule "stop when the loss
    has not decreased for a while": given the list of losses so far (oldest
    first), return `True` when none of the last `patience` losses is strictly
    lower than the best loss before them, and `False` otherwise, in
    particular while there are at most `patience` losses. A loss equal to the
    best so far is not an improvement. Return a `bool`.""",
    title="the patience rule",
    book="""Write `should_stop(losses, patience)`, the rule "stop when the
    loss has not decreased for a while": given the list of losses so far
    (oldest first), return `True` when none of the last `patience` losses is
    strictly lower than the best loss before them, and `False` otherwise, in
    particular while there are at most `patience` losses. A loss equal to the
    best so far is not an improvement. Return a `bool`. This is the
    `patience` rule of `training.train`, written as a function of the loss
    history.""",
    forbidden=(
        "lecture2.training:minimize",
        "lecture2.training:train",
        "lecture2.checks._training:_should_stop",
    ),
)
def _check_should_stop(fn, h):
    rng = rng_for("should_stop")
    cases = [
        ([], 3),
        ([1.0], 1),
        ([3.0, 2.0, 1.0], 2),
        ([1.0, 2.0, 3.0], 2),
        ([1.0, 2.0], 2),
        ([5.0, 4.0, 4.0, 4.0], 2),
        ([5.0, 4.0, 4.0, 3.9], 2),
        ([5.0, 4.0, 6.0, 7.0], 3),
        ([5.0, 4.0, 6.0, 7.0, 8.0], 3),
        ([2.0, 1.0, 3.0], 2),
        ([2.0, 1.0, 3.0, 3.0], 2),
        ([1.0, 1.0], 1),
        ([1000.0, 0.0, 0.0], 1),
        ([3.0, 1.0, 2.0, 0.5, 0.7, 0.6, 0.55], 3),
    ]
    for _ in range(12):
        walk = np.round(np.cumsum(rng.normal(size=int(rng.integers(2, 25)))), 1)
        cases.append(([float(v) for v in walk], int(rng.integers(1, 7))))
    cases.append((np.array([4.0, 3.0, 3.5, 3.2, 3.1]), 3))
    for losses, patience in cases:
        h.case()
        shown = losses.tolist() if isinstance(losses, np.ndarray) else losses
        label = f"losses = {shown}, patience = {patience}"
        out = h.call(label, losses, patience)
        if not isinstance(out, (bool, np.bool_)):
            h.fail(
                f"the result should be True or False, but it is {type(out).__name__} "
                f"(for {label})",
                "return a comparison, e.g. `return a >= b`",
            )
        if bool(out) != _should_stop(losses, patience):
            h.fail(
                f"wrong decision for {label}",
                "compare the best of the last `patience` losses with the best of "
                "all the earlier ones; an equal loss is no improvement, and with "
                "`patience` or fewer losses there is nothing to compare yet",
            )


# ------------------------------------------------------------------ 08


@exercise(
    "output_adjoint",
    "08",
    "output_adjoint",
    stub='''
import numpy as np


def output_adjoint(f_L, y):
    """Output adjoint fbar^L = dL/df^L for the mean squared-error loss.

    The loss is L = 1/(2n) sum_i ||y_i - f^L(x_i)||^2 over the n points of the
    batch (the lecture's loss divided by n).

    Parameters
    ----------
    f_L : ndarray, shape (n, m)
        Network outputs f^L, one row per point.
    y : ndarray, shape (n, m)
        Targets.

    Returns
    -------
    ndarray, shape (n, m)
        dL/df^L for every point and output.
    """
    raise NotImplementedError("Exercise: write output_adjoint")
''',
    task="""Write `output_adjoint(f_L, y)`, the adjoint of the output layer,
    fbar^L = dL/df^L, for the batch loss L = 1/(2n) sum_i ||y_i - f^L(x_i)||^2
    (arrays of shape (n, m); return shape (n, m)). Differentiate it yourself:
    mind the sign (the slide writes y - f^L, which is a slip) and the factor
    that comes from averaging over the n points.""",
    title="the output adjoint",
    book=r"""Write `output_adjoint(f_L, y)`, the adjoint of the output layer,
    $\bar f^L = \partial\mathcal{L} / \partial f^L$, for the batch loss
    {eq}`eq-07-loss-mean`,
    $\mathcal{L} = \frac{1}{2n} \sum_{i=1}^n \|\mathbf{y}_i - f^L(\mathbf{x}_i)\|^2$
    (arrays of shape `(n, m)`; return shape `(n, m)`). Differentiate it
    yourself: mind the sign (see {eq}`eq-08-output-adjoint` and the note on
    the slide's $y - f^L$, a slip) and the factor that comes from averaging
    over the $n$ points.""",
    forbidden=(
        "lecture2.losses:squared_error_gradient",
        "lecture2.network:Network.adjoints",
        "lecture2.network:Network.loss_and_grad",
    ),
)
def _check_output_adjoint(fn, h):
    rng = rng_for("output_adjoint")
    cases = [
        ((10, 1), 1.0, "f_L, y of shape (10, 1)"),
        ((1, 1), 1.0, "f_L, y of shape (1, 1)"),
        ((8, 3), 1.0, "f_L, y of shape (8, 3)"),
        ((25, 2), 1000.0, "f_L, y of shape (25, 2) with values near 1000"),
    ]
    for shape, scale, label in cases:
        _adjoint_case(
            fn, h, scale * rng.normal(size=shape), scale * rng.normal(size=shape), label
        )
    y = rng.normal(size=(5, 2))
    _adjoint_case(fn, h, y.copy(), y, "f_L equal to y (shape (5, 2))")


def _adjoint_case(fn, h, f, y, label):
    h.case()
    out = h.expect_array(h.call(label, f, y), f.shape, label)
    n = f.shape[0]
    mistakes = [
        (
            (y - f) / n,
            ("wrong sign: d/df (y - f)^2 / 2 = f - y (the slide's y - f^L is a slip)"),
        ),
        (f - y, ("the loss averages over the n points, and so does its derivative")),
        ((f - y) / f.size, "divide by the number of points n only, not by n*m"),
        (2 * (f - y) / n, "the 1/2 in the loss cancels the 2 of the square"),
    ]
    h.expect_close(
        out,
        (f - y) / n,
        label,
        rtol=1e-10,
        atol=1e-13,
        hint="differentiate 1/(2n) sum ||y_i - f_i||^2 with respect to f_i",
        mistakes=mistakes,
    )


def _tanh_prime(f):
    return 1.0 - np.tanh(f) ** 2


def _logistic_prime(f):
    e = np.exp(-np.abs(f))
    return e / (1.0 + e) ** 2


def _relu_prime(f):
    return (np.asarray(f) > 0).astype(np.float64)


_PRIMES = {"tanh'": _tanh_prime, "logistic'": _logistic_prime, "relu'": _relu_prime}


@exercise(
    "hidden_adjoint",
    "08",
    "hidden_adjoint",
    stub='''
import numpy as np


def hidden_adjoint(f, W_next, fbar_next, sigma_prime):
    """The backpropagation equation (the slides' eq. (7)) for a hidden layer.

    Parameters
    ----------
    f : ndarray, shape (n, N_l)
        Activations f^l of layer l.
    W_next : ndarray, shape (N_l, N_{l+1})
        Weights w_km^{l+1} of the next layer (row k: neuron k of layer l).
    fbar_next : ndarray, shape (n, N_{l+1})
        Adjoints fbar^{l+1} of the next layer.
    sigma_prime : callable
        Derivative sigma' of the nonlinearity, elementwise.

    Returns
    -------
    ndarray, shape (n, N_l)
        fbar_k^l = sigma'(f_k^l) sum_m w_km^{l+1} fbar_m^{l+1}, every point.
    """
    raise NotImplementedError("Exercise: write hidden_adjoint")
''',
    task="""Write `hidden_adjoint(f, W_next, fbar_next, sigma_prime)`, the
    backpropagation equation (the slides' eq. (7)) for a whole batch:
    fbar_k^l = sigma'(f_k^l) sum_m w_km^{l+1} fbar_m^{l+1}. With one row per
    point, `f` has shape (n, N_l), `W_next` shape (N_l, N_{l+1}) and
    `fbar_next` shape (n, N_{l+1}); return shape (n, N_l). Work out which
    matrix product (and which transpose) gives the sum over m.""",
    title="the hidden adjoints",
    book=r"""Write `hidden_adjoint(f, W_next, fbar_next, sigma_prime)`, the
    backpropagation equation {eq}`eq-08-backprop` for a whole batch:
    $\bar f_k^\ell = \sigma'(f_k^\ell) \sum_{m} w_{km}^{\ell+1}\, \bar f_m^{\ell+1}$.
    With one row per point, `f` has shape `(n, N_l)`, `W_next` shape
    `(N_l, N_{l+1})` and `fbar_next` shape `(n, N_{l+1})`; return shape
    `(n, N_l)`. Work out which matrix product (and which transpose) gives
    the sum over $m$.""",
    forbidden=(
        "lecture2.network:Network.adjoints",
        "lecture2.network:Network.loss_and_grad",
    ),
)
def _check_hidden_adjoint(fn, h):
    rng = rng_for("hidden_adjoint")
    plan = [
        (5, 4, 3, "tanh'", 1.0),
        (6, 3, 3, "tanh'", 1.0),
        (7, 4, 1, "logistic'", 1.0),
        (1, 2, 5, "relu'", 1.0),
        (20, 8, 6, "tanh'", 1.0),
        (4, 3, 2, "logistic'", 1000.0),
    ]
    for n, N, N_next, sp, scale in plan:
        f = scale * rng.normal(size=(n, N))
        W = rng.normal(size=(N, N_next))
        fbar = rng.normal(size=(n, N_next))
        label = (
            f"f of shape {f.shape}, W_next of shape {W.shape}, sigma_prime = {sp}"
            + (", f near 1000" if scale > 1 else "")
        )
        _hidden_case(fn, h, f, W, fbar, sp, label)
    W = rng.normal(size=(3, 2))
    _hidden_case(
        fn,
        h,
        np.zeros((4, 3)),
        W,
        rng.normal(size=(4, 2)),
        "tanh'",
        "f = 0 (shape (4, 3)), W_next of shape (3, 2)",
    )


def _hidden_case(fn, h, f, W, fbar, sp, label):
    h.case()
    sigma_prime = _PRIMES[sp]
    out = h.expect_array(h.call(label, f, W, fbar, sigma_prime), f.shape, label)
    back = fbar @ W.T
    mistakes = [
        (back, "the factor sigma'(f^l) is missing"),
        (
            sigma_prime(back),
            (
                "sigma' is evaluated at f^l, the layer's own "
                "activations, and multiplies the sum"
            ),
        ),
        (
            -sigma_prime(f) * back,
            "wrong sign: the backpropagation equation has no minus",
        ),
    ]
    if W.shape[0] == W.shape[1]:
        mistakes.append(
            (
                sigma_prime(f) * (fbar @ W),
                (
                    "W_next is used the wrong way "
                    "round: the sum runs over the second index m of w_km"
                ),
            )
        )
    h.expect_close(
        out,
        sigma_prime(f) * back,
        label,
        rtol=1e-10,
        atol=1e-13,
        hint="elementwise product of sigma'(f) with fbar_next @ (something "
        "built from W_next)",
        mistakes=mistakes,
    )


@exercise(
    "weight_gradient",
    "08",
    "weight_gradient",
    stub='''
import numpy as np


def weight_gradient(g_prev, fbar):
    """Gradient of the loss for one layer's weights (the slides' eqs. (5)-(6)).

    Parameters
    ----------
    g_prev : ndarray, shape (n, N_prev)
        Outputs g^{l-1} of the previous layer, one row per point.
    fbar : ndarray, shape (n, N)
        Adjoints fbar^l of this layer (already including the loss's 1/n).

    Returns
    -------
    dW : ndarray, shape (N_prev, N)
        dL/dw_jk^l = sum over points of g_j^{l-1} fbar_k^l.
    db : ndarray, shape (N,)
        dL/dw_0k^l (bias weights, g_0 = 1), summed over points.
    """
    raise NotImplementedError("Exercise: write weight_gradient")
''',
    task="""Write `weight_gradient(g_prev, fbar)`, which returns the pair
    `(dW, db)` of partial derivatives of the loss for one layer: by the
    slides' eq. (6) each point contributes fbar_k^l g_j^{l-1} (with g_0 = 1
    for the bias), and by their eq. (5) the contributions are summed over the
    n points of the batch. `dW` has the shape of W, (N_prev, N), and `db` the
    shape of b, (N,). Use one matrix product, not a loop over points.""",
    title="the weight gradient",
    book=r"""Write `weight_gradient(g_prev, fbar)`, which returns the pair
    `(dW, db)` of partial derivatives of the loss for one layer: by
    {eq}`eq-08-weight-grad` each point contributes
    $\bar f_k^\ell\, g_j^{\ell-1}$ (with $g_0 = 1$ for the bias), and by
    {eq}`eq-08-grad-sum` the contributions are summed over the $n$ points of
    the batch. `dW` has the shape of `W`, `(N_prev, N)`, and `db` the shape
    of `b`, `(N,)`. Use one matrix product, not a loop over points.""",
    forbidden=("lecture2.network:Network.loss_and_grad",),
)
def _check_weight_gradient(fn, h):
    rng = rng_for("weight_gradient")
    plan = [
        (5, 3, 2, 1.0),
        (1, 4, 3, 1.0),
        (10, 3, 3, 1.0),
        (30, 1, 6, 1.0),
        (8, 5, 1, 1000.0),
        (6, 4, 4, 0.0),
    ]
    for n, n_prev, N, scale in plan:
        g = rng.normal(size=(n, n_prev)) * (scale if scale else 1.0)
        fbar = rng.normal(size=(n, N)) * (scale if scale else 0.0)
        label = f"g_prev of shape {g.shape}, fbar of shape {fbar.shape}" + (
            ", values near 1000" if scale > 1 else ", fbar = 0" if scale == 0 else ""
        )
        h.case()
        out = h.call(label, g, fbar)
        dW, db = h.expect_arrays(out, {"dW": (n_prev, N), "db": (N,)}, label)
        want = g.T @ fbar
        mistakes = [
            (
                want / n,
                (
                    "the gradient sums the contributions of the points; "
                    "fbar already carries the 1/n of the loss"
                ),
            )
        ]
        if n_prev == N:
            mistakes.append(
                (fbar.T @ g, ("dW is transposed: entry (j, k) pairs g_j with fbar_k"))
            )
        h.expect_close(
            dW,
            want,
            label,
            rtol=1e-10,
            atol=1e-12,
            what="wrong dW",
            hint="dW[j, k] = sum_i g_prev[i, j] fbar[i, k]",
            mistakes=mistakes,
        )
        h.expect_close(
            db,
            fbar.sum(axis=0),
            label,
            rtol=1e-10,
            atol=1e-12,
            what="wrong db",
            hint="the bias input is g_0 = 1 for every point",
            mistakes=[(fbar.mean(axis=0), ("sum over the points, do not average"))],
        )
