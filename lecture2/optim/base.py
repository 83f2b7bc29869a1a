"""The interface every optimizer shares.

An optimizer turns the current weight vector ``w`` (the lecture's
:math:`\\mathbf{w}^k`, a 1-D array of length p) and an objective
``fun(w) -> (loss, grad)`` into the next weight vector
:math:`\\mathbf{w}^{k+1}`::

    w_next, loss, grad = optimizer.step(w, fun, lr)

``loss`` and ``grad`` are the values at the point the method evaluated first:
``w`` itself, or the look-ahead point for :class:`~lecture2.optim.Nesterov`.
The optimizer keeps its own state (momentum ``m``, accumulated squares ``s``,
the step counter ``k``, a Hessian approximation); ``reset()`` clears it,
``snapshot()`` and ``restore()`` save and bring it back (the training loop
uses them to undo a step it does not apply).
"""

from __future__ import annotations

import numbers
from collections import deque

import numpy as np

from lecture2._validate import check_positive

__all__ = ["NonFiniteError", "Optimizer"]


class NonFiniteError(FloatingPointError):
    """An optimizer cannot make a step from finite weights (for example, Newton's
    method with a non-finite Hessian). The message says what was not finite."""


def _shallow_copy(state):
    """A copy of the attribute dict ``state``; deques (changed in place) copied too."""
    return {key: (value.copy() if isinstance(value, deque) else value)
            for key, value in state.items()}


class Optimizer:
    """Base class of the optimizers.

    Attributes
    ----------
    name : str
        The registry name (:data:`lecture2.optim.OPTIMIZERS`).
    uses_lr : bool
        False for methods that choose their own step length (Newton, BFGS,
        L-BFGS); they ignore the ``lr`` passed to :meth:`step`.
    k : int
        Number of updates made since the last :meth:`reset`.
    step_size : float
        The learning rate (or the line-search step length) of the last update.
    """

    name = "optimizer"
    uses_lr = True

    def __init__(self):
        self.reset()

    def reset(self):
        """Forget all state: the next :meth:`step` is a first step."""
        self.k = 0
        self.step_size = float("nan")

    def snapshot(self):
        """The optimizer's state, to be brought back by :meth:`restore`.

        A shallow copy of the attributes: cheap, because a step replaces its
        state arrays (``m``, ``s``, ``H``) by new ones and never writes into
        them; containers that a step changes in place (L-BFGS's deque of
        pairs) are copied.
        """
        return _shallow_copy(vars(self))

    def restore(self, snapshot):
        """Bring back the state saved by :meth:`snapshot` (undo later steps)."""
        self.__dict__.clear()
        self.__dict__.update(_shallow_copy(snapshot))  # the snapshot stays reusable

    def step(self, w, fun, lr=None):
        """One update ``w^k -> w^{k+1}``.

        Parameters
        ----------
        w : ndarray, shape (p,)
            The current weights :math:`\\mathbf{w}^k`; not modified.
        fun : callable
            ``fun(w) -> (loss, grad)`` with ``grad`` of shape ``(p,)``.
        lr : float
            The learning rate :math:`\\eta_k > 0` (ignored when ``uses_lr`` is
            False).

        Returns
        -------
        w_next : ndarray, shape (p,)
            The new weights :math:`\\mathbf{w}^{k+1}` (a new array).
        loss : float
            The loss at the point evaluated first (see the class docstring).
        grad : ndarray, shape (p,)
            The gradient at that point.
        """
        w = self._as_weights(w)
        if self.uses_lr:
            lr = check_positive("lr", lr)
            self.step_size = lr
        w_next, loss, grad = self._update(w, fun, lr)
        self.k += 1
        return w_next, loss, grad

    def _update(self, w, fun, lr):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers shared by the subclasses ---------------------------------

    @staticmethod
    def _as_weights(w):
        w = np.asarray(w, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(f"w must be a 1-D array of weights; got shape {w.shape}")
        return w

    @staticmethod
    def _evaluate(fun, w):
        """``fun(w)`` as ``(float, float64 array of w's shape)``."""
        out = fun(w)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(
                "fun must return a tuple (loss, grad); got "
                f"{type(out).__name__}"
            )
        loss, grad = out
        if not isinstance(loss, (numbers.Real, np.ndarray)) or np.ndim(loss) != 0:
            raise TypeError(f"fun must return a scalar loss; got {loss!r}")
        grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != w.shape:
            raise ValueError(
                f"fun must return a gradient of shape {w.shape} (the shape of w); "
                f"got shape {grad.shape}"
            )
        return float(loss), grad

    def _state(self, name, w):
        """The state vector ``name`` (zeros on a first step), checked against w."""
        value = getattr(self, name)
        if value is None:
            return np.zeros_like(w)
        value = np.asarray(value, dtype=np.float64)
        if value.shape != w.shape:
            raise ValueError(
                f"the optimizer's state {name} has shape {value.shape} but w has shape "
                f"{w.shape}; call reset() before optimizing a different problem"
            )
        return value

    def _params(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{key}={value!r}" for key, value in self._params().items())
        return f"{type(self).__name__}({args})"
