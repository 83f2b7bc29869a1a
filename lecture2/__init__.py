"""lecture2: deep neural networks for scientific machine learning, in numpy."""

__version__ = "0.1.0"
