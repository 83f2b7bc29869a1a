"""Checking a gradient against central finite differences.

For a scalar function ``L(w)`` of ``p`` parameters, the central difference::

    dL/dw_j ~ (L(w + h e_j) - L(w - h e_j)) / (2h)

has truncation error ``O(h^2)`` and rounding error ``O(eps |L| / h)``; with
``h = 1e-6`` in float64 both are near 1e-10 relative to a gradient of order
one, so an exact gradient (backpropagation) agrees to about 1e-8 or better
while a wrong one (a sign or a missing factor) is off by order one.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_array, check_positive

__all__ = ["check_gradient", "numerical_gradient", "relative_error"]


def numerical_gradient(fun, w, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function ``fun(w) -> float``.

    Costs ``2p`` evaluations of ``fun`` (one loop over the parameters).

    Parameters
    ----------
    fun : callable
        ``fun(w) -> float``; it must not keep a reference to its argument
        (the same work array is perturbed in place and restored).
    w : array_like, shape (p,)
        The point.
    h : float, default 1e-6
        Step (positive).

    Returns
    -------
    numpy.ndarray, shape (p,)

    Examples
    --------
    >>> g = numerical_gradient(lambda w: float(w @ w), np.array([1.0, -2.0]))
    >>> np.allclose(g, [2.0, -4.0])
    True
    """
    if not callable(fun):
        raise TypeError(f"fun must be a callable w -> float; got {fun!r}")
    h = check_positive("h", h)
    w = check_array("w", w, ndim=1).copy()
    grad = np.empty_like(w)
    for j in range(w.size):
        wj = w[j]
        w[j] = wj + h
        up = float(fun(w))
        w[j] = wj - h
        down = float(fun(w))
        w[j] = wj
        grad[j] = (up - down) / (2.0 * h)
    return grad


def relative_error(a, b) -> float:
    """``||a - b|| / max(||a|| + ||b||, tiny)``: 0 when equal, 1 when opposite.

    Symmetric in ``a`` and ``b``, in [0, 1], and defined (0) when both are
    zero. Shapes must match.
    """
    a = check_array("a", a, finite=False)
    b = check_array("b", b, finite=False)
    if a.shape != b.shape:
        raise ValueError(
            f"b must have the same shape as a {a.shape}; got shape {b.shape}"
        )
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(np.float64).tiny)
    return float(np.linalg.norm(a - b) / denom)


def check_gradient(fun_and_grad, w, h: float = 1e-6) -> float:
    """Relative error between an analytic gradient and central differences.

    Parameters
    ----------
    fun_and_grad : callable
        ``fun_and_grad(w) -> (loss, grad)``, e.g. ``Network.objective(X, Y)``.
    w : array_like, shape (p,)
    h : float, default 1e-6

    Returns
    -------
    float
        :func:`relative_error` of ``grad`` at ``w`` and the numerical
        gradient of ``loss``; below about 1e-7 for a correct gradient of a
        smooth function in float64.

    Examples
    --------
    >>> from lecture2.network import Network
    >>> net = Network([1, 4, 1], "tanh", rng=0)
    >>> X = np.linspace(0, 1, 8).reshape(-1, 1)
    >>> check_gradient(net.objective(X, np.sin(X)), net.w) < 1e-7
    True
    """
    if not callable(fun_and_grad):
        raise TypeError(
            f"fun_and_grad must be a callable w -> (loss, grad); got {fun_and_grad!r}"
        )
    w = check_array("w", w, ndim=1)
    _, grad = fun_and_grad(w.copy())
    grad = check_array("grad", grad, shape=(w.size,), finite=False)
    numerical = numerical_gradient(lambda v: fun_and_grad(v)[0], w, h)
    return relative_error(grad, numerical)
