"""Linear parametric regression with basis expansions, solved by least squares.

The model is ``f(x; theta) = sum_j theta_j phi_j(x)`` with fixed basis
functions ``phi_j``. Stacking ``phi_j(x_i)`` into the design matrix ``H``
(one row per point, one column per basis function), the least-squares
estimator (eq. 2) minimises ``||Y - H theta||^2``. This module builds ``H``
for three bases on one-dimensional inputs and solves the problem stably.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_array, check_choice, check_int, check_positive

__all__ = [
    "BASES",
    "BasisRegression",
    "fourier_features",
    "gaussian_features",
    "least_squares",
    "normal_equations",
    "polynomial_features",
    "predict",
]

BASES = ("polynomial", "gaussian", "fourier")

# The keyword settings each basis takes in BasisRegression.
_SETTINGS = {
    "polynomial": ("degree",),
    "gaussian": ("centers", "width"),
    "fourier": ("n_freq",),
}


def _points(x, name: str = "x") -> np.ndarray:
    """One-dimensional inputs as a vector: ``(n,)`` or ``(n, 1)`` -> ``(n,)``."""
    x = check_array(name, x, ndim=(1, 2))
    if x.ndim == 2:
        if x.shape[1] != 1:
            raise ValueError(
                f"{name} must have shape (n,) or (n, 1); got shape {x.shape}"
            )
        x = x[:, 0]
    return x


# ------------------------------------------------------------------ bases
def polynomial_features(x, degree: int) -> np.ndarray:
    """Design matrix of the monomials ``1, x, x^2, ..., x^degree``.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    degree : int
        Highest power (>= 0).

    Returns
    -------
    H : numpy.ndarray, shape (n, degree + 1)
        ``H[i, j] = x_i ** j``.

    Notes
    -----
    On [0, 1] the monomials become nearly parallel as the degree grows: the
    condition number of ``H`` is about 1e11 at degree 15, which is why the
    solve must be stable (:func:`least_squares`).

    Examples
    --------
    >>> polynomial_features([2.0], 3).tolist()
    [[1.0, 2.0, 4.0, 8.0]]
    """
    x = _points(x)
    degree = check_int("degree", degree, 0)
    return np.vander(x, degree + 1, increasing=True)


def gaussian_features(x, centers, width: float) -> np.ndarray:
    r"""Design matrix of Gaussian radial functions plus a constant.

    .. math:: \phi_0(x) = 1, \qquad
              \phi_j(x) = \exp\!\left(-\frac{(x - c_j)^2}{2 s^2}\right)

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    centers : array_like, shape (k,)
        Centres ``c_j``.
    width : float
        Width ``s`` (positive).

    Returns
    -------
    H : numpy.ndarray, shape (n, k + 1)
        The constant column first.
    """
    x = _points(x)
    centers = check_array("centers", centers, ndim=1)
    width = check_positive("width", width)
    H = np.empty((x.size, centers.size + 1))
    H[:, 0] = 1.0
    u = np.subtract.outer(x, centers) / width
    np.exp(-0.5 * u * u, out=H[:, 1:])
    return H


def fourier_features(x, n_freq: int) -> np.ndarray:
    r"""Design matrix of a Fourier basis of period 1.

    Columns ``1, cos(2 pi x), sin(2 pi x), ..., cos(2 pi K x), sin(2 pi K x)``
    with ``K = n_freq`` (cosine before sine for each frequency).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    n_freq : int
        Number of frequencies ``K`` (>= 0).

    Returns
    -------
    H : numpy.ndarray, shape (n, 2 n_freq + 1)
    """
    x = _points(x)
    n_freq = check_int("n_freq", n_freq, 0)
    H = np.empty((x.size, 2 * n_freq + 1))
    H[:, 0] = 1.0
    angle = 2.0 * np.pi * np.outer(x, np.arange(1, n_freq + 1))
    H[:, 1::2] = np.cos(angle)
    H[:, 2::2] = np.sin(angle)
    return H


# ----------------------------------------------------------------- solvers
def _system(H, y) -> tuple[np.ndarray, np.ndarray]:
    H = check_array("H", H, ndim=2)
    if H.shape[0] == 0:  # lstsq would return zeros without complaint
        raise ValueError(f"H must have at least one row (one per data point); got "
                         f"shape {H.shape}")
    y = check_array("y", y, ndim=(1, 2))
    if y.shape[0] != H.shape[0]:
        raise ValueError(
            f"y must have {H.shape[0]} rows, one per row of H; got shape {y.shape}"
        )
    return H, y


def least_squares(H, y, rcond=None) -> np.ndarray:
    r"""Least-squares coefficients :math:`\hat\theta = \arg\min \|Y - H\theta\|^2`.

    Solved by ``numpy.linalg.lstsq`` (an SVD of ``H``), which works with
    ``H`` itself: its accuracy depends on ``cond(H)``, not on
    ``cond(H^T H) = cond(H)^2`` as the normal equations do (see
    :func:`normal_equations`). Singular values below ``rcond`` times the
    largest are treated as zero, so a rank-deficient ``H`` gives the
    minimum-norm solution instead of an error.

    Parameters
    ----------
    H : array_like, shape (n, q)
        Design matrix, ``n >= 1`` rows.
    y : array_like, shape (n,) or (n, k)
        Responses.
    rcond : float, optional
        Cut-off for small singular values; default: machine precision times
        ``max(n, q)`` (numpy's default).

    Returns
    -------
    theta : numpy.ndarray, shape (q,) or (q, k)
    """
    H, y = _system(H, y)
    if rcond is not None:
        rcond = check_positive("rcond", rcond)
    theta, *_ = np.linalg.lstsq(H, y, rcond=rcond)
    return theta


def normal_equations(H, y) -> np.ndarray:
    r"""The slide's formula :math:`\hat\theta = (H^T H)^{-1} H^T Y`; for teaching.

    This is *not* how least squares should be computed. Forming ``H^T H``
    squares the condition number: if ``cond(H) = 1e8``, then
    ``cond(H^T H) = 1e16``, and float64 (about 16 digits) keeps no correct
    digit of the solution, although ``H`` alone determined it to about 8
    digits. A polynomial basis of degree 15 on [0, 1] is such a case. Use
    :func:`least_squares`, which factors ``H`` itself.

    The formula is evaluated here in its most favourable way, by solving
    ``(H^T H) theta = H^T Y`` (not by forming the inverse, which is slower
    and less accurate still).

    Raises
    ------
    numpy.linalg.LinAlgError
        If ``H^T H`` is exactly singular in floating point.
    """
    H, y = _system(H, y)
    gram = H.T @ H  # cond(gram) = cond(H)**2: the loss of accuracy happens here
    try:
        return np.linalg.solve(gram, H.T @ y)
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError(
            "H^T H is singular, so the normal equations have no unique "
            "solution; use least_squares(H, y)"
        ) from None


def predict(H, theta) -> np.ndarray:
    """Fitted values ``H @ theta``.

    Parameters
    ----------
    H : array_like, shape (n, q)
    theta : array_like, shape (q,) or (q, k)
    """
    H = check_array("H", H, ndim=2)
    theta = check_array("theta", theta, ndim=(1, 2))
    if theta.shape[0] != H.shape[1]:
        raise ValueError(
            f"theta must have {H.shape[1]} rows, one per column of H; "
            f"got shape {theta.shape}"
        )
    return H @ theta


# ------------------------------------------------------------- the estimator
class BasisRegression:
    """Least-squares regression on a fixed basis in one variable.

    Parameters
    ----------
    basis : {"polynomial", "gaussian", "fourier"}, default "polynomial"
    **kw
        The basis's settings, checked here:

        - polynomial: ``degree`` (int >= 0, default 3);
        - gaussian: ``centers`` (an int k for k evenly spaced centres on
          [0, 1], or an array; default 10) and ``width`` (positive; default
          the spacing of evenly spaced centres, else 0.1);
        - fourier: ``n_freq`` (int >= 0, default 3).

        Any basis also takes ``rcond`` (see :func:`least_squares`).

    Attributes
    ----------
    theta : numpy.ndarray
        Coefficients, after :meth:`fit`.

    Examples
    --------
    >>> x = np.linspace(0, 1, 20)
    >>> model = BasisRegression("polynomial", degree=2).fit(x, 1 + x**2)
    >>> np.allclose(model.theta, [1, 0, 1])
    True
    """

    def __init__(self, basis: str = "polynomial", **kw):
        self.basis = check_choice("basis", basis, BASES)
        rcond = kw.pop("rcond", None)
        self.rcond = None if rcond is None else check_positive("rcond", rcond)
        allowed = _SETTINGS[basis]
        for key in kw:
            if key not in allowed:
                raise TypeError(
                    f"{key} is not a setting of the {basis!r} basis; "
                    f"it takes {', '.join(allowed)} (and rcond)"
                )
        if basis == "polynomial":
            self.degree = check_int("degree", kw.get("degree", 3), 0)
        elif basis == "fourier":
            self.n_freq = check_int("n_freq", kw.get("n_freq", 3), 0)
        else:
            self.centers, self.width = self._gaussian_settings(
                kw.get("centers", 10), kw.get("width")
            )
        self.theta = None

    @staticmethod
    def _gaussian_settings(centers, width):
        if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
            k = check_int("centers", centers, 1)
            centers = np.linspace(0.0, 1.0, k)
            default_width = 1.0 / (k - 1) if k > 1 else 0.1
        else:
            centers = check_array("centers", centers, ndim=1)
            default_width = 0.1
        width = default_width if width is None else check_positive("width", width)
        return centers, width

    def design_matrix(self, x) -> np.ndarray:
        """The design matrix ``H`` of this basis at the points ``x``."""
        if self.basis == "polynomial":
            return polynomial_features(x, self.degree)
        if self.basis == "fourier":
            return fourier_features(x, self.n_freq)
        return gaussian_features(x, self.centers, self.width)

    def fit(self, x, y) -> BasisRegression:
        """Fit ``theta`` by :func:`least_squares`; returns ``self``.

        ``x`` has shape ``(n,)`` or ``(n, 1)``; ``y`` ``(n,)``, ``(n, 1)`` or
        ``(n, k)``.
        """
        H = self.design_matrix(x)
        self.theta = least_squares(H, y, rcond=self.rcond)
        return self

    def predict(self, x) -> np.ndarray:
        """Predictions ``H(x) @ theta``, shaped like the ``y`` given to fit."""
        if self.theta is None:
            raise RuntimeError("this BasisRegression is not fitted yet; call fit(x, y)")
        return self.design_matrix(x) @ self.theta

    def __repr__(self) -> str:
        settings = {
            "polynomial": lambda: f"degree={self.degree}",
            "fourier": lambda: f"n_freq={self.n_freq}",
            "gaussian": lambda: f"centers={self.centers.size}, width={self.width:g}",
        }[self.basis]()
        return f"BasisRegression({self.basis!r}, {settings})"
