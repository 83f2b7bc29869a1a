"""The training loop: an optimizer, a schedule and the lecture's stopping rules.

:func:`minimize` runs any optimizer on any objective ``fun(w) -> (loss, grad)``
(the 2-D test functions of :mod:`lecture2.testfunctions`, or a network's
``objective``); :func:`train` does the same for a
:class:`~lecture2.network.Network` on data ``(X, Y)``, full batch or with
seeded mini-batches (stochastic gradient descent). Both repeat eq. (4),
:math:`\\mathbf{w}^{k+1} = \\mathbf{w}^k + \\eta_k\\mathbf{v}^k`, for
``k = 0, 1, ...`` until one of the lecture's termination rules fires:

``"budget"``
    ``steps`` updates were made.
``"patience"``
    The monitored loss has not improved on its best value for ``patience``
    steps ("the loss function has not decreased after a while").
``"tolerance"``
    The norm of the monitored gradient fell to ``tol`` or below (a
    stationary point: :math:`\\|\\nabla\\mathcal{L}\\| \\le` ``tol``).
``"diverged"``
    The loss, the gradient or the new weights stopped being finite (or the
    objective overflowed, or Newton's method met a non-finite Hessian). A
    :class:`DivergenceWarning` is issued once, and the weights are rolled back
    to the last iterate whose loss was finite.

A step that a stopping rule (or a divergence) discards leaves no trace in the
optimizer either: its state (momentum, step counter, Hessian approximation)
is restored to match the weights returned, so ``optimizer.k`` equals
``History.steps`` (after ``reset=True``), and a second call with
``reset=False`` from ``History.w`` continues the run exactly as if it had
not stopped.

The monitored loss and gradient are those of the step itself in full-batch
runs, and a full-data evaluation every ``eval_every`` steps in mini-batch
runs (see :func:`train`).
"""

from __future__ import annotations

import functools
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from lecture2._validate import check_array, check_int, check_nonnegative, check_rng
from lecture2.losses import _scale
from lecture2.optim.base import NonFiniteError, Optimizer
from lecture2.optim.optimizers import get_optimizer
from lecture2.optim.schedules import as_schedule

__all__ = ["DivergenceWarning", "History", "iterate_minibatches", "minimize", "train"]

STOP_REASONS = ("budget", "patience", "tolerance", "diverged")

