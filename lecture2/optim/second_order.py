"""Second-order methods (lecture, "Second-Order Optimization Methods").

Newton's method uses the Hessian :math:`\\nabla^2\\mathcal{L}`; BFGS and
L-BFGS build an approximation of its inverse from gradient differences. None
of them uses a learning rate (``uses_lr = False``): the step length comes
from a line search (:mod:`lecture2.optim.linesearch`).

Newton needs a p x p Hessian (p^2 numbers, an O(p^3) solve), so it is for
small p: the 2-D test functions, small networks. L-BFGS stores only
``2 * memory`` vectors of length p.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from lecture2._validate import (
    check_int,
    check_nonnegative,
    check_positive,
    check_probability,
)
from lecture2.optim.base import NonFiniteError, Optimizer
from lecture2.optim.linesearch import backtracking, wolfe

__all__ = ["BFGS", "LBFGS", "Newton", "finite_difference_hessian", "newton_direction"]


def finite_difference_hessian(fun, w, h=None):
    r"""Hessian by central differences of the gradient.

    Column ``j`` is :math:`(\nabla\mathcal{L}(\mathbf{w}+h_j\mathbf{e}_j)
    - \nabla\mathcal{L}(\mathbf{w}-h_j\mathbf{e}_j)) / (2h_j)`; the result is
    symmetrised. Costs ``2 p`` gradient evaluations.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)``.
    w : ndarray, shape (p,)
    h : float, optional
        Step, ``h > 0``; default :math:`h_j = \epsilon_{\text{mach}}^{1/3}\max(1, |w_j|)`
        (about 6e-6), which balances truncation and rounding error.

    Returns
    -------
    ndarray, shape (p, p)
    """
    w = np.asarray(w, dtype=np.float64)
    steps = (np.finfo(float).eps ** (1 / 3) * np.maximum(1.0, np.abs(w))
             if h is None else np.full(w.shape, check_positive("h", h)))
    hess = np.empty((w.size, w.size))
    for j, hj in enumerate(steps):  # a loop over parameters, not samples
        e = np.zeros_like(w)
        e[j] = hj
        hess[:, j] = (np.asarray(fun(w + e)[1]) - np.asarray(fun(w - e)[1])) / (2 * hj)
    return 0.5 * (hess + hess.T)


def newton_direction(hess, grad, damping=0.0):
    r"""Safeguarded Newton direction :math:`\mathbf{d} = -\tilde{H}^{-1}\nabla\mathcal{L}`.

    With the eigendecomposition :math:`H = Q\Lambda Q^T` of the (symmetrised)
    Hessian, :math:`\tilde{H} = Q\tilde\Lambda Q^T` where

    .. math:: \tilde\lambda_i = \max(|\lambda_i|, \delta) + \mu,
              \qquad \delta = 10^{-8}\max_j|\lambda_j|,

    and :math:`\mu` is ``damping``. When :math:`H` is positive definite (and
    :math:`\mu = 0`) this is the plain Newton direction
    :math:`-H^{-1}\nabla\mathcal{L}` of the slide. Otherwise each negative
    curvature is replaced by its absolute value (a modified Newton method,
    Nocedal & Wright 2006, Sec. 3.4; the "saddle-free" choice of Dauphin et
    al. 2014), so :math:`\tilde{H}` is positive definite and ``d`` is a
    descent direction that moves *away* from a saddle along negative-curvature
    directions. If :math:`H = 0` and :math:`\mu = 0` the direction is the
    negative gradient.

    Parameters
    ----------
    hess : ndarray, shape (p, p)
        The Hessian :math:`H` (finite).
    grad : ndarray, shape (p,)
        The gradient :math:`\nabla\mathcal{L}`.
    damping : float, default 0.0
        :math:`\mu \ge 0`, added to every eigenvalue after the safeguard.

    Returns
    -------
    d : ndarray, shape (p,)
    modified : bool
        True when the safeguard changed some eigenvalue, that is when some
        :math:`\lambda_i < \delta` (H not safely positive definite). The
        damping :math:`\mu` does not count as a modification.
    """
    damping = check_nonnegative("damping", damping)
    lam, q = np.linalg.eigh(0.5 * (hess + hess.T))
    scale = np.max(np.abs(lam)) if lam.size else 0.0
    if scale == 0.0 and damping == 0.0:
        return -grad.copy(), True  # no curvature information: gradient direction
    floor = 1e-8 * scale
    modified = bool(np.any(lam < floor))
    lam_mod = np.maximum(np.abs(lam), floor) + damping  # |lambda|: the safeguard
    return -(q @ ((q.T @ grad) / lam_mod)), modified


class Newton(Optimizer):
    r"""Newton's method with a safeguard and a backtracking line search.

    The slide's update is

    .. math:: \mathbf{w}^{k+1} = \mathbf{w}^k - \left(\nabla^2\mathcal{L}(\mathbf{w}^k)\right)^{-1}
              \nabla\mathcal{L}(\mathbf{w}^k).

    Here :math:`\mathbf{w}^{k+1} = \mathbf{w}^k + t_k\mathbf{d}^k` with the
    direction :math:`\mathbf{d}^k` of :func:`newton_direction` (the slide's
    step when the Hessian is positive definite; negative eigenvalues are
    flipped to their absolute values otherwise, so every step is a descent
    step) and :math:`t_k` the first of 1, 1/2, 1/4, ... with sufficient
    decrease (Armijo). The full step ``t = 1`` is tried first, so on a convex
    quadratic one step lands on the minimizer. The linear system is solved
    through the eigendecomposition; the inverse is never formed.

    Parameters
    ----------
    hessian : callable, optional
        ``hessian(w) -> (p, p)`` array. Default: central differences of the
        gradient (:func:`finite_difference_hessian`, ``2 p`` gradient
        evaluations per step).
    damping : float, default 0.0
        Levenberg-style :math:`\mu \ge 0` added to every (modified) eigenvalue;
        it shortens and tilts the step toward the gradient direction.
    line_search : bool, default True
        False takes the full step ``t = 1`` (the slide's pure Newton update,
        with the safeguard).

    Raises
    ------
    NonFiniteError
        From :meth:`step`, when the Hessian at ``w`` is not finite (the loss
        and gradient are); :func:`~lecture2.training.minimize` turns this into
        a ``"diverged"`` stop with that message. A non-finite loss or gradient
        at ``w`` gives no step (``w`` is returned) and is reported by the
        caller.

    Attributes
    ----------
    modified : bool
        Whether the last step had to modify the Hessian.
    """

    name = "newton"
    uses_lr = False

    def __init__(self, hessian=None, damping=0.0, line_search=True):
        if hessian is not None and not callable(hessian):
            raise TypeError(f"hessian must be a callable w -> (p, p) array or None; "
                            f"got {hessian!r}")
        if not isinstance(line_search, (bool, np.bool_)):
            raise TypeError(f"line_search must be True or False; got {line_search!r}")
        self.hessian = hessian
        self.damping = check_nonnegative("damping", damping)
        self.line_search = bool(line_search)
        super().__init__()

    def reset(self):
        super().reset()
        self.modified = False

    def _params(self):
        return {"damping": self.damping, "line_search": self.line_search}

    def _hessian_at(self, fun, w):
        if self.hessian is None:
            return finite_difference_hessian(lambda v: self._evaluate(fun, v), w)
        hess = np.asarray(self.hessian(w), dtype=np.float64)
        if hess.shape != (w.size, w.size):
            raise ValueError(f"hessian(w) must return an array of shape "
                             f"{(w.size, w.size)}; got shape {hess.shape}")
        return hess

    def _update(self, w, fun, lr):
        loss, grad = self._evaluate(fun, w)
        if not (np.isfinite(loss) and np.all(np.isfinite(grad))):
            self.step_size = float("nan")
            return w.copy(), loss, grad  # nothing to step from; the caller sees why
        hess = self._hessian_at(fun, w)
        if not np.all(np.isfinite(hess)):
            bad = int(np.size(hess) - np.count_nonzero(np.isfinite(hess)))
            raise NonFiniteError(
                f"Newton's method needs a finite Hessian; the Hessian at the current "
                f"weights has {bad} non-finite entries (NaN or infinity)")
        d, self.modified = newton_direction(hess, grad, self.damping)
        if not self.line_search:
            self.step_size = 1.0
            return w + d, loss, grad

        # try the Newton direction, then the gradient direction
        evaluate = lambda v: self._evaluate(fun, v)
        for direction in (d, -grad):
            found = backtracking(evaluate, w, loss, grad, direction)
            if found.success:
                self.step_size = found.step
                return found.w, loss, grad
        self.step_size = 0.0
        return w.copy(), loss, grad


class _QuasiNewton(Optimizer):
    """Shared loop of BFGS and L-BFGS: direction, Wolfe search, curvature pair."""

    uses_lr = False

    def __init__(self, c1=1e-4, c2=0.9):
        self.c1 = check_probability("c1", c1)
        self.c2 = check_probability("c2", c2)
        if not self.c1 < self.c2:
            raise ValueError(f"c1 must be smaller than c2 (0 < c1 < c2 < 1); "
                             f"got c1={self.c1} and c2={self.c2}")
        super().__init__()

    def reset(self):
        super().reset()
        self._forget()
        self._cache = None

    def _values_at(self, fun, w):
        """Loss and gradient at w, reused from the last line search if it ended there."""
        cache = self._cache
        if cache is not None and cache[0] is fun and np.array_equal(cache[1], w):
            return cache[2], cache[3]
        return self._evaluate(fun, w)

    def _update(self, w, fun, lr):
        loss, grad = self._values_at(fun, w)
        evaluate = lambda v: self._evaluate(fun, v)

        direction = self._direction(grad)
        if not grad @ direction < 0:  # lost positive definiteness: restart
            self._forget()
            direction = -grad
        found = wolfe(evaluate, w, loss, grad, direction, c1=self.c1, c2=self.c2)
        if not found.success and self._has_memory():
            self._forget()  # retry once along the steepest descent direction
            found = wolfe(evaluate, w, loss, grad, -grad, c1=self.c1, c2=self.c2)
        self.step_size = found.step
        if not found.success:
            return w.copy(), loss, grad

        s, y = found.w - w, found.grad - grad
        if s @ y > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            self._remember(s, y)  # skip pairs without positive curvature
        self._cache = (fun, found.w, found.loss, found.grad)
        return found.w, loss, grad

    def _params(self):
        return {"c1": self.c1, "c2": self.c2}


class BFGS(_QuasiNewton):
    r"""BFGS quasi-Newton method with a strong Wolfe line search.

    Keeps :math:`H_k \approx (\nabla^2\mathcal{L})^{-1}` and steps along
    :math:`\mathbf{d}^k = -H_k\nabla\mathcal{L}(\mathbf{w}^k)`,
    :math:`\mathbf{w}^{k+1} = \mathbf{w}^k + t_k\mathbf{d}^k`
    (:func:`~lecture2.optim.linesearch.wolfe`). With
    :math:`\mathbf{s} = \mathbf{w}^{k+1}-\mathbf{w}^k`,
    :math:`\mathbf{y} = \nabla\mathcal{L}(\mathbf{w}^{k+1})-\nabla\mathcal{L}(\mathbf{w}^k)`
    and :math:`\rho = 1/\mathbf{s}^T\mathbf{y}`:

    .. math:: H_{k+1} = (I-\rho\,\mathbf{s}\mathbf{y}^T)\,H_k\,(I-\rho\,\mathbf{y}\mathbf{s}^T)
              + \rho\,\mathbf{s}\mathbf{s}^T

    (Nocedal & Wright 2006, eq. 6.17). :math:`H_0 = I` for the first step and
    is rescaled to :math:`(\mathbf{s}^T\mathbf{y}/\mathbf{y}^T\mathbf{y})I`
    before the first update (eq. 6.20). Pairs without clearly positive
    curvature, :math:`\mathbf{s}^T\mathbf{y} \le 10^{-10}\|\mathbf{s}\|\,\|\mathbf{y}\|`,
    are skipped (the update would lose positive definiteness or divide by
    nearly 0); if the search fails, H
    is reset to I and the step retried along :math:`-\nabla\mathcal{L}`; if
    that fails too (at a minimum to machine precision) the weights stay where
    they are (``step_size`` 0). Stores a p x p matrix.

    Parameters
    ----------
    c1, c2 : float, default 1e-4, 0.9
        Wolfe constants, ``0 < c1 < c2 < 1``.

    Attributes
    ----------
    H : ndarray (p, p) or None
        The current inverse-Hessian approximation (None: the identity).
    """

    name = "bfgs"

    def _forget(self):
        self.H = None

    def _has_memory(self):
        return self.H is not None

    def _direction(self, grad):
        return -grad if self.H is None else -(self.H @ grad)

    def _remember(self, s, y):
        rho = 1.0 / (s @ y)
        if self.H is None:
            self.H = (s @ y) / (y @ y) * np.eye(s.size)  # eq. 6.20
        Hy = self.H @ y
        # (I - rho s y^T) H (I - rho y s^T) + rho s s^T, expanded (H symmetric)
        self.H = (self.H - rho * (np.outer(s, Hy) + np.outer(Hy, s))
                  + (rho**2 * (y @ Hy) + rho) * np.outer(s, s))


class LBFGS(_QuasiNewton):
    r"""Limited-memory BFGS with a strong Wolfe line search.

    Like :class:`BFGS`, but :math:`H_k\nabla\mathcal{L}` is computed from the
    last ``memory`` pairs :math:`(\mathbf{s}_i, \mathbf{y}_i)` by the two-loop
    recursion (Nocedal & Wright 2006, Algorithm 7.4), starting from
    :math:`H^0_k = \gamma_k I`,
    :math:`\gamma_k = \mathbf{s}^T\mathbf{y}/\mathbf{y}^T\mathbf{y}` of the
    newest pair (eq. 7.20). Memory ``2 * memory * p`` numbers instead of
    ``p^2``. Its first two steps equal those of :class:`BFGS`.

    Parameters
    ----------
    memory : int, default 10
        Number of pairs kept, >= 1.
    c1, c2 : float, default 1e-4, 0.9
        Wolfe constants, ``0 < c1 < c2 < 1``.
    """

    name = "lbfgs"

    def __init__(self, memory=10, c1=1e-4, c2=0.9):
        self.memory = check_int("memory", memory, minimum=1)
        super().__init__(c1=c1, c2=c2)

    def _params(self):
        return {"memory": self.memory, **super()._params()}

    def _forget(self):
        self.pairs = deque(maxlen=self.memory)

    def _has_memory(self):
        return len(self.pairs) > 0

    def _remember(self, s, y):
        self.pairs.append((s, y, 1.0 / (s @ y)))

    def _direction(self, grad):
        if not self.pairs:
            return -grad
        q = grad.copy()
        alphas = []
        for s, y, rho in reversed(self.pairs):  # newest first
            alpha = rho * (s @ q)
            q -= alpha * y
            alphas.append(alpha)
        s, y, _ = self.pairs[-1]
        r = (s @ y) / (y @ y) * q
        for (s, y, rho), alpha in zip(self.pairs, reversed(alphas)):  # oldest first
            r += (alpha - rho * (y @ r)) * s
        return -r
