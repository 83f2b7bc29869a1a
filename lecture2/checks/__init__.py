"""Self-checks for the book's exercises.

Each exercise of the book ends with a check cell such as::

    from lecture2.checks import check_parameter_count
    check_parameter_count(parameter_count)

``check_<name>(fn)`` runs the student's function on fixed and random inputs
(from a fixed-seed Generator, so the verdict is the same after Restart and
Run All), compares the answers with an independent formula written in this
package (never with a notebook global), prints a one- or few-line verdict and
returns None. :func:`run_check` returns the same verdict as a
:class:`CheckResult` for the grader (:mod:`lecture2.grade`).

What every check guarantees
---------------------------
- It never raises into the student's cell. The student's function is called
  inside a guard that turns any exception, wrong type or shape, NaN, warning
  or time-out into a verdict; a bug in a check itself is reported as
  "error", not raised.
- Type and shape are checked before values, with exact shapes, so that
  broadcasting cannot let a wrong shape pass.
- An untouched stub (``raise NotImplementedError``) gives "not attempted";
  so does ``None`` instead of a function.
- It never prints an expected value. A failure names the property that
  failed and the input (small inputs in full, large ones by shape), and
  gives a hint; when the answer matches a known mistake (a missing bias, a
  transposed matrix, epsilon in the wrong place...) the hint names it.
- Each call of the student's function has a time limit
  (:data:`CALL_TIME_LIMIT` seconds, and :data:`CHECK_TIME_LIMIT` for all
  calls of one check); a slow function is stopped and reported "too slow"
  (status ``"timeout"``).
- The student's function gets copies of the inputs; changing an input in
  place is reported (the hint says how to avoid it).
- A RuntimeWarning raised inside the student's function (overflow in exp,
  division by zero) fails the check: the book's code must be warning-free at
  extreme inputs such as x = 1000.
- What the student's function prints while it is checked is discarded, so
  the cell shows only the verdict.

Time limit: how and its fallback
--------------------------------
On the main thread of a Unix process (a Jupyter kernel, a script, the
grader) the limit uses ``signal.setitimer(ITIMER_REAL)`` and a SIGALRM
handler that raises a private BaseException inside the student's function:
no thread, nothing left running, and the previous handler and timer are
restored. ``except Exception`` does not catch it; after the limit it is
raised again every 50 ms, so a bare ``except:`` or a ``finally:`` that goes
on working is stopped by a later alarm, and a function that caught it and
then returned is still "too slow". It is never raised inside the checks' own
code around the call (the call monitor's clean-up, the output redirection).
Its limits: a single long C call (one huge matrix product) is only
interrupted when it returns, and a loop whose body catches BaseException
around nearly all of its work can keep running (the grader's outer process
time limit still stops it). Where SIGALRM is not available (Windows,
or a check called from another thread) the call runs in a daemon thread and
the check stops waiting after the limit; the thread cannot be killed and
runs on in the background until the kernel restarts.

Why handing in lecture2's own function does not pass
------------------------------------------------------
Two mechanisms, because either alone is easy to get round:

1. Identity. Before anything is called, the function is compared with every
   function, method, class and instance defined in lecture2 (also through
   ``functools.partial`` and bound methods): passing
   ``lecture2.activations.elu`` is rejected at once.
2. Tripwires on the code actually run. A wrapper such as
   ``lambda x: lecture2.activations.elu(x)`` or ``Network(sizes).p`` is not
   identical to a lecture2 function, so while the student's function runs,
   a ``sys.setprofile`` hook watches every Python call and fails the check
   when one enters the code object of the lecture2 implementation
   corresponding to the exercise (each exercise lists them, e.g. ``elu``
   and ``Activation.__call__`` for the ELU exercise). Matching code objects
   rather than swapping module attributes catches the function however it
   was imported or renamed (``from lecture2.activations import elu as e``)
   and leaves lecture2 itself untouched. The hook is installed only around
   the student's calls and the previous profiler is restored afterwards;
   it is also set for threads the function starts, and a function that
   switches it off (even for a moment) fails. The checks' own reference formulas (e.g.
   ``lecture2.checks._networks._elu``) count as lecture2 code too. Other
   lecture2 functions (e.g. ``logistic`` inside a swish derivative) remain
   allowed. Copying lecture2's source into the cell is not detected.
   The hook's cost falls on calls: vectorised NumPy code hardly notices it,
   while a function that makes many small calls (a Python loop over the
   samples) runs about 3 to 6 times slower while it is checked, and the
   time limit counts that time.

Where things are
----------------
``_harness`` calls the student's function safely and judges answers;
``_registry`` holds the :class:`Exercise` records; the checks themselves,
each next to its stub and task, are in ``_networks`` (chapters 1-3),
``_regression`` (4-6), ``_training`` (7-8), ``_init_sgd`` (9-10) and
``_optim`` (11-13).
``python -m lecture2.checks`` prints notes/EXERCISES.md.
"""

from __future__ import annotations

from . import _init_sgd, _networks, _optim, _regression, _training  # noqa: F401  (register)
from ._harness import (
    AFTER_CALL,
    CALL_TIME_LIMIT,
    CHECK_TIME_LIMIT,
    STATUSES,
    CheckResult,
    judge,
)
from ._registry import REGISTRY, Exercise

# book order (the modules register in import order)
_ordered = sorted(REGISTRY.values(), key=lambda ex: ex.chapter)
REGISTRY.clear()
REGISTRY.update((ex.name, ex) for ex in _ordered)
EXERCISES: dict[str, Exercise] = REGISTRY
"""All exercises by check name, in book order."""


def run_check(
    name: str, fn, *, call_limit: float | None = None, check_limit: float | None = None
) -> CheckResult:
    """Judge ``fn`` for exercise ``name`` without printing anything.

    Parameters
    ----------
    name : str
        Check name, a key of :data:`EXERCISES` (e.g. ``"parameter_count"``).
    fn : callable or None
        The student's function.
    call_limit, check_limit : float, optional
        Seconds per call and for the whole check (defaults
        :data:`CALL_TIME_LIMIT` and :data:`CHECK_TIME_LIMIT`).

    Returns
    -------
    CheckResult
        ``status`` in ``{"pass", "fail", "not attempted", "error",
        "timeout"}`` and the verdict ``message``.
    """
    if name not in REGISTRY:
        return CheckResult(
            "error", f"❌ no exercise named {name!r}; known: {', '.join(REGISTRY)}"
        )
    ex = REGISTRY[name]
    return judge(
        ex.name, fn, ex.body, ex.forbidden, ex.warn_fails, call_limit, check_limit
    )


def _make_check(ex: Exercise):
    def check(fn) -> None:
        print(run_check(ex.name, fn).message)

    check.__name__ = check.__qualname__ = f"check_{ex.name}"
    check.__module__ = __name__
    check.__doc__ = (
        f"Check the exercise function ``{ex.function}`` (chapter "
        f"{ex.chapter}) and print a verdict; returns None.\n\n"
        f"Task: {ex.task}\n"
    )
    return check


for _ex in REGISTRY.values():
    globals()[f"check_{_ex.name}"] = _make_check(_ex)
del _ex


def exercises_markdown() -> str:
    """The text of notes/EXERCISES.md (stubs, check cells and tasks)."""
    from ._catalog import markdown

    return markdown(REGISTRY)


__all__ = [
    "CheckResult",
    "EXERCISES",
    "STATUSES",
    "CALL_TIME_LIMIT",
    "CHECK_TIME_LIMIT",
    "AFTER_CALL",
    "run_check",
    "exercises_markdown",
] + [f"check_{name}" for name in REGISTRY]