# Overflow or 0/0 in the user's objective is turned into a divergence report,
# so numpy's floating-point warnings are silenced while a step runs.
_QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss (or gradient, or weights) became non-finite."""


@dataclass
class History:
    """What happened during a run of :func:`minimize` or :func:`train`.

    Attributes
    ----------
    loss : ndarray, shape (K,)
        ``loss[k]``: the loss evaluated by step ``k`` (at :math:`\\mathbf{w}^k`;
        at the look-ahead point for Nesterov; on the mini-batch of step ``k``
        in mini-batch runs).
    lr : ndarray, shape (K,)
        The learning rate :math:`\\eta_k` of step ``k``; for methods with a line
        search (``uses_lr`` False) the step length it chose.
    grad_norm : ndarray, shape (K,)
        Euclidean norm of the gradient that came with ``loss[k]``.
    stop_reason : str
        One of ``"budget"``, ``"patience"``, ``"tolerance"``, ``"diverged"``.
    steps : int
        Number of updates applied. ``K = steps`` after ``"budget"``;
        ``K = steps + 1`` otherwise (the last evaluated point was kept), except
        ``K = 0`` when the very first evaluation was already non-finite.
    time : float
        Wall-clock seconds of the run.
    w : ndarray, shape (p,)
        The final weights (the last iterate; after divergence, the last
        iterate with a finite loss).
    final_loss : float
        The full objective at ``w`` (one extra evaluation at the end).
    evaluations : int
        Number of calls of the objective made by the optimizer (line searches
        and finite-difference Hessians included; monitoring not included).
    path : ndarray, shape (steps + 1, p), or None
        The iterates :math:`\\mathbf{w}^0, \\dots` up to ``w`` when
        ``record_path=True``.
    eval_step, eval_loss : ndarray or None
        Mini-batch runs: the steps at which the full-data loss was evaluated
        and its values there (before the update of that step).
    """

    loss: np.ndarray
    lr: np.ndarray
    grad_norm: np.ndarray
    stop_reason: str
    steps: int
    time: float
    w: np.ndarray
    final_loss: float
    evaluations: int
    path: np.ndarray | None = None
    eval_step: np.ndarray | None = field(default=None)
    eval_loss: np.ndarray | None = field(default=None)

    def __repr__(self):
        return (f"History(steps={self.steps}, stop_reason={self.stop_reason!r}, "
                f"final_loss={self.final_loss:.6g}, time={self.time:.3g}s)")


def iterate_minibatches(n, batch_size, rng):
    """Index arrays of one epoch of shuffled mini-batches.

    A new random permutation of ``0, ..., n-1`` is drawn from ``rng`` and cut
    into consecutive batches of ``batch_size`` indices; the last batch is
    smaller when ``batch_size`` does not divide ``n``. Every point appears
    exactly once per epoch.

    Parameters
    ----------
    n : int
        Number of training points, >= 1.
    batch_size : int
        Between 1 and ``n``.
    rng : numpy.random.Generator or int
        Source of the shuffle (an int is a seed).

    Yields
    ------
    ndarray of int
        The indices of one mini-batch.

    Examples
    --------
    >>> [b.tolist() for b in iterate_minibatches(5, 2, rng=0)]
    [[2, 4], [3, 0], [1]]
    """
    n = check_int("n", n, minimum=1)
    batch_size = _check_batch_size(batch_size, n)
    order = check_rng("rng", rng).permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def _check_batch_size(batch_size, n):
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and n = {n}; got {batch_size}")
    return batch_size


class _Counted:
    """``fun`` with a shared count of its calls."""

    def __init__(self, fun, counter):
        self.fun, self.counter = fun, counter

    def __call__(self, w):
        self.counter[0] += 1
        return self.fun(w)


def _as_optimizer(optimizer):
    if isinstance(optimizer, str):
        return get_optimizer(optimizer)
    if not isinstance(optimizer, Optimizer):
        raise TypeError("optimizer must be an Optimizer or the name of one (see "
                        f"lecture2.optim.OPTIMIZERS); got {optimizer!r}")
    return optimizer


def _settings(optimizer, lr, steps, patience, tol, callback, record_path, reset):
    """Check the arguments shared by minimize and train; reset the optimizer."""
    optimizer = _as_optimizer(optimizer)
    settings = {
        "optimizer": optimizer,
        "schedule": as_schedule(lr),
        "steps": check_int("steps", steps, minimum=0),
        "patience": None if patience is None else check_int("patience", patience,
                                                             minimum=1),
        "tol": None if tol is None else check_nonnegative("tol", tol),
        "callback": callback,
        "record_path": record_path,
    }
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None; got {callback!r}")
    if not isinstance(record_path, bool):
        raise TypeError(f"record_path must be True or False; got {record_path!r}")
    if reset:
        optimizer.reset()
    return settings


def _full_batch(fun, w0, settings, full_loss=None):
    """Run on one fixed objective; patience and tol watch the step's own values.

    ``full_loss(w)``, the loss reported at the end, defaults to ``fun(w)[0]``.
    """
    counted = _Counted(fun, [0])  # one wrapper, so BFGS recognises its objective

    def objective(k, counter):
        counted.counter = counter
        return counted

    def monitor(k, w, loss, grad_norm):
        return loss, grad_norm

    if full_loss is None:
        full_loss = lambda v: fun(v)[0]
    return History(**_run(objective, w0, monitor, full_loss, **settings))


def _safe(fun, *args):
    """``fun(*args)``, or None if it overflows (Python floats raise OverflowError;
    numpy raises FloatingPointError only if the caller asked for it)."""
    try:
        return fun(*args)
    except (OverflowError, FloatingPointError):
        return None


def _norm(grad):
    """Euclidean norm of ``grad`` without overflow; NaN if grad is not finite.

    ``numpy.linalg.norm`` squares the entries and overflows to inf for
    entries of about 1e155 and more; then the norm is recomputed as
    ``max|g| * ||g / max|g|||``, which is finite for every finite ``grad``.
    """
    norm = _safe(np.linalg.norm, grad)
    if norm is not None and math.isfinite(norm):
        return float(norm)
    if not _all_finite(grad):
        return np.nan
    scale = float(np.max(np.abs(grad)))
    return scale * float(np.linalg.norm(grad / scale))


def _finite(*numbers):
    """Whether every scalar is a finite number (None counts as not finite)."""
    return all(v is not None and math.isfinite(v) for v in numbers)


def _all_finite(array):
    return bool(np.isfinite(array).all())


def _run(objective, w, monitor, full_loss, *, optimizer, schedule, steps, patience,
         tol, callback, record_path):
    """The loop shared by :func:`minimize` and :func:`train`.

    ``objective(k, counter)`` is the function of step k; ``monitor(k, w, loss,
    grad_norm)`` returns the ``(loss, grad_norm)`` that patience and tolerance
    watch at step k, or None when step k is not watched; ``full_loss(w)`` is
    the objective reported at the end. Returns the fields of a History.
    """
    user_errstate = np.geterr()  # restored around the user's callback
    with np.errstate(**_QUIET):  # non-finite values are detected and reported below
        fields, failure = _loop(objective, w, monitor, full_loss, optimizer, schedule,
                                steps, patience, tol, callback, record_path,
                                user_errstate)
    if failure is not None:
        step, what = failure
        hint = (" Try a smaller learning rate." if optimizer.uses_lr else
                f" ({optimizer!r} chooses its own step length: check the objective "
                "and its gradient near these weights.)")
        warnings.warn(
            f"training diverged at step {step}: {what}.{hint} Kept w^{fields['steps']}, "
            f"the weights after {fields['steps']} updates, the last with a finite loss.",
            DivergenceWarning,
            stacklevel=4,  # the caller of minimize/train (via _full_batch or _train_minibatch)
        )
    return fields


def _learning_rate(schedule, k, optimizer):
    """``schedule(k)``, checked here so that a bad value names the schedule."""
    lr = schedule(k)
    if optimizer.uses_lr and not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning-rate schedule {schedule!r} returned {lr!r} at "
                         f"step k = {k}; a learning rate must be a positive finite "
                         "float")
    return lr


def _step(optimizer, w, fun, lr):
    """``optimizer.step(w, fun, lr)``, with a failure turned into a report.

    Returns ``(out, failure)``: ``out = (w_next, loss, grad)`` and None, or
    None and ``(message, roll_back)``. An overflow means ``w`` itself is bad
    (roll back); a :class:`~lecture2.optim.base.NonFiniteError` (Newton's
    non-finite Hessian) means the method cannot step from a finite ``w``.
    """
    try:
        return optimizer.step(w, fun, lr), None
    except NonFiniteError as exc:
        return None, (str(exc), False)
    except (OverflowError, FloatingPointError):
        return None, ("the objective overflowed", True)


def _loop(objective, w, monitor, full_loss, optimizer, schedule, steps, patience, tol,
          callback, record_path, user_errstate):
    """The iterations of :func:`_run`; returns the History fields and the failure.

    The optimizer's state is saved before every step (a shallow snapshot,
    :meth:`~lecture2.optim.base.Optimizer.snapshot`): a step that is not applied
    is undone in the optimizer too, so its state always belongs to ``w``.
    """
    counter = [0]
    losses, rates, norms = [], [], []
    path = [w] if record_path else None
    start = time.perf_counter()
    w_prev, updates, best, best_k = None, 0, np.inf, 0
    reason, failure, roll_back = "budget", None, True
    # state before the step being made, and before the last applied step
    before = before_applied = optimizer.snapshot()

    for k in range(steps):
        lr = _learning_rate(schedule, k, optimizer)
        before = optimizer.snapshot()
        out, error = _step(optimizer, w, objective(k, counter), lr)
        if error is not None:
            what, roll_back = error
            failure = (k, what)
            break
        loss, grad = out[1:]
        grad_norm = _norm(grad)
        if not _finite(loss):
            failure = (k, f"the loss is {loss}")  # w^k is bad: back to w^(k-1)
            break
        if not _finite(grad_norm):
            failure = (k, "the gradient is not finite (NaN or infinity)")
            break
        losses.append(loss)
        rates.append(optimizer.step_size)
        norms.append(grad_norm)

        watched = _safe(monitor, k, w, loss, grad_norm)
        if watched is not None:
            watched_loss, watched_norm = watched
            if not _finite(watched_loss):
                failure = (k, f"the full-data loss is {watched_loss}")
                for record in (losses, rates, norms):
                    record.pop()
                break
            if tol is not None and watched_norm <= tol:
                reason = "tolerance"
                break
            if watched_loss < best:
                best, best_k = watched_loss, k
            elif patience is not None and k - best_k >= patience:
                reason = "patience"
                break

        w_next = out[0]
        if not _all_finite(w_next):
            failure, roll_back = (k, "the update gave non-finite weights"), False
            break
        w_prev, w = w, w_next
        before_applied = before
        updates += 1
        if record_path:
            path.append(w)
        if callback is not None:
            with np.errstate(**user_errstate):  # the user's own settings
                callback(k, w, loss, grad)

    final = None if failure else _safe(full_loss, w)
    if failure is None and not (final is not None and np.isfinite(final)):
        failure = (steps, f"the loss is {final}")  # the last update went bad
    if reason != "budget" or failure is not None:
        optimizer.restore(before)  # the step k that was not applied
    if failure is not None:
        reason = "diverged"
        if roll_back and w_prev is not None:
            w, updates = w_prev, updates - 1
            optimizer.restore(before_applied)  # the state that belongs to w^(k-1)
            if record_path:
                path.pop()
        final = _safe(full_loss, w)

    return {
        "loss": np.array(losses, dtype=float), "lr": np.array(rates, dtype=float),
        "grad_norm": np.array(norms, dtype=float), "stop_reason": reason, "steps": updates,
        "time": time.perf_counter() - start, "w": np.array(w, dtype=float),
        "final_loss": float(np.nan if final is None else final), "evaluations": counter[0],
        "path": None if path is None else np.array(path),
    }, failure


def minimize(fun, w0, optimizer, lr=0.01, steps=1000, patience=None, tol=None,
             callback=None, record_path=False, reset=True):
    """Minimize ``fun(w) -> (loss, grad)`` from ``w0`` with any optimizer.

    Repeats :math:`\\mathbf{w}^{k+1} = \\mathbf{w}^k + \\eta_k\\mathbf{v}^k`
    (eq. 4) with the direction of ``optimizer`` until a stopping rule fires
    (module docstring): ``steps`` updates, no improvement of the loss for
    ``patience`` steps, or a gradient norm at most ``tol``. Patience and
    tolerance look at the loss and gradient each step evaluates (for
    Nesterov: at the look-ahead point). A step that meets them is not
    applied (neither to the weights nor to the optimizer's state), so
    ``History.w`` is the iterate :math:`\\mathbf{w}^k` of that step: the
    point that met them, except for Nesterov, where the look-ahead point
    :math:`\\mathbf{w}^k + \\beta\\mathbf{m}^{k-1}` met them.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)``, ``grad`` of the same shape as ``w``.
    w0 : array_like, shape (p,)
        Starting point :math:`\\mathbf{w}^0` (finite; not modified).
    optimizer : Optimizer or str
        An optimizer, or a name from :data:`lecture2.optim.OPTIMIZERS`.
    lr : float, Schedule or callable, default 0.01
        Learning rate :math:`\\eta_k`: a constant, or a schedule ``k -> lr``
        (:mod:`lecture2.optim.schedules`). Ignored by Newton, BFGS, L-BFGS.
    steps : int, default 1000
        Budget of updates (>= 0).
    patience : int, optional
        Stop once the loss has not improved on its best value for this many
        steps (>= 1). None: no patience rule.
    tol : float, optional
        Stop once the gradient norm is ``<= tol`` (>= 0). None: no tolerance
        rule.
    callback : callable, optional
        Called after every update as ``callback(k, w, loss, grad)`` with the
        new weights :math:`\\mathbf{w}^{k+1}` and the loss and gradient of
        step k; its return value is ignored.
    record_path : bool, default False
        Keep every iterate in ``History.path``.
    reset : bool, default True
        Call ``optimizer.reset()`` first; False continues from its state.

    Returns
    -------
    History
        ``History.w`` holds the final weights.

    Warns
    -----
    DivergenceWarning
        Once, if the loss becomes non-finite; the run stops with
        ``stop_reason="diverged"``.

    Examples
    --------
    >>> from lecture2.testfunctions import quadratic
    >>> bowl = quadratic(kappa=10)
    >>> hist = minimize(bowl, bowl.start, "gd", lr=0.1, steps=500, tol=1e-8)
    >>> hist.stop_reason, hist.steps, bool(abs(hist.w).max() < 1e-8)
    ('tolerance', 179, True)
    """
    if not callable(fun):
        raise TypeError("fun must be a callable w -> (loss, grad); got "
                        f"{type(fun).__name__} {fun!r}")
    w = check_array("w0", w0, ndim=1).copy()
    settings = _settings(optimizer, lr, steps, patience, tol, callback, record_path,
                         reset)
    return _full_batch(fun, w, settings)


def train(net, X, Y, optimizer, lr=0.01, steps=1000, batch_size=None, rng=None,
          patience=None, tol=None, reduction="mean", callback=None, eval_every=None,
          record_path=False, reset=True):
    """Train ``net`` on ``(X, Y)``: full batch, or stochastic gradient descent.

    Minimizes the squared-error loss of ``net`` (``reduction="mean"``:
    :math:`\\frac{1}{2n}\\sum_i\\|y_i - f(x_i)\\|^2`) with ``optimizer``
    and the learning rate or schedule ``lr``, starting from ``net.w``, and
    writes the final weights back into ``net.w``.

    **Full batch** (``batch_size=None``): every step uses all ``n`` points
    and the rules work as in :func:`minimize`.

    **Mini-batches** (``batch_size`` = B): each epoch shuffles the data with
    ``rng`` and visits it in batches of B (:func:`iterate_minibatches`); each
    step uses one batch. ``History.loss`` and ``grad_norm`` are then the
    *mini-batch* values of each step, which are noisy. Therefore patience
    and tolerance do not watch them: every ``eval_every`` steps (default:
    once per epoch, ``ceil(n / B)``) the loss on all the data is computed at
    the current weights (``History.eval_step``, ``eval_loss``), and

    - patience counts steps since the best of these full-data losses (so it
      acts at the evaluation steps, in multiples of ``eval_every``);
    - tolerance compares the full-data gradient norm, computed at the same
      evaluations (only when ``tol`` is given), with ``tol``.

    Parameters
    ----------
    net : Network
        Trained in place (``net.w`` is overwritten at the end).
    X : array_like, shape (n, d)
    Y : array_like, shape (n, m)
    optimizer : Optimizer or str
        An optimizer, or a name from :data:`lecture2.optim.OPTIMIZERS`.
    lr : float, Schedule or callable, default 0.01
        Learning rate or schedule ``k -> lr`` (``k`` counts updates from 0).
    steps : int, default 1000
        Budget of updates (not epochs).
    batch_size : int, optional
        Mini-batch size B, ``1 <= B <= n``; None for full batch.
    rng : numpy.random.Generator or int, optional
        Shuffles the mini-batches; required when ``batch_size`` is given
        (unused in full-batch runs).
    patience, tol : optional
        Stopping rules, as described above and in :func:`minimize`.
    reduction : {"mean", "sum"}, default "mean"
        Loss scaling (see :meth:`lecture2.network.Network.loss`).
    callback : callable, optional
        ``callback(k, w, loss, grad)`` after each update (new weights).
    eval_every : int, optional
        Steps between full-data evaluations in mini-batch runs.
    record_path : bool, default False
        Keep every iterate in ``History.path``.
    reset : bool, default True
        Call ``optimizer.reset()`` first.

    Returns
    -------
    History
        ``final_loss`` is the full-data loss at the final weights.

    Warns
    -----
    DivergenceWarning
        Once, if a loss becomes non-finite (``stop_reason="diverged"``);
        ``net.w`` is then the last iterate with a finite loss.
    """
    X, Y = net._check_XY(X, Y)  # X, Y and reduction are checked once, here
    scale = functools.partial(_scale, reduction)  # n -> c: 1/n (mean) or 1 (sum)
    c = scale(X.shape[0])
    full = net._objective(X, Y, c)
    full_loss = lambda v: net._loss(X, Y, net._layers(v), c)  # forward pass only
    settings = _settings(optimizer, lr, steps, patience, tol, callback, record_path,
                         reset)
    w0 = net.w.copy()
    if not _all_finite(w0):
        raise ValueError("net.w must contain only finite numbers; got NaN or infinity "
                         "(re-initialize the network)")

    if batch_size is None:
        if eval_every is not None:
            raise ValueError("eval_every applies to mini-batch training only; "
                             f"got eval_every={eval_every!r} with batch_size=None")
        history = _full_batch(full, w0, settings, full_loss)
    else:
        history = _train_minibatch(net, X, Y, full, full_loss, w0, settings, batch_size,
                                   rng, scale, eval_every)
    net.w = history.w
    return history


def _train_minibatch(net, X, Y, full, full_loss, w0, settings, batch_size, rng, scale,
                     eval_every):
    """Run on shuffled mini-batches; patience and tol watch full-data evaluations.

    ``X`` and ``Y`` are already checked; ``scale(n)`` is the loss factor of a
    batch of n points. ``full`` is the full-data objective, ``full_loss`` the
    full-data loss (forward pass only).
    """
    n = X.shape[0]
    batch_size = _check_batch_size(batch_size, n)
    if rng is None:
        raise ValueError("rng must be a numpy.random.Generator or an int seed when "
                         "batch_size is given (mini-batches are shuffled); got None")
    rng = check_rng("rng", rng)
    if eval_every is None:
        eval_every = math.ceil(n / batch_size)
    eval_every = check_int("eval_every", eval_every, minimum=1)

    def stream():
        while True:
            yield from iterate_minibatches(n, batch_size, rng)

    batches = stream()
    eval_step, eval_loss = [], []

    def objective(k, counter):
        idx = next(batches)
        # a new function object per batch (no checks: X, Y are checked), so
        # that BFGS's cache, keyed on the function, never mixes two batches
        return _Counted(net._objective(X[idx], Y[idx], scale(idx.size)), counter)

    def monitor(k, w, loss, grad_norm):
        if k % eval_every:
            return None
        if settings["tol"] is None:
            value, norm = full_loss(w), np.nan
        else:
            value, grad = full(w)
            norm = _norm(grad)
        eval_step.append(k)
        eval_loss.append(value)
        return value, norm

    fields = _run(objective, w0, monitor, full_loss, **settings)
    return History(**fields, eval_step=np.array(eval_step, dtype=int),
                   eval_loss=np.array(eval_loss, dtype=float))
