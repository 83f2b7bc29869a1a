"""Two-dimensional test problems for the optimizers.

Each problem is an :class:`Objective`: call it on a weight vector ``w`` of
shape ``(2,)`` to get ``(loss, grad)`` (the interface every optimizer and
:func:`lecture2.training.minimize` takes), and use ``value`` to evaluate the
loss on a whole grid for contour plots. ``hessian(w)`` gives the 2 x 2
Hessian, ``minimizer`` the exact minimizer and ``start`` the starting point
used in the book.

- :func:`quadratic`: an ill-conditioned quadratic bowl with condition number
  ``kappa``, where gradient descent zig-zags and momentum helps;
- :func:`rosenbrock`: Rosenbrock's curved valley.

Large inputs give ``inf`` (never a floating-point warning).
"""

from __future__ import annotations

import numpy as np

from lecture2._validate import check_array, check_finite, check_positive

__all__ = ["Objective", "quadratic", "rosenbrock"]

_QUIET = {"over": "ignore", "invalid": "ignore"}


class Objective:
    """A 2-D loss with gradient and Hessian.

    Attributes
    ----------
    name : str
    minimizer : ndarray, shape (2,)
        The global minimizer :math:`\\mathbf{w}^\\star`.
    minimum : float
        :math:`\\mathcal{L}(\\mathbf{w}^\\star)`.
    start : ndarray, shape (2,)
        The book's starting point.
    xlim, ylim : tuple of float
        A window around ``start`` and ``minimizer`` for plots.
    """

    def __init__(self, name, value, gradient, hessian, minimizer, start, xlim, ylim):
        self.name = name
        self._value, self._gradient, self._hessian = value, gradient, hessian
        self.minimizer = np.asarray(minimizer, dtype=float)
        self.minimum = float(self.value(self.minimizer))
        self.start = np.asarray(start, dtype=float)
        self.xlim, self.ylim = tuple(xlim), tuple(ylim)

    @staticmethod
    def _point(w):
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (2,):
            raise ValueError(f"w must have shape (2,); got shape {w.shape}")
        return w

    def __call__(self, w):
        """``(loss, grad)`` at ``w`` of shape ``(2,)``."""
        w = self._point(w)
        with np.errstate(**_QUIET):
            return float(self._value(w[0], w[1])), np.array(self._gradient(w[0], w[1]))

    def value(self, w):
        """The loss at a stack of points ``w`` of shape ``(2, ...)``, shape ``(...)``.

        ``w[0]`` holds the first coordinates, ``w[1]`` the second, so
        ``value(np.stack([xx, yy]))`` evaluates a whole ``meshgrid`` at once.
        """
        w = check_array("w", w, finite=False)
        if w.ndim == 0 or w.shape[0] != 2:
            raise ValueError(f"w must have shape (2, ...); got shape {w.shape}")
        with np.errstate(**_QUIET):
            return self._value(w[0], w[1])

    def gradient(self, w):
        """The gradient at ``w`` of shape ``(2,)``."""
        return self(w)[1]

    def hessian(self, w):
        """The 2 x 2 Hessian :math:`\\nabla^2\\mathcal{L}(\\mathbf{w})`."""
        w = self._point(w)
        with np.errstate(**_QUIET):
            return np.array(self._hessian(w[0], w[1]), dtype=float)

    def __repr__(self):
        return f"<Objective {self.name}, minimizer {self.minimizer.tolist()}>"


def quadratic(kappa=10.0, angle=0.0):
    r"""The quadratic bowl :math:`\mathcal{L}(\mathbf{w}) = \tfrac12\mathbf{w}^T A\mathbf{w}`.

    :math:`A = R\,\mathrm{diag}(1, \kappa)\,R^T` with :math:`R` the rotation
    by ``angle``, so the Hessian is the constant :math:`A`, its condition
    number is :math:`\kappa`, and the minimizer is the origin. Gradient
    descent is stable for :math:`\eta < 2/\kappa` and then needs about
    :math:`\kappa` steps per decimal digit along the flat direction.

    Parameters
    ----------
    kappa : float, default 10
        Condition number :math:`\kappa \ge 1` (curvature 1 along the first
        rotated axis, :math:`\kappa` along the second).
    angle : float, default 0
        Rotation of the axes in radians; 0 keeps them aligned with the
        coordinates (where AdaGrad, RMSProp and Adam do well), other values
        tilt the valley.

    Returns
    -------
    Objective
        ``start`` is ``(-1.5, 1.0)`` rotated by ``angle``.

    Examples
    --------
    >>> bowl = quadratic(kappa=10)
    >>> bowl([1.0, 1.0])
    (5.5, array([ 1., 10.]))
    """
    kappa = check_finite("kappa", kappa)
    if kappa < 1:
        raise ValueError(f"kappa must be a finite float >= 1; got {kappa!r}")
    angle = check_finite("angle", angle)
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    a = rot @ np.diag([1.0, kappa]) @ rot.T
    a11, a12, a22 = a[0, 0], a[0, 1], a[1, 1]

    def value(x, y):
        return 0.5 * (a11 * x * x + 2 * a12 * x * y + a22 * y * y)

    def gradient(x, y):
        return a11 * x + a12 * y, a12 * x + a22 * y

    def hessian(x, y):
        return a.copy()

    return Objective(f"quadratic(kappa={kappa:g})", value, gradient, hessian,
                     minimizer=(0.0, 0.0), start=rot @ np.array([-1.5, 1.0]),
                     xlim=(-2.0, 2.0), ylim=(-1.5, 1.5))


def rosenbrock(a=1.0, b=100.0):
    r"""Rosenbrock's valley :math:`\mathcal{L}(x, y) = (a - x)^2 + b\,(y - x^2)^2`.

    A narrow curved valley along :math:`y = x^2`; the minimizer is
    :math:`(a, a^2)` with loss 0. With the default ``a = 1, b = 100`` the
    Hessian at the minimizer has condition number about 2500.

    .. math::
        \nabla\mathcal{L} = \begin{pmatrix} -2(a-x) - 4bx(y-x^2) \\ 2b(y-x^2) \end{pmatrix},
        \qquad
        \nabla^2\mathcal{L} = \begin{pmatrix} 2 - 4b(y - 3x^2) & -4bx \\ -4bx & 2b \end{pmatrix}.

    Parameters
    ----------
    a : float, default 1
        Position of the minimizer (finite).
    b : float, default 100
        Steepness of the valley walls, ``b > 0``.

    Returns
    -------
    Objective
        ``start`` is the classic ``(-1.2, 1.0)``.

    Examples
    --------
    >>> rosen = rosenbrock()
    >>> rosen([1.0, 1.0])
    (0.0, array([0., 0.]))
    """
    a = check_finite("a", a)
    b = check_positive("b", b)

    def value(x, y):
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def gradient(x, y):
        return 2 * (x - a) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)

    def hessian(x, y):
        return [[2 - 4 * b * (y - 3 * x * x), -4 * b * x], [-4 * b * x, 2 * b]]

    low = min(-2.0, a - 1.0)
    high = max(2.0, a + 1.0)
    return Objective(f"rosenbrock(a={a:g}, b={b:g})", value, gradient, hessian,
                     minimizer=(a, a * a), start=(-1.2, 1.0),
                     xlim=(low, high), ylim=(min(-1.0, a * a - 1.0), max(3.0, a * a + 1.0)))
