"""lecture2: deep neural networks for scientific machine learning, in numpy."""

__version__ = "0.1.0"

from . import activations, data, gradcheck, init, losses, network, regression
from .activations import ACTIVATIONS, Activation, get_activation
from .network import Network, count_parameters

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Network",
    "activations",
    "count_parameters",
    "data",
    "get_activation",
    "gradcheck",
    "init",
    "losses",
    "network",
    "regression",
]
