"""Figures for the course book: parameters in, matplotlib Figure out.

One module per chapter group (:mod:`~lecture2.plots.networks` for chapters
1-3, :mod:`~lecture2.plots.regression` for 4-6,
:mod:`~lecture2.plots.training` for 7-9, :mod:`~lecture2.plots.optimizers`
for 10-13) and :mod:`~lecture2.plots.common` for the shared style. Every
public name of those modules is re-exported here, so a chapter writes
``from lecture2 import plots`` and calls ``plots.<name>(...)``.

Importing this package in IPython also registers a PNG formatter for bare
figures (:func:`~lecture2.plots.common.enable_inline_png`), so a figure left
as the last expression of a cell shows as an image without ``pyplot``.
"""

from __future__ import annotations

from . import common, networks, optimizers, regression, training
from .common import *
from .networks import *
from .optimizers import *
from .regression import *
from .training import *

__all__ = []
for _module in (common, networks, regression, training, optimizers):
    __all__ += _module.__all__
del _module

enable_inline_png()
