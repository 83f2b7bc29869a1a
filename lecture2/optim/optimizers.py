"""First-order optimizers of the lecture, and the registry of all optimizers.

Gradient descent (eq. 4), the heavy-ball and Nesterov momentum methods,
AdaGrad, RMSProp, Adam and Nadam, each in the lecture's symbols: ``w`` is
:math:`\\mathbf{w}^k`, ``lr`` is :math:`\\eta_k`, ``m`` the momentum vector,
``s`` the accumulated squared gradients, ``beta``/``beta1``/``beta2`` the
decay rates and ``eps`` the :math:`\\varepsilon` that keeps the division
finite. All vector operations are componentwise.

Two conventions, stated once here and again in each docstring:

- :math:`\\varepsilon` sits **inside** the square root, as the slides write
  it, :math:`\\sqrt{\\mathbf{s}^k + \\varepsilon}`. PyTorch and most papers put
  it outside, :math:`\\sqrt{\\mathbf{s}^k} + \\varepsilon`; the two agree
  whenever :math:`\\mathbf{s}^k \\gg \\varepsilon`, and ours never divides by
  less than :math:`\\sqrt{\\varepsilon}` (1e-4 for the default 1e-8).
- The momentum vector ``m`` points downhill, as in the slides: it
  accumulates :math:`-\\nabla\\mathcal{L}`, and the update adds it to ``w``.
  (PyTorch's Adam stores the average of :math:`+\\nabla\\mathcal{L}` and
  subtracts it.)
"""

from __future__ import annotations

import numpy as np

from lecture2._validate import check_choice, check_positive, check_probability
from lecture2.optim.base import Optimizer

__all__ = [
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "GradientDescent",
    "HeavyBall",
    "Nadam",
    "Nesterov",
    "RMSProp",
    "get_optimizer",
]


def _decay(name, value):
    """A decay rate in [0, 1): 0 switches the averaging off, 1 is unstable."""
    return check_probability(name, value, open_low=False, open_high=True)


class GradientDescent(Optimizer):
    r"""Plain gradient descent, eq. (4) with :math:`\mathbf{v}^k = -\nabla\mathcal{L}(\mathbf{w}^k)`.

    .. math:: \mathbf{w}^{k+1} = \mathbf{w}^k - \eta_k \nabla\mathcal{L}(\mathbf{w}^k)

    With mini-batch gradients this is stochastic gradient descent.

    Examples
    --------
    >>> import numpy as np
    >>> fun = lambda w: (0.5 * w @ w, w)
    >>> GradientDescent().step(np.array([1.0, -2.0]), fun, lr=0.5)[0]
    array([ 0.5, -1. ])
    """

    name = "gd"

    def _update(self, w, fun, lr):
        loss, grad = self._evaluate(fun, w)
        return w - lr * grad, loss, grad


class HeavyBall(Optimizer):
    r"""Polyak's heavy-ball momentum (lecture, "Heavy-Ball" Method).

    .. math::
        \mathbf{m}^k = \beta\,\mathbf{m}^{k-1} - \eta_k \nabla\mathcal{L}(\mathbf{w}^k),
        \qquad
        \mathbf{w}^{k+1} = \mathbf{w}^k + \mathbf{m}^k,

    with :math:`\mathbf{m}^{-1} = 0`. ``beta = 0`` is gradient descent.

    Parameters
    ----------
    beta : float, default 0.9
        Momentum decay :math:`\beta \in [0, 1)`.

    Attributes
    ----------
    m : ndarray or None
        The momentum :math:`\mathbf{m}^{k-1}` (None before the first step).
    """

    name = "heavy_ball"

    def __init__(self, beta=0.9):
        self.beta = _decay("beta", beta)
        super().__init__()

    def reset(self):
        super().reset()
        self.m = None

    def _params(self):
        return {"beta": self.beta}

    def _gradient_point(self, w, m):
        return w

    def _update(self, w, fun, lr):
        m = self._state("m", w)
        loss, grad = self._evaluate(fun, self._gradient_point(w, m))

        # momentum, then move along it
        self.m = self.beta * m - lr * grad
        return w + self.m, loss, grad


class Nesterov(HeavyBall):
    r"""Nesterov's accelerated momentum (lecture, Nesterov Method).

    The gradient is taken at the look-ahead point
    :math:`\mathbf{w}^k + \beta\mathbf{m}^{k-1}`, as on the slide:

    .. math::
        \mathbf{m}^k = \beta\,\mathbf{m}^{k-1}
            - \eta_k \nabla\mathcal{L}(\mathbf{w}^k + \beta\mathbf{m}^{k-1}),
        \qquad
        \mathbf{w}^{k+1} = \mathbf{w}^k + \mathbf{m}^k.

    :meth:`step` returns the loss and gradient **at the look-ahead point**,
    not at :math:`\mathbf{w}^k`. (PyTorch's ``nesterov=True`` uses an
    equivalent reparametrization that stores the look-ahead point as the
    weights; the iterates here are the slide's.)

    Parameters
    ----------
    beta : float, default 0.9
        Momentum decay :math:`\beta \in [0, 1)`; ``beta = 0`` is gradient
        descent.
    """

    name = "nesterov"

    def _gradient_point(self, w, m):
        return w + self.beta * m  # the look-ahead point, as on the slide


