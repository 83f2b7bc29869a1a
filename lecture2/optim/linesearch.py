"""Line searches: choose the step length ``t`` along a descent direction ``d``.

Both searches look at :math:`\\phi(t) = \\mathcal{L}(\\mathbf{w} + t\\mathbf{d})`
with :math:`\\phi'(0) = \\nabla\\mathcal{L}(\\mathbf{w})^T\\mathbf{d} < 0`:

- :func:`backtracking` accepts the first ``t = t0, t0/2, t0/4, ...`` with
  sufficient decrease (the Armijo condition)
  :math:`\\phi(t) \\le \\phi(0) + c_1 t \\phi'(0)`;
- :func:`wolfe` also asks for the strong curvature condition
  :math:`|\\phi'(t)| \\le c_2 |\\phi'(0)|`, which keeps BFGS's curvature pair
  :math:`\\mathbf{s}^T\\mathbf{y}` positive (Nocedal & Wright 2006,
  Algorithms 3.5 and 3.6, with cubic interpolation, eq. 3.59).

A trial point where the loss or gradient is not finite counts as "too far"
(the step is shortened); the floating-point warnings such a point raises are
silenced, because the search handles it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["LineSearchResult", "backtracking", "wolfe"]


class LineSearchResult(NamedTuple):
    """Outcome of a line search.

    ``step`` is ``t`` (0 when the search failed), ``w`` the point
    ``w + t d``, ``loss`` and ``grad`` the values there, ``evaluations``
    the number of calls of ``fun`` and ``success`` whether the conditions hold.
    """

    step: float
    w: np.ndarray
    loss: float
    grad: np.ndarray
    evaluations: int
    success: bool


def _probe(evaluate, w, d, t):
    """``(t, loss, grad, slope)`` at ``w + t d``; non-finite values allowed."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss, grad = evaluate(w + t * d)
        slope = float(grad @ d)
    return t, loss, grad, slope


def _finite(point):
    return bool(np.isfinite(point[1]) and np.isfinite(point[3]))


def _failed(w, loss, grad, evaluations):
    return LineSearchResult(0.0, w, loss, grad, evaluations, False)


def backtracking(evaluate, w, loss, grad, d, t0=1.0, c1=1e-4, shrink=0.5, max_evals=50):
    r"""Backtracking (Armijo) line search.

    Returns the first ``t = t0 * shrink**j`` with
    :math:`\mathcal{L}(\mathbf{w}+t\mathbf{d}) \le \mathcal{L}(\mathbf{w})
    + c_1 t \nabla\mathcal{L}(\mathbf{w})^T\mathbf{d}`.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(w) -> (loss, grad)``.
    w : ndarray, shape (p,)
        The current point.
    loss : float
        The loss at ``w``.
    grad : ndarray, shape (p,)
        The gradient at ``w``.
    d : ndarray, shape (p,)
        A descent direction (``grad @ d < 0``; otherwise the search fails).
    t0 : float, default 1.0
        First trial step.
    c1 : float, default 1e-4
        Armijo constant.
    shrink : float, default 0.5
        Factor applied to ``t`` after each rejected trial.
    max_evals : int, default 50
        Budget of evaluations of ``evaluate``.

    Returns
    -------
    LineSearchResult
    """
    slope0 = float(grad @ d)
    if not slope0 < 0:
        return _failed(w, loss, grad, 0)
    t = t0
    for j in range(max_evals):
        point = _probe(evaluate, w, d, t)
        if np.isfinite(point[1]) and point[1] <= loss + c1 * t * slope0:
            return LineSearchResult(t, w + t * d, point[1], point[2], j + 1, True)
        t *= shrink
    return _failed(w, loss, grad, max_evals)


