"""Nonlinearities sigma and their derivatives sigma'.

The six nonlinearities of the lecture: saturating (step, logistic, tanh)
and non-saturating (ReLU, ELU, swish). Each function takes any float array
(or scalar) and returns a float64 array of the same shape; ``out=``, a
float64 array of that shape, receives the result instead of a new array (the
network's forward and backward passes reuse buffers this way). All are computed
so that no intermediate overflows: they are exact in their limits and raise
no RuntimeWarning for any float64 input, ``|x| = 1000`` and ``+-inf`` included.

Conventions at the kinks (where the slide's formulas leave a choice):

========  ===========================  ====================================
name      value at 0                   derivative at 0
========  ===========================  ====================================
step      step(0) = 0 (slide: x <= 0)  0 (the step has no derivative at 0)
relu      relu(0) = 0                  relu'(0) = 0 (the left derivative)
elu       elu(0) = 0                   elu'(0) = alpha (the left derivative;
                                       equal to the right one, 1, only for
                                       alpha = 1)
========  ===========================  ====================================

The others are smooth: logistic(0) = 1/2, logistic'(0) = 1/4, tanh(0) = 0,
tanh'(0) = 1, swish(0) = 0, swish'(0) = 1/2.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_choice, check_positive

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "elu",
    "elu_derivative",
    "get_activation",
    "logistic",
    "logistic_derivative",
    "relu",
    "relu_derivative",
    "step",
    "step_derivative",
    "swish",
    "swish_derivative",
    "tanh",
    "tanh_derivative",
]

ACTIVATIONS = ("step", "logistic", "tanh", "relu", "elu", "swish")

# Largest magnitude used where x multiplies a factor that underflows to 0
# (swish at -inf): finite, so that x * 0 is 0 and not NaN.
_BIG = np.finfo(np.float64).max


def _as_float(x) -> np.ndarray:
    """``x`` as a float64 array (no copy when it already is one)."""
    return np.asarray(x, dtype=np.float64)


def _result(value, out):
    """``value`` as a float64 array, or written into ``out`` when given."""
    if out is None:
        return value
    out[...] = value
    return out


def _exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """``exp(-|x|)`` in (0, 1]: the one exponential that never overflows."""
    return np.exp(-np.abs(x))


def _logistic_from(e, x):
    """``sigma(x)`` from ``e = exp(-|x|)``: ``1/(1+e)`` for x >= 0, ``e/(1+e)`` below."""
    s = 1.0 / (1.0 + e)  # sigma(|x|)
    return np.where(x >= 0, s, e * s)


def _logistic_slope(e):
    """``sigma'(x) = e / (1+e)^2`` from ``e = exp(-|x|)`` (sigma' is even)."""
    d = 1.0 + e
    return e / (d * d)


# --------------------------------------------------------------------- step
def step(x, out=None) -> np.ndarray:
    """Step nonlinearity: ``sigma(x) = 1`` if ``x > 0`` else ``0``.

    Saturating, discontinuous at 0, with ``step(0) = 0`` as on the slide.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    x = _as_float(x)
    if out is None:
        return (x > 0).astype(np.float64)
    return np.greater(x, 0.0, out=out)  # True/False written as 1.0/0.0


def step_derivative(x, g=None, out=None) -> np.ndarray:
    """Derivative of the step: 0 everywhere.

    The step has no derivative at 0; this returns 0 there too. Because
    ``sigma' = 0`` wherever it exists, backpropagation through a step layer
    gives a zero gradient for every weight before it (eq. 7): the reason the
    step cannot be trained by gradient descent. ``g`` is accepted for a
    uniform interface and not needed.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    if out is None:
        return np.zeros_like(_as_float(x))
    out[...] = 0.0
    return out


# ----------------------------------------------------------------- logistic
def logistic(x, out=None) -> np.ndarray:
    r"""Logistic nonlinearity :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Computed from :math:`e = e^{-|x|} \le 1` in two branches,
    ``1/(1+e)`` for ``x >= 0`` and ``e/(1+e)`` for ``x < 0``, so nothing
    overflows and both tails keep full relative accuracy.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    x = _as_float(x)
    return _result(_logistic_from(_exp_neg_abs(x), x), out)


