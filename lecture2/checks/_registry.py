"""The list of exercises: for each, the stub cell, the task and the check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Exercise:
    """One exercise of the book.

    Attributes
    ----------
    name : str
        The check name (``check_<name>`` in :mod:`lecture2.checks`).
    chapter : str
        Two-digit chapter number, e.g. ``"01"``.
    function : str
        Name of the function the student writes in the stub cell.
    stub : str
        The exact code of the stub cell (raises NotImplementedError).
    task : str
        One paragraph stating the task, for the chapter's exercise box.
    body : callable
        ``body(fn, harness)``: the check itself.
    forbidden : tuple of str
        lecture2 callables (``"module:attr.attr"``) the student's function
        must not call while it is checked.
    warn_fails : bool
        Whether a RuntimeWarning raised by the student's code fails the check.
    """

    name: str
    chapter: str
    function: str
    stub: str
    task: str
    body: Callable = field(repr=False)
    forbidden: tuple = ()
    warn_fails: bool = True

    @property
    def check_cell(self) -> str:
        return (
            f"from lecture2.checks import check_{self.name}\n"
            f"check_{self.name}({self.function})"
        )


REGISTRY: dict[str, Exercise] = {}


def exercise(name, chapter, function, stub, task, forbidden=(), warn_fails=True):
    """Decorator registering a check body as exercise ``name``."""

    def register(body):
        REGISTRY[name] = Exercise(
            name,
            chapter,
            function,
            stub.strip() + "\n",
            " ".join(task.split()),
            body,
            tuple(forbidden),
            warn_fails,
        )
        return body

    return register


def rng_for(name: str) -> np.random.Generator:
    """The fixed-seed Generator of one check (same draws on every run)."""
    seed = sum((i + 1) * ord(c) for i, c in enumerate(name))
    return np.random.default_rng(seed)
