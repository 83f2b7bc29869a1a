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

import importlib
import warnings

from . import common
from .common import *

__all__ = list(common.__all__)

# During development a chapter group's module may not exist yet; a missing
# one must not break the others. (To be made unconditional once all exist.)
def _reexport(name):
    try:
        module = importlib.import_module(f"{__name__}.{name}")
        public = getattr(module, "__all__", None)
        if public is None:  # names defined in the module, not imported into it
            public = [
                n for n, v in vars(module).items()
                if not n.startswith("_")
                and getattr(v, "__module__", None) == module.__name__
            ]
        found = {attr: getattr(module, attr) for attr in public}
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            return  # not written yet
        warnings.warn(f"lecture2.plots.{name} skipped: {exc}", stacklevel=2)
        return
    except Exception as exc:  # noqa: BLE001 (a module in progress must not break the others)
        warnings.warn(f"lecture2.plots.{name} skipped: {type(exc).__name__}: {exc}",
                      stacklevel=2)
        return
    globals().update(found)
    globals()[name] = module
    __all__.extend(public)


for _name in ("networks", "regression", "training", "optimizers"):
    _reexport(_name)
del _name

enable_inline_png()