def logistic_derivative(x, g=None, out=None) -> np.ndarray:
    r"""Derivative :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`.

    Without ``g``: :math:`e / (1 + e)^2` with :math:`e = e^{-|x|}` (the
    derivative is even), accurate in both tails. With ``g = logistic(x)``
    given, ``g * (1 - g)`` reuses it (cheaper; absolute error ~1e-16).

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    if g is not None:
        g = _as_float(g)
        d = np.subtract(1.0, g, out=out)  # 1 - g, then times g in the same buffer
        return np.multiply(d, g, out=d)
    return _result(_logistic_slope(_exp_neg_abs(_as_float(x))), out)


# --------------------------------------------------------------------- tanh
def tanh(x, out=None) -> np.ndarray:
    r"""Hyperbolic tangent :math:`\sigma(x) = (e^x - e^{-x}) / (e^x + e^{-x})`.

    Uses ``numpy.tanh``, which is stable for any input (it never forms
    :math:`e^{x}`). On this numpy (2.x, SIMD) it was measured faster than a
    hand-written version through ``exp``.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    return np.tanh(_as_float(x), out=out)


def tanh_derivative(x, g=None, out=None) -> np.ndarray:
    r"""Derivative :math:`\sigma'(x) = 1 - \tanh^2(x)`.

    With ``g = tanh(x)`` given, returns ``1 - g**2`` without a second
    evaluation of tanh (the backward pass does this). Without it,
    :math:`4e/(1+e)^2` with :math:`e = e^{-2|x|}`, accurate in the tails.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    if g is not None:
        g = _as_float(g)
        d = np.multiply(g, g, out=out)  # g^2, then 1 - g^2 in the same buffer
        return np.subtract(1.0, d, out=d)
    e = _exp_neg_abs(_as_float(x))
    e *= e  # e^{-2|x|}, without forming 2|x| (which overflows near 1.8e308)
    d = 1.0 + e
    return _result(4.0 * e / (d * d), out)


# --------------------------------------------------------------------- relu
def relu(x, out=None) -> np.ndarray:
    """Rectified linear unit ``sigma(x) = max(x, 0)``; ``relu(0) = 0``.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    return np.maximum(_as_float(x), 0.0, out=out)


def relu_derivative(x, g=None, out=None) -> np.ndarray:
    """Derivative of ReLU: 1 for ``x > 0``, 0 for ``x <= 0`` (so relu'(0) = 0).

    That is the step function, and it is computed by :func:`step`. ``g`` is
    accepted for a uniform interface and not needed.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    return step(x, out=out)


# ---------------------------------------------------------------------- elu
def elu(x, alpha: float = 1.0, out=None) -> np.ndarray:
    r"""Exponential linear unit.

    .. math:: \sigma(x) = x \ (x > 0), \qquad \alpha (e^x - 1) \ (x \le 0).

    The exponential is taken of ``min(x, 0)`` only, with ``expm1`` (accurate
    near 0), so large positive x cannot overflow. ``elu(-inf) = -alpha``.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    alpha : float, default 1.0
        Positive; the negative saturation value is ``-alpha``.
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    alpha = check_positive("alpha", alpha)
    x = _as_float(x)
    neg = alpha * np.expm1(np.minimum(x, 0.0))
    return _result(np.where(x > 0, x, neg), out)


def elu_derivative(x, alpha: float = 1.0, g=None, out=None) -> np.ndarray:
    r"""Derivative of ELU: 1 for ``x > 0``, :math:`\alpha e^x` for ``x <= 0``.

    At the kink ``elu'(0) = alpha`` (the left derivative). With
    ``g = elu(x, alpha)`` given, the negative branch is ``g + alpha``.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    alpha : float, default 1.0
        Positive; the negative saturation value is ``-alpha``.
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    alpha = check_positive("alpha", alpha)
    x = _as_float(x)
    if g is not None:
        neg = _as_float(g) + alpha
    else:
        neg = alpha * np.exp(np.minimum(x, 0.0))
    return _result(np.where(x > 0, 1.0, neg), out)


# -------------------------------------------------------------------- swish
def swish(x, out=None) -> np.ndarray:
    r"""Swish nonlinearity :math:`\sigma(x) = x / (1 + e^{-x}) = x\,s(x)`.

    ``s`` is the stable logistic; in the product x is bounded below by the
    most negative finite float, so that ``swish(-inf) = 0`` (not
    ``-inf * 0``, a NaN with a warning) and ``swish(inf) = inf``.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    x = _as_float(x)
    return _result(np.maximum(x, -_BIG) * logistic(x), out)


def swish_derivative(x, g=None, out=None) -> np.ndarray:
    r"""Derivative :math:`\sigma'(x) = s(x) + x\,s(x)(1 - s(x))`.

    Written as :math:`s(x) + x\,s'(x)` with the even, overflow-free
    :math:`s'(x) = e/(1+e)^2`, :math:`e = e^{-|x|}`. Limits: 0 at
    ``-inf``, 1 at ``+inf``; ``swish'(0) = 1/2``. ``g`` is accepted for a
    uniform interface; the logistic is needed anyway. :math:`e^{-|x|}` is
    computed once and serves both :math:`s` and :math:`s'`.

    Parameters
    ----------
    x : array_like
        Pre-activations ``f`` (any shape; converted to float64).
    g : array_like, optional
        ``sigma(x)``, if already computed (same shape as ``x``).
    out : numpy.ndarray, optional
        float64 array of ``x``'s shape to write the result into.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``x``.
    """
    x = _as_float(x)
    e = _exp_neg_abs(x)
    return _result(_logistic_from(e, x) + np.clip(x, -_BIG, _BIG) * _logistic_slope(e),
                   out)


