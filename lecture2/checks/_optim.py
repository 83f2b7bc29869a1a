"""Exercises of chapters 11-13: schedules, momentum and adaptive methods,
second-order methods."""

from __future__ import annotations

import bisect

import numpy as np

from ._harness import close
from ._registry import exercise, rng_for

# ------------------------------------------------------------------ 11


@exercise(
    "exponential_schedule",
    "11",
    "exponential_lr",
    stub='''
def exponential_lr(k, lr0, s):
    """Exponential learning-rate schedule eta_k = eta_0 * 0.1**(k / s).

    Parameters
    ----------
    k : int
        Step number, counting from 0 (the first update uses eta_0).
    lr0 : float
        Initial learning rate eta_0.
    s : float
        Number of steps over which the rate falls by a factor of 10.

    Returns
    -------
    float
    """
    raise NotImplementedError("Exercise: write exponential_lr")
''',
    task="""Write `exponential_lr(k, lr0, s)`, the exponential schedule of the
    slides, eta_k = eta_0 0.1^{k/s}, for the step number k = 0, 1, 2, ...
    (k = 0 is the first update and uses eta_0; after s steps the rate is ten
    times smaller, and it keeps falling smoothly in between). Return a
    float.""",
    title="the exponential schedule",
    book=r"""Write `exponential_lr(k, lr0, s)`, the exponential schedule
    {eq}`eq-11-exponential`, $\eta_k = \eta_0\, 0.1^{k/s}$, for the step
    number $k = 0, 1, 2, \dots$ ($k = 0$ is the first update and uses
    $\eta_0$; after $s$ steps the rate is ten times smaller, and it keeps
    falling smoothly in between). Return a float.""",
    forbidden=("lecture2.optim:Exponential",),
)
def _check_exponential_schedule(fn, h):
    rng = rng_for("exponential_schedule")
    cases = [
        (0, 0.1, 100),
        (100, 0.1, 100),
        (250, 0.1, 100),
        (1, 0.5, 10),
        (7, 0.5, 10),
        (3, 1.0, 1),
        (1000, 0.1, 10),
        (0, 2.0, 3),
    ]
    for _ in range(6):
        cases.append(
            (
                int(rng.integers(0, 500)),
                float(rng.uniform(1e-3, 1)),
                float(rng.integers(1, 200)),
            )
        )
    for k, lr0, s in cases:
        h.case()
        label = f"k = {k}, lr0 = {lr0:g}, s = {s:g}"
        got = h.expect_number(h.call(label, k, lr0, s), label)
        want = lr0 * 0.1 ** (k / s)
        mistakes = [
            (
                lr0 * 0.1 ** ((k + 1) / s),
                ("off by one step: k counts from 0 and the first update uses lr0"),
            ),
            (
                lr0 * 0.1 ** (k // s),
                ("k / s is a real exponent: the rate falls smoothly, not in stairs"),
            ),
            (lr0 * np.exp(-k / s), "the base is 0.1, not e"),
        ]
        h.expect_close(
            got,
            want,
            label,
            rtol=1e-9,
            atol=0.0,
            hint="eta_k = eta_0 0.1^(k/s)",
            mistakes=mistakes,
        )


@exercise(
    "piecewise_schedule",
    "11",
    "piecewise_lr",
    stub='''
def piecewise_lr(k, boundaries, values):
    """Piecewise-constant learning-rate schedule.

    Parameters
    ----------
    k : int
        Step number, counting from 0.
    boundaries : list of int
        Increasing steps b_1 < b_2 < ... where the rate changes.
    values : list of float
        len(boundaries) + 1 rates: values[0] for k < b_1, values[i] for
        b_i <= k < b_{i+1}, values[-1] for k >= b_last.

    Returns
    -------
    float
    """
    raise NotImplementedError("Exercise: write piecewise_lr")
''',
    task="""Write `piecewise_lr(k, boundaries, values)`, the piecewise-constant
    schedule: with increasing `boundaries` b_1 < b_2 < ... and one more value
    than boundaries, the rate is `values[0]` before the first boundary,
    `values[i]` for b_i <= k < b_{i+1}, and `values[-1]` from the last
    boundary on. At a boundary the new value already applies. Return a
    float.""",
    title="the piecewise-constant schedule",
    book=r"""Write `piecewise_lr(k, boundaries, values)`, the
    piecewise-constant schedule {eq}`eq-11-piecewise` with
    `boundaries` $= [b_1, \dots, b_{J-1}]$ (increasing) and
    `values` $= [c_1, \dots, c_J]$, one more value than boundaries: the
    rate is `values[0]` before the first boundary, `values[i]` for
    $b_i \le k < b_{i+1}$, and `values[-1]` from the last boundary on. At a
    boundary the new value already applies. Return a float.""",
    forbidden=("lecture2.optim:PiecewiseConstant",),
)
def _check_piecewise_schedule(fn, h):
    rng = rng_for("piecewise_schedule")
    plans = [
        ([10, 20], [0.1, 0.01, 0.001], [0, 9, 10, 11, 19, 20, 21, 1000]),
        ([], [0.5], [0, 7, 1000]),
        ([1], [1.0, 2.0], [0, 1, 2]),
        ([5, 6, 7], [4.0, 3.0, 2.0, 1.0], [4, 5, 6, 7, 8]),
    ]
    cuts = np.sort(rng.choice(np.arange(1, 200), size=5, replace=False)).tolist()
    plans.append(
        (
            cuts,
            rng.uniform(0, 1, size=6).tolist(),
            sorted(set(cuts + [c - 1 for c in cuts] + [0, 250])),
        )
    )
    for boundaries, values, ks in plans:
        for k in ks:
            h.case()
            label = (
                f"k = {k}, boundaries = {boundaries}, values = "
                f"{[round(v, 4) for v in values]}"
            )
            got = h.expect_number(h.call(label, k, boundaries, values), label)
            want = values[bisect.bisect_right(boundaries, k)]
            wrong = values[bisect.bisect_left(boundaries, k)]
            h.expect_close(
                got,
                want,
                label,
                rtol=1e-12,
                atol=0.0,
                hint="count how many boundaries are <= k: that is the "
                "index into values",
                mistakes=[
                    (
                        wrong,
                        (
                            "at k equal to a boundary the new value "
                            "already applies (b_i <= k)"
                        ),
                    )
                ],
            )


# ------------------------------------------------------------------ 12


def _quadratic_grad(A, c):
    return lambda w: A @ w - c


@exercise(
    "nesterov_step",
    "12",
    "nesterov_step",
    stub='''
import numpy as np


def nesterov_step(w, m, grad_fn, lr, beta):
    """One step of Nesterov's method.

    m^k = beta m^{k-1} - eta grad L(w^k + beta m^{k-1}),   w^{k+1} = w^k + m^k.

    Parameters
    ----------
    w : ndarray, shape (p,)
        Current weights w^k.
    m : ndarray, shape (p,)
        Previous momentum m^{k-1} (zeros before the first step).
    grad_fn : callable
        grad_fn(v) returns the gradient of the loss at v, shape (p,).
    lr : float
        Learning rate eta.
    beta : float
        Momentum decay, 0 <= beta < 1.

    Returns
    -------
    (w_next, m_next) : tuple of two ndarrays, shape (p,)
    """
    raise NotImplementedError("Exercise: write nesterov_step")
''',
    task="""Write `nesterov_step(w, m, grad_fn, lr, beta)`, one step of the
    Nesterov method of the slides: evaluate the gradient (by calling
    `grad_fn`) at the look-ahead point w^k + beta m^{k-1}, update the momentum
    m^k = beta m^{k-1} - eta grad, and move w^{k+1} = w^k + m^k. Return the
    pair `(w_next, m_next)` as new arrays (do not change `w` or `m` in
    place).""",
    title="one Nesterov step",
    book=r"""Write `nesterov_step(w, m, grad_fn, lr, beta)`, one step of
    Nesterov's method {eq}`eq-12-nesterov` with a constant rate $\eta$:
    evaluate the gradient (by calling `grad_fn`) at the look-ahead point
    $\mathbf{w}^k + \beta\,\mathbf{m}^{k-1}$, update the momentum
    $\mathbf{m}^k = \beta\,\mathbf{m}^{k-1} - \eta\, \nabla\mathcal{L}(\mathbf{w}^k + \beta\,\mathbf{m}^{k-1})$,
    and move $\mathbf{w}^{k+1} = \mathbf{w}^k + \mathbf{m}^k$. Return the
    pair `(w_next, m_next)` as new arrays (do not change `w` or `m` in
    place).""",
    forbidden=("lecture2.optim:Nesterov", "lecture2.optim:HeavyBall"),
)
def _check_nesterov_step(fn, h):
    rng = rng_for("nesterov_step")
    Q = rng.normal(size=(3, 3))
    A = Q @ Q.T + np.eye(3)
    c = rng.normal(size=3)
    cases = [
        (
            rng.normal(size=3),
            rng.normal(size=3),
            _quadratic_grad(A, c),
            0.1,
            0.9,
            "a quadratic loss in 3 variables, nonzero m, lr = 0.1, beta = 0.9",
        ),
        (
            rng.normal(size=3),
            np.zeros(3),
            _quadratic_grad(A, c),
            0.05,
            0.9,
            "m = 0 (first step), lr = 0.05, beta = 0.9",
        ),
        (
            rng.normal(size=3),
            rng.normal(size=3),
            _quadratic_grad(A, c),
            0.1,
            0.0,
            "beta = 0 (plain gradient descent), lr = 0.1",
        ),
        (
            rng.normal(size=1),
            rng.normal(size=1),
            lambda v: np.sin(v) + v**3,
            0.2,
            0.5,
            "grad_fn(v) = sin(v) + v**3 in 1 variable, lr = 0.2, beta = 0.5",
        ),
        (
            1000 * rng.normal(size=4),
            100 * rng.normal(size=4),
            lambda v: 2.0 * v,
            1e-3,
            0.9,
            ("w near 1000, grad_fn(v) = 2 v, lr = 0.001, beta = 0.9"),
        ),
        (
            rng.normal(size=5),
            rng.normal(size=5),
            lambda v: np.tanh(v) - 0.3,
            0.3,
            0.7,
            "grad_fn(v) = tanh(v) - 0.3 in 5 variables, lr = 0.3, beta = 0.7",
        ),
    ]
    for w, m, grad, lr, beta, label in cases:
        h.case()
        seen = []

        def grad_fn(v, grad=grad, seen=seen):
            v = np.asarray(v, dtype=np.float64)
            seen.append(v.copy())
            return grad(v)

        out = h.call(label, w, m, grad_fn, lr, beta)
        w1, m1 = h.expect_arrays(out, {"w_next": w.shape, "m_next": w.shape}, label)
        ahead = w + beta * m
        m_want = beta * m - lr * grad(ahead)
        if (
            np.any(m != 0)
            and beta > 0
            and seen
            and not any(np.allclose(v, ahead, rtol=1e-12, atol=1e-12) for v in seen)
        ):
            if any(np.allclose(v, w, rtol=1e-12, atol=1e-12) for v in seen):
                h.fail(
                    f"the gradient is evaluated at w, not at the look-ahead point "
                    f"(for {label})",
                    "that is the heavy-ball method; Nesterov "
                    "evaluates grad_fn at w + beta m",
                )
            h.fail(
                f"the gradient is evaluated at the wrong point (for {label})",
                "the look-ahead point is w + beta m (with the previous momentum m)",
            )
        h.expect_close(
            m1,
            m_want,
            label,
            rtol=1e-10,
            atol=1e-12,
            what="wrong m_next",
            hint="m_next = beta m - lr grad_fn(w + beta m)",
            mistakes=[
                (
                    beta * m + lr * grad(ahead),
                    ("the momentum moves against the gradient: minus lr grad"),
                )
            ],
        )
        h.expect_close(
            w1,
            w + m_want,
            label,
            rtol=1e-10,
            atol=1e-12,
            what="wrong w_next",
            hint="w_next = w + m_next",
            mistakes=[(w + m, ("w moves by the new momentum m_next, not the old one"))],
        )


def _adam(w, m, s, g, k, lr, b1, b2, eps, sign=1.0):
    """One Adam step; ``sign=-1`` stores m as an average of -grad (downhill)."""
    m1 = b1 * m + sign * (1 - b1) * g
    s1 = b2 * s + (1 - b2) * g * g
    m_hat = m1 / (1 - b1**k)
    s_hat = s1 / (1 - b2**k)
    return w - sign * lr * m_hat / np.sqrt(s_hat + eps), m1, s1


@exercise(
    "adam_step",
    "12",
    "adam_step",
    stub='''
import numpy as np


def adam_step(w, m, s, grad, k, lr, beta1, beta2, eps):
    """One Adam update (the lecture's form, epsilon inside the square root).

    m^k = beta1 m^{k-1} - (1 - beta1) g,     m_hat = m^k / (1 - beta1**k),
    s^k = beta2 s^{k-1} + (1 - beta2) g**2,  s_hat = s^k / (1 - beta2**k),
    w^{k+1} = w^k + eta m_hat / sqrt(s_hat + eps),   with g = grad L(w^k).

    As on the slides (and in lecture2.optim.Adam), m averages -g: it points
    downhill and is added to w.

    Parameters
    ----------
    w, m, s : ndarray, shape (p,)
        Weights w^k and the moment estimates m^{k-1}, s^{k-1} (zeros at first).
    grad : ndarray, shape (p,)
        Gradient g at w^k.
    k : int
        Number of this update, counting from 1 (k = 1 for the first update).
    lr, beta1, beta2, eps : float
        eta, beta1, beta2 and epsilon.

    Returns
    -------
    (w_next, m_next, s_next) : tuple of three ndarrays, shape (p,)
    """
    raise NotImplementedError("Exercise: write adam_step")
''',
    task="""Write `adam_step(w, m, s, grad, k, lr, beta1, beta2, eps)`, one Adam
    update as given in the docstring: update the first and second moment
    estimates m and s, correct their bias with the factors 1 - beta1^k and
    1 - beta2^k (k counts updates from 1), and move w by
    +eta m_hat / sqrt(s_hat + eps), everything elementwise. Keep epsilon
    inside the square root as in the lecture (the slide also multiplies m by
    eta, which is a slip: eta appears only in the w update). Return
    `(w_next, m_next, s_next)` as new arrays. (Many libraries store the
    opposite sign, m averaging +grad and subtracted from w; the check accepts
    that form too.)""",
    title="one Adam step",
    book=r"""Write `adam_step(w, m, s, grad, k, lr, beta1, beta2, eps)`, one
    Adam update {eq}`eq-12-adam`, as given in the docstring: update the
    moment estimates $\mathbf{m}$ and $\mathbf{s}$, correct their bias with
    the factors $1 - \beta_1^k$ and $1 - \beta_2^k$ ($k$ counts updates
    from 1), and move $\mathbf{w}$ by
    $+\eta\, \hat{\mathbf{m}}^k / \sqrt{\hat{\mathbf{s}}^k + \varepsilon}$,
    everything elementwise. As in {eq}`eq-12-adam`, $\mathbf{m}$ averages
    $-\nabla\mathcal{L}$, points downhill and is added to $\mathbf{w}$, and
    $\varepsilon$ stays inside the square root (the slide also multiplies
    $\mathbf{m}$ by $\eta$, which is a slip: $\eta$ appears only in the
    update of $\mathbf{w}$). Return `(w_next, m_next, s_next)` as new
    arrays. Many libraries store the opposite sign, $\mathbf{m}$ averaging
    $+\nabla\mathcal{L}$ and subtracted from $\mathbf{w}$; the check
    accepts that form too, since both give the same step.""",
    forbidden=(
        "lecture2.optim:Adam",
        "lecture2.optim:Nadam",
        "lecture2.checks._optim:_adam",
    ),
)
def _check_adam_step(fn, h):
    rng = rng_for("adam_step")
    p = 4
    cases = [
        (
            rng.normal(size=p),
            np.zeros(p),
            np.zeros(p),
            rng.normal(size=p),
            1,
            0.01,
            0.9,
            0.999,
            1e-8,
            "the first step (k = 1, m = s = 0), lr = 0.01",
        ),
        (
            rng.normal(size=p),
            0.1 * rng.normal(size=p),
            rng.uniform(0.01, 0.1, p),
            rng.normal(size=p),
            5,
            0.01,
            0.9,
            0.999,
            1e-8,
            "k = 5, lr = 0.01",
        ),
        (
            rng.normal(size=p),
            0.1 * rng.normal(size=p),
            rng.uniform(0.01, 0.1, p),
            rng.normal(size=p),
            3,
            0.1,
            0.8,
            0.99,
            0.5,
            ("k = 3, eps = 0.5, beta1 = 0.8, beta2 = 0.99"),
        ),
        (
            rng.normal(size=p),
            np.zeros(p),
            np.zeros(p),
            np.zeros(p),
            1,
            0.01,
            0.9,
            0.999,
            1e-8,
            "grad = 0 at the first step",
        ),
        (
            rng.normal(size=p),
            rng.normal(size=p),
            rng.uniform(1, 2, p),
            1000 * rng.normal(size=p),
            100,
            0.001,
            0.9,
            0.999,
            1e-8,
            "grad near 1000, k = 100",
        ),
        (
            rng.normal(size=(3, 2)),
            0.1 * rng.normal(size=(3, 2)),
            rng.uniform(0.01, 0.1, (3, 2)),
            rng.normal(size=(3, 2)),
            2,
            0.05,
            0.9,
            0.99,
            1e-3,
            "w, m, s, grad of shape (3, 2), k = 2",
        ),
    ]
    for w, m, s, g, k, lr, b1, b2, eps, label in cases:
        h.case()
        out = h.call(label, w, m, s, g, k, lr, b1, b2, eps)
        w1, m1, s1 = h.expect_arrays(
            out, dict.fromkeys(("w_next", "m_next", "s_next"), w.shape), label
        )
        # sign = -1: m averages -grad and points downhill (the stub, the slides'
        # and lecture2.optim.Adam's form); sign = +1: m averages grad (Kingma & Ba)
        # (a loose tolerance: the two conventions differ in sign, and a
        # float32 answer is then explained by its dtype, not as a wrong sign)
        sign = -1.0 if close(m1, b1 * m - (1 - b1) * g, 1e-5, 1e-8) else 1.0
        w_want, m_want, s_want = _adam(w, m, s, g, k, lr, b1, b2, eps, sign)
        swapped = "beta1 and beta2 are swapped: beta1 goes with m, beta2 with s"
        corrected = (
            "that is the bias-corrected {0}_hat; return the moment {0} itself "
            "(the correction is used only in the update of w)"
        )
        h.expect_close(
            m1,
            m_want,
            label,
            rtol=1e-10,
            atol=1e-13,
            what="wrong m_next",
            hint="m_next = beta1 m - (1 - beta1) grad (no learning rate here)",
            mistakes=[
                (
                    b1 * m - (1 - b1) * lr * g,
                    (
                        "the slide's eta in the m "
                        "update is a slip: eta appears only in the w update"
                    ),
                ),
                (b2 * m - (1 - b2) * g, swapped),
                (b2 * m + (1 - b2) * g, swapped),
                ((b1 * m - (1 - b1) * g) / (1 - b1**k), corrected.format("m")),
                ((b1 * m + (1 - b1) * g) / (1 - b1**k), corrected.format("m")),
            ],
        )
        h.expect_close(
            s1,
            s_want,
            label,
            rtol=1e-10,
            atol=1e-13,
            what="wrong s_next",
            hint="s_next = beta2 s + (1 - beta2) grad**2 (elementwise square)",
            mistakes=[
                (b1 * s + (1 - b1) * g * g, swapped),
                (s_want / (1 - b2**k), corrected.format("s")),
            ],
        )
        m_hat, s_hat = m_want / (1 - b1**k), s_want / (1 - b2**k)
        with np.errstate(all="ignore"):
            mistakes = [
                (
                    w - sign * lr * m_hat / (np.sqrt(s_hat) + eps),
                    (
                        "epsilon goes "
                        "inside the square root in this exercise: sqrt(s_hat + eps)"
                    ),
                ),
                (
                    w - sign * lr * m_want / np.sqrt(s_want + eps),
                    (
                        "the bias "
                        "corrections m / (1 - beta1^k), s / (1 - beta2^k) are missing"
                    ),
                ),
                (
                    w
                    - sign
                    * lr
                    * (m_want / (1 - b1 ** (k + 1)))
                    / np.sqrt(s_want / (1 - b2 ** (k + 1)) + eps),
                    (
                        "off by one in the bias correction: k is this update's "
                        "number, starting at 1"
                    ),
                ),
                (
                    w + sign * lr * m_hat / np.sqrt(s_hat + eps),
                    ("wrong sign: Adam moves against the gradient"),
                ),
            ]
        h.expect_close(
            w1,
            w_want,
            label,
            rtol=1e-9,
            atol=1e-12,
            what="wrong w_next",
            hint="w_next = w - lr m_hat / sqrt(s_hat + eps)",
            mistakes=mistakes,
        )


# ------------------------------------------------------------------ 13


@exercise(
    "newton_step",
    "13",
    "newton_step",
    stub='''
import numpy as np


def newton_step(w, grad, hessian):
    """One Newton update: solve (Hessian) d = -grad, then w^{k+1} = w^k + d.

    Parameters
    ----------
    w : ndarray, shape (p,)
        Current weights w^k.
    grad : ndarray, shape (p,)
        Gradient of the loss at w^k.
    hessian : ndarray, shape (p, p)
        Hessian of the loss at w^k (symmetric, invertible).

    Returns
    -------
    ndarray, shape (p,)
        w^{k+1} = w^k + d. Solve the linear system H d = -grad rather
        than inverting H.
    """
    raise NotImplementedError("Exercise: write newton_step")
''',
    task="""Write `newton_step(w, grad, hessian)`, the Newton update of the
    slides, w^{k+1} = w^k - (grad^2 L)^{-1} grad L, for `w` and `grad` of
    shape (p,) and a Hessian of shape (p, p). Do not form the inverse: solve
    the linear system (Hessian) d = -grad for the step d with
    `np.linalg.solve`, which is cheaper and more accurate, and return
    w^{k+1} = w^k + d as a new array.""",
    title="one Newton step",
    book=r"""Write `newton_step(w, grad, hessian)`, the Newton update
    {eq}`eq-13-newton` for `w` and `grad` of shape `(p,)` and a Hessian of
    shape `(p, p)`: solve
    $\nabla^2\mathcal{L}(\mathbf{w}^k)\, \mathbf{d}^k = -\nabla\mathcal{L}(\mathbf{w}^k)$
    for the step $\mathbf{d}^k$ and return
    $\mathbf{w}^{k+1} = \mathbf{w}^k + \mathbf{d}^k$ as a new array. Do not
    form the inverse $(\nabla^2\mathcal{L})^{-1}$: solve the linear system
    with `np.linalg.solve`, which is cheaper and more accurate. (This is
    {eq}`eq-13-newton` without the package's safeguard and line search.)""",
    forbidden=("lecture2.optim:Newton",),
)
def _check_newton_step(fn, h):
    rng = rng_for("newton_step")
    cases = []
    for p, cond in [(2, 10.0), (5, 100.0), (1, 1.0), (8, 1e6)]:
        Q, _ = np.linalg.qr(rng.normal(size=(p, p)))
        H = (Q * np.geomspace(1.0, cond, p)) @ Q.T
        H = (H + H.T) / 2
        cases.append(
            (
                rng.normal(size=p),
                rng.normal(size=p),
                H,
                (
                    f"p = {p}, a positive definite Hessian with condition number "
                    f"{cond:g}"
                ),
            )
        )
    cases.append(
        (
            rng.normal(size=3),
            rng.normal(size=3),
            np.diag([2.0, 5.0, 0.5]),
            "p = 3, a diagonal Hessian",
        )
    )
    S = rng.normal(size=(4, 4))
    cases.append(
        (
            rng.normal(size=4),
            rng.normal(size=4),
            S + S.T + 0.1 * np.eye(4),
            "p = 4, a symmetric indefinite Hessian",
        )
    )
    cases.append((rng.normal(size=3), np.zeros(3), np.eye(3) * 2.0, "grad = 0"))
    cases.append(
        (
            1000 * rng.normal(size=3),
            1000 * rng.normal(size=3),
            np.diag([1000.0, 3.0, 1.0]),
            "w and grad near 1000",
        )
    )
    for w, g, H, label in cases:
        h.case()
        out = h.expect_array(h.call(label, w, g, H), w.shape, label)
        d = out - w  # the student's step, which should solve H d = -g
        want = w + np.linalg.solve(H, -g)
        scale = np.linalg.norm(H, 2) * np.linalg.norm(d) + np.linalg.norm(g)
        mistakes = [
            (
                w + np.linalg.solve(H, g),
                "wrong sign: the step d solves H d = -grad and is added to w",
            ),
            (
                w - H @ g,
                "use the inverse of the Hessian, i.e. solve H d = -grad",
            ),
            (w - g / np.diag(H), "that uses only the diagonal of H"),
            (w - g, "the Hessian is missing"),
        ]
        if np.linalg.norm(H @ d + g) > 1e-9 * scale + 1e-300 or not np.all(
            np.isfinite(out)
        ):
            h.expect_close(
                out,
                want,
                label,
                rtol=1e-8,
                atol=1e-10,
                hint="w_next = w + d where hessian @ d = -grad",
                mistakes=mistakes,
            )