class AdaGrad(Optimizer):
    r"""AdaGrad, adaptive per-weight learning rates (lecture, AdaGrad Method).

    .. math::
        \mathbf{s}^k = \mathbf{s}^{k-1} + \left(\nabla\mathcal{L}(\mathbf{w}^k)\right)^2,
        \qquad
        \mathbf{w}^{k+1} = \mathbf{w}^k
            - \eta_k \frac{\nabla\mathcal{L}(\mathbf{w}^k)}{\sqrt{\mathbf{s}^k + \varepsilon}},

    with :math:`\mathbf{s}^{-1} = 0`. :math:`\varepsilon` is inside the square
    root as on the slide (PyTorch: :math:`\sqrt{\mathbf{s}^k} + \varepsilon`).

    Parameters
    ----------
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    s : ndarray or None
        The sum of squared gradients :math:`\mathbf{s}^{k-1}`.
    """

    name = "adagrad"

    def __init__(self, eps=1e-8):
        self.eps = check_positive("eps", eps)
        super().__init__()

    def reset(self):
        super().reset()
        self.s = None

    def _params(self):
        return {"eps": self.eps}

    def _accumulate(self, s, grad):
        return s + grad**2

    def _update(self, w, fun, lr):
        s = self._state("s", w)
        loss, grad = self._evaluate(fun, w)

        self.s = self._accumulate(s, grad)
        # eps inside the square root, as the slides write it (PyTorch: sqrt(s) + eps)
        return w - lr * grad / np.sqrt(self.s + self.eps), loss, grad


class RMSProp(AdaGrad):
    r"""RMSProp: AdaGrad with an exponentially decaying average (lecture, RMSProp Method).

    .. math::
        \mathbf{s}^k = \beta\,\mathbf{s}^{k-1}
            + (1-\beta)\left(\nabla\mathcal{L}(\mathbf{w}^k)\right)^2,
        \qquad
        \mathbf{w}^{k+1} = \mathbf{w}^k
            - \eta_k \frac{\nabla\mathcal{L}(\mathbf{w}^k)}{\sqrt{\mathbf{s}^k + \varepsilon}},

    with :math:`\mathbf{s}^{-1} = 0` and no bias correction (as on the slide
    and in PyTorch). :math:`\varepsilon` is inside the square root as on the
    slide (PyTorch: :math:`\sqrt{\mathbf{s}^k} + \varepsilon`).

    Parameters
    ----------
    beta : float, default 0.9
        Decay :math:`\beta \in [0, 1)`.
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.
    """

    name = "rmsprop"

    def __init__(self, beta=0.9, eps=1e-8):
        self.beta = _decay("beta", beta)
        super().__init__(eps=eps)

    def _params(self):
        return {"beta": self.beta, "eps": self.eps}

    def _accumulate(self, s, grad):
        return self.beta * s + (1 - self.beta) * grad**2  # decaying average


