"""Squared-error loss, its gradient with respect to the output, and the MSE.

Convention (PLAN.md): with ``n`` points::

    reduction="mean":  L = 1/(2n) * sum_i ||y_i - f_i||^2   (the default)
    reduction="sum":   L = 1/2    * sum_i ||y_i - f_i||^2   (the lecture's)

Both have the same minimiser as eq. (3); the factor 1/2 makes the output
adjoint ``dL/df = (f - y)`` (times 1/n for the mean). The slide writes
``y - f^L``: a sign slip.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_array, check_choice

__all__ = ["REDUCTIONS", "mse", "squared_error", "squared_error_gradient"]

REDUCTIONS = ("mean", "sum")


def _pair(pred, y) -> tuple[np.ndarray, np.ndarray]:
    """Check that ``pred`` and ``y`` have the same 1-D or 2-D shape."""
    pred = check_array("pred", pred, ndim=(1, 2), finite=False)
    y = check_array("y", y, ndim=(1, 2), finite=False)
    if pred.shape != y.shape:
        # Never broadcast: (n,) against (n, 1) would silently give n x n.
        raise ValueError(
            f"y must have the same shape as pred {pred.shape}; got shape {y.shape}"
        )
    if pred.shape[0] == 0:
        raise ValueError("pred must contain at least one point; got 0 rows")
    return pred, y


def _scale(reduction: str, n: int) -> float:
    """1/n for the mean reduction, 1 for the sum."""
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    return 1.0 / n if reduction == "mean" else 1.0


def squared_error(pred, y, reduction: str = "mean") -> float:
    """Squared-error loss ``c/2 * sum_i ||y_i - f_i||^2``, ``c = 1/n`` or 1.

    Parameters
    ----------
    pred : array_like, shape (n, m) or (n,)
        Network outputs ``f^L``.
    y : array_like, same shape as ``pred``
        Targets.
    reduction : {"mean", "sum"}, default "mean"

    Examples
    --------
    >>> squared_error([[1.0], [3.0]], [[0.0], [0.0]])
    2.5
    """
    pred, y = _pair(pred, y)
    r = pred - y
    return 0.5 * _scale(reduction, pred.shape[0]) * float(np.vdot(r, r))


def squared_error_gradient(pred, y, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`squared_error` with respect to ``pred``.

    ``dL/df_i = c (f_i - y_i)`` with ``c = 1/n`` (mean) or 1 (sum): the
    output adjoint of backpropagation (the slide's ``y - f^L`` has the sign
    flipped).
    """
    pred, y = _pair(pred, y)
    r = pred - y
    r *= _scale(reduction, pred.shape[0])
    return r


def mse(pred, y) -> float:
    """Plain mean of the squared residuals over every entry (for reporting).

    ``mse = mean((pred - y)**2)``; unlike :func:`squared_error` it has no 1/2
    and divides by ``n * m``. Shapes must match exactly.
    """
    pred, y = _pair(pred, y)
    r = pred - y
    return float(np.vdot(r, r)) / r.size