def _cubic_minimizer(a, b):
    """Minimizer of the cubic through two points ``(t, phi, ., phi')``; None if none."""
    (ta, fa, _, da), (tb, fb, _, db) = a, b
    if ta == tb:
        return None
    d1 = da + db - 3 * (fa - fb) / (ta - tb)
    radicand = d1 * d1 - da * db
    if radicand < 0:
        return None
    d2 = np.copysign(np.sqrt(radicand), tb - ta)
    denom = db - da + 2 * d2
    if denom == 0:
        return None
    t = tb - (tb - ta) * (db + d2 - d1) / denom
    return t if np.isfinite(t) else None


def wolfe(evaluate, w, loss, grad, d, t0=1.0, c1=1e-4, c2=0.9, max_evals=30):
    r"""Line search for the strong Wolfe conditions (Nocedal & Wright, Alg. 3.5-3.6).

    Finds ``t`` with
    :math:`\phi(t) \le \phi(0) + c_1 t\phi'(0)` and
    :math:`|\phi'(t)| \le c_2|\phi'(0)|`, where
    :math:`\phi(t) = \mathcal{L}(\mathbf{w}+t\mathbf{d})`. The bracketing phase
    doubles ``t`` from ``t0``; the zoom phase interpolates with a cubic
    (kept at least a tenth of the bracket away from its ends) or bisects.
    If the budget runs out after some step with sufficient decrease was
    found, that step is returned with ``success=True`` (only the Armijo
    condition is then guaranteed; BFGS skips its update if
    :math:`\mathbf{s}^T\mathbf{y} \le 0`).

    Parameters
    ----------
    evaluate : callable
        ``evaluate(w) -> (loss, grad)``.
    w : ndarray, shape (p,)
        The current point.
    loss : float
        The loss at ``w``.
    grad : ndarray, shape (p,)
        The gradient at ``w``.
    d : ndarray, shape (p,)
        A descent direction (``grad @ d < 0``; otherwise the search fails).
    t0 : float, default 1.0
        First trial step (1 suits quasi-Newton directions).
    c1, c2 : float, default 1e-4, 0.9
        Wolfe constants, ``0 < c1 < c2 < 1``.
    max_evals : int, default 30
        Budget of evaluations of ``evaluate``.

    Returns
    -------
    LineSearchResult
    """
    slope0 = float(grad @ d)
    if not slope0 < 0:
        return _failed(w, loss, grad, 0)
    origin = (0.0, loss, grad, slope0)

    def armijo_fails(point, previous):
        return (not _finite(point) or point[1] > loss + c1 * point[0] * slope0
                or point[1] >= previous[1])

    def curvature_holds(point):
        return abs(point[3]) <= -c2 * slope0

    def result(point, evaluations):
        t = point[0]
        return LineSearchResult(t, w + t * d, point[1], point[2], evaluations, True)

    # bracketing: grow t until the interval (lo, hi) must contain a Wolfe step
    evals = 0
    previous, t = origin, t0
    lo = hi = None
    while evals < max_evals:
        point = _probe(evaluate, w, d, t)
        evals += 1
        if armijo_fails(point, previous if evals > 1 else (0.0, np.inf)):
            lo, hi = previous, point
            break
        if curvature_holds(point):
            return result(point, evals)
        if point[3] >= 0:
            lo, hi = point, previous
            break
        previous, t = point, 2.0 * t
    if lo is None:
        return result(previous, evals) if previous[0] > 0 else _failed(w, loss, grad, evals)

    # zoom: lo always has sufficient decrease and the lowest loss so far
    while evals < max_evals:
        left, right = sorted((lo[0], hi[0]))
        width = right - left
        t = _cubic_minimizer(lo, hi) if _finite(hi) else None
        if t is None or not (left + 0.1 * width <= t <= right - 0.1 * width):
            t = 0.5 * (left + right)
        point = _probe(evaluate, w, d, t)
        evals += 1
        if armijo_fails(point, lo):
            hi = point
        else:
            if curvature_holds(point):
                return result(point, evals)
            if point[3] * (hi[0] - lo[0]) >= 0:
                hi = lo
            lo = point
        if width < 1e-16 * max(1.0, right):
            break
    return result(lo, evals) if lo[0] > 0 else _failed(w, loss, grad, evals)
