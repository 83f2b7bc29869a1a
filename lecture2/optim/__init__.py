"""Optimizers and learning-rate schedules (lecture: gradient descent to second-order methods).

Every optimizer has the same interface (:class:`~lecture2.optim.base.Optimizer`)::

    w_next, loss, grad = optimizer.step(w, fun, lr)

for any objective ``fun(w) -> (loss, grad)`` on a 1-D weight vector ``w``.
Schedules map the step ``k = 0, 1, ...`` to the learning rate ``lr``.
The training loop that drives both is :mod:`lecture2.training`.
"""

from lecture2.optim.base import NonFiniteError, Optimizer
from lecture2.optim.linesearch import LineSearchResult, backtracking, wolfe
from lecture2.optim.optimizers import (
    OPTIMIZERS,
    AdaGrad,
    Adam,
    GradientDescent,
    HeavyBall,
    Nadam,
    Nesterov,
    RMSProp,
    get_optimizer,
)
from lecture2.optim.schedules import (
    Constant,
    Exponential,
    PiecewiseConstant,
    Schedule,
    as_schedule,
)
from lecture2.optim.second_order import (
    BFGS,
    LBFGS,
    Newton,
    finite_difference_hessian,
    newton_direction,
)

__all__ = [
    "BFGS",
    "LBFGS",
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "Constant",
    "Exponential",
    "GradientDescent",
    "HeavyBall",
    "LineSearchResult",
    "Nadam",
    "Nesterov",
    "Newton",
    "NonFiniteError",
    "Optimizer",
    "PiecewiseConstant",
    "RMSProp",
    "Schedule",
    "as_schedule",
    "backtracking",
    "finite_difference_hessian",
    "get_optimizer",
    "newton_direction",
    "wolfe",
]