# -------------------------------------------------------------- the objects
_TABLE = {
    # name: (sigma, sigma', saturating, differentiable, uses alpha)
    "step": (step, step_derivative, True, False, False),
    "logistic": (logistic, logistic_derivative, True, True, False),
    "tanh": (tanh, tanh_derivative, True, True, False),
    "relu": (relu, relu_derivative, False, True, False),
    "elu": (elu, elu_derivative, False, True, True),
    "swish": (swish, swish_derivative, False, True, False),
}


class Activation:
    """A named nonlinearity sigma with its derivative.

    Parameters
    ----------
    name : str
        One of :data:`ACTIVATIONS`.
    alpha : float, default 1.0
        ELU's saturation parameter (positive). Only ELU has one: any other
        value than 1.0 with another nonlinearity raises a ValueError.

    Attributes
    ----------
    name : str
    alpha : float
    saturating : bool
        True for the sigmoids (bounded limits at +-inf): step, logistic, tanh.
    differentiable : bool
        False for the step (its derivative is 0 wherever it exists, so it
        cannot be trained by gradients); True for the others (ReLU and ELU
        almost everywhere, with the kink conventions of this module).

    Examples
    --------
    >>> act = get_activation("tanh")
    >>> g = act([0.0, 1000.0])
    >>> g.tolist(), act.derivative([0.0, 1000.0], g).tolist()
    ([0.0, 1.0], [1.0, 0.0])
    """

    def __init__(self, name: str, alpha: float = 1.0):
        self.name = check_choice("name", name, ACTIVATIONS)
        self.alpha = check_positive("alpha", alpha)
        sigma, prime, self.saturating, self.differentiable, uses_alpha = _TABLE[name]
        if not uses_alpha and self.alpha != 1.0:
            raise ValueError(f"alpha is ELU's parameter; {name!r} has none, so leave "
                             f"alpha at 1.0; got alpha={alpha!r}")
        self._sigma, self._prime = sigma, prime
        self._args = (self.alpha,) if uses_alpha else ()  # ELU's alpha

    def __call__(self, f, out=None) -> np.ndarray:
        """``g = sigma(f)``, elementwise (the module function of ``name``).

        ``out``: an optional float64 array of ``f``'s shape to write into
        (the network's forward pass reuses buffers this way).
        """
        return self._sigma(f, *self._args, out=out)

    def derivative(self, f, g=None, out=None) -> np.ndarray:
        """``sigma'(f)``, elementwise (the module function of ``name``).

        ``g = sigma(f)``, if given, is reused where that is cheaper (tanh:
        ``1 - g**2``; logistic: ``g (1 - g)``; ELU: ``g + alpha``). ``out``:
        an optional float64 array of ``f``'s shape to write into.
        """
        return self._prime(f, *self._args, g=g, out=out)

    def __repr__(self) -> str:
        if self._args:
            return f"Activation({self.name!r}, alpha={self.alpha})"
        return f"Activation({self.name!r})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Activation):
            return NotImplemented
        return (self.name, self.alpha) == (other.name, other.alpha)

    def __hash__(self) -> int:
        return hash((self.name, self.alpha))


def get_activation(name, alpha: float = 1.0) -> Activation:
    """Look up a nonlinearity by name.

    Parameters
    ----------
    name : str or Activation
        One of ``"step", "logistic", "tanh", "relu", "elu", "swish"``; an
        :class:`Activation` is returned unchanged (then ``alpha`` must be
        left at its default or equal the object's own).
    alpha : float, default 1.0
        ELU's parameter; must stay 1.0 for the other nonlinearities.

    Raises
    ------
    ValueError
        If ``name`` is not a known nonlinearity (the message lists them), if
        ``alpha`` is not 1.0 for a nonlinearity other than ELU, or if
        ``name`` is an Activation and ``alpha`` asks for a different one.
    """
    if isinstance(name, Activation):
        alpha = check_positive("alpha", alpha)
        if alpha not in (1.0, name.alpha):  # 1.0: the default, not a request
            raise ValueError(
                f"alpha must match the given {name!r} (or be left out); got {alpha}"
            )
        return name
    return Activation(name, alpha)
