"""Data: the lecture's noisy sinusoid and targets for universal approximation.

The sinusoid example follows the data representation theorem,
``Y = f(X) + eps`` with ``E[eps | X] = 0``: here ``f(x) = sin(2 pi x)`` on
[0, 1], ``X ~ U[0, 1]`` and ``eps | X = x ~ N(0, s(x)^2)``. The noise is
homoskedastic when ``s`` is constant and heteroskedastic when it depends on
``x``; this package's heteroskedastic model grows linearly::

    s(x) = sigma * (0.2 + 1.6 x),

from ``0.2 sigma`` at x = 0 to ``1.8 sigma`` at x = 1, with mean ``sigma``
over [0, 1], so that both kinds have the same average noise level ``sigma``.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_choice, check_int, check_nonnegative, check_rng

__all__ = ["NOISE_KINDS", "TARGETS", "make_sinusoid", "noise_std", "sinusoid"]

NOISE_KINDS = ("homoskedastic", "heteroskedastic")


def sinusoid(x) -> np.ndarray:
    """The noiseless target ``f(x) = sin(2 pi x)`` (one period on [0, 1])."""
    return np.sin(2.0 * np.pi * np.asarray(x, dtype=np.float64))


def noise_std(x, sigma: float = 0.2, kind: str = "heteroskedastic") -> np.ndarray:
    """Standard deviation ``s(x)`` of the noise at ``x``.

    Parameters
    ----------
    x : array_like
        Points in [0, 1] (any shape).
    sigma : float, default 0.2
        Average noise level (non-negative).
    kind : {"homoskedastic", "heteroskedastic"}, default "heteroskedastic"
        ``"homoskedastic"``: ``s(x) = sigma``.
        ``"heteroskedastic"``: ``s(x) = sigma * (0.2 + 1.6 x)``.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.

    Examples
    --------
    >>> noise_std([0.0, 0.5, 1.0], sigma=1.0).tolist()
    [0.2, 1.0, 1.8]
    """
    sigma = check_nonnegative("sigma", sigma)
    kind = check_choice("kind", kind, NOISE_KINDS)
    x = np.asarray(x, dtype=np.float64)
    if kind == "homoskedastic":
        return np.full_like(x, sigma)
    return sigma * (0.2 + 1.6 * x)


def make_sinusoid(n: int, sigma: float = 0.2, kind: str = "heteroskedastic",
                  rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``n`` noisy points ``y = sin(2 pi x) + s(x) z`` of the lecture.

    Draws, in this order: ``x`` from ``U[0, 1]`` (``n`` values, then sorted),
    then ``z`` from ``N(0, 1)`` (``n`` values); ``s`` is :func:`noise_std`.

    Parameters
    ----------
    n : int
        Number of points (positive).
    sigma : float, default 0.2
        Average noise level; 0 gives noiseless data.
    kind : {"homoskedastic", "heteroskedastic"}, default "heteroskedastic"
    rng : numpy.random.Generator or int
        Required: a Generator, or an int seed.

    Returns
    -------
    x, y : numpy.ndarray, shape (n, 1)
        Inputs sorted in increasing order and the noisy targets.

    Examples
    --------
    >>> x, y = make_sinusoid(5, rng=0)
    >>> x.shape, y.shape
    ((5, 1), (5, 1))
    """
    n = check_int("n", n, 1)
    sigma = check_nonnegative("sigma", sigma)
    kind = check_choice("kind", kind, NOISE_KINDS)
    rng = check_rng("rng", rng)
    x = np.sort(rng.uniform(0.0, 1.0, size=n)).reshape(n, 1)
    z = rng.standard_normal((n, 1))
    y = sinusoid(x) + noise_std(x, sigma, kind) * z
    return x, y


# ----------------------------------------- targets for universal approximation
def _step(x):
    """Unit step at 1/2 (discontinuous: uniform approximation fails at 1/2)."""
    return (np.asarray(x, dtype=np.float64) > 0.5).astype(np.float64)


def _bump(x):
    """Gaussian bump exp(-((x - 1/2) / 0.1)^2 / 2), smooth and localised."""
    u = (np.asarray(x, dtype=np.float64) - 0.5) / 0.1
    return np.exp(-0.5 * u * u)


def _abs(x):
    """``|2x - 1|``: continuous, with a kink at 1/2 (exact for two ReLUs)."""
    return np.abs(2.0 * np.asarray(x, dtype=np.float64) - 1.0)


def _sawtooth(x):
    """Three ramps 3x - floor(3x): jumps at 1/3 and 2/3."""
    u = 3.0 * np.asarray(x, dtype=np.float64)
    return u - np.floor(u)


TARGETS = {
    "sinusoid": sinusoid,
    "step": _step,
    "bump": _bump,
    "abs": _abs,
    "sawtooth": _sawtooth,
}
"""Target functions on [0, 1] for the universal-approximation chapter.

``"sinusoid"``, ``"bump"`` and ``"abs"`` are continuous (Cybenko's theorem
applies); ``"step"`` and ``"sawtooth"`` are not, and show where uniform
approximation breaks down. Each takes an array and returns one of the same
shape."""
