"""The machinery every check shares: calling the student's function safely.

A check is a function ``body(fn, h)`` that calls the student's function only
through ``h.call(...)`` and judges each answer with the ``h.expect_*``
helpers. Any problem stops the check by raising :class:`Verdict`, which
:func:`judge` turns into a :class:`CheckResult`. Nothing the student's
function does (raise, return garbage, loop, print warnings, call lecture2)
escapes from :func:`judge`.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import io
import numbers
import textwrap
import time
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._monitor import _Tripwire, forbidden_codes, identify_package_callable
from ._timelimit import _TooSlow, run_with_time_limit

#: Seconds one call of the student's function may take before it is stopped.
CALL_TIME_LIMIT = 5.0
#: Seconds all the calls of one check may take together.
CHECK_TIME_LIMIT = 30.0

STATUSES = ("pass", "fail", "not attempted", "error", "timeout")


class CheckResult(NamedTuple):
    """What a check decided: ``status`` (one of :data:`STATUSES`) and a
    human-readable ``message`` (the verdict line that the check prints)."""

    status: str
    message: str


class Verdict(Exception):
    """Raised inside a check to stop it with a final status and message."""

    def __init__(self, status: str, message: str, hint: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint


# --------------------------------------------------------- describing values


def describe(value, limit: int = 60) -> str:
    """A short description of an input for a message (small arrays shown in
    full, large ones by shape)."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            text = np.array2string(value, precision=4, separator=", ")
            return text.replace("\n", "")
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def type_name(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _snapshot(value):
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 (uncopyable: compare the object)
        return value


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 (a student's __eq__ may raise)
        return True


# -------------------------------------------------------------- the harness

#: Hooks run after every call of a student's function (the grader uses one to
#: undo monkeypatching done by the student's code).
AFTER_CALL: list[Callable[[], None]] = []


class Harness:
    """Calls the student's function and judges its answers for one check."""

    def __init__(
        self,
        name: str,
        fn,
        forbidden=(),
        warn_fails: bool = True,
        call_limit: float | None = None,
        check_limit: float | None = None,
    ):
        self.name = name
        self.fn = fn
        self.forbidden = forbidden_codes(forbidden)
        self.warn_fails = warn_fails
        self.call_limit = CALL_TIME_LIMIT if call_limit is None else call_limit
        self.check_limit = CHECK_TIME_LIMIT if check_limit is None else check_limit
        self.cases = 0
        self.calls = 0
        self.started = time.monotonic()

    # -- calling
    def call(
        self,
        label: str,
        *args,
        mutable=(),
        raises=None,
        raise_hint="",
        post=None,
        **kwargs,
    ):
        """Call the student's function on copies of ``args``.

        ``label`` describes the input in messages. Positions listed in
        ``mutable`` may be changed in place by the student; any other
        argument changed in place is reported. With ``raises`` (an exception
        class) the call must raise it; None is then returned. ``post`` is
        applied to the answer inside the time limit (to consume a generator
        the student returned). What the function prints is discarded.
        """
        left = self.check_limit - (time.monotonic() - self.started)
        if left <= 0:
            raise Verdict(
                "timeout",
                f"too slow: the calls together took more than "
                f"{self.check_limit:g} s (stopped before {label})",
                "make the function vectorised, without Python loops over the data",
            )
        limit = min(self.call_limit, left)
        given = [_snapshot(a) for a in args]
        given_kw = {k: _snapshot(v) for k, v in kwargs.items()}
        keep = [_snapshot(a) for a in given]
        tripwire = _Tripwire(self.forbidden)
        first = self.calls == 0
        self.calls += 1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(
                    over="warn", divide="warn", invalid="warn", under="ignore"
                ):

                    def student():
                        with (
                            contextlib.redirect_stdout(io.StringIO()),
                            contextlib.redirect_stderr(io.StringIO()),
                        ):
                            answer = self.fn(*given, **given_kw)
                            return answer if post is None else post(answer)

                    out = run_with_time_limit(lambda: tripwire.run(student), limit)
            except _TooSlow:
                raise Verdict(
                    "timeout",
                    f"too slow: no answer within {limit:.3g} s "
                    f"for {label}, so it was stopped",
                    "look for an endless loop, or a loop that could be a "
                    "NumPy operation",
                ) from None
            except NotImplementedError:
                if first:
                    raise Verdict(
                        "not attempted",
                        "not attempted yet",
                        "replace `raise NotImplementedError(...)` with your "
                        "code, then run that cell and this one",
                    ) from None
                raise Verdict(
                    "error",
                    f"raises NotImplementedError for {label}",
                    "the function must handle every input the task describes",
                ) from None
            except Verdict:
                raise
            except KeyboardInterrupt:
                raise Verdict(
                    "error",
                    f"raised KeyboardInterrupt for {label}",
                    "if you interrupted the kernel, run the check again; "
                    "otherwise look for what raises KeyboardInterrupt",
                ) from None
            except BaseException as exc:  # noqa: BLE001 (anything the student raised)
                if raises is not None:
                    if isinstance(exc, raises):
                        return None
                    raise Verdict(
                        "fail",
                        f"raises {type(exc).__name__} for {label}; "
                        f"expected {raises.__name__}",
                        raise_hint,
                    ) from None
                text = str(exc).splitlines()[0] if str(exc).strip() else ""
                text = text if len(text) <= 100 else text[:97] + "..."
                raise Verdict(
                    "error",
                    f"raised {type(exc).__name__}"
                    f"{': ' + text if text else ''} for {label}",
                    _error_hint(exc, text),
                ) from None
            finally:
                for hook in AFTER_CALL:
                    hook()
        if raises is not None:
            raise Verdict(
                "fail",
                f"returns a value for {label}; it should raise {raises.__name__}",
                raise_hint,
            )
        if tripwire.switched_off:
            raise Verdict(
                "fail",
                f"switches off the check's call monitor (sys.setprofile) (for {label})",
                "leave the profiler alone; write the function with NumPy",
            )
        if tripwire.hits:
            raise Verdict(
                "fail",
                f"calls lecture2's own {tripwire.hits[0]} (for {label})",
                "the point of the exercise is to write it yourself with "
                "NumPy; you may compare with lecture2 afterwards",
            )
        for i, (before, now) in enumerate(zip(keep, given)):
            if i not in mutable and not _same(before, now):
                raise Verdict(
                    "fail",
                    f"changes its argument {self._arg_name(i)} in place (for {label})",
                    "build and return a new array instead of writing into "
                    "the input (e.g. `w = w - ...`, not `w -= ...`)",
                )
        runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if runtime and self.warn_fails:
            text = str(runtime[0].message).splitlines()[0]
            raise Verdict(
                "fail",
                f"emits RuntimeWarning '{text}' for {label}",
                "avoid evaluating exp (or a division) where it overflows; "
                "e.g. compute it only on the side where it is small, or "
                "use np.exp(-abs(x))",
            )
        return out

    def _arg_name(self, i: int) -> str:
        try:
            params = list(inspect.signature(self.fn).parameters.values())
            if i < len(params) and params[i].kind in (
                params[i].POSITIONAL_ONLY,
                params[i].POSITIONAL_OR_KEYWORD,
            ):
                return f"`{params[i].name}`"
        except (TypeError, ValueError):
            pass
        return f"number {i + 1}"

    # -- judging
    def case(self):
        self.cases += 1

    @staticmethod
    def fail(message: str, hint: str = ""):
        raise Verdict("fail", message, hint)

    def expect_array(self, out, shape, label: str, what: str = "the result"):
        """``out`` must be a real float/int ndarray of exactly ``shape``."""
        if not isinstance(out, np.ndarray):
            self.fail(
                f"{what} should be a NumPy array of shape {shape}, but it is "
                f"{type_name(out)} (for {label})",
                "build the answer with NumPy operations (or np.asarray) and return it",
            )
        if out.shape != tuple(shape):
            self.fail(
                f"{what} has shape {out.shape}, expected shape {tuple(shape)} "
                f"(for {label})",
                "compare with the shape in the docstring's Returns section"
                + _shape_note(out.shape, tuple(shape)),
            )
        if out.dtype.kind not in "fiu":
            self.fail(
                f"{what} has dtype {out.dtype}; expected real numbers (for {label})",
                "return float values",
            )
        # integers become float64; a float32 answer stays float32, so that a
        # wrong value can be explained by its precision (expect_close)
        return out if out.dtype.kind == "f" else out.astype(np.float64)

    def expect_arrays(self, out, shapes: dict, label: str):
        """``out`` must be a tuple (or list) of arrays, one per name of
        ``shapes`` (name -> shape); returns them as float arrays."""
        names = list(shapes)
        if not isinstance(out, (tuple, list)) or len(out) != len(names):
            kind = {2: "a pair", 3: "a triple"}.get(len(names), f"{len(names)} arrays")
            self.fail(
                f"the result should be {kind} ({', '.join(names)}), but it is "
                f"{type_name(out)} (for {label})",
                f"end with `return {', '.join(names)}`",
            )
        return [
            self.expect_array(o, shapes[name], label, what=name)
            for o, name in zip(out, names)
        ]

    def expect_number(
        self, out, label: str, what: str = "the result", integer: bool = False
    ):
        """``out`` must be a real scalar (Python or NumPy; a 0-d array is
        accepted); with ``integer`` it must be an int."""
        if isinstance(out, np.ndarray) and out.shape == ():
            out = out[()]
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, numbers.Real):
            kind = "an int" if integer else "a number (float)"
            self.fail(
                f"{what} should be {kind}, but it is {type_name(out)} (for {label})",
                "return a single number, not a list or an array"
                if isinstance(out, (list, tuple, np.ndarray))
                else "did you forget `return`?"
                if out is None
                else "",
            )
        if integer and not isinstance(out, numbers.Integral):
            self.fail(
                f"{what} should be an int, but it is {type_name(out)} (for {label})",
                "a count is an integer: use int(...) or "
                "integer arithmetic (// instead of /)",
            )
        return out

    def expect_close(
        self,
        got,
        want,
        label: str,
        hint: str = "",
        rtol: float = 1e-9,
        atol: float = 1e-12,
        what: str = "wrong value",
        mistakes=(),
    ):
        """Values must agree elementwise. ``mistakes`` is a sequence of
        ``(wrong_value, hint)``: when the answer matches a known mistake,
        that hint is given instead of the generic one."""
        dtype = getattr(got, "dtype", None)
        got = np.asarray(got, dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if close(got, want, rtol, atol):
            return
        if (
            dtype is not None
            and dtype.kind == "f"
            and dtype.itemsize < 8
            and close(got, want, max(rtol, 1e-3), max(atol, 1e-6))
        ):
            self.fail(
                f"{what} for {label}: the result has dtype {dtype}, so it "
                "keeps only a few digits",
                "compute and return float64 values (NumPy's default); "
                "leave out the conversion to a smaller float type",
            )
        if not np.all(np.isfinite(got)[np.isfinite(want)]):
            self.fail(
                f"returns nan or inf for {label}",
                hint or "look for an overflow or a division by zero",
            )
        for wrong, wrong_hint in mistakes:
            try:
                wrong = np.asarray(wrong, dtype=np.float64)
                if wrong.shape == got.shape and close(got, wrong, rtol, atol):
                    self.fail(f"{what} for {label}", wrong_hint)
            except Verdict:
                raise
            except Exception:  # noqa: BLE001, S112 (a mistake formula not applicable)
                continue
        self.fail(f"{what} for {label}", hint)


def _shape_note(got: tuple, want: tuple) -> str:
    """The part of a shape hint that applies to these two shapes."""
    if len(got) == len(want) == 2 and got == want[::-1]:
        return " (rows and columns are swapped: a transpose too many or missing)"
    if tuple(d for d in got if d != 1) == tuple(d for d in want if d != 1):
        return f" (an array of shape {got} is not one of shape {want})"
    return ""


def _error_hint(exc: BaseException, text: str) -> str:
    """A hint for an exception raised by the student's function."""
    if any(word in text for word in ("shape", "dimension", "broadcast", "aligned")):
        return (
            "the shapes do not fit: print the shape of each array in your "
            "products and compare with the docstring"
        )
    if isinstance(exc, TypeError) and "argument" in text:
        return (
            "keep the signature of the stub: the check calls the function "
            "with the arguments its docstring lists"
        )
    return "run your function on this input yourself to see where it fails"


def close(got, want, rtol=1e-9, atol=1e-12) -> bool:
    """Elementwise ``|got - want| <= atol + rtol |want|`` (infinities must
    match exactly), computed without warnings."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    with np.errstate(all="ignore"):
        same_inf = (got == want) & np.isinf(want)
        ok = np.abs(got - want) <= atol + rtol * np.abs(want)
    return bool(np.all(ok | same_inf))


# ---------------------------------------------------------------- verdicts

ICONS = {
    "pass": "✅",
    "fail": "❌",
    "error": "❌",
    "timeout": "⌛",
    "not attempted": "⏳",
}


def judge(
    name: str,
    fn,
    body,
    forbidden=(),
    warn_fails=True,
    call_limit=None,
    check_limit=None,
) -> CheckResult:
    """Run check ``body(fn, harness)`` and return its :class:`CheckResult`."""
    try:
        if fn is None:
            raise Verdict(
                "not attempted",
                "not attempted: got None instead of your function",
                "run the cell that defines it, then pass the "
                "function itself (no parentheses) to the check",
            )
        if not callable(fn):
            raise Verdict(
                "fail",
                f"expected your function, but got {type_name(fn)}",
                "pass the function itself, without calling it: "
                f"check_{name}(<function name>)",
            )
        own = identify_package_callable(fn)
        if own:
            raise Verdict(
                "fail",
                f"this is lecture2's own {own}, not your function",
                "write the function in the exercise cell and pass that",
            )
        h = Harness(name, fn, forbidden, warn_fails, call_limit, check_limit)
        body(fn, h)
        cases = h.cases
        return CheckResult(
            "pass",
            verdict_text(
                "pass", name, f"all {cases} case{'s' if cases != 1 else ''} pass"
            ),
        )
    except Verdict as v:
        return CheckResult(v.status, verdict_text(v.status, name, v.message, v.hint))
    except KeyboardInterrupt:  # Ctrl-C, or raised by the student's objects
        return CheckResult(
            "error",
            verdict_text(
                "error",
                name,
                "interrupted (KeyboardInterrupt) before the check finished",
                "run the check again",
            ),
        )
    except BaseException as exc:  # noqa: BLE001 (a bug in the check must not escape)
        return CheckResult(
            "error",
            verdict_text(
                "error",
                name,
                f"the check itself failed ({type(exc).__name__}: {exc}); "
                "please tell the instructor",
            ),
        )


#: Longest printed verdict line, in characters (the book's code blocks show
#: about 78; the icon at the start is as wide as two characters).
WIDTH = 76


def verdict_text(status: str, name: str, message: str, hint: str = "") -> str:
    """The printed verdict: ``<icon> <name>: <message>`` and an indented
    ``Hint:``, each wrapped onto indented lines of at most :data:`WIDTH`
    columns."""
    wrap = functools.partial(
        textwrap.wrap, break_long_words=False, break_on_hyphens=False
    )
    lines = wrap(
        f"{ICONS.get(status, '❌')} {name}: {message}",
        width=WIDTH - 1,  # the icon is one character but two columns wide
        subsequent_indent="   ",
    )
    if hint:
        lines += wrap(
            f"Hint: {hint}",
            width=WIDTH,
            initial_indent="   ",
            subsequent_indent="         ",
        )
    return "\n".join(lines)


__all__ = [
    "AFTER_CALL",
    "CALL_TIME_LIMIT",
    "CHECK_TIME_LIMIT",
    "STATUSES",
    "CheckResult",
    "Harness",
    "Verdict",
    "close",
    "describe",
    "identify_package_callable",
    "judge",
    "run_with_time_limit",
    "verdict_text",
]