class Adam(Optimizer):
    r"""Adam: momentum plus RMSProp scaling, bias corrected (lecture, ADAM Method).

    With the step counter :math:`k = 1, 2, \dots` (the k-th update):

    .. math::
        \mathbf{m}^k &= \beta_1\mathbf{m}^{k-1} - (1-\beta_1)\nabla\mathcal{L}(\mathbf{w}^k) \\
        \mathbf{s}^k &= \beta_2\mathbf{s}^{k-1} + (1-\beta_2)\left(\nabla\mathcal{L}(\mathbf{w}^k)\right)^2 \\
        \hat{\mathbf{m}}^k &= \mathbf{m}^k / (1-\beta_1^k), \qquad
        \hat{\mathbf{s}}^k = \mathbf{s}^k / (1-\beta_2^k) \\
        \mathbf{w}^{k+1} &= \mathbf{w}^k + \eta_k\,
            \frac{\hat{\mathbf{m}}^k}{\sqrt{\hat{\mathbf{s}}^k + \varepsilon}}

    with :math:`\mathbf{m}^0 = \mathbf{s}^0 = 0`.

    Departures from the slide and from PyTorch:

    - The slide multiplies by :math:`\eta_k` twice, in the ``m`` update and in
      the ``w`` update. That is a slip: Adam (Kingma & Ba 2015, Algorithm 1)
      uses the learning rate once, in the ``w`` update, as here.
    - ``m`` points downhill (it averages :math:`-\nabla\mathcal{L}`) and is
      added to ``w``, the slide's sign convention; PyTorch averages
      :math:`+\nabla\mathcal{L}` and subtracts.
    - :math:`\varepsilon` is inside the square root as on the slide
      (Kingma & Ba and PyTorch: :math:`\sqrt{\hat{\mathbf{s}}^k} + \varepsilon`).

    Parameters
    ----------
    beta1 : float, default 0.9
        Momentum decay :math:`\beta_1 \in [0, 1)`.
    beta2 : float, default 0.999
        Decay of the squared gradients :math:`\beta_2 \in [0, 1)`.
    eps : float, default 1e-8
        :math:`\varepsilon > 0`.

    Attributes
    ----------
    m, s : ndarray or None
        :math:`\mathbf{m}^{k-1}`, :math:`\mathbf{s}^{k-1}` before the next step.
    k : int
        Updates made so far; the next update uses ``k + 1`` in the bias
        corrections.
    """

    name = "adam"

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = _decay("beta1", beta1)
        self.beta2 = _decay("beta2", beta2)
        self.eps = check_positive("eps", eps)
        super().__init__()

    def reset(self):
        super().reset()
        self.m = None
        self.s = None

    def _params(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def _corrected_momentum(self, k, grad):
        return self.m / (1 - self.beta1**k)  # m-hat

    def _update(self, w, fun, lr):
        m, s = self._state("m", w), self._state("s", w)
        loss, grad = self._evaluate(fun, w)
        k = self.k + 1  # bias corrections count updates from 1

        # moments (no eta in the m update: the slide's extra eta is a slip)
        self.m = self.beta1 * m - (1 - self.beta1) * grad
        self.s = self.beta2 * s + (1 - self.beta2) * grad**2

        # bias corrections
        m_hat = self._corrected_momentum(k, grad)
        s_hat = self.s / (1 - self.beta2**k)

        # eta once, here; eps inside the square root as on the slide
        # (Kingma & Ba and PyTorch: sqrt(s_hat) + eps)
        return w + lr * m_hat / np.sqrt(s_hat + self.eps), loss, grad


class Nadam(Adam):
    r"""Nadam: Adam with Nesterov's look-ahead folded into the update (Dozat 2016).

    The slide says only that Nadam "employs the Nesterov look-ahead". Dozat's
    form (2016, Algorithm 2, constant momentum :math:`\mu_t = \beta_1`) does
    not evaluate the gradient at a second point; it applies next step's
    momentum now, replacing :math:`\hat{\mathbf{m}}^k` of :class:`Adam` by

    .. math::
        \bar{\mathbf{m}}^k = \frac{\beta_1\,\mathbf{m}^k}{1-\beta_1^{k+1}}
            - \frac{(1-\beta_1)\nabla\mathcal{L}(\mathbf{w}^k)}{1-\beta_1^k},
        \qquad
        \mathbf{w}^{k+1} = \mathbf{w}^k + \eta_k\,
            \frac{\bar{\mathbf{m}}^k}{\sqrt{\hat{\mathbf{s}}^k + \varepsilon}},

    with ``m``, ``s`` and :math:`\hat{\mathbf{s}}^k` updated exactly as in
    :class:`Adam` (``m`` points downhill, :math:`\varepsilon` inside the
    square root as on the slide). So the loss and gradient returned by
    :meth:`step` are at :math:`\mathbf{w}^k`. PyTorch's ``NAdam`` adds a
    momentum-decay schedule :math:`\mu_t` by default; here
    :math:`\mu_t = \beta_1` is constant. With ``beta1 = 0`` Nadam and Adam
    coincide.

    Parameters
    ----------
    beta1, beta2, eps
        As for :class:`Adam`.
    """

    name = "nadam"

    def _corrected_momentum(self, k, grad):
        # m-bar: next step's momentum now, plus this step's gradient (Nesterov)
        return (self.beta1 * self.m / (1 - self.beta1 ** (k + 1))
                - (1 - self.beta1) * grad / (1 - self.beta1**k))


def _registry():
    from lecture2.optim.second_order import BFGS, LBFGS, Newton

    classes = (GradientDescent, HeavyBall, Nesterov, AdaGrad, RMSProp, Adam, Nadam,
               Newton, BFGS, LBFGS)
    return {cls.name: cls for cls in classes}


OPTIMIZERS = ("gd", "heavy_ball", "nesterov", "adagrad", "rmsprop", "adam", "nadam",
              "newton", "bfgs", "lbfgs")
"""Names accepted by :func:`get_optimizer`, in the lecture's order."""


def get_optimizer(name, **kwargs):
    """Make an optimizer from its name.

    Parameters
    ----------
    name : str
        One of :data:`OPTIMIZERS`: ``"gd"``, ``"heavy_ball"``, ``"nesterov"``,
        ``"adagrad"``, ``"rmsprop"``, ``"adam"``, ``"nadam"``, ``"newton"``,
        ``"bfgs"``, ``"lbfgs"``.
    **kwargs
        Hyperparameters of that class (for example ``beta=0.5``).

    Returns
    -------
    Optimizer

    Examples
    --------
    >>> get_optimizer("heavy_ball", beta=0.5)
    HeavyBall(beta=0.5)
    """
    name = check_choice("name", name, OPTIMIZERS)
    return _registry()[name](**kwargs)
