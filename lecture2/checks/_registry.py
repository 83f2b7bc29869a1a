"""The list of exercises: for each, the stub cell, the task and the check."""

from __future__ import annotations

import re
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
        One paragraph stating the task in plain text (the check's docstring,
        the terminal).
    body : callable
        ``body(fn, harness)``: the check itself.
    forbidden : tuple of str
        lecture2 callables (``"module:attr.attr"``) the student's function
        must not call while it is checked.
    warn_fails : bool
        Whether a RuntimeWarning raised by the student's code fails the check.
    title : str
        A short name for the box title, e.g. ``"the output adjoint"``.
    book : str
        The task in MyST markdown for the book (math in ``$...$``, the
        chapter's equations cited with ``{eq}`` roles); see
        :func:`lecture2.checks._catalog.box`.
    number : str
        ``"<chapter>.<k>"`` as the reader sees it, e.g. ``"8.1"`` (k counts
        the chapter's exercises from 1, in book order); set on registration.
    """

    name: str
    chapter: str
    function: str
    stub: str
    task: str
    body: Callable = field(repr=False)
    forbidden: tuple = ()
    warn_fails: bool = True
    title: str = ""
    book: str = ""
    number: str = ""

    @property
    def label(self) -> str:
        """The box's label in the chapter, ``ex-NN-k``."""
        return f"ex-{self.chapter}-{self.number.partition('.')[2]}"

    @property
    def check_cell(self) -> str:
        return (
            f"from lecture2.checks import check_{self.name}\n"
            f"check_{self.name}({self.function})"
        )


REGISTRY: dict[str, Exercise] = {}


def exercise(
    name, chapter, function, stub, task, *, title, book, forbidden=(), warn_fails=True
):
    """Decorator registering a check body as exercise ``name`` (the
    chapter's exercises are numbered in the order they are registered)."""

    def register(body):
        k = 1 + sum(ex.chapter == chapter for ex in REGISTRY.values())
        REGISTRY[name] = Exercise(
            name,
            chapter,
            function,
            stub.strip() + "\n",
            " ".join(task.split()),
            body,
            tuple(forbidden),
            warn_fails,
            title,
            "\n\n".join(" ".join(par.split()) for par in re.split(r"\n\s*\n", book)),
            f"{int(chapter)}.{k}",
        )
        return body

    return register


def rng_for(name: str) -> np.random.Generator:
    """The fixed-seed Generator of one check (same draws on every run)."""
    seed = sum((i + 1) * ord(c) for i, c in enumerate(name))
    return np.random.default_rng(seed)
