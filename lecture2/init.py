"""Weight initialisation: unit Gaussian, Xavier/Glorot and He.

Each scheme fixes the standard deviation of the weights of one layer from
its fan-in ``n_in = N_{l-1}`` and fan-out ``n_out = N_l``:

=========  ===============================  ==========================
scheme     variance                         used for
=========  ===============================  ==========================
gaussian   1                                the traditional choice
xavier     2 / (n_in + n_out) = 1/n_avg     symmetric sigma (tanh)
he         2 / n_in                         ReLU, ELU, swish
=========  ===============================  ==========================

Weights are drawn either from a normal ``N(0, std^2)`` or from a uniform
``U(-a, a)`` with ``a = sqrt(3) * std``, which has the same variance
``a^2 / 3``. Biases start at zero.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import check_choice, check_int, check_rng

__all__ = ["DISTRIBUTIONS", "SCHEMES", "init_std", "init_weights", "initialize"]

SCHEMES = ("gaussian", "xavier", "he")
DISTRIBUTIONS = ("normal", "uniform")


def init_std(scheme: str, n_in: int, n_out: int) -> float:
    r"""Standard deviation of a layer's weights under ``scheme``.

    .. math::
        \text{gaussian: } 1, \qquad
        \text{xavier: } \sqrt{2 / (n_\text{in} + n_\text{out})}, \qquad
        \text{he: } \sqrt{2 / n_\text{in}}.

    Parameters
    ----------
    scheme : {"gaussian", "xavier", "he"}
    n_in, n_out : int
        Fan-in ``N_{l-1}`` and fan-out ``N_l`` of the layer (positive).

    Examples
    --------
    >>> init_std("xavier", 30, 30) == (2 / 60) ** 0.5
    True
    """
    scheme = check_choice("scheme", scheme, SCHEMES)
    n_in = check_int("n_in", n_in, 1)
    n_out = check_int("n_out", n_out, 1)
    if scheme == "gaussian":
        return 1.0
    if scheme == "xavier":
        return math.sqrt(2.0 / (n_in + n_out))
    return math.sqrt(2.0 / n_in)


def init_weights(scheme: str, n_in: int, n_out: int, rng,
                 distribution: str = "normal") -> np.ndarray:
    """Draw one layer's weight matrix ``W`` of shape ``(n_in, n_out)``.

    Parameters
    ----------
    scheme : {"gaussian", "xavier", "he"}
    n_in, n_out : int
        Fan-in and fan-out.
    rng : numpy.random.Generator or int
        Source of randomness (an int is used as a seed).
    distribution : {"normal", "uniform"}, default "normal"
        ``"normal"``: ``N(0, std^2)``. ``"uniform"``: ``U(-a, a)`` with
        ``a = sqrt(3) * std``, the same variance.

    Returns
    -------
    numpy.ndarray, shape (n_in, n_out)
    """
    std = init_std(scheme, n_in, n_out)
    distribution = check_choice("distribution", distribution, DISTRIBUTIONS)
    rng = check_rng("rng", rng)
    if distribution == "normal":
        return std * rng.standard_normal((n_in, n_out))
    a = math.sqrt(3.0) * std  # Var U(-a, a) = a^2 / 3 = std^2
    return rng.uniform(-a, a, size=(n_in, n_out))


def initialize(net, scheme: str, rng, distribution: str = "normal"):
    """Fill ``net.w`` in place: weights from ``scheme``, biases zero.

    Layers are drawn in order ``l = 1, ..., L`` from the one generator, so
    a seed fixes every weight.

    Parameters
    ----------
    net : lecture2.network.Network
    scheme : {"gaussian", "xavier", "he"}
    rng : numpy.random.Generator or int
    distribution : {"normal", "uniform"}, default "normal"

    Returns
    -------
    Network
        ``net`` itself.
    """
    if not hasattr(net, "weights"):
        raise TypeError(
            f"net must be a lecture2.network.Network; got {type(net).__name__}"
        )
    check_choice("scheme", scheme, SCHEMES)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    rng = check_rng("rng", rng)
    for W, b in net.weights:
        W[...] = init_weights(scheme, W.shape[0], W.shape[1], rng, distribution)
        b[...] = 0.0
    return net
